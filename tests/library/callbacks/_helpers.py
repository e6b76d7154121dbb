"""Shared helpers of the callback tests: tiny models, data, and fakes."""

import numpy as np

import lamina


def data(n=16, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    return x, y


def initial_weights(features=3, units=1):
    return [np.full((features, units), 0.1, "float32"), np.zeros((units,), "float32")]


def model(lib=lamina, optimizer=None, lr=0.05, metrics=None, **opt_kwargs):
    m = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    m.set_weights(initial_weights())
    m.compile(optimizer=optimizer or lib.optimizers.SGD(learning_rate=lr, **opt_kwargs),
              loss="mse", metrics=metrics)
    return m


class FakeOptimizer:
    def __init__(self, lr):
        self.learning_rate = lr
        self.name = "fake"


class FakeModel:
    """Enough of a model for direct calls of the hooks (no training)."""

    def __init__(self, lr=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(lr)
        self.weights = [np.zeros(1)]
        self.metrics = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]


def drive_epochs(callback, values, monitor="val_loss", lr=0.1, epochs=None):
    """Calls the hooks for a loss sequence; returns (stopped epoch or None, model, lrs)."""
    fake = FakeModel(lr)
    callback.set_model(fake)
    callback.set_params({"epochs": epochs or len(values), "verbose": 0, "steps": 1})
    callback.on_train_begin()
    lrs = []
    stopped = None
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch)
        fake.weights = [np.array([float(epoch)])]
        callback.on_epoch_end(epoch, {monitor: value})
        lrs.append(float(np.asarray(fake.optimizer.learning_rate)))
        if fake.stop_training:
            stopped = epoch
            break
    callback.on_train_end()
    return stopped, fake, lrs
