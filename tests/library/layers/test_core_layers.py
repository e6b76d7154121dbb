"""The core layers of the first issues through the layer-test harness."""

import numpy as np
import pytest

import lamina
from lamina import layers

from .harness import check_layer


def _dense_ref(activation=lambda z: z):
    def ref(x, weights):
        kernel, bias = weights[0], weights[1] if len(weights) > 1 else 0.0
        return activation(x @ kernel + bias)

    return ref


@pytest.mark.parametrize("kwargs,shape,activation", [
    ({"units": 4}, (2, 3), lambda z: z),
    ({"units": 3, "activation": "relu"}, (8, 5), lambda z: np.maximum(z, 0)),
    ({"units": 3, "use_bias": False, "activation": "tanh"}, (2, 4, 3), np.tanh),
    ({"units": 1, "kernel_initializer": "he_normal", "bias_initializer": "ones"}, (4, 2), lambda z: z),
])
def test_dense(kwargs, shape, activation):
    check_layer(layers.Dense, kwargs, shape, reference=_dense_ref(activation))


@pytest.mark.parametrize("activation,fn", [
    ("relu", lambda z: np.maximum(z, 0)),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
    ("softmax", lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True)),
])
def test_activation(activation, fn):
    check_layer(layers.Activation, {"activation": activation}, (2, 4),
                reference=lambda x, w: fn(x))


def test_identity():
    check_layer(layers.Identity, {}, (2, 3), reference=lambda x, w: x)


@pytest.mark.parametrize("kwargs", [{"rate": 0.5}, {"rate": 0.25, "noise_shape": (None, 1)}])
def test_dropout_is_identity_at_inference_and_scales_in_training(kwargs):
    check_layer(layers.Dropout, kwargs, (4, 6), reference=lambda x, w: x)
    layer = layers.Dropout(**kwargs, seed=3)
    x = np.ones((4, 6), "float32")
    out = lamina.ops.convert_to_numpy(layer(x, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - kwargs["rate"]), rtol=1e-6)
    if "noise_shape" in kwargs:
        assert all(len(set(row)) == 1 for row in kept)


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 5), (3, 2, 2, 2)])
def test_flatten(shape):
    check_layer(layers.Flatten, {}, shape, reference=lambda x, w: x.reshape(x.shape[0], -1))


def test_flatten_channels_first_moves_channels_last():
    check_layer(layers.Flatten, {"data_format": "channels_first"}, (2, 3, 4),
                reference=lambda x, w: np.transpose(x, (0, 2, 1)).reshape(2, -1))


@pytest.mark.parametrize("target,shape", [((3, 4), (2, 12)), ((-1, 2), (2, 3, 4)), ((6,), (2, 2, 3))])
def test_reshape(target, shape):
    check_layer(layers.Reshape, {"target_shape": target}, shape,
                reference=lambda x, w: x.reshape((x.shape[0],) + tuple(
                    d if d != -1 else int(np.prod(x.shape[1:]) // np.prod([t for t in target if t != -1]))
                    for d in target)))


def test_reshape_rejects_impossible_targets():
    with pytest.raises(ValueError, match="cannot reshape"):
        layers.Reshape((5,))(np.ones((2, 12), "float32"))


def test_input_layer_config_round_trip():
    layer = layers.InputLayer(shape=(3,), name="pixels")
    assert layers.InputLayer.from_config(layer.get_config()).get_config() == layer.get_config()
    assert layer.output.shape == (None, 3)
