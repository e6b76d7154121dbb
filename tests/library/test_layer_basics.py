"""Layer behaviour: lazy build, tracking, training flag, losses, masks, config, errors."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops


class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, x, training=None):
        out = x * self.w * self.factor
        if training:
            out = out + 1.0
        return out

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = [layers.Dense(3, name="first"), {"second": layers.Dense(2, name="second")}]
        self.scale = Scale(name="scale")

    def call(self, x, training=None):
        x = self.inner[0](x)
        x = self.inner[1]["second"](x)
        self.add_loss(ops.sum(x) * 0.0 + 1.5)
        return self.scale(x)


def test_lazy_build_creates_weights_on_first_call():
    layer = Scale()
    assert not layer.built and layer.weights == []
    out = layer(np.ones((2, 4), "float32"))
    assert layer.built
    assert [w.shape for w in layer.weights] == [(4,), ()]
    assert [w.path for w in layer.trainable_weights] == ["scale/w"]
    assert [w.path for w in layer.non_trainable_weights] == ["scale/count"]
    np.testing.assert_allclose(ops.convert_to_numpy(out), 2 * np.ones((2, 4)))


def test_sublayers_in_lists_and_dicts_are_tracked_in_order():
    block = Block()
    block(np.ones((1, 5), "float32"))
    names = [w.path for w in block.weights]
    assert names[:4] == ["block/first/kernel", "block/first/bias", "block/second/kernel",
                         "block/second/bias"]
    assert len(block.weights) == 6 and len(block.trainable_weights) == 5


def test_trainable_false_freezes_everything():
    block = Block()
    block(np.ones((1, 5), "float32"))
    block.trainable = False
    assert block.trainable_weights == []
    assert len(block.non_trainable_weights) == 6
    assert not block.inner[0].trainable


def test_training_flag_propagates_to_sublayers():
    block = Block()
    x = np.ones((1, 5), "float32")
    a = ops.convert_to_numpy(block(x, training=False))
    b = ops.convert_to_numpy(block(x, training=True))
    np.testing.assert_allclose(b - a, np.ones_like(a), rtol=1e-6)


def test_add_loss_collects_and_resets_per_call():
    block = Block()
    block(np.ones((1, 5), "float32"))
    assert len(block.losses) == 1
    block(np.ones((1, 5), "float32"))
    assert len(block.losses) == 1
    np.testing.assert_allclose(float(ops.convert_to_numpy(block.losses[0])), 1.5)


def test_weight_regularizers_join_losses():
    layer = layers.Dense(2, kernel_regularizer=lamina.regularizers.L2(0.5),
                         kernel_initializer="ones")
    layer(np.ones((1, 3), "float32"))
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(ops.convert_to_numpy(layer.losses[0])), 0.5 * 6)


def test_wrong_input_shape_names_the_layer_and_the_shapes():
    layer = layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError) as info:
        layer(np.ones((1, 4), "float32"))
    message = str(info.value)
    assert "dense" in message and "axis -1" in message and "value 3" in message and "(1, 4)" in message


def test_unknown_constructor_argument_is_rejected():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(2, unitz=3)


def test_config_round_trip_and_custom_layer_config():
    layer = Scale(factor=3.0, name="s")
    clone = Scale.from_config(layer.get_config())
    assert clone.factor == 3.0 and clone.name == "s"
    dense = layers.Dense(4, activation="relu", use_bias=False)
    again = layers.Dense.from_config(dense.get_config())
    assert again.get_config() == dense.get_config()


def test_symbolic_call_infers_shapes_without_computing():
    x = lamina.Input((7,))
    y = Block()(x)
    assert y.shape == (None, 2)
    assert Scale().compute_output_shape((None, 3)) == (None, 3)


def test_stateless_call_does_not_touch_the_variables():
    layer = Scale()
    x = np.ones((1, 2), "float32")
    layer(x)
    trainable = [ops.ones((2,)) * 3.0]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    out, _ = layer.stateless_call(trainable, non_trainable, x)
    np.testing.assert_allclose(ops.convert_to_numpy(out), [[6.0, 6.0]])
    np.testing.assert_allclose(layer.w.numpy(), [1.0, 1.0])


def test_mixed_precision_policy_computes_in_float16_and_keeps_float32_weights():
    layer = layers.Dense(2, dtype="mixed_float16")
    out = layer(np.ones((1, 3), "float32"))
    assert lamina.backend.standardize_dtype(out.dtype) == "float16"
    assert layer.kernel.dtype == "float32" and layer.compute_dtype == "float16"


def test_set_weights_checks_count_and_shapes():
    layer = layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="expected 2 weight arrays"):
        layer.set_weights([np.ones((3, 2))])
    with pytest.raises(ValueError, match=r"has shape \(3, 2\)"):
        layer.set_weights([np.ones((2, 2)), np.ones(2)])


def test_count_params_before_build_is_a_clear_error():
    with pytest.raises(ValueError, match="not built"):
        layers.Dense(2).count_params()


def test_numpy_inputs_reach_call_as_backend_tensors():
    # NumPy 2 arrays have a `device` attribute; they must still be converted.
    seen = []

    class Record(lamina.layers.Layer):
        def call(self, x, extra=None):
            seen.append((lamina.ops.is_tensor(x), [lamina.ops.is_tensor(e) for e in extra]))
            return x + lamina.ops.ones_like(x)

    out = Record()(np.ones((2, 3), "float32"), extra=[np.zeros(2, "float32")])
    assert seen == [(True, [True])]
    np.testing.assert_array_equal(lamina.ops.convert_to_numpy(out), np.full((2, 3), 2.0))


@pytest.mark.parametrize("name,cls", [("uniform", "RandomUniform"), ("normal", "RandomNormal"),
                                      ("one", "Ones"), ("zero", "Zeros")])
def test_short_initializer_names_as_in_keras(name, cls):
    assert type(lamina.initializers.get(name)).__name__ == cls
    layer = layers.Dense(2, kernel_initializer=name)
    layer.build((None, 3))
    assert layer.kernel.shape == (3, 2)
