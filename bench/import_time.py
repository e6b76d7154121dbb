"""Import time of lamina against Keras 3, per backend, in fresh processes.

Runs are interleaved (lamina, keras, lamina, keras...) to share the machine's
noise fairly, and medians are reported. Besides the bare import, the
"first op" figure includes the framework import that lamina defers to the first
operation, so the comparison stays honest.

Usage: ``python bench/import_time.py [--repeats 5] [--backends jax torch tensorflow]``
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PROGRAMS = {
    "lamina": "import lamina",
    "lamina_first_op": "import lamina; lamina.ops.add(1.0, 2.0)",
    "keras": "import keras",
    "keras_first_op": "import keras; keras.ops.add(1.0, 2.0)",
}


def _time(code, backend):
    env = dict(os.environ, LAMINA_BACKEND=backend, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{code!r} failed on {backend}: {proc.stderr[-500:]}")
    return elapsed


def measure(backends, repeats):
    baseline = statistics.median(_time("pass", "jax") for _ in range(3))
    results = {}
    for backend in backends:
        samples = {name: [] for name in PROGRAMS}
        for _ in range(repeats):
            for name, code in PROGRAMS.items():
                samples[name].append(_time(code, backend) - baseline)
        medians = {name: statistics.median(values) for name, values in samples.items()}
        medians["ratio_import"] = medians["lamina"] / medians["keras"]
        medians["ratio_first_op"] = medians["lamina_first_op"] / medians["keras_first_op"]
        results[backend] = medians
    return {"python_startup_s": baseline, "repeats": repeats, "backends": results,
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                        "python": platform.python_version()}}


def markdown(report):
    lines = ["| backend | import lamina (s) | import keras (s) | ratio | lamina + first op (s) | "
             "keras + first op (s) | ratio |", "|---|---|---|---|---|---|---|"]
    for backend, r in report["backends"].items():
        lines.append(f"| {backend} | {r['lamina']:.3f} | {r['keras']:.3f} | {r['ratio_import']:.2f} | "
                     f"{r['lamina_first_op']:.3f} | {r['keras_first_op']:.3f} | {r['ratio_first_op']:.2f} |")
    lines.append("")
    lines.append(f"Medians of {report['repeats']} interleaved runs in fresh processes, Python start-up "
                 f"({report['python_startup_s']:.3f} s) subtracted; {report['machine']['cpus']} CPUs.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backends", nargs="+", default=["jax", "torch", "tensorflow"])
    args = parser.parse_args(argv)
    report = measure(args.backends, args.repeats)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "import_time.json").write_text(json.dumps(report, indent=1))
    (out / "import_time.md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
