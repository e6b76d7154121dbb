"""nn ops (convolutions) on NumPy: a loop over kernel offsets, each a strided
slice contracted with one kernel tap (einsum), in channels-last layout."""

import itertools

import numpy as np

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


def to_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    return np.moveaxis(x, 1, -1)


def from_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    return np.moveaxis(x, -1, 1)


def pad_spatial(x, pads, value=0):
    """Pads (or crops, for negative amounts) the spatial axes of a channels-last array."""
    widths = [(0, 0)] + [(max(lo, 0), max(hi, 0)) for lo, hi in pads] + [(0, 0)]
    if any(w != (0, 0) for w in widths):
        x = np.pad(x, widths, constant_values=value)
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        index = [slice(None)] + [slice(max(-lo, 0), x.shape[i + 1] - max(-hi, 0))
                                 for i, (lo, hi) in enumerate(pads)] + [slice(None)]
        x = x[tuple(index)]
    return x


def window_slices(x, ksize, strides, dilation, out):
    """Yields ``(offset, view)``: for each kernel offset the strided window slice."""
    for offset in itertools.product(*(range(k) for k in ksize)):
        index = [slice(None)]
        for o, s, d, n in zip(offset, strides, dilation, out):
            index.append(slice(o * d, o * d + (n - 1) * s + 1, s))
        index.append(slice(None))
        yield offset, x[tuple(index)]


def general_conv(x, kernel, strides, pads, dilation, lhs_dilation=None):
    """Grouped N-D convolution of channels-last ``x`` with a Keras-layout kernel."""
    n = x.ndim - 2
    if lhs_dilation is not None and any(s > 1 for s in lhs_dilation):
        shape = (x.shape[0],) + tuple((d - 1) * s + 1 if d else 0
                                      for d, s in zip(x.shape[1:-1], lhs_dilation)) + (x.shape[-1],)
        dilated = np.zeros(shape, x.dtype)
        dilated[(slice(None),) + tuple(slice(None, None, s) for s in lhs_dilation)] = x
        x = dilated
    x = pad_spatial(x, pads)
    ksize = kernel.shape[:n]
    cin, cout = kernel.shape[-2], kernel.shape[-1]
    groups = x.shape[-1] // cin
    out = tuple((size - cu.effective_kernel(k, d)) // s + 1
                for size, k, d, s in zip(x.shape[1:-1], ksize, dilation, strides))
    acc_dtype = np.promote_types(x.dtype, np.float32) if x.dtype.kind == "f" else x.dtype
    result = np.zeros((x.shape[0],) + out + (groups, cout // groups), acc_dtype)
    k = kernel.reshape(ksize + (cin, groups, cout // groups)).astype(acc_dtype)
    for offset, view in window_slices(x, ksize, strides, dilation, out):
        view = view.reshape(view.shape[:-1] + (groups, cin)).astype(acc_dtype)
        result += np.einsum("...gc,cgo->...go", view, k[offset])
    return result.reshape(result.shape[:-2] + (cout,))


def _prepare(inputs, kernels, data_format):
    fmt = config.standardize_data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernels = [convert_to_tensor(k) for k in kernels]
    dtype = cu.common_dtype(inputs.dtype, *(k.dtype for k in kernels))
    np_dtype = to_numpy_dtype(dtype)
    return fmt, inputs.astype(np_dtype, copy=False), [k.astype(np_dtype, copy=False) for k in kernels]


def _conv_pads(spatial, ksize, strides, padding, dilation):
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    if padding == "causal":
        return [(cu.effective_kernel(k, d) - 1, 0) for k, d in zip(ksize, dilation)]
    return [cu.same_padding(n, k, s, d) for n, k, s, d in zip(spatial, ksize, strides, dilation)]


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    n = inputs.ndim - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    x = to_channels_last(inputs, fmt)
    if x.shape[-1] % kernel.shape[-2]:
        raise ValueError("input channels must be a multiple of the kernel's input channels")
    padding = cu.check_padding(padding, ("valid", "same", "causal") if n == 1 else ("valid", "same"))
    cu.check_window(x.shape[1:-1], kernel.shape[:n], strides, padding, dilation)
    pads = _conv_pads(x.shape[1:-1], kernel.shape[:n], strides, padding, dilation)
    out = general_conv(x, kernel, strides, pads, dilation).astype(inputs.dtype, copy=False)
    return from_channels_last(out, fmt)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    kernel = convert_to_tensor(kernel)
    kernel = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    fmt, inputs, (dk, pk) = _prepare(inputs, [depthwise_kernel, pointwise_kernel], data_format)
    mid = depthwise_conv(inputs, dk, strides, padding, fmt, dilation_rate)
    return conv(mid, pk, 1, "valid", fmt, 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    n = inputs.ndim - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    out_pad = (None,) * n if output_padding is None else cu.normalize_tuple(
        output_padding, n, "output_padding")
    ksize = kernel.shape[:n]
    padding = cu.check_padding(padding)
    cu.check_output_padding(out_pad, strides, dilation)
    pads = [cu.transpose_padding(k, s, d, padding, p)
            for k, s, d, p in zip(ksize, strides, dilation, out_pad)]
    flipped = np.swapaxes(np.flip(kernel, axis=tuple(range(n))), -1, -2)
    x = to_channels_last(inputs, fmt)
    out = general_conv(x, flipped, (1,) * n, pads, dilation, lhs_dilation=strides)
    return from_channels_last(out.astype(inputs.dtype, copy=False), fmt)
