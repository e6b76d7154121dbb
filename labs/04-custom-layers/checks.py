"""Public checks of lab 4 (released with the notebook; run them with grader.check("qN"))."""

import os
import tempfile

import numpy as np

from lamina_grader.checks import CheckFailed, check


def need(ns, name, hint=None):
    """The notebook variable ``name``, or a failure that says which cell to run."""
    if name not in ns:
        raise CheckFailed(f"{name} is not defined: run the question's cell first", hint=hint)
    return ns[name]


def run_layer(ns, layer, x, **kwargs):
    """Calls ``layer`` on NumPy ``x`` (as a tensor of the notebook's backend) and returns NumPy."""
    ops = need(ns, "keras").ops
    return np.asarray(ops.convert_to_numpy(layer(ops.convert_to_tensor(x), **kwargs)), dtype="float64")


def inputs(n=4, units=8, seed=0):
    return np.random.default_rng(seed).normal(size=(n, units)).astype("float32")


def expected_output(layer, x):
    weights = {w.name.split("/")[-1]: np.asarray(w.numpy() if hasattr(w, "numpy") else w, dtype="float64")
               for w in layer.trainable_weights}
    return x + np.maximum(x @ weights["kernel"] + weights["bias"], 0.0)


def weight_summary(layer):
    return sorted((w.name.split("/")[-1], tuple(int(d) for d in w.shape)) for w in layer.trainable_weights)


# -- q1: __init__ and build -----------------------------------------------------------------
@check("q1", points=1, hint='self.add_weight(name="kernel", shape=(self.units, self.units), '
                            'initializer="glorot_uniform") in build')
def weights_created_in_build(ns):
    cls = need(ns, "ResidualDense")
    layer = cls(8)
    if layer.trainable_weights:
        raise CheckFailed("ResidualDense should create its weights in build, not in __init__")
    run_layer(ns, layer, inputs())
    got = weight_summary(layer)
    if got != [("bias", (8,)), ("kernel", (8, 8))]:
        raise CheckFailed(f"ResidualDense(8) should have the weights kernel (8, 8) and bias (8,), received {got}")


@check("q1", points=1, hint="Compare input_shape[-1] with self.units in build; check units and dropout "
                            "in __init__.")
def bad_settings_raise_value_errors(ns):
    cls = need(ns, "ResidualDense")
    for kwargs in ({"units": 0}, {"units": 8, "dropout": 1.5}):
        try:
            cls(**kwargs)
        except ValueError:
            pass
        else:
            raise CheckFailed(f"ResidualDense({', '.join(f'{k}={v}' for k, v in kwargs.items())}) should "
                              "raise a ValueError")
    try:
        run_layer(ns, cls(16), inputs(units=8))
    except ValueError as exc:
        if "16" not in str(exc) or "8" not in str(exc):
            raise CheckFailed(f"the error of ResidualDense(16) on 8 features should say both sizes, "
                              f"received: {exc}") from None
    else:
        raise CheckFailed("ResidualDense(16) called on inputs with 8 features should raise a ValueError")


# -- q2: call and training -----------------------------------------------------------------
@check("q2", points=1, hint="return inputs + keras.ops.relu(keras.ops.matmul(inputs, self.kernel) + self.bias)")
def output_is_inputs_plus_correction(ns):
    layer = need(ns, "ResidualDense")(8, dropout=0.5)
    x = inputs()
    got = run_layer(ns, layer, x)
    if got.shape != (4, 8):
        raise CheckFailed(f"the output should have the shape of the inputs (4, 8), received {got.shape}")
    if not np.allclose(got, expected_output(layer, x.astype("float64")), atol=1e-5):
        raise CheckFailed("the output should be inputs + relu(inputs @ kernel + bias) when not training")


@check("q2", points=1, hint="if training and self.dropout > 0: h = keras.random.dropout(h, self.dropout, "
                            "seed=self.seed_generator)")
def dropout_only_in_training(ns):
    layer = need(ns, "ResidualDense")(8, dropout=0.5, seed=1)
    x = inputs(n=64)
    inference = run_layer(ns, layer, x, training=False)
    training = run_layer(ns, layer, x, training=True)
    h = inference - x
    kept = training - x
    if np.allclose(inference, training, atol=1e-6):
        raise CheckFailed("with training=True and dropout=0.5 some of the correction should be dropped")
    ok = np.isclose(kept, 0.0, atol=1e-5) | np.isclose(kept, h / 0.5, atol=1e-4)
    if not ok.all():
        raise CheckFailed("in training each correction value should be dropped (0) or scaled by 1 / (1 - dropout)")


# -- q3: get_config and registration --------------------------------------------------------
@check("q3", points=1, hint="config = super().get_config(); config.update(units=..., dropout=..., seed=...)")
def config_round_trip(ns):
    cls = need(ns, "ResidualDense")
    layer = cls(8, dropout=0.25, seed=3, name="block")
    config = layer.get_config()
    got = {k: config.get(k) for k in ("units", "dropout", "seed", "name")}
    if got != {"units": 8, "dropout": 0.25, "seed": 3, "name": "block"}:
        raise CheckFailed(f"get_config should hold units, dropout, seed and name; received {got}")
    again = cls.from_config(config)
    if (again.units, again.dropout, again.name) != (8, 0.25, "block"):
        raise CheckFailed("ResidualDense.from_config(layer.get_config()) should make the same layer")


@check("q3", points=1, hint='@keras.saving.register_keras_serializable(package="lab04") above the class, '
                            'and get_config with every argument of __init__')
def layer_survives_save_and_load(ns):
    keras, cls = need(ns, "keras"), need(ns, "ResidualDense")
    name = keras.saving.get_registered_name(cls)
    if name != "lab04>ResidualDense":
        raise CheckFailed(f"ResidualDense should be registered as 'lab04>ResidualDense', it is {name!r}")
    model = keras.Sequential([keras.Input(shape=(8,)), cls(8, dropout=0.1, name="block")])
    x = inputs()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "layer_check.keras")
        model.save(path)
        again = keras.models.load_model(path)
    layer = again.layers[-1]
    if type(layer).__name__ != "ResidualDense" or getattr(layer, "dropout", None) != 0.1:
        raise CheckFailed("a saved model with ResidualDense(8, dropout=0.1) should load back with the same layer")
    if not np.allclose(model.predict(x, verbose=0), again.predict(x, verbose=0), atol=1e-6):
        raise CheckFailed("the loaded layer should give the same outputs (same weights)")


# -- q4: the model --------------------------------------------------------------------------
@check("q4", points=1, hint="Dense(64, relu), ResidualDense(64, dropout=0.2) twice, Dense(10, softmax)")
def model_uses_two_blocks(ns):
    model = need(ns, "model")
    kinds = [type(layer).__name__ for layer in model.layers]
    if kinds != ["Dense", "ResidualDense", "ResidualDense", "Dense"]:
        raise CheckFailed(f"the layers should be Dense, ResidualDense, ResidualDense, Dense; received {kinds}")
    rates = [layer.dropout for layer in model.layers[1:3]]
    if rates != [0.2, 0.2]:
        raise CheckFailed(f"both blocks should have dropout=0.2, received {rates}")
    if model.count_params() != 13130:
        raise CheckFailed(f"model should have 13130 parameters, it has {model.count_params()}")


@check("q4", points=1, hint="history = model.fit(x, y, epochs=20, batch_size=32, validation_split=0.2)")
def model_trained(ns):
    h = getattr(need(ns, "history"), "history", None)
    if not isinstance(h, dict) or "val_accuracy" not in h:
        raise CheckFailed("history should be what fit returns, with validation_split=0.2")
    if len(h["loss"]) != 20:
        raise CheckFailed(f"the model should train for 20 epochs, history has {len(h['loss'])}")


# -- q5: save and load ----------------------------------------------------------------------
@check("q5", points=1, hint='reloaded = keras.models.load_model("my_model.keras")')
def reloaded_model_predicts_the_same(ns):
    model, reloaded = need(ns, "model"), need(ns, "reloaded")
    if reloaded is model:
        raise CheckFailed("reloaded should be loaded from the file, not the same object as model")
    if "ResidualDense" not in [type(layer).__name__ for layer in reloaded.layers]:
        raise CheckFailed("reloaded should contain your ResidualDense layers")
    x = np.asarray(need(ns, "x"))[:32]
    if not np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0), atol=1e-6):
        raise CheckFailed("reloaded should give the same predictions as model")
