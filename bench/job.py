"""One benchmark run in a fresh process: one implementation, one backend, one workload.

Prints one line ``RESULT {json}`` with: ``import_s`` (import and first op),
``first_step_s`` (from before the import to the end of the first training step:
import, model building, compilation and one step), ``epoch_s`` (warm-up epoch,
then the timed epoch) and ``epoch_cpu_s`` (the CPU seconds of all the process's
threads in them), ``train_samples_per_s`` (the epoch after the warm-up epoch; per
CPU second: ``train_samples_per_cpu_s``), ``predict_samples_per_s`` (the second ``predict`` over the data; the
first, cold one is ``predict_first_s``), ``peak_rss_mb`` (the process's
``ru_maxrss``) and the epoch-mean losses, so the implementations can be checked
to train the same model.

Usage (the backend comes from ``LAMINA_BACKEND``/``KERAS_BACKEND``):
``python bench/job.py lamina|keras|raw WORKLOAD [--size full|quick|smoke]``

Example:
    $ LAMINA_BACKEND=torch python bench/job.py raw tiny --size smoke
"""

import argparse
import importlib
import json
import os
import resource
import sys
import time

import numpy as np

import workloads


class KerasApiRunner:
    """Drives a workload through ``model.fit``/``predict`` of a module with the Keras API."""

    def __init__(self, keras, name, x, y, settings):
        self.keras, self.x, self.y = keras, x, y
        self.batch_size = settings["batch_size"]
        self.model = workloads.build_model(keras, name)

    def first_step(self):
        bs = self.batch_size
        history = self.model.fit(self.x[:bs], self.y[:bs], batch_size=bs, epochs=1, verbose=0,
                                 shuffle=False)
        return float(history.history["loss"][0])

    def train(self, epochs):
        times, losses = [], []

        class EpochTimer(self.keras.callbacks.Callback):
            # Only epoch hooks: no per-batch callback that would force a host sync. Reading the
            # loss at the epoch's end makes sure the epoch's work has finished before the clock.
            def on_epoch_begin(self, epoch, logs=None):
                self.start = workloads.clock()

            def on_epoch_end(self, epoch, logs=None):
                losses.append(float(logs["loss"]))
                times.append(workloads.since(self.start))

        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=epochs, verbose=0,
                       callbacks=[EpochTimer()])
        return times, losses

    def predict(self):
        return np.asarray(self.model.predict(self.x, batch_size=self.batch_size, verbose=0))


def first_op(impl, backend):
    """Imports the implementation and runs one small op, so a lazy framework import is counted."""
    if impl in ("lamina", "keras"):
        module = importlib.import_module(impl)
        np.asarray(module.ops.add(np.ones(2, "float32"), 1.0))
        return module
    module = importlib.import_module(f"raw_{backend}")
    module.first_op()
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("impl", choices=["lamina", "keras", "raw"])
    parser.add_argument("workload", choices=sorted(workloads.WORKLOADS))
    parser.add_argument("--size", default="full", choices=["full", "quick", "smoke"])
    parser.add_argument("--epochs", type=int, default=2, help="warm-up epoch(s), then the timed one")
    args = parser.parse_args(argv)
    backend = os.environ.get("LAMINA_BACKEND", "jax")
    (x, y), settings = workloads.make_data(args.workload, args.size)

    start = time.perf_counter()
    module = first_op(args.impl, backend)
    import_s = time.perf_counter() - start
    if args.impl in ("lamina", "keras"):
        missing = workloads.missing_layers(module, args.workload)
        if missing:
            print("RESULT " + json.dumps({"missing": missing}), flush=True)
            return
        runner = KerasApiRunner(module, args.workload, x, y, settings)
    else:
        runner = module.Runner(args.workload, x, y, settings)
    first_loss = runner.first_step()
    first_step_s = time.perf_counter() - start

    times, losses = runner.train(args.epochs)  # [(wall, cpu)] per epoch
    predict_times = []
    for _ in range(2):
        t = time.perf_counter()
        out = runner.predict()
        predict_times.append(time.perf_counter() - t)
    expected = (len(x), 1 if args.workload == "lstm" else 10)
    if out.shape != expected:
        raise RuntimeError(f"{args.impl} predict on {args.workload}: expected shape {expected}, "
                           f"received {out.shape}")
    n = len(x)
    result = {
        "import_s": import_s,
        "first_step_s": first_step_s,
        "first_loss": first_loss,
        "epoch_s": [wall for wall, _ in times],
        "epoch_cpu_s": [cpu for _, cpu in times],
        "losses": losses,
        "train_samples_per_s": n / times[-1][0],
        "train_samples_per_cpu_s": n / times[-1][1],
        "predict_first_s": predict_times[0],
        "predict_samples_per_s": n / predict_times[-1],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
