"""ELU, LeakyReLU, PReLU, ReLU and Softmax through the layer-test harness, against
NumPy and real Keras (outputs and gradients)."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import BACKEND
from .test_core_extra import check_layer, compare_gradients

keras = pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("alpha,shape", [(1.0, (2, 3)), (0.5, (2, 3, 4))])
def test_elu(alpha, shape):
    check_layer(layers.ELU, {"alpha": alpha}, shape,
                reference=lambda x, w: np.where(x > 0, x, alpha * (np.exp(x) - 1)))


@pytest.mark.parametrize("kwargs,slope", [({}, 0.3), ({"negative_slope": 0.1}, 0.1)])
def test_leaky_relu(kwargs, slope):
    check_layer(layers.LeakyReLU, kwargs, (3, 4), reference=lambda x, w: np.where(x > 0, x, slope * x))


def test_leaky_relu_alpha_alias_and_errors():
    with pytest.warns(UserWarning, match="deprecated"):
        assert layers.LeakyReLU(alpha=0.2).negative_slope == 0.2
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(-1.0)


@pytest.mark.parametrize("kwargs", [
    {},
    {"max_value": 1.0},
    {"max_value": 2.0, "negative_slope": 0.2, "threshold": 0.3},
])
def test_relu(kwargs):
    mv, ns, th = kwargs.get("max_value"), kwargs.get("negative_slope", 0.0), kwargs.get("threshold", 0.0)

    def ref(x, w):
        out = np.where(x >= th, x, ns * (x - th)) if ns else np.where(x > th, x, 0)
        return np.minimum(out, mv) if mv is not None else out

    check_layer(layers.ReLU, kwargs, (3, 5), reference=ref)


@pytest.mark.parametrize("kwargs", [{"max_value": -1}, {"negative_slope": -0.1}, {"threshold": -1}])
def test_relu_rejects_negative_arguments(kwargs):
    with pytest.raises(ValueError, match="ReLU"):
        layers.ReLU(**kwargs)


@pytest.mark.parametrize("kwargs,shape", [
    ({}, (2, 3)),
    ({"alpha_initializer": "random_uniform"}, (2, 3, 4)),
    ({"alpha_initializer": "ones", "shared_axes": [1]}, (2, 3, 4)),
    ({"alpha_initializer": "random_normal", "shared_axes": [1, 2]}, (2, 2, 3, 4)),
])
def test_prelu(kwargs, shape):
    # With zero slopes and a zero target, the slopes' gradient is 0: skip the training step.
    layer = check_layer(layers.PReLU, kwargs, shape, train=bool(kwargs),
                        reference=lambda x, w: np.where(x > 0, x, w[0] * x))
    expected = list(shape[1:])
    for a in kwargs.get("shared_axes", []):
        expected[a - 1] = 1
    assert layer.alpha.shape == tuple(expected)


@pytest.mark.parametrize("kwargs,shape", [
    ({"alpha_initializer": "random_normal", "shared_axes": [1]}, (2, 3, 4)),
])
def test_prelu_gradients_match_keras(kwargs, shape):
    compare_gradients(layers.PReLU, kwargs, _x(shape))


def test_prelu_input_spec_names_layer_and_shapes():
    layer = layers.PReLU(name="pr")
    layer(_x((2, 3)))
    with pytest.raises(ValueError, match="pr"):
        layer(_x((2, 4)))


@pytest.mark.parametrize("axis,shape", [(-1, (2, 5)), (1, (2, 3, 4)), ([1, 2], (2, 3, 4))])
def test_softmax(axis, shape):
    ax = tuple(axis) if isinstance(axis, list) else axis
    # Keras's numpy backend fails on a list of axes.
    keras_fails = BACKEND == "numpy" and isinstance(axis, list)
    check_layer(layers.Softmax, {"axis": axis}, shape, reference=lambda x, w: _softmax(x, ax),
                rtol=1e-5, atol=1e-6, keras_name="__no_keras__" if keras_fails else None)


def test_softmax_mask_matches_keras():
    x = _x((2, 4))
    mask = np.array([[True, True, False, True], [False, False, False, False]])
    out = ops.convert_to_numpy(layers.Softmax()(x, mask=mask))
    expected = keras.ops.convert_to_numpy(keras.layers.Softmax()(x, mask=mask))
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    assert out[1].tolist() == [0, 0, 0, 0]
    float_mask = mask.astype("float32")
    np.testing.assert_allclose(ops.convert_to_numpy(layers.Softmax()(x, mask=float_mask)), expected,
                               rtol=1e-6, atol=1e-7)
    broadcast = np.array([[True, False, True, True]])
    np.testing.assert_allclose(
        ops.convert_to_numpy(layers.Softmax()(x, mask=broadcast)),
        keras.ops.convert_to_numpy(keras.layers.Softmax()(x, mask=broadcast)), rtol=1e-6)
    with pytest.raises(ValueError, match="broadcastable"):
        layers.Softmax(name="sm")(x, mask=np.ones((2, 3), bool))


@pytest.mark.parametrize("cls,kwargs", [
    (layers.ELU, {"alpha": 0.7}), (layers.Softmax, {"axis": 1}),
])
def test_activation_layer_gradients_match_keras(cls, kwargs):
    compare_gradients(cls, kwargs, _x((2, 3, 4)))


def test_activation_layers_pass_masks_through():
    inputs = lamina.Input((3, 2))
    masked = layers.Masking()(inputs)
    for layer in (layers.ELU(), layers.LeakyReLU(), layers.ReLU(), layers.PReLU()):
        out = layer(masked)
        assert out._keras_mask is not None, type(layer).__name__
