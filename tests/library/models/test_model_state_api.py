"""get_state_tree/set_state_tree (against Keras's paths), run_eagerly/jit_compile
properties, supports_masking/input_spec, and the save_own_variables hooks."""

import numpy as np
import pytest

import lamina


def _flat(nested, prefix=""):
    out = {}
    for key, value in nested.items():
        path = f"{prefix}/{key}" if prefix else key
        out.update(_flat(value, path) if isinstance(value, dict) else {path: value})
    return out


def _model(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2, name="d1"),
                            lib.layers.BatchNormalization(name="bn")], name="seq")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


@pytest.mark.training
def test_state_tree_has_keras_paths_and_round_trips():
    keras = pytest.importorskip("keras")
    ours, theirs = _model(lamina), _model(keras)
    x = np.ones((4, 3), "float32")
    ours.fit(x, np.zeros((4, 2), "float32"), verbose=0)
    theirs.fit(x, np.zeros((4, 2), "float32"), verbose=0)
    tree = ours.get_state_tree("numpy_array")
    reference = theirs.get_state_tree("numpy_array")
    for group in ("trainable_variables", "non_trainable_variables", "metrics_variables"):
        assert sorted(_flat(tree[group])) == sorted(_flat(reference[group])), group
    assert len(_flat(tree["optimizer_variables"])) == len(_flat(reference["optimizer_variables"]))
    kernel = tree["trainable_variables"]["seq"]["d1"]["kernel"]
    assert isinstance(kernel, np.ndarray) and kernel.shape == (3, 2)

    lamina.backend.clear_session()  # the new optimizer is named "adam" again, as in the tree
    other = _model(lamina)
    other.fit(x, np.zeros((4, 2), "float32"), verbose=0, epochs=1)
    other.set_state_tree(tree)
    for path, value in _flat(other.get_state_tree("numpy_array")).items():
        np.testing.assert_array_equal(value, _flat(tree)[path], err_msg=path)
    with pytest.raises(ValueError, match="no trainable variable at path 'seq/d1/nope'"):
        other.set_state_tree({"trainable_variables": {"seq": {"d1": {"nope": kernel}}}})
    with pytest.raises(ValueError, match="value_format"):
        other.get_state_tree("lists")


def test_run_eagerly_and_jit_compile_are_properties_that_reset_steps():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(loss="mse", run_eagerly=True)
    assert model.run_eagerly is True
    model.predict_function = object()
    model.run_eagerly = False
    assert model.run_eagerly is False and model.predict_function is None
    model.jit_compile = False
    assert model.jit_compile is False


def test_supports_masking_class_attribute_and_input_spec_property():
    class Passes(lamina.layers.Layer):
        supports_masking = True

        def call(self, x):
            return x

    class Plain(lamina.layers.Layer):
        def call(self, x):
            return x

    assert Passes().supports_masking is True
    assert Plain().supports_masking is False
    layer = Plain()
    layer.supports_masking = True
    layer.input_spec = lamina.layers.InputSpec(ndim=2)
    assert layer.supports_masking and layer.input_spec.ndim == 2
    with pytest.raises(ValueError, match="plain"):
        layer(np.zeros((2, 3, 4), "float32"))


def test_save_own_variables_defaults_and_super_calls(tmp_path):
    @lamina.saving.register_keras_serializable(package="state_api_test")
    class Scaled(lamina.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return x * self.w

        def save_own_variables(self, store):
            super().save_own_variables(store)
            store["note"] = np.array([7.0])

        def load_own_variables(self, store):
            assert float(np.asarray(store["note"])[0]) == 7.0
            self.w.assign(store["0"])

    dense = lamina.layers.Dense(2)
    dense.build((None, 3))
    store = {}
    dense.save_own_variables(store)
    assert sorted(store) == ["0", "1"] and store["0"].shape == (3, 2)
    fresh = lamina.layers.Dense(2)
    fresh.build((None, 3))
    fresh.load_own_variables(store)
    np.testing.assert_array_equal(fresh.kernel.numpy(), store["0"])
    with pytest.raises(ValueError, match="has 2 variables of its own, but the store holds 1"):
        fresh.load_own_variables({"0": store["0"]})

    model = lamina.Sequential([lamina.Input((2,)), Scaled()])
    model.layers[0].w.assign(np.array([2.0, 3.0], "float32"))
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = lamina.saving.load_model(path)
    np.testing.assert_array_equal(loaded.layers[0].w.numpy(), [2.0, 3.0])
