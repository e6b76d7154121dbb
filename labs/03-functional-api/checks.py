"""Public checks of lab 3 (released with the notebook; run them with grader.check("qN"))."""

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name, hint=None):
    """The notebook variable ``name``, or a failure that says which cell to run."""
    if name not in ns:
        raise CheckFailed(f"{name} is not defined: run the question's cell first", hint=hint)
    return ns[name]


def shape_of(t):
    return tuple(None if d is None else int(d) for d in t.shape)


def weights_of(layer):
    return [np.asarray(w, dtype="float64") for w in layer.get_weights()]


def relu(a):
    return np.maximum(a, 0.0)


def numpy_encode(ns, t):
    """The encoder of question 1, computed with NumPy from the layers' weights."""
    w1, b1 = weights_of(need(ns, "encoder_dense"))
    w2, b2 = weights_of(need(ns, "residual_dense"))
    h = relu(t @ w1 + b1)
    return h + relu(h @ w2 + b2)


# -- q1: inputs and the shared encoder ------------------------------------------------------
@check("q1", points=0.5, hint='keras.Input(shape=(64,), name="left")')
def two_named_inputs(ns):
    for var, name in (("left_input", "left"), ("right_input", "right")):
        t = need(ns, var)
        if shape_of(t) != (None, 64):
            raise CheckFailed(f"{var} should take 64 numbers per sample (shape (None, 64)), "
                              f"received shape {shape_of(t)}")
        got = getattr(t, "name", None)
        if got != name:
            raise CheckFailed(f"{var} should be named {name!r}, received {got!r}")


@check("q1", points=0.5, hint='layers.Dense(64, activation="relu", name="encoder")')
def encoder_layers(ns):
    for var, name in (("encoder_dense", "encoder"), ("residual_dense", "encoder_residual")):
        layer = need(ns, var)
        act = getattr(getattr(layer, "activation", None), "__name__", None)
        if type(layer).__name__ != "Dense" or layer.units != 64 or act != "relu" or layer.name != name:
            raise CheckFailed(f"{var} should be Dense(64, activation='relu', name={name!r}), received "
                              f"{type(layer).__name__} {getattr(layer, 'name', '?')!r}")


@check("q1", points=1, hint="encode(t) returns layers.Add()([h, residual_dense(h)]) with h = encoder_dense(t).")
def features_have_64_numbers(ns):
    for var in ("left_features", "right_features"):
        t = need(ns, var)
        if shape_of(t) != (None, 64):
            raise CheckFailed(f"{var} should have shape (None, 64), received {shape_of(t)}")


# -- q2: heads and model --------------------------------------------------------------------
@check("q2", points=1, hint="keras.Model(inputs={'left': ..., 'right': ...}, outputs={'digit': ..., "
                            "'total': ...})")
def model_inputs_and_outputs(ns):
    model = need(ns, "model")
    out = model.predict({"left": np.zeros((2, 64), "float32"), "right": np.zeros((2, 64), "float32")},
                        verbose=0)
    if not isinstance(out, dict) or sorted(out) != ["digit", "total"]:
        kind = sorted(out) if isinstance(out, dict) else type(out).__name__
        raise CheckFailed(f"model should output a dict with keys 'digit' and 'total', received {kind}")
    shapes = {k: np.shape(v) for k, v in out.items()}
    if shapes != {"digit": (2, 10), "total": (2, 1)}:
        raise CheckFailed(f"for 2 pairs the outputs should have shapes digit (2, 10), total (2, 1); received {shapes}")


@check("q2", points=0.5, hint="Create the encoder layers once (question 1) and call them on both inputs.")
def encoder_is_shared(ns):
    n = need(ns, "model").count_params()
    if n != 17291:
        raise CheckFailed(f"model should have 17291 parameters (encoder shared by both inputs), it has {n}")


@check("q2", points=1, hint="digit = Dense(10, softmax) on left_features; the residual adds h to "
                            "residual_dense(h).")
def digit_head_computes_the_right_thing(ns):
    model = need(ns, "model")
    rng = np.random.default_rng(0)
    left = rng.random((4, 64)).astype("float32")
    right = rng.random((4, 64)).astype("float32")
    got = np.asarray(model.predict({"left": left, "right": right}, verbose=0)["digit"], dtype="float64")
    w, b = weights_of(model.get_layer("digit"))
    logits = numpy_encode(ns, left.astype("float64")) @ w + b
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected = e / e.sum(axis=1, keepdims=True)
    if not np.allclose(got, expected, atol=1e-4):
        raise CheckFailed("the digit head does not compute softmax(Dense(encode(left))): check the residual "
                          "connection and which features the head reads")


# -- q3: compile ----------------------------------------------------------------------------
@check("q3", points=1, hint="loss={'digit': 'sparse_categorical_crossentropy', 'total': 'mse'}")
def one_loss_per_output(ns):
    config = need(ns, "model").get_compile_config() or {}
    loss = config.get("loss")
    if loss != {"digit": "sparse_categorical_crossentropy", "total": "mse"}:
        raise CheckFailed(f"the losses should be {{'digit': 'sparse_categorical_crossentropy', 'total': 'mse'}}, "
                          f"received {loss!r}")
    weights = config.get("loss_weights")
    if not isinstance(weights, dict) or {k: float(v) for k, v in weights.items()} != {"digit": 1.0,
                                                                                     "total": 0.05}:
        raise CheckFailed(f"loss_weights should be {{'digit': 1.0, 'total': 0.05}}, received {weights!r}")


@check("q3", points=1, hint="metrics={'digit': ['accuracy'], 'total': ['mae']}")
def metrics_per_output(ns):
    metrics = (need(ns, "model").get_compile_config() or {}).get("metrics")
    norm = {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in (metrics or {}).items()} \
        if isinstance(metrics, dict) else metrics
    if norm != {"digit": ["accuracy"], "total": ["mae"]}:
        raise CheckFailed(f"the metrics should be {{'digit': ['accuracy'], 'total': ['mae']}}, received {metrics!r}")


# -- q4: train ------------------------------------------------------------------------------
@check("q4", points=1, hint="history = model.fit(x, y, epochs=20, batch_size=32, validation_split=0.2)")
def trained_20_epochs(ns):
    h = getattr(need(ns, "history"), "history", None)
    if not isinstance(h, dict):
        raise CheckFailed("history should be what model.fit returns")
    for key in ("val_digit_accuracy", "val_total_mae"):
        if key not in h:
            raise CheckFailed(f"history.history has no {key!r}: did you compile with metrics per output and "
                              f"train with validation_split=0.2? Keys: {sorted(h)}")
    if len(h["loss"]) != 20:
        raise CheckFailed(f"the model should train for 20 epochs, history has {len(h['loss'])}")


@check("q4", points=1, hint='history.history["val_digit_accuracy"][-1]')
def read_both_heads(ns):
    h = need(ns, "history").history
    for var, key in (("val_digit_accuracy", "val_digit_accuracy"), ("val_total_mae", "val_total_mae")):
        got = need(ns, var)
        if abs(float(got) - h[key][-1]) > 1e-6:
            raise CheckFailed(f"{var} should be the last value of history.history[{key!r}], "
                              f"{h[key][-1]:.4f}; received {got!r}")
