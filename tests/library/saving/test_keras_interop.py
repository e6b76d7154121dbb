"""Files saved by Keras 3 load in lamina and the reverse, with identical predictions
and the same HDF5 weight layout (``layers/dense/vars/0``, ``optimizer/vars/0``)."""

import numpy as np
import pytest

import lamina
BACKEND = lamina.backend.backend()
from tests.library.saving.helpers import data, h5_layout

keras = pytest.importorskip("keras")
TRAINS = BACKEND != "numpy"


def _sequential(lib):
    return lib.Sequential([
        lib.Input((3,)),
        lib.layers.Dense(4, activation="relu"),
        lib.layers.Dropout(0.1),
        lib.Sequential([lib.layers.Dense(3, activation="tanh")], name="inner"),
        lib.layers.Dense(2),
    ])


def _functional(lib):
    inputs = lib.Input((3,), name="x")
    shared = lib.layers.Dense(4, activation="relu")
    a = shared(inputs)
    b = shared(lib.ops.multiply(inputs, 2.0))
    merged = lib.ops.concatenate([a, b], axis=-1)
    merged = lib.ops.add(merged, 1.0)
    sub_in = lib.Input((8,))
    nested = lib.Model(sub_in, lib.layers.Dense(3)(sub_in), name="nested")
    h = nested(merged)
    outputs = lib.layers.Dense(2)(lib.ops.relu(h))
    return lib.Model(inputs, outputs)


def _custom_classes(lib):
    """A registered custom layer and a registered subclassed model, in ``lib``."""
    register = lib.saving.register_keras_serializable

    @register(package="interop")
    class Scale(lib.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

        def call(self, x):
            return x * self.scale * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @register(package="interop")
    class Net(lib.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = lib.layers.Dense(4, activation="relu")
            self.blocks = [Scale(0.5), lib.layers.Dense(units)]

        def build(self, input_shape):
            # Explicit build (the symbolic default build of lamina subclassed models is
            # currently very slow, see the saving report).
            self.hidden.build(input_shape)
            shape = tuple(input_shape[:-1]) + (4,)
            for block in self.blocks:
                block.build(shape)

        def call(self, x):
            x = self.hidden(x)
            for block in self.blocks:
                x = block(x)
            return x

        def get_config(self):
            return {"units": self.units, "name": self.name}

    return Scale, Net


def _custom_functional(lib):
    Scale, _ = _custom_classes(lib)
    inputs = lib.Input((3,))
    return lib.Model(inputs, lib.layers.Dense(2)(Scale(2.0)(inputs)))


def _subclassed(lib):
    _, Net = _custom_classes(lib)
    model = Net(units=2)
    model(np.zeros((1, 3), "float32"))
    return model


BUILDERS = {"sequential": _sequential, "functional": _functional,
            "custom_layer": _custom_functional, "subclassed": _subclassed}


def _randomize(model, seed=1):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])


def _train(model, lib):
    if TRAINS:
        x, y = data()
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=1, batch_size=3, verbose=0, shuffle=False)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_keras_file_loads_in_lamina(kind, tmp_path):
    x, _ = data()
    model = BUILDERS[kind](keras)
    _randomize(model)
    _train(model, keras)
    path = tmp_path / "k.keras"
    model.save(path)
    _custom_classes(lamina)
    restored = lamina.models.load_model(path)
    np.testing.assert_allclose(np.asarray(restored.predict(x, verbose=0)),
                               np.asarray(model.predict(x, verbose=0)), rtol=1e-5, atol=1e-6)
    assert len(restored.weights) == len(model.weights)
    if TRAINS:
        assert int(np.asarray(restored.optimizer.iterations)) == 2
        for mine, theirs in zip(restored.optimizer.variables, model.optimizer.variables):
            np.testing.assert_allclose(np.asarray(mine), keras.ops.convert_to_numpy(theirs),
                                       rtol=1e-6)
    # Saving it again gives Keras's layout exactly: same datasets, shapes and names.
    again = tmp_path / "again.keras"
    restored.save(again)
    assert h5_layout(again)[0] == h5_layout(path)[0]
    if kind != "subclassed":  # sub-layers of a subclassed model get fresh automatic names
        assert h5_layout(again)[1] == h5_layout(path)[1]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_lamina_file_loads_in_keras(kind, tmp_path):
    x, _ = data()
    model = BUILDERS[kind](lamina)
    _randomize(model)
    _train(model, lamina)
    path = tmp_path / "l.keras"
    model.save(path)
    _custom_classes(keras)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(restored.predict(x, verbose=0)),
                               np.asarray(model.predict(x, verbose=0)), rtol=1e-5, atol=1e-6)
    if TRAINS:
        assert int(keras.ops.convert_to_numpy(restored.optimizer.iterations)) == 2
    keras_copy = tmp_path / "k.keras"
    restored.save(keras_copy)
    assert h5_layout(keras_copy)[0] == h5_layout(path)[0]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_same_architecture_same_layout(kind, tmp_path):
    """Built independently in each library, the weight files have the same paths and shapes."""
    mine, theirs = BUILDERS[kind](lamina), BUILDERS[kind](keras)
    _train(mine, lamina)
    _train(theirs, keras)
    mine.save(tmp_path / "l.keras")
    theirs.save(tmp_path / "k.keras")
    assert h5_layout(tmp_path / "l.keras")[0] == h5_layout(tmp_path / "k.keras")[0]


def test_weights_file_interop(tmp_path):
    x, _ = data()
    theirs, mine = _functional(keras), _functional(lamina)
    _randomize(theirs)
    theirs.save_weights(tmp_path / "k.weights.h5")
    mine.load_weights(tmp_path / "k.weights.h5")
    np.testing.assert_allclose(np.asarray(mine.predict(x, verbose=0)),
                               keras.ops.convert_to_numpy(theirs.predict(x, verbose=0)), rtol=1e-5)
    _randomize(mine, seed=3)
    mine.save_weights(tmp_path / "l.weights.h5")
    theirs.load_weights(tmp_path / "l.weights.h5")
    np.testing.assert_allclose(np.asarray(mine.predict(x, verbose=0)),
                               keras.ops.convert_to_numpy(theirs.predict(x, verbose=0)), rtol=1e-5)


def test_functional_config_matches_keras():
    """The functional config has Keras's structure, op nodes included."""
    mine, theirs = _functional(lamina).get_config(), _functional(keras).get_config()

    def shape(config):
        # Layer order may differ (Keras sorts by depth); names carry global counters.
        return sorted(repr((layer["class_name"], layer["module"],
                            [[_refs(a) for a in node["args"]] for node in layer["inbound_nodes"]]))
                      for layer in config["layers"])

    assert shape(mine) == shape(theirs)
    assert mine["input_layers"] == theirs["input_layers"] == ["x", 0, 0]
    assert mine["output_layers"][1:] == theirs["output_layers"][1:]
    ops = {layer["class_name"]: layer["config"] for layer in mine["layers"]
           if layer["module"].startswith("keras.src.ops")}
    assert ops["Concatenate"]["axis"] == -1


def _refs(x):
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        return tuple(x["config"]["keras_history"][1:])
    if isinstance(x, list):
        return [_refs(v) for v in x]
    return x
