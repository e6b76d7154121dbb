"""Training against real Keras 3 on the same backend: same weights, same data,
same per-epoch losses and metrics (rtol 1e-4 after 3 epochs)."""

import numpy as np
import pytest

import lamina

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.training

OPTIMIZERS = {
    "sgd": ("SGD", {"learning_rate": 0.05}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    "adam": ("Adam", {"learning_rate": 0.01}),
    "adamw": ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.01}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_centered": ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    "adam_schedule": ("Adam", {"learning_rate": ("ExponentialDecay", {
        "initial_learning_rate": 0.01, "decay_steps": 3, "decay_rate": 0.5})}),
}

# loss name, its kwargs, output units, output activation, target kind, metrics
LOSSES = {
    "mse": ("MeanSquaredError", {}, 3, None, "regression", ["mae"]),
    "mae": ("MeanAbsoluteError", {}, 3, None, "regression", ["mse"]),
    "huber": ("Huber", {"delta": 0.5}, 3, None, "regression", ["mae"]),
    "bce": ("BinaryCrossentropy", {}, 1, "sigmoid", "binary", ["accuracy"]),
    "bce_logits": ("BinaryCrossentropy", {"from_logits": True}, 1, None, "binary", ["accuracy"]),
    "cce": ("CategoricalCrossentropy", {}, 4, "softmax", "onehot", ["accuracy"]),
    "cce_logits": ("CategoricalCrossentropy", {"from_logits": True}, 4, None, "onehot", ["accuracy"]),
    "scce": ("SparseCategoricalCrossentropy", {}, 4, "softmax", "sparse", ["accuracy"]),
    "scce_logits": ("SparseCategoricalCrossentropy", {"from_logits": True}, 4, None, "sparse",
                    ["accuracy"]),
}


def _data(kind, n=48, features=6, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    w = rng.normal(size=(features, 4)).astype("float32")
    scores = x @ w
    if kind == "regression":
        return x, scores[:, :3].astype("float32")
    if kind == "binary":
        return x, (scores[:, :1] > 0).astype("float32")
    labels = scores.argmax(axis=1)
    if kind == "sparse":
        return x, labels.astype("int32")
    return x, np.eye(4, dtype="float32")[labels]


def _optimizer(lib, name):
    cls_name, kwargs = OPTIMIZERS[name]
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, tuple):
        kwargs["learning_rate"] = getattr(lib.optimizers.schedules, lr[0])(**lr[1])
    return getattr(lib.optimizers, cls_name)(**kwargs)


def _mlp(lib, units, activation, features=6):
    return lib.Sequential([
        lib.Input((features,)),
        lib.layers.Dense(8, activation="relu"),
        lib.layers.Dense(units, activation=activation),
    ])


def _fit_both(build, compile_kwargs, x, y, epochs=3, **fit_kwargs):
    lamina.utils.set_random_seed(1)
    ours = build(lamina)
    theirs = build(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(**compile_kwargs(lamina))
    theirs.compile(**compile_kwargs(keras))
    h1 = ours.fit(x, y, epochs=epochs, batch_size=16, shuffle=False, verbose=0, **fit_kwargs)
    h2 = theirs.fit(x, y, epochs=epochs, batch_size=16, shuffle=False, verbose=0, **fit_kwargs)
    return ours, theirs, h1.history, h2.history


def _assert_same_history(ours, theirs):
    assert sorted(ours) == sorted(theirs), (sorted(ours), sorted(theirs))
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_optimizers_match_keras(optimizer):
    x, y = _data("sparse")

    def compile_kwargs(lib):
        return {"optimizer": _optimizer(lib, optimizer),
                "loss": lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                "metrics": ["accuracy"]}

    _, _, ours, theirs = _fit_both(lambda lib: _mlp(lib, 4, None), compile_kwargs, x, y)
    _assert_same_history(ours, theirs)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_losses_match_keras(loss):
    cls_name, kwargs, units, activation, kind, metrics = LOSSES[loss]
    x, y = _data(kind)

    def compile_kwargs(lib):
        return {"optimizer": lib.optimizers.Adam(0.01),
                "loss": getattr(lib.losses, cls_name)(**kwargs), "metrics": metrics}

    _, _, ours, theirs = _fit_both(lambda lib: _mlp(lib, units, activation), compile_kwargs, x, y)
    _assert_same_history(ours, theirs)


def test_string_identifiers_and_validation_split_match_keras():
    x, y = _data("sparse", n=60)

    def compile_kwargs(lib):
        return {"optimizer": "adam", "loss": "sparse_categorical_crossentropy",
                "metrics": ["accuracy"]}

    _, _, ours, theirs = _fit_both(lambda lib: _mlp(lib, 4, "softmax"), compile_kwargs, x, y,
                                   validation_split=0.25)
    _assert_same_history(ours, theirs)


def _two_in_two_out(lib):
    a = lib.Input((4,), name="a")
    b = lib.Input((3,), name="b")
    shared = lib.layers.Dense(5, activation="relu", name="shared")
    merged = lib.ops.concatenate([shared(lib.ops.concatenate([a, a[:, :1] * 0.0 + 1.0, b[:, :0]], -1)[:, :4]),
                                  lib.layers.Dense(5, name="b_proj")(b)], axis=-1)
    hidden = lib.layers.Dense(6, activation="tanh", name="hidden")(merged)
    cls = lib.layers.Dense(3, activation="softmax", name="cls")(hidden)
    reg = lib.layers.Dense(1, name="reg")(hidden)
    return lib.Model(inputs={"a": a, "b": b}, outputs={"cls": cls, "reg": reg})


def _two_output_data(n):
    rng = np.random.default_rng(3)
    x = {"a": rng.normal(size=(n, 4)).astype("float32"), "b": rng.normal(size=(n, 3)).astype("float32")}
    y = {"cls": rng.integers(0, 3, size=(n,)).astype("int32"),
         "reg": rng.normal(size=(n, 1)).astype("float32")}
    return x, y


def _two_output_compile(lib):
    return {"optimizer": lib.optimizers.Adam(0.01),
            "loss": {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
            "loss_weights": {"cls": 1.0, "reg": 0.5},
            "metrics": {"cls": ["accuracy"], "reg": ["mae"]}}


def test_functional_two_inputs_two_outputs_match_keras():
    # 48 samples in batches of 16: Keras's TensorFlow backend counts the per-output
    # losses of a partial last batch as one sample each, so whole batches are compared.
    x, y = _two_output_data(48)
    _, _, ours, theirs = _fit_both(_two_in_two_out, _two_output_compile, x, y)
    _assert_same_history(ours, theirs)


def test_per_output_losses_add_up_to_the_total_with_a_partial_batch():
    x, y = _two_output_data(40)
    lamina.utils.set_random_seed(2)
    model = _two_in_two_out(lamina)
    model.compile(**_two_output_compile(lamina))
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0).history
    combined = np.array(history["cls_loss"]) + 0.5 * np.array(history["reg_loss"])
    np.testing.assert_allclose(history["loss"], combined, rtol=1e-5)
