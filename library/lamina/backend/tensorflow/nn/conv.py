"""nn ops (convolutions) on TensorFlow; computed in channels-last layout."""

import tensorflow as tf

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.tensorflow.core import convert_to_tensor

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


def to_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    n = len(x.shape) - 2
    return tf.transpose(x, (0,) + tuple(range(2, n + 2)) + (1,))


def from_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    n = len(x.shape) - 2
    return tf.transpose(x, (0, n + 1) + tuple(range(1, n + 1)))


def pad_spatial(x, pads, value=0):
    """Pads (negative: crops) the spatial axes of a channels-last tensor."""
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        begin = [0] + [max(-lo, 0) for lo, _ in pads] + [0]
        size = [-1] + [(-1 if d is None else d - max(-lo, 0) - max(-hi, 0))
                       for d, (lo, hi) in zip(x.shape[1:-1], pads)] + [-1]
        if any(s is None or s == -1 for s in size[1:-1]):
            shape = tf.shape(x)
            size = [-1] + [shape[i + 1] - max(-lo, 0) - max(-hi, 0)
                           for i, (lo, hi) in enumerate(pads)] + [-1]
        x = tf.slice(x, begin, size)
    if any(lo > 0 or hi > 0 for lo, hi in pads):
        widths = [[0, 0]] + [[max(lo, 0), max(hi, 0)] for lo, hi in pads] + [[0, 0]]
        x = tf.pad(x, widths, constant_values=value)
    return x


def _prepare(inputs, kernels, data_format):
    fmt = config.standardize_data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernels = [convert_to_tensor(k) for k in kernels]
    dtype = cu.common_dtype(inputs.dtype.name, *(k.dtype.name for k in kernels))
    return fmt, tf.cast(inputs, dtype), [tf.cast(k, dtype) for k in kernels]


def _static_spatial(x):
    dims = x.shape[1:-1]
    if any(d is None for d in dims):
        dyn = tf.shape(x)
        return [dyn[i + 1] if d is None else d for i, d in enumerate(dims)]
    return list(dims)


def _conv_cl(x, kernel, strides, padding, dilation):
    """Convolution of channels-last ``x`` (grouped when channels exceed the kernel's)."""
    n = len(x.shape) - 2
    ksize = kernel.shape[:n]
    padding = padding.lower()
    subsample = any(s > 1 for s in strides) and any(d > 1 for d in dilation)
    if padding == "causal":
        x = pad_spatial(x, [(cu.effective_kernel(k, d) - 1, 0) for k, d in zip(ksize, dilation)])
        padding = "valid"
    if subsample:
        # TF rejects strides > 1 together with dilations > 1: pad explicitly, run
        # at stride 1 and keep every stride-th output.
        if padding == "same":
            x = pad_spatial(x, [cu.same_padding(size, k, s, d) for size, k, s, d in
                                zip(_static_spatial(x), ksize, strides, dilation)])
        out = _grouped(x, kernel, 1, "VALID", dilation)
        index = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
        return out[index]
    return _grouped(x, kernel, strides, padding.upper(), dilation)


_FORMATS = {3: "NWC", 4: "NHWC", 5: "NDHWC"}


def _grouped(x, kernel, strides, padding, dilation):
    n = len(x.shape) - 2
    fmt = _FORMATS[n + 2]  # explicit: TF's eager Conv3D gradient needs it
    strides = cu.normalize_tuple(strides, n, "strides")
    cin = kernel.shape[-2]
    groups = x.shape[-1] // cin
    if groups == 1:
        return tf.nn.convolution(x, kernel, strides, padding, data_format=fmt,
                                 dilations=dilation)
    if cin == 1 and n <= 2:
        # Depthwise: TF's CPU kernels have no gradient for grouped convolutions.
        k = tf.reshape(kernel, tuple(kernel.shape[:n]) + (groups, kernel.shape[-1] // groups))
        if n == 1:
            out = tf.nn.depthwise_conv2d(x[:, None], k[None], (1,) + strides * 2 + (1,), padding,
                                         dilations=(1,) + tuple(dilation))
            return out[:, 0]
        return tf.nn.depthwise_conv2d(x, k, (1,) + strides + (1,), padding,
                                      dilations=tuple(dilation))
    # Other grouped convolutions: one convolution per group.
    xs = tf.split(x, groups, axis=-1)
    ks = tf.split(kernel, groups, axis=-1)
    return tf.concat([tf.nn.convolution(a, b, strides, padding, data_format=fmt,
                                        dilations=dilation) for a, b in zip(xs, ks)], axis=-1)


def _interleave(x, strides):
    """Puts ``stride - 1`` zeros between the spatial elements of channels-last ``x``."""
    for axis, s in enumerate(strides, start=1):
        if s == 1:
            continue
        shape = x.shape
        x = tf.expand_dims(x, axis + 1)
        widths = [[0, 0]] * len(x.shape)
        widths[axis + 1] = [0, s - 1]
        x = tf.pad(x, widths)
        new = [-1] + [d for d in shape[1:]]
        new[axis] = shape[axis] * s
        x = tf.reshape(x, new)
        x = tf.slice(x, [0] * len(new), [-1] + [(shape[axis] - 1) * s + 1 if i == axis else -1
                                               for i in range(1, len(new))])
    return x


def _conv(x, kernel, fmt, strides, padding, dilation_rate):
    n = len(x.shape) - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    padding = cu.check_padding(padding, ("valid", "same", "causal") if n == 1 else ("valid", "same"))
    x = to_channels_last(x, fmt)
    cu.check_window(tuple(x.shape[1:-1]), tuple(kernel.shape[:n]), strides, padding, dilation)
    out = _conv_cl(x, kernel, strides, padding, dilation)
    return from_channels_last(out, fmt)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    kernel = tf.reshape(kernel, tuple(kernel.shape[:-2]) + (1, kernel.shape[-2] * kernel.shape[-1]))
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    fmt, inputs, (dk, pk) = _prepare(inputs, [depthwise_kernel, pointwise_kernel], data_format)
    dk = tf.reshape(dk, tuple(dk.shape[:-2]) + (1, dk.shape[-2] * dk.shape[-1]))
    mid = _conv(inputs, dk, fmt, strides, padding, dilation_rate)
    return _conv(mid, pk, fmt, 1, "valid", 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    n = len(inputs.shape) - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    out_pad = (None,) * n if output_padding is None else cu.normalize_tuple(
        output_padding, n, "output_padding")
    x = to_channels_last(inputs, fmt)
    ksize = kernel.shape[:n]
    padding = cu.check_padding(padding)
    cu.check_output_padding(out_pad, strides, dilation)
    # The "VALID" transposed convolution spans (in - 1) * stride + effective_kernel;
    # Keras keeps a window of it (cropped, or zero-extended past its end).
    full, crops = [], []
    for size, k, s, d, p in zip(_static_spatial(x), ksize, strides, dilation, out_pad):
        lo, hi = cu.transpose_padding(k, s, d, padding, p)
        ek = cu.effective_kernel(k, d)
        full.append((size - 1) * s + ek)
        crops.append((lo - (ek - 1), hi - (ek - 1)))
    if any(d > 1 for d in dilation):
        # TF's CPU transposed convolution has no dilation: convolve the
        # zero-interleaved input with the flipped, channel-swapped kernel.
        flipped = tf.transpose(tf.reverse(kernel, list(range(n))),
                               list(range(n)) + [n + 1, n])
        pads = [(ek - 1 + lo, ek - 1 + hi) for ek, (lo, hi) in zip(
            [cu.effective_kernel(k, d) for k, d in zip(ksize, dilation)], crops)]
        x = pad_spatial(_interleave(x, strides), pads)
        out = tf.nn.convolution(x, flipped, 1, "VALID", data_format=_FORMATS[n + 2],
                                dilations=dilation)
        return from_channels_last(out, fmt)
    shape = tf.stack([tf.shape(x)[0]] + full + [kernel.shape[-2]])
    out = tf.nn.conv_transpose(x, kernel, shape, strides, "VALID", dilations=dilation)
    return from_channels_last(pad_spatial(out, crops), fmt)
