"""Reference metrics: the lab's reference solution run N times per backend.

Each run executes the source notebook (solutions included) in a fresh kernel
with ``LAMINA_BACKEND`` set, seeds shifted by the run's seed (a first cell
wraps ``lamina.utils.set_random_seed`` so that the notebook's own
``set_random_seed(s)`` becomes ``s + seed``; run 0 is exactly what a learner
running the reference code gets), then measures every artifact with the same
sandbox and metric code as learners' work. ``reference.json`` keeps, per
artifact and backend: mean, std, n, seeds, the values, the learning curves
(mean and std per epoch) and the environment.

Example:
    >>> summarize([0.9, 0.92, 0.94])["mean"]
    0.92
"""

import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

__all__ = ["compute_reference", "summarize", "run_reference_once", "PRELUDE"]

PRELUDE = """import lamina as _lamina_ref
import numpy as _np_ref
_LAMINA_REF_SEED = {seed}
_lamina_ref_set_seed = _lamina_ref.utils.set_random_seed


def _lamina_ref_seeded(seed, _set=_lamina_ref_set_seed):
    return _set(int(seed) + _LAMINA_REF_SEED)


_lamina_ref.utils.set_random_seed = _lamina_ref_seeded
_lamina_ref.utils.set_random_seed(0)
_np_ref.random.seed(_LAMINA_REF_SEED)
"""

_FRAMEWORKS = {"jax": ("jax", "jaxlib"), "torch": ("torch",), "tensorflow": ("tensorflow-cpu", "tensorflow"),
               "numpy": ()}


def summarize(values):
    """Mean, sample std (0 for one run) and n of a list of metric values.

    Example:
        >>> summarize([1.0])
        {'mean': 1.0, 'std': 0.0, 'n': 1}
    """
    v = np.asarray(values, dtype="float64")
    std = float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
    return {"mean": round(float(np.mean(v)), 6), "std": round(std, 6), "n": int(len(v))}


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment(backend):
    """Versions and machine of a reference run."""
    env = {"python": platform.python_version(), "platform": platform.platform(), "machine": platform.machine(),
           "lamina": _version("lamina"), "numpy": _version("numpy"), "nbgrader": _version("nbgrader"),
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    for dist in _FRAMEWORKS.get(backend, ()):
        ver = _version(dist)
        if ver:
            env[dist] = ver
    return env


def run_reference_once(lab_dir, backend, seed):
    """One run of the reference solution; returns ``{artifact: {"value", "history"}}`` and problems."""
    from lamina_grader import datasets
    from lamina_grader.artifacts import measure_artifact
    from lamina_grader.labconfig import load_lab_config
    from lamina_grader.release import run_notebook

    lab = os.path.basename(os.path.normpath(lab_dir))
    cfg = load_lab_config(lab_dir)
    out, problems = {}, []
    with tempfile.TemporaryDirectory(prefix=f"lamina-ref-{lab}-") as work:
        for name in os.listdir(lab_dir):
            if name.endswith(".ipynb") or name == "reference.json":
                continue
            src = os.path.join(lab_dir, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(work, name))
        _, exec_report, checks = run_notebook(os.path.join(lab_dir, lab + ".ipynb"), work,
                                              {"LAMINA_BACKEND": backend}, cfg.cell_timeout_s,
                                              cfg.notebook_timeout_s, prelude=PRELUDE.format(seed=int(seed)))
        if exec_report.get("died") or exec_report.get("stopped"):
            problems.append(f"the notebook did not finish: {exec_report}")
        failed = [f"{c.question}/{c.name}" for c in checks if not c.passed]
        if failed:
            problems.append(f"checks that did not pass: {failed}")
        for spec in cfg.artifacts:
            x, y = datasets.load_heldout(spec.dataset)
            code = [os.path.join(work, f) for f in spec.custom_code]
            m = measure_artifact(spec, work, x, y, backend=backend, code_files=code)
            if m.status != "graded":
                problems.append(f"artifact {spec.name}: {m.reason}")
                continue
            stem = spec.file[:-len(".keras")]
            hist = None
            hpath = os.path.join(work, stem + ".history.json")
            if os.path.exists(hpath):
                with open(hpath, encoding="utf-8") as fh:
                    hist = json.load(fh)
            out[spec.name] = {"value": m.value, "history": hist}
    return out, problems


def _curves(histories):
    curves = {}
    keys = set.intersection(*[set(h) for h in histories]) if histories else set()
    for key in sorted(keys):
        n = min(len(h[key]) for h in histories)
        if n == 0:
            continue
        arr = np.asarray([h[key][:n] for h in histories], dtype="float64")
        curves[key] = {"mean": np.round(arr.mean(0), 6).tolist(),
                       "std": np.round(arr.std(0, ddof=1) if len(arr) > 1 else np.zeros(n), 6).tolist()}
    return curves


def _run_in_fresh_process(lab_dir, backend, seed, timeout):
    cmd = [sys.executable, "-m", "lamina_grader.reference", os.path.abspath(lab_dir), backend, str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, LAMINA_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3"))
    for line in proc.stdout.splitlines():
        if line.startswith("LAMINA_REF "):
            data = json.loads(line[len("LAMINA_REF "):])
            return data["artifacts"], data["problems"]
    return {}, [f"the run failed (exit {proc.returncode}): {(proc.stdout + proc.stderr)[-1500:]}"]


def compute_reference(lab_dir, backends=("jax", "torch", "tensorflow"), runs=3, progress=print):
    """Runs the reference solution ``runs`` times per backend and writes ``reference.json``.

    Existing entries of other backends are kept.

    Returns:
        ``(path, summary text)``.

    Raises:
        RuntimeError: when a run fails (a reference must be clean).
    """
    from lamina_grader.labconfig import load_lab_config

    lab = os.path.basename(os.path.normpath(lab_dir))
    cfg = load_lab_config(lab_dir)
    if not cfg.artifacts:
        raise ValueError(f"{lab}: grading.toml declares no artifact, there is nothing to measure")
    path = os.path.join(lab_dir, "reference.json")
    data = {"lab": lab, "artifacts": {}}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    lines = []
    timeout = cfg.notebook_timeout_s + sum(a.time_limit_s + 60 for a in cfg.artifacts) + 120
    for backend in backends:
        values = {a.name: [] for a in cfg.artifacts}
        hists = {a.name: [] for a in cfg.artifacts}
        seeds = list(range(int(runs)))
        for seed in seeds:
            t0 = time.time()
            res, problems = _run_in_fresh_process(lab_dir, backend, seed, timeout)
            if problems:
                raise RuntimeError(f"reference {lab} on {backend}, seed {seed}: " + "; ".join(problems))
            for name, r in res.items():
                values[name].append(r["value"])
                if r.get("history"):
                    hists[name].append(r["history"])
            progress(f"{lab} {backend} seed {seed}: " + ", ".join(f"{k} {v['value']:.4f}" for k, v in res.items())
                     + f" ({time.time() - t0:.1f} s)")
        env = environment(backend)
        for spec in cfg.artifacts:
            entry = data["artifacts"].setdefault(spec.name, {"metric": spec.metric, "backends": {}})
            entry["metric"] = spec.metric
            stats = summarize(values[spec.name])
            entry["backends"][backend] = dict(stats, seeds=seeds, values=[round(v, 6) for v in values[spec.name]],
                                              curves=_curves(hists[spec.name]), env=env)
            lines.append(f"{spec.name} on {backend}: {spec.metric} {stats['mean']:.4f} ± {stats['std']:.4f} "
                         f"(n={stats['n']})")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
    os.replace(tmp, path)
    return path, "\n".join(lines)


def _main(argv):
    lab_dir, backend, seed = argv[0], argv[1], int(argv[2])
    res, problems = run_reference_once(lab_dir, backend, seed)
    print("LAMINA_REF " + json.dumps({"artifacts": res, "problems": problems}))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
