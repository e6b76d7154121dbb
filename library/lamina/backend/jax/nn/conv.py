"""nn ops (convolutions) on JAX, through ``lax.conv_general_dilated``."""

import jax.numpy as jnp
from jax import lax

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.jax.core import convert_to_tensor

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


def dimension_numbers(n, data_format):
    """``lax.ConvDimensionNumbers`` for a Keras kernel and ``data_format``."""
    spatial = tuple(range(2, n + 2)) if data_format == "channels_first" else tuple(range(1, n + 1))
    lhs = (0, 1) + spatial if data_format == "channels_first" else (0, n + 1) + spatial
    rhs = (n + 1, n) + tuple(range(n))
    return lax.ConvDimensionNumbers(lhs_spec=lhs, rhs_spec=rhs, out_spec=lhs)


def _prepare(inputs, kernels, data_format):
    fmt = config.standardize_data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernels = [convert_to_tensor(k) for k in kernels]
    dtype = cu.common_dtype(inputs.dtype, *(k.dtype for k in kernels))
    return fmt, inputs.astype(dtype), [k.astype(dtype) for k in kernels]


def _spatial(x, fmt):
    return x.shape[2:] if fmt == "channels_first" else x.shape[1:-1]


def _pads(spatial, ksize, strides, padding, dilation):
    padding = padding.lower()
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    if padding == "causal":
        return [(cu.effective_kernel(k, d) - 1, 0) for k, d in zip(ksize, dilation)]
    return [cu.same_padding(n, k, s, d) for n, k, s, d in zip(spatial, ksize, strides, dilation)]


def _conv(x, kernel, fmt, strides, padding, dilation_rate):
    n = x.ndim - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    channels = x.shape[1] if fmt == "channels_first" else x.shape[-1]
    if channels % kernel.shape[-2]:
        raise ValueError("input channels must be a multiple of the kernel's input channels")
    padding = cu.check_padding(padding, ("valid", "same", "causal") if n == 1 else ("valid", "same"))
    cu.check_window(_spatial(x, fmt), kernel.shape[:n], strides, padding, dilation)
    return lax.conv_general_dilated(
        x, kernel, strides, _pads(_spatial(x, fmt), kernel.shape[:n], strides, padding, dilation),
        rhs_dilation=dilation, dimension_numbers=dimension_numbers(n, fmt),
        feature_group_count=channels // kernel.shape[-2])


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    kernel = jnp.reshape(kernel, kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    fmt, inputs, (dk, pk) = _prepare(inputs, [depthwise_kernel, pointwise_kernel], data_format)
    dk = jnp.reshape(dk, dk.shape[:-2] + (1, dk.shape[-2] * dk.shape[-1]))
    mid = _conv(inputs, dk, fmt, strides, padding, dilation_rate)
    return _conv(mid, pk, fmt, 1, "valid", 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    n = inputs.ndim - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    out_pad = (None,) * n if output_padding is None else cu.normalize_tuple(
        output_padding, n, "output_padding")
    padding = cu.check_padding(padding)
    cu.check_output_padding(out_pad, strides, dilation)
    pads = [cu.transpose_padding(k, s, d, padding, p)
            for k, s, d, p in zip(kernel.shape[:n], strides, dilation, out_pad)]
    # The transpose of a convolution: a stride-dilated input convolved with the
    # spatially flipped kernel whose in/out channel axes are swapped.
    flipped = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(n))), -1, -2)
    return lax.conv_general_dilated(
        inputs, flipped, (1,) * n, pads, lhs_dilation=strides, rhs_dilation=dilation,
        dimension_numbers=dimension_numbers(n, fmt))

