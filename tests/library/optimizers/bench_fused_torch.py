"""Steps per second of Adam on a 784-256-256-10 MLP (PyTorch backend): lamina's fused
``torch._foreach_*`` update against its generic per-variable update, and Keras 3.

Not a test: run ``LAMINA_BACKEND=torch KERAS_BACKEND=torch python
tests/library/optimizers/bench_fused_torch.py``.
"""

import os
import time

os.environ.setdefault("LAMINA_BACKEND", "torch")
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import lamina  # noqa: E402
from lamina.backend import impl  # noqa: E402


def _mlp(lib):
    return lib.Sequential([lib.Input((784,)), lib.layers.Dense(256, activation="relu"),
                           lib.layers.Dense(256, activation="relu"), lib.layers.Dense(10)])


def _timed(fn, seconds=2.0):
    for _ in range(20):
        fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def bench(lib, fused=True):
    model = _mlp(lib)
    opt = lib.optimizers.Adam(1e-3)
    variables = model.trainable_variables
    opt.build(variables)
    x = torch.randn(64, 784)
    y = torch.randint(0, 10, (64,))
    grads = [torch.randn(v.shape) * 1e-3 for v in variables]
    if not fused:
        impl.optimizers.fused_update = lambda *a: False
        impl.optimizers.fused_weight_decay = lambda *a: False

    @torch.no_grad()
    def apply_only():
        opt.apply(grads, variables)

    def train_step():
        for v in variables:
            v.value.grad = None
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits, y)
        loss.backward()
        with torch.no_grad():
            opt.apply([v.value.grad for v in variables], variables)

    return _timed(apply_only), _timed(train_step)


def main():
    torch.set_num_threads(1)
    results = {"lamina fused": bench(lamina, fused=True)}
    real_fused, real_wd = impl.optimizers.fused_update, impl.optimizers.fused_weight_decay
    results["lamina generic"] = bench(lamina, fused=False)
    impl.optimizers.fused_update, impl.optimizers.fused_weight_decay = real_fused, real_wd
    try:
        import keras

        results["keras 3 (torch)"] = bench(keras)
    except ImportError:
        pass
    for name, (apply_rate, step_rate) in results.items():
        print(f"{name:16s} optimizer.apply: {apply_rate:8.0f} /s   "
              f"forward+backward+apply: {step_rate:7.0f} steps/s")
    np.testing.assert_(results["lamina fused"][0] > 0)


if __name__ == "__main__":
    main()
