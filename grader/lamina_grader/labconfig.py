"""A lab's ``grading.toml``: metadata, artifact tasks and limits, validated.

Example:
    >>> cfg = parse_lab_config({"lab": {"title": "T"}, "artifact": [
    ...     {"name": "m", "points": 4, "dataset": "digits", "metric": "accuracy"}]}, "01-x")
    >>> cfg.artifacts[0].file, cfg.artifacts[0].higher_is_better
    ('m.keras', True)
"""

import dataclasses
import os
import tomllib

__all__ = ["LabConfig", "ArtifactSpec", "load_lab_config", "parse_lab_config", "METRICS"]

# metric name -> higher is better
METRICS = {"accuracy": True, "binary_accuracy": True, "top_2_accuracy": True,
           "mse": False, "mae": False, "rmse": False}


@dataclasses.dataclass
class ArtifactSpec:
    """One artifact task: a model file the learner saves and the grader scores.

    Attributes:
        name: task name (and default file stem).
        points: points for full marks.
        dataset: key of the held-out provider in ``lamina_grader.datasets``.
        metric: one of :data:`METRICS`.
        file: file name in the learner's folder (default ``<name>.keras``).
        output: for multi-output models, the output (name or index) graded and
            the key of the held-out target.
        time_limit_s, memory_mb: sandbox limits.
        full_at_sigma: full marks from ``mean - full_at_sigma * std``.
        zero_at: metric value at (or beyond) which the score is zero.
        std_floor: lower bound of the spread used for the band.
        full_at: absolute full-marks threshold used when no reference exists.
        custom_code: learner module(s) with custom objects, imported in the
            sandbox (``["layers.py"]``).
        substitute: ``{learner_file: reference_file}``: grade again with the
            reference part in place of the learner's, keep the better score.
    """

    name: str
    points: float
    dataset: str
    metric: str = "accuracy"
    file: str = None
    output: object = None
    time_limit_s: float = 60.0
    memory_mb: int = 3000
    full_at_sigma: float = 2.0
    zero_at: float = None
    std_floor: float = 0.005
    full_at: float = None
    custom_code: list = dataclasses.field(default_factory=list)
    substitute: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if self.file is None:
            self.file = f"{self.name}.keras"
        if isinstance(self.custom_code, str):
            self.custom_code = [self.custom_code]

    @property
    def higher_is_better(self):
        return METRICS[self.metric]


@dataclasses.dataclass
class LabConfig:
    """A lab's grading configuration (``grading.toml``)."""

    lab: str
    title: str = ""
    goals: list = dataclasses.field(default_factory=list)
    notebook_timeout_s: float = 600.0
    cell_timeout_s: float = 120.0
    notebook_memory_mb: int = 4000
    artifacts: list = dataclasses.field(default_factory=list)

    def artifact(self, name):
        for a in self.artifacts:
            if a.name == name:
                return a
        raise KeyError(f"lab {self.lab}: no artifact named {name!r} "
                       f"(artifacts: {', '.join(a.name for a in self.artifacts) or 'none'})")

    @property
    def artifact_files(self):
        """Files a learner may hand in besides the notebook."""
        files = []
        for a in self.artifacts:
            stem = a.file[:-len(".keras")] if a.file.endswith(".keras") else a.file
            files += [a.file, stem + ".history.json"] + list(a.custom_code) + list(a.substitute)
        return sorted(set(files))


def _number(where, key, value, cast=float):
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {key} should be a number, received {value!r}") from None


def parse_lab_config(data, lab):
    """Validates the parsed TOML of a lab and returns a :class:`LabConfig`."""
    where = f"labs/{lab}/grading.toml"
    head = data.get("lab", {})
    if not isinstance(head, dict):
        raise ValueError(f"{where}: [lab] should be a table, received {type(head).__name__}")
    cfg = LabConfig(lab=lab, title=str(head.get("title", lab)), goals=list(head.get("goals", [])))
    for key in ("notebook_timeout_s", "cell_timeout_s"):
        if key in head:
            setattr(cfg, key, _number(where, key, head[key]))
    if "notebook_memory_mb" in head:
        cfg.notebook_memory_mb = _number(where, "notebook_memory_mb", head["notebook_memory_mb"], int)
    known = {f.name for f in dataclasses.fields(ArtifactSpec)}
    seen = set()
    for i, raw in enumerate(data.get("artifact", [])):
        here = f"{where}: [[artifact]] #{i + 1}"
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{here}: unknown keys {unknown} (known: {sorted(known)})")
        for key in ("name", "points", "dataset"):
            if key not in raw:
                raise ValueError(f"{here}: missing required key {key!r}")
        spec = ArtifactSpec(**raw)
        if spec.metric not in METRICS:
            raise ValueError(f"{here}: metric should be one of {sorted(METRICS)}, received {spec.metric!r}")
        if spec.name in seen:
            raise ValueError(f"{here}: duplicate artifact name {spec.name!r}")
        seen.add(spec.name)
        spec.points = _number(here, "points", spec.points)
        spec.time_limit_s = _number(here, "time_limit_s", spec.time_limit_s)
        spec.memory_mb = _number(here, "memory_mb", spec.memory_mb, int)
        spec.full_at_sigma = _number(here, "full_at_sigma", spec.full_at_sigma)
        spec.std_floor = _number(here, "std_floor", spec.std_floor)
        if spec.zero_at is not None:
            spec.zero_at = _number(here, "zero_at", spec.zero_at)
        if spec.full_at is not None:
            spec.full_at = _number(here, "full_at", spec.full_at)
        if not spec.file.endswith(".keras") or os.sep in spec.file or spec.file.startswith("."):
            raise ValueError(f"{here}: file should be a plain '<stem>.keras' name, received {spec.file!r}")
        for f in list(spec.custom_code) + list(spec.substitute):
            if not f.endswith(".py") or "/" in f or f.startswith("."):
                raise ValueError(f"{here}: custom_code/substitute names plain '.py' files, received {f!r}")
        cfg.artifacts.append(spec)
    return cfg


def load_lab_config(lab_dir):
    """Reads ``<lab_dir>/grading.toml`` (an absent file means: no artifact task).

    Example:
        >>> load_lab_config("/nonexistent/01-x").artifacts
        []
    """
    lab = os.path.basename(os.path.normpath(lab_dir))
    path = os.path.join(lab_dir, "grading.toml")
    if not os.path.exists(path):
        return LabConfig(lab=lab, title=lab)
    with open(path, "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"labs/{lab}/grading.toml is not valid TOML: {exc}") from None
    return parse_lab_config(data, lab)
