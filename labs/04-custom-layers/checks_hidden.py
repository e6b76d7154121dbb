"""Hidden checks of lab 4 (never released to learners; the grader copies this file when it grades)."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name):
    if name not in ns:
        raise CheckFailed(f"{name} is not defined")
    return ns[name]


def call(ns, layer, x, **kwargs):
    ops = need(ns, "keras").ops
    return np.asarray(ops.convert_to_numpy(layer(ops.convert_to_tensor(x), **kwargs)), dtype="float64")


@check("q1", points=0.5)
def initializers(ns):
    layer = need(ns, "ResidualDense")(32)
    call(ns, layer, np.zeros((1, 32), "float32"))
    w = {v.name.split("/")[-1]: np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in layer.trainable_weights}
    limit = np.sqrt(6.0 / 64)
    if np.any(w["bias"] != 0) or np.abs(w["kernel"]).max() > limit + 1e-6 or np.abs(w["kernel"]).max() < limit / 2:
        raise CheckFailed("the bias should start at zero and the kernel glorot-uniform")


@check("q2", points=0.5)
def no_dropout_rate_means_no_change(ns):
    layer = need(ns, "ResidualDense")(8)
    x = np.random.default_rng(5).normal(size=(16, 8)).astype("float32")
    if not np.allclose(call(ns, layer, x, training=True), call(ns, layer, x, training=False), atol=1e-6):
        raise CheckFailed("with dropout=0 training and inference should give the same output")


@check("q3", points=0.5)
def config_is_json(ns):
    import json

    config = need(ns, "ResidualDense")(4, dropout=0.1).get_config()
    json.dumps(config)


@check("q4", points=1)
def model_learned(ns):
    if not need(ns, "history").history["val_accuracy"][-1] > 0.93:
        raise CheckFailed("after 20 epochs the validation accuracy should be above 0.93")


@check("q5", points=0.5)
def file_saved(ns):
    import os

    if not os.path.isfile("my_model.keras"):
        raise CheckFailed("my_model.keras was not saved")
