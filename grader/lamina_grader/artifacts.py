"""Artifact grading: a learner's saved model, measured by the grader on held-out data.

The model is loaded and run in :mod:`lamina_grader.sandbox`; the metric is
computed here, with NumPy, from the predictions and the held-out labels that
never leave this process.

Example:
    >>> import numpy as np
    >>> compute_metric("accuracy", np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 0]))
    0.5
"""

import dataclasses
import hashlib
import os

import numpy as np

from lamina_grader.bands import band_for
from lamina_grader.sandbox import predict_in_sandbox

__all__ = ["compute_metric", "select_output", "ArtifactGrade", "grade_artifact", "confusion_matrix",
           "measure_artifact", "Measurement"]


def _class_predictions(pred):
    pred = np.asarray(pred)
    if pred.ndim >= 2 and pred.shape[-1] > 1:
        return np.argmax(pred, axis=-1)
    return (pred.reshape(pred.shape[0], -1)[:, 0] > 0.5).astype("int64")


def compute_metric(metric, pred, y):
    """The grader's own metric of predictions ``pred`` against labels ``y``.

    Args:
        metric: ``accuracy`` (argmax of class scores, or > 0.5 for one
            column), ``binary_accuracy``, ``top_2_accuracy``, ``mse``,
            ``rmse`` or ``mae``.
        pred: predictions, first axis = samples.
        y: labels or targets.

    Raises:
        ValueError: when the shapes cannot match (the learner's model has the
            wrong output).

    Example:
        >>> compute_metric("mae", np.array([[1.0], [3.0]]), np.array([2.0, 2.0]))
        1.0
    """
    pred = np.asarray(pred, dtype="float64")
    y = np.asarray(y)
    if pred.shape[0] != y.shape[0]:
        raise ValueError(f"the model gave {pred.shape[0]} predictions for {y.shape[0]} held-out samples")
    if not np.all(np.isfinite(pred)):
        raise ValueError("the model's predictions hold NaN or infinite values")
    if metric in ("accuracy", "binary_accuracy"):
        if metric == "accuracy" and pred.ndim >= 2 and pred.shape[-1] > 1:
            labels = y.reshape(-1).astype("int64") if y.ndim == 1 or y.shape[-1] == 1 else np.argmax(y, -1)
            if pred.shape[-1] <= labels.max():
                raise ValueError(f"the model outputs {pred.shape[-1]} class scores, the held-out labels "
                                 f"go up to {int(labels.max())}")
            return float(np.mean(np.argmax(pred, axis=-1) == labels))
        if pred.reshape(pred.shape[0], -1).shape[1] != 1:
            raise ValueError(f"expected one score per sample, the model outputs shape {pred.shape[1:]}")
        return float(np.mean(_class_predictions(pred) == y.reshape(-1).astype("int64")))
    if metric == "top_2_accuracy":
        top = np.argsort(-pred, axis=-1)[:, :2]
        return float(np.mean(np.any(top == y.reshape(-1, 1), axis=-1)))
    if metric in ("mse", "rmse", "mae"):
        p = pred.reshape(pred.shape[0], -1)
        t = np.asarray(y, dtype="float64").reshape(y.shape[0], -1)
        if p.shape != t.shape:
            raise ValueError(f"the model outputs shape {pred.shape[1:]} per sample, the targets {y.shape[1:]}")
        err = p - t
        if metric == "mae":
            return float(np.mean(np.abs(err)))
        mse = float(np.mean(err ** 2))
        return mse if metric == "mse" else float(np.sqrt(mse))
    raise ValueError(f"unknown metric {metric!r}")


def select_output(predictions, output=None):
    """Picks the graded output out of the sandbox's prediction arrays.

    Example:
        >>> select_output({"o:digit": 1, "o:total": 2, "i:0": 1, "i:1": 2}, "total")
        2
    """
    if output is None:
        if "y" in predictions:
            return predictions["y"]
        if "i:0" in predictions:
            return predictions["i:0"]
        named = [k for k in predictions if k.startswith("o:")]
        if len(named) == 1:
            return predictions[named[0]]
        raise ValueError(f"the model has several outputs ({', '.join(k[2:] for k in named)}); "
                         "the lab's grading.toml should name one")
    for key in (f"o:{output}", f"i:{output}"):
        if key in predictions:
            return predictions[key]
    if "y" in predictions and output in (0, "0"):
        return predictions["y"]
    names = sorted({k[2:] for k in predictions if k.startswith("o:")}) or ["a single unnamed output"]
    raise ValueError(f"the model has no output named {output!r} (it has {', '.join(names)})")


def _select_target(y, output):
    if isinstance(y, dict):
        if output is None:
            raise ValueError("the held-out targets are a dict: grading.toml should name the output")
        return y[output]
    if isinstance(y, (list, tuple)):
        return y[int(output or 0)]
    return y


def confusion_matrix(pred, y, n_classes=None):
    """Counts[i, j] = held-out samples of class i predicted as j.

    Example:
        >>> confusion_matrix(np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 0])).tolist()
        [[1, 1], [0, 0]]
    """
    labels = np.asarray(y).reshape(-1).astype("int64")
    guess = _class_predictions(pred)
    k = int(n_classes or max(labels.max(), guess.max()) + 1)
    out = np.zeros((k, k), dtype="int64")
    np.add.at(out, (labels, guess), 1)
    return out


@dataclasses.dataclass
class ArtifactGrade:
    """The grade of one artifact task for one learner."""

    name: str
    points: float
    max_points: float
    status: str
    value: float = None
    metric: str = ""
    reason: str = ""
    line: str = ""
    band: dict = None
    variant: str = "yours"
    seconds: float = 0.0
    isolation: str = ""
    confusion: list = None

    def to_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Measurement:
    """The raw outcome of running one artifact on held-out data (before any band)."""

    status: str
    reason: str = ""
    value: float = None
    pred: object = None
    target: object = None
    seconds: float = 0.0
    isolation: str = ""


# Sandbox results of this process, so that two artifacts graded on the same file (two heads of one
# model) load it once. Keyed by the files' path, size and modification time.
_CACHE = {}


def _stamp(path):
    try:
        st = os.stat(path)
        return (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    except OSError:
        return (path, None, None)


def _fingerprint(x):
    h = hashlib.sha1()
    items = sorted(x.items()) if isinstance(x, dict) else enumerate(x) if isinstance(x, (list, tuple)) else [(0, x)]
    for k, v in items:
        v = np.ascontiguousarray(v)
        h.update(f"{k}{v.shape}{v.dtype}".encode())
        h.update(v.tobytes())
    return h.hexdigest()


def measure_artifact(spec, folder, x, y, backend=None, code_files=()):
    """Runs ``spec.file`` from ``folder`` in the sandbox and computes its metric on ``(x, y)``."""
    path = os.path.join(folder, spec.file)
    key = (_stamp(path), _fingerprint(x), backend, spec.time_limit_s, spec.memory_mb,
           tuple(_stamp(p) for p in code_files))
    res = _CACHE.get(key)
    if res is None:
        res = predict_in_sandbox(path, x, time_limit_s=spec.time_limit_s, memory_mb=spec.memory_mb,
                                 backend=backend, custom_code=code_files)
        _CACHE[key] = res
    if not res.ok:
        return Measurement(res.status, res.reason, seconds=res.seconds, isolation=res.isolation)
    try:
        pred = select_output(res.predictions, spec.output)
        target = _select_target(y, spec.output)
        value = compute_metric(spec.metric, pred, target)
    except (ValueError, KeyError, IndexError) as exc:
        return Measurement("wrong_output", str(exc), seconds=res.seconds, isolation=res.isolation)
    return Measurement("graded", "", value, pred, target, res.seconds, res.isolation)


def _grade_once(spec, folder, x, y, band, backend, code_files):
    m = measure_artifact(spec, folder, x, y, backend, code_files)
    if m.status != "graded":
        return ArtifactGrade(spec.name, 0.0, spec.points, m.status, None, spec.metric, m.reason,
                             f"0 points: {m.reason}", seconds=m.seconds, isolation=m.isolation)
    confusion = None
    if spec.metric == "accuracy":
        try:
            confusion = confusion_matrix(m.pred, m.target).tolist()
        except (ValueError, IndexError):
            confusion = None
    return ArtifactGrade(spec.name, band.score(m.value), spec.points, "graded", m.value, spec.metric, "",
                         f"{spec.metric}: {band.describe(m.value)}", dataclasses.asdict(band), "yours",
                         m.seconds, m.isolation, confusion)


def _reference_file(reference_dir, name):
    """A substitute file: ``<lab>/reference/<name>``, else ``<lab>/<name>``."""
    for cand in (os.path.join(reference_dir, "reference", name), os.path.join(reference_dir, name)):
        if os.path.isfile(cand):
            return cand
    return os.path.join(reference_dir, name)


def grade_artifact(spec, folder, reference=None, heldout=None, backend=None, reference_dir=None):
    """Grades artifact ``spec`` from the learner's ``folder``.

    Args:
        spec: :class:`~lamina_grader.labconfig.ArtifactSpec`.
        folder: the learner's graded folder (holds ``spec.file``).
        reference: the artifact's entry of ``reference.json`` (or None).
        heldout: ``(x, y)``; default: ``lamina_grader.datasets.load_heldout(spec.dataset)``.
        backend: the sandbox's backend.
        reference_dir: the lab's source folder, for ``substitute`` (files are looked up in its
            ``reference/`` subfolder, then in the folder itself).

    Returns:
        :class:`ArtifactGrade`. With ``substitute``, the better of the
        learner's own files and the reference parts substituted (the line
        says which).
    """
    if heldout is None:
        from lamina_grader import datasets

        heldout = datasets.load_heldout(spec.dataset)
    x, y = heldout
    code = [os.path.join(folder, f) for f in spec.custom_code]
    try:
        band = band_for(spec, reference)
    except ValueError as exc:
        m = measure_artifact(spec, folder, x, y, backend, code)
        measured = f"{spec.metric} {m.value:.4f}" if m.status == "graded" else m.reason
        return ArtifactGrade(spec.name, 0.0, spec.points, "no_reference", m.value, spec.metric, str(exc),
                             f"not graded ({measured}): {exc}", seconds=m.seconds, isolation=m.isolation)
    grade = _grade_once(spec, folder, x, y, band, backend, code)
    if spec.substitute and reference_dir and grade.points < spec.points:
        swapped = [_reference_file(reference_dir, spec.substitute[os.path.basename(p)])
                   if os.path.basename(p) in spec.substitute else p for p in code]
        other = _grade_once(spec, folder, x, y, band, backend, swapped)
        if other.points > grade.points:
            other.variant = "reference parts"
            other.line += (f" (graded with the reference {', '.join(sorted(spec.substitute))} in place of "
                           f"yours, which gave {grade.points:g} points: {grade.reason or grade.line})")
            return other
    return grade
