"""The course's first model, trained through lamina and through Keras 3 on each backend.

Steady-state training speed: samples per second over epochs 2..N (epoch 1 is
warm-up: compilation, first-call building). Each run is a fresh process, runs
alternate between lamina and Keras, and the median of the repeats is reported
with the ratio lamina / Keras (above 1 means lamina is faster).

Usage: ``python bench/seed_mlp.py [--repeats 3] [--epochs 4] [--backends jax torch tensorflow]``
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent

JOB = r"""
import json, sys, time
import numpy as np
from sklearn.datasets import load_digits
lib = __import__(sys.argv[1])
epochs, batch_size = int(sys.argv[2]), int(sys.argv[3])
x, y = load_digits(return_X_y=True)
x = (x / 16.0).astype("float32"); y = y.astype("int32")
x = np.concatenate([x] * 4); y = np.concatenate([y] * 4)
model = lib.Sequential([lib.Input((64,)), lib.layers.Dense(64, activation="relu"),
                        lib.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

class Timer(lib.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.start)

times = []
model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[Timer()])
steady = sum(times[1:])
start = time.perf_counter()
model.predict(x, batch_size=256, verbose=0)
predict = time.perf_counter() - start
print("RESULT " + json.dumps({"train_samples_per_s": len(x) * (epochs - 1) / steady,
                              "first_epoch_s": times[0], "predict_samples_per_s": len(x) / predict}))
"""


def run(lib, backend, epochs, batch_size):
    env = dict(os.environ, LAMINA_BACKEND=backend, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", JOB, lib, str(epochs), str(batch_size)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{lib} on {backend} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.split("RESULT ", 1)[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--backends", nargs="+", default=["jax", "torch", "tensorflow"])
    args = parser.parse_args(argv)
    report = {"workload": "digits x4 (7188 samples), Dense(64, relu) + Dense(10, softmax), adam, "
                          f"batch {args.batch_size}", "repeats": args.repeats, "backends": {},
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count()}}
    for backend in args.backends:
        samples = {"lamina": [], "keras": []}
        for _ in range(args.repeats):
            for lib in ("lamina", "keras"):
                samples[lib].append(run(lib, backend, args.epochs, args.batch_size))
        row = {}
        for lib, runs in samples.items():
            for key in runs[0]:
                row[f"{lib}_{key}"] = statistics.median(r[key] for r in runs)
        row["train_ratio"] = row["lamina_train_samples_per_s"] / row["keras_train_samples_per_s"]
        row["predict_ratio"] = row["lamina_predict_samples_per_s"] / row["keras_predict_samples_per_s"]
        report["backends"][backend] = row
        print(f"{backend}: lamina {row['lamina_train_samples_per_s']:.0f} samples/s, keras "
              f"{row['keras_train_samples_per_s']:.0f} samples/s, ratio {row['train_ratio']:.2f}; "
              f"predict ratio {row['predict_ratio']:.2f}", flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "seed_mlp.json").write_text(json.dumps(report, indent=1))
    (out / "seed_mlp.md").write_text(markdown(report))


def markdown(report):
    """The seed-MLP table for the site (targets of the layers-and-training issue)."""
    lines = [
        "## The course's first model (seed MLP)", "",
        f"{report['workload']}; median of {report['repeats']} interleaved fresh-process runs "
        f"per library ({report['machine']['platform']}, {report['machine']['cpus']} CPUs). "
        "Target: lamina at least as fast as Keras 3 on every backend, and 2x on torch.", "",
        "| backend | lamina train samples/s | Keras train samples/s | train ratio | predict ratio | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for backend, row in report["backends"].items():
        need = 2.0 if backend == "torch" else 1.0
        verdict = "met" if row["train_ratio"] >= need else "missed"
        lines.append(f"| {backend} | {row['lamina_train_samples_per_s']:,.0f} | "
                     f"{row['keras_train_samples_per_s']:,.0f} | {row['train_ratio']:.2f} | "
                     f"{row['predict_ratio']:.2f} | {verdict} (>= {need:g}) |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
