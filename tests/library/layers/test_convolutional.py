"""Convolution layers through the layer-test harness, against NumPy and real Keras
(outputs and gradients), plus their errors."""

import itertools

import numpy as np
import pytest

import lamina
from lamina import layers

from .harness import check_layer

BACKEND = lamina.backend.backend()


# -- NumPy references ---------------------------------------------------------------------

def _same_pad(size, k, s, d):
    ek = (k - 1) * d + 1
    total = max((-(-size // s) - 1) * s + ek - size, 0)
    return total // 2, total - total // 2


def _windows(x, ksize, strides, padding, dilation):
    """Yields (kernel offset, strided slice of the padded channels-last input)."""
    spatial = x.shape[1:-1]
    pads = []
    for size, k, s, d in zip(spatial, ksize, strides, dilation):
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "causal":
            pads.append((d * (k - 1), 0))
        else:
            pads.append(_same_pad(size, k, s, d))
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    out = [(xp.shape[1 + i] - ((k - 1) * d + 1)) // s + 1
           for i, (k, s, d) in enumerate(zip(ksize, strides, dilation))]
    for offset in itertools.product(*[range(k) for k in ksize]):
        index = tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                      for o, d, s, n in zip(offset, dilation, strides, out))
        yield offset, xp[(slice(None),) + index]


def _to_last(x, data_format):
    return np.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _from_last(y, data_format):
    return np.moveaxis(y, -1, 1) if data_format == "channels_first" else y


def _finish(y, weights, bias_index, activation, data_format):
    if len(weights) > bias_index:
        y = y + weights[bias_index]
    return _from_last(activation(y), data_format)


def np_conv(x, kernel, strides, padding, dilation, groups):
    """Channels-last grouped N-D convolution."""
    cin = kernel.shape[-2]
    outs = []
    fpg = kernel.shape[-1] // groups
    for g in range(groups):
        xg = x[..., g * cin:(g + 1) * cin]
        kg = kernel[..., g * fpg:(g + 1) * fpg]
        acc = 0.0
        for offset, window in _windows(xg, kernel.shape[:-2], strides, padding, dilation):
            acc = acc + window.astype("float64") @ kg[offset].astype("float64")
        outs.append(acc)
    return np.concatenate(outs, axis=-1)


def np_depthwise(x, kernel, strides, padding, dilation):
    acc = 0.0
    for offset, window in _windows(x, kernel.shape[:-2], strides, padding, dilation):
        acc = acc + window[..., :, None].astype("float64") * kernel[offset].astype("float64")
    return acc.reshape(acc.shape[:-2] + (-1,))


def _tup(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def conv_reference(rank, kwargs, activation=lambda z: z):
    fmt = kwargs.get("data_format", "channels_last")

    def ref(x, weights):
        y = np_conv(_to_last(x, fmt), weights[0], _tup(kwargs.get("strides", 1), rank),
                    kwargs.get("padding", "valid"), _tup(kwargs.get("dilation_rate", 1), rank),
                    kwargs.get("groups", 1))
        return _finish(y, weights, 1, activation, fmt)

    return ref


def depthwise_reference(rank, kwargs, activation=lambda z: z):
    fmt = kwargs.get("data_format", "channels_last")

    def ref(x, weights):
        y = np_depthwise(_to_last(x, fmt), weights[0], _tup(kwargs.get("strides", 1), rank),
                         kwargs.get("padding", "valid"), _tup(kwargs.get("dilation_rate", 1), rank))
        return _finish(y, weights, 1, activation, fmt)

    return ref


def separable_reference(rank, kwargs, activation=lambda z: z):
    fmt = kwargs.get("data_format", "channels_last")

    def ref(x, weights):
        y = np_depthwise(_to_last(x, fmt), weights[0], _tup(kwargs.get("strides", 1), rank),
                         kwargs.get("padding", "valid"), _tup(kwargs.get("dilation_rate", 1), rank))
        y = y @ weights[1].reshape(weights[1].shape[-2:]).astype("float64")
        return _finish(y, weights, 2, activation, fmt)

    return ref


def np_conv_transpose_1d(x, kernel, stride, padding, output_padding=None):
    """Channels-last 1D transposed convolution (dilation 1, no output padding with
    "same"), by scattering each input step into the output."""
    batch, length, _ = x.shape
    k, filters, _ = kernel.shape
    full = np.zeros((batch, (length - 1) * stride + k + stride, filters))
    for i in range(length):
        full[:, i * stride:i * stride + k] += np.einsum("bc,kfc->bkf", x[:, i], kernel)
    if padding == "valid":
        extra = max(stride - k, 0) if output_padding is None else output_padding
        return full[:, :(length - 1) * stride + k + extra]
    begin = max(k - stride, 0) // 2
    return full[:, begin:begin + length * stride]


# -- harness grids ------------------------------------------------------------------------

CONV_CASES = [
    (layers.Conv1D, 1, {"filters": 3, "kernel_size": 3}, (2, 7, 2)),
    (layers.Conv1D, 1, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (2, 7, 3)),
    (layers.Conv1D, 1, {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
     (2, 8, 2)),
    (layers.Conv1D, 1, {"filters": 4, "kernel_size": 2, "groups": 2, "use_bias": False,
                        "data_format": "channels_first"}, (2, 4, 6)),
    (layers.Conv2D, 2, {"filters": 3, "kernel_size": 2}, (2, 4, 5, 2)),
    (layers.Conv2D, 2, {"filters": 2, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same",
                        "activation": "relu"}, (2, 5, 4, 3)),
    (layers.Conv2D, 2, {"filters": 2, "kernel_size": 2, "dilation_rate": 2,
                        "data_format": "channels_first"}, (2, 3, 5, 5)),
    (layers.Conv2D, 2, {"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same"},
     (1, 4, 4, 4)),
    (layers.Conv3D, 3, {"filters": 2, "kernel_size": 2}, (1, 3, 4, 3, 2)),
    (layers.Conv3D, 3, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same",
                        "data_format": "channels_first"}, (1, 2, 3, 4, 3)),
]


@pytest.mark.parametrize("cls,rank,kwargs,shape", CONV_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CONV_CASES)])
def test_conv(cls, rank, kwargs, shape):
    activation = (lambda z: np.maximum(z, 0)) if kwargs.get("activation") == "relu" else (
        lambda z: z)
    first = CONV_CASES.index(next(c for c in CONV_CASES if c[0] is cls)) == CONV_CASES.index(
        (cls, rank, kwargs, shape))
    layer = check_layer(cls, kwargs, shape, reference=conv_reference(rank, kwargs, activation),
                        rtol=1e-5, atol=1e-5, train=first, mixed_precision=first,
                        **oracle_kwargs(kwargs))
    if oracle_kwargs(kwargs):
        compare_with_keras(cls, kwargs, shape, grads=False)
    channels = shape[-1] if kwargs.get("data_format") != "channels_first" else shape[1]
    assert layer.weights[0].shape == _tup(kwargs["kernel_size"], rank) + (
        channels // kwargs.get("groups", 1), kwargs["filters"])
    assert [w.name for w in layer.weights] == ["kernel"] + (
        ["bias"] if kwargs.get("use_bias", True) else [])


TRANSPOSE_CASES = [
    (layers.Conv1DTranspose, {"filters": 3, "kernel_size": 3}, (2, 4, 2)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 4, 3)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1},
     (2, 4, 3)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 2, "dilation_rate": 2,
                              "data_format": "channels_first"}, (2, 3, 4)),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
     (1, 3, 4, 2)),
    (layers.Conv2DTranspose, {"filters": 3, "kernel_size": (2, 3), "strides": (2, 1),
                              "output_padding": (1, 0), "data_format": "channels_first",
                              "activation": "tanh"}, (2, 2, 3, 3)),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 2, 3, 2)),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 3, "padding": "same",
                              "data_format": "channels_first"}, (1, 2, 2, 3, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", TRANSPOSE_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(TRANSPOSE_CASES)])
def test_conv_transpose(cls, kwargs, shape):
    first = next(c for c in TRANSPOSE_CASES if c[0] is cls) == (cls, kwargs, shape)
    reference = None
    if cls is layers.Conv1DTranspose and "dilation_rate" not in kwargs:
        def reference(x, weights):
            y = np_conv_transpose_1d(x, weights[0], kwargs.get("strides", 1),
                                     kwargs.get("padding", "valid"),
                                     kwargs.get("output_padding"))
            return y + weights[1]
    # Keras's TensorFlow backend has no CPU kernel for dilated transposed convolutions.
    tf_dilated = BACKEND == "tensorflow" and "dilation_rate" in kwargs
    layer = check_layer(cls, kwargs, shape, reference=reference, rtol=1e-5, atol=1e-5,
                        train=first, mixed_precision=first,
                        **({"keras_name": "NotAKerasLayer"} if tf_dilated else
                           oracle_kwargs(kwargs)))
    if oracle_kwargs(kwargs) and not tf_dilated:
        compare_with_keras(cls, kwargs, shape, grads=False)
    channels = shape[-1] if kwargs.get("data_format") != "channels_first" else shape[1]
    rank = len(shape) - 2
    assert layer.weights[0].shape == _tup(kwargs["kernel_size"], rank) + (kwargs["filters"],
                                                                          channels)


DEPTHWISE_CASES = [
    (layers.DepthwiseConv1D, 1, {"kernel_size": 3}, (2, 6, 3)),
    (layers.DepthwiseConv1D, 1, {"kernel_size": 2, "strides": 2, "padding": "same",
                                 "depth_multiplier": 2}, (2, 7, 2)),
    (layers.DepthwiseConv1D, 1, {"kernel_size": 2, "dilation_rate": 2, "depth_multiplier": 3,
                                 "data_format": "channels_first", "use_bias": False}, (2, 2, 6)),
    (layers.DepthwiseConv2D, 2, {"kernel_size": 2}, (2, 4, 4, 3)),
    (layers.DepthwiseConv2D, 2, {"kernel_size": 3, "strides": 2, "padding": "same",
                                 "depth_multiplier": 2, "activation": "relu"}, (1, 5, 4, 2)),
    (layers.DepthwiseConv2D, 2, {"kernel_size": 2, "dilation_rate": (2, 1), "depth_multiplier": 2,
                                 "data_format": "channels_first"}, (2, 2, 5, 4)),
]


@pytest.mark.parametrize("cls,rank,kwargs,shape", DEPTHWISE_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(DEPTHWISE_CASES)])
def test_depthwise_conv(cls, rank, kwargs, shape):
    activation = (lambda z: np.maximum(z, 0)) if kwargs.get("activation") == "relu" else (
        lambda z: z)
    first = next(c for c in DEPTHWISE_CASES if c[0] is cls) == (cls, rank, kwargs, shape)
    layer = check_layer(cls, kwargs, shape, reference=depthwise_reference(rank, kwargs, activation),
                        rtol=1e-5, atol=1e-5, train=first, mixed_precision=first,
                        **oracle_kwargs(kwargs))
    if oracle_kwargs(kwargs):
        compare_with_keras(cls, kwargs, shape, grads=False)
    channels = shape[-1] if kwargs.get("data_format") != "channels_first" else shape[1]
    multiplier = kwargs.get("depth_multiplier", 1)
    assert layer.weights[0].shape == _tup(kwargs["kernel_size"], rank) + (channels, multiplier)
    if kwargs.get("use_bias", True):
        assert layer.weights[1].shape == (channels * multiplier,)


SEPARABLE_CASES = [
    (layers.SeparableConv1D, 1, {"filters": 3, "kernel_size": 3}, (2, 6, 2)),
    (layers.SeparableConv1D, 1, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same",
                                 "depth_multiplier": 2, "data_format": "channels_first"},
     (2, 3, 7)),
    (layers.SeparableConv2D, 2, {"filters": 3, "kernel_size": 2}, (2, 4, 4, 2)),
    (layers.SeparableConv2D, 2, {"filters": 2, "kernel_size": 3, "padding": "same",
                                 "dilation_rate": 2, "depth_multiplier": 2, "use_bias": False},
     (1, 5, 5, 3)),
    (layers.SeparableConv2D, 2, {"filters": 4, "kernel_size": 2, "strides": 2,
                                 "data_format": "channels_first", "activation": "relu"},
     (2, 3, 4, 5)),
]


@pytest.mark.parametrize("cls,rank,kwargs,shape", SEPARABLE_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(SEPARABLE_CASES)])
def test_separable_conv(cls, rank, kwargs, shape):
    activation = (lambda z: np.maximum(z, 0)) if kwargs.get("activation") == "relu" else (
        lambda z: z)
    first = next(c for c in SEPARABLE_CASES if c[0] is cls) == (cls, rank, kwargs, shape)
    layer = check_layer(cls, kwargs, shape, reference=separable_reference(rank, kwargs, activation),
                        rtol=1e-5, atol=1e-5, train=first, mixed_precision=first,
                        **oracle_kwargs(kwargs))
    if oracle_kwargs(kwargs):
        compare_with_keras(cls, kwargs, shape, grads=False)
    channels = shape[-1] if kwargs.get("data_format") != "channels_first" else shape[1]
    multiplier = kwargs.get("depth_multiplier", 1)
    assert [w.name for w in layer.weights][:2] == ["depthwise_kernel", "pointwise_kernel"]
    assert layer.weights[0].shape == _tup(kwargs["kernel_size"], rank) + (channels, multiplier)
    assert layer.weights[1].shape == (1,) * rank + (channels * multiplier, kwargs["filters"])


def test_aliases_are_the_same_classes():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    config = {"class_name": "Convolution2D", "config": {"filters": 2, "kernel_size": 3},
              "module": "keras.layers"}
    assert type(lamina.layers.deserialize(config)) is layers.Conv2D


def test_config_matches_keras():
    keras = pytest.importorskip("keras")
    cases = [(layers.Conv2D, {"filters": 2, "kernel_size": 3, "kernel_regularizer": "l2"}),
             (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "output_padding": 0}),
             (layers.DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2}),
             (layers.SeparableConv1D, {"filters": 2, "kernel_size": 3}),
             (layers.Conv1D, {"filters": 2, "kernel_size": 3, "lora_rank": 2})]
    for cls, kwargs in cases:
        ours = cls(**kwargs, name="x").get_config()
        theirs = getattr(keras.layers, cls.__name__)(**kwargs, name="x").get_config()
        assert ours == theirs, cls.__name__


# -- LoRA ---------------------------------------------------------------------------------

def test_lora_against_keras():
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(1).normal(size=(2, 5, 5, 3)).astype("float32")
    ours = layers.Conv2D(4, 3, lora_rank=2, lora_alpha=3)
    ours(x)
    assert [w.name for w in ours.weights] == ["kernel", "bias", "lora_kernel_a", "lora_kernel_b"]
    assert [w.name for w in ours.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    assert ours.lora_kernel_a.shape == (3, 3, 3, 2) and ours.lora_kernel_b.shape == (2, 4)
    rng = np.random.default_rng(2)
    ours.set_weights([rng.normal(size=w.shape).astype("float32") for w in ours.weights])
    theirs = keras.layers.Conv2D(4, 3, lora_rank=2, lora_alpha=3)
    theirs(x)
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(ours(x)),
                               keras.ops.convert_to_numpy(theirs(x)), rtol=1e-5, atol=1e-5)
    merged = lamina.ops.convert_to_numpy(ours.kernel)
    expected = ours.get_weights()[0] + 1.5 * ours.get_weights()[2] @ ours.get_weights()[3]
    np.testing.assert_allclose(merged, expected, rtol=1e-5, atol=1e-6)


def test_enable_lora_errors():
    layer = layers.Conv1D(2, 3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.enable_lora(2)
    layer(np.ones((1, 5, 2), "float32"))
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constrained = layers.Conv1D(2, 3, kernel_constraint="non_neg")
    constrained(np.ones((1, 5, 2), "float32"))
    with pytest.raises(ValueError, match="kernel constraints"):
        constrained.enable_lora(2)


# -- gradients against Keras ----------------------------------------------------------------

def _framework_grads(layer, weights, x, r, module):
    """d sum(layer(x) * r) / d(x, weights), with the active backend's autodiff;
    ``module`` is lamina or keras (both have ``stateless_call``)."""
    n = len(layer.trainable_variables)
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        def f(x, ws):
            out, _ = layer.stateless_call(ws[:n], ws[n:], x)
            return jnp.sum(out * r)

        gx, gw = jax.grad(f, argnums=(0, 1))(jnp.asarray(x), [jnp.asarray(w) for w in weights])
        return [np.asarray(gx)] + [np.asarray(g) for g in gw]
    if BACKEND == "torch":
        import torch

        xt = torch.tensor(x, requires_grad=True)
        ws = [torch.tensor(w, requires_grad=True) for w in weights]
        out, _ = layer.stateless_call(ws[:n], ws[n:], xt)
        (out * torch.tensor(r)).sum().backward()
        return [xt.grad.numpy()] + [w.grad.numpy() for w in ws]
    import tensorflow as tf

    xt = tf.constant(x)
    ws = [tf.constant(w) for w in weights]
    with tf.GradientTape() as tape:
        tape.watch([xt] + ws)
        out, _ = layer.stateless_call(ws[:n], ws[n:], xt)
        loss = tf.reduce_sum(out * r)
    return [g.numpy() for g in tape.gradient(loss, [xt] + ws)]


def compare_with_keras(cls, kwargs, shape, seed=0, rtol=1e-4, atol=1e-5, grads=True):
    """Outputs and gradients (w.r.t. inputs and weights, on training backends) of
    lamina's and Keras's layer agree, with the same random weights.

    Keras's TensorFlow backend cannot run channels_first convolutions on CPU, so
    there the oracle is Keras's channels_last layer on transposed inputs (the
    kernel layout does not depend on the data format)."""
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype("float32")
    ours = cls(**kwargs)
    out = ours(x)
    r = rng.normal(size=tuple(out.shape)).astype("float32")
    weights = [rng.normal(size=w.shape).astype("float32") for w in ours.weights]
    ours.set_weights(weights)
    transpose = BACKEND == "tensorflow" and kwargs.get("data_format") == "channels_first"
    to_last = (lambda a: np.moveaxis(a, 1, -1)) if transpose else (lambda a: a)
    to_first = (lambda a: np.moveaxis(a, -1, 1)) if transpose else (lambda a: a)
    theirs = getattr(keras.layers, cls.__name__)(
        **{**kwargs, "data_format": "channels_last"} if transpose else kwargs)
    theirs(to_last(x))
    theirs.set_weights(weights)
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(ours(x)),
                               to_first(keras.ops.convert_to_numpy(theirs(to_last(x)))),
                               rtol=rtol, atol=atol, err_msg=f"{cls.__name__} against Keras")
    if not grads or BACKEND not in ("jax", "torch", "tensorflow"):
        return
    got = _framework_grads(ours, weights, x, r, lamina)
    want = _framework_grads(theirs, weights, to_last(x), to_last(r), keras)
    want[0] = to_first(want[0])
    assert len(got) == len(want)
    for i, (a, b) in enumerate(zip(got, want)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol,
                                   err_msg=f"{cls.__name__} gradient {i} against Keras")


def oracle_kwargs(kwargs):
    """check_layer arguments that skip its Keras check where Keras's TensorFlow
    backend cannot run on CPU (channels_first convolutions)."""
    if BACKEND == "tensorflow" and kwargs.get("data_format") == "channels_first":
        return {"keras_name": "NotAKerasLayer"}
    return {}


GRAD_CASES = [
    (layers.Conv1D, {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
     (2, 6, 2)),
    (layers.Conv2D, {"filters": 4, "kernel_size": 2, "strides": 2, "padding": "same", "groups": 2},
     (1, 5, 4, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
     (1, 3, 4, 4)),
    (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (1, 3, 3, 3, 2)),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 4, 3)),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2,
                              "data_format": "channels_first"}, (1, 3, 3, 2)),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2}, (1, 2, 2, 2, 2)),
    (layers.DepthwiseConv1D, {"kernel_size": 2, "depth_multiplier": 2}, (2, 5, 3)),
    (layers.DepthwiseConv2D, {"kernel_size": 2, "strides": 2, "padding": "same"}, (1, 5, 5, 2)),
    (layers.SeparableConv1D, {"filters": 3, "kernel_size": 2}, (2, 5, 2)),
    (layers.SeparableConv2D, {"filters": 3, "kernel_size": 2, "depth_multiplier": 2,
                              "data_format": "channels_first"}, (1, 2, 4, 4)),
]


@pytest.mark.parametrize("cls,kwargs,shape", GRAD_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_gradients_against_keras(cls, kwargs, shape):
    compare_with_keras(cls, kwargs, shape)


# -- errors ---------------------------------------------------------------------------------

def test_wrong_rank_names_layer_and_shapes():
    layer = layers.Conv2D(2, 3, name="my_conv")
    with pytest.raises(ValueError, match=r"my_conv.*ndim=4.*ndim=3.*\(2, 5, 3\)"):
        layer(np.ones((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match="my_conv"):
        layer.compute_output_shape((2, 5, 3))


def test_wrong_channels_after_build():
    layer = layers.Conv1D(2, 3, name="c1")
    layer(np.ones((1, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"c1.*axis -1.*3.*\(1, 5, 4\)"):
        layer(np.ones((1, 5, 4), "float32"))


@pytest.mark.parametrize("build,match", [
    (lambda: layers.Conv2D(2, 3, padding="causal"), "padding"),
    (lambda: layers.Conv1D(3, 3, groups=2), "divisible"),
    (lambda: layers.Conv1D(0, 3), "filters"),
    (lambda: layers.Conv2D(2, 0), "kernel_size"),
    (lambda: layers.Conv2D(2, (3, 3, 3)), "kernel_size"),
    (lambda: layers.Conv2D(2, 3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda: layers.Conv1DTranspose(2, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
    (lambda: layers.DepthwiseConv1D(3, padding="causal"), "padding"),
    (lambda: layers.SeparableConv2D(0, 3), "filters"),
    (lambda: layers.Conv2D(2, 3, data_format="channels_middle"), "data_format"),
])
def test_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_groups_must_divide_input_channels():
    with pytest.raises(ValueError, match=r"groups=2.*3 channels"):
        layers.Conv2D(4, 2, groups=2)(np.ones((1, 4, 4, 3), "float32"))


def test_valid_window_larger_than_input():
    with pytest.raises(ValueError, match="negative or zero"):
        layers.Conv1D(2, 5)(np.ones((1, 3, 2), "float32"))


def test_symbolic_unknown_spatial_dims():
    x = lamina.KerasTensor((None, None, None, 3))
    assert layers.Conv2D(4, 3, strides=2, padding="same")(x).shape == (None, None, None, 4)
    assert layers.Conv2DTranspose(4, 3, strides=2)(x).shape == (None, None, None, 4)
    assert layers.SeparableConv2D(5, 3)(x).shape == (None, None, None, 5)
    assert layers.DepthwiseConv2D(3, depth_multiplier=2)(x).shape == (None, None, None, 6)


@pytest.mark.training
def test_keras_file_round_trip(tmp_path):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
    model = lamina.Sequential([
        lamina.Input((8, 8, 3)),
        layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.DepthwiseConv2D(3, depth_multiplier=2),
        layers.SeparableConv2D(3, 2),
        layers.Conv2DTranspose(2, 2, strides=2),
    ])
    expected = lamina.ops.convert_to_numpy(model(x))
    path = str(tmp_path / "conv.keras")
    model.save(path)
    theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(x)), expected, rtol=1e-5,
                               atol=1e-5)
    back = str(tmp_path / "back.keras")
    theirs.save(back)
    again = lamina.saving.load_model(back)
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(again(x)), expected, rtol=1e-5,
                               atol=1e-5)
