"""nn ops (convolutions) on PyTorch.

Channels-last inputs are handed to torch as a permuted view (torch's
channels-last memory format), so no layout copy is made; Keras "same" padding
becomes a ``padding=`` argument when symmetric, else one explicit ``F.pad``.
"""

import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def to_channels_first(x, data_format):
    """A channels-first view of ``x`` (no copy)."""
    if data_format == "channels_first":
        return x
    n = x.ndim - 2
    return x.permute(0, n + 1, *range(1, n + 1))


def from_channels_first(x, data_format):
    if data_format == "channels_first":
        return x
    n = x.ndim - 2
    return x.permute(0, *range(2, n + 2), 1)


def torch_kernel(kernel):
    """Keras ``(*k, in, out)`` to torch ``(out, in, *k)`` (a view)."""
    n = kernel.ndim - 2
    return kernel.permute(n + 1, n, *range(n))


def flat_pads(pads):
    """``F.pad`` amounts (last spatial dim first) from per-dim ``(before, after)``."""
    out = []
    for lo, hi in reversed(pads):
        out += [lo, hi]
    return out


def _prepare(inputs, kernels, data_format):
    fmt = config.standardize_data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernels = [convert_to_tensor(k) for k in kernels]
    dtype = inputs.dtype
    if any(k.dtype != dtype for k in kernels):
        dtype = to_torch_dtype(cu.common_dtype(
            *(standardize_dtype(t.dtype) for t in [inputs] + kernels)))
        inputs = inputs.to(dtype)
        kernels = [k.to(dtype) for k in kernels]
    return fmt, inputs, kernels


def _conv_cf(x, weight, strides, padding, dilation, groups):
    """Convolution of channels-first ``x`` with a torch-layout weight."""
    n = x.ndim - 2
    ksize = weight.shape[2:]
    padding = padding.lower()
    if padding == "valid":
        pad_arg = 0
    else:
        if padding == "causal":
            pads = [(cu.effective_kernel(k, d) - 1, 0) for k, d in zip(ksize, dilation)]
        else:
            pads = [cu.same_padding(size, k, s, d)
                    for size, k, s, d in zip(x.shape[2:], ksize, strides, dilation)]
        if all(lo == hi for lo, hi in pads):
            pad_arg = [lo for lo, _ in pads]
        else:
            x = F.pad(x, flat_pads(pads))
            pad_arg = 0
    return _CONV[n](x, weight, None, strides, pad_arg, dilation, groups)


def _conv(x, kernel, fmt, strides, padding, dilation_rate):
    n = x.ndim - 2
    strides = cu.normalize_tuple(strides, n, "strides")
    dilation = cu.normalize_tuple(dilation_rate, n, "dilation_rate")
    xc = to_channels_first(x, fmt)
    if xc.shape[1] % kernel.shape[-2]:
        raise ValueError("input channels must be a multiple of the kernel's input channels")
    groups = xc.shape[1] // kernel.shape[-2]
    padding = cu.check_padding(padding, ("valid", "same", "causal") if n == 1 else ("valid", "same"))
    cu.check_window(tuple(xc.shape[2:]), kernel.shape[:n], strides, padding, dilation)
    out = _conv_cf(xc, torch_kernel(kernel), strides, padding, dilation, groups)
    return from_channels_first(out, fmt)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    fmt, inputs, (kernel,) = _prepare(inputs, [kernel], data_format)
    kernel = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return _conv(inputs, kernel, fmt, strides, padding, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    fmt, inputs, (dk, pk) = _prepare(inputs, [depthwise_kernel, pointwise_kernel], data_format)
    dk = dk.reshape(dk.shape[:-2] + (1, dk.shape[-2] * dk.shape[-1]))
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
    # torch's padding=0 output spans (in - 1) * stride + effective_kernel; Keras
    # keeps a window of it that starts `crop_lo` in and may extend past its end.
    padding = cu.check_padding(padding)
    cu.check_output_padding(out_pad, strides, dilation)
    crops = []
    for k, s, d, p in zip(kernel.shape[:n], strides, dilation, out_pad):
        lo, hi = cu.transpose_padding(k, s, d, padding, p)
        ek = cu.effective_kernel(k, d)
        crops.append((ek - 1 - lo, ek - 1 - hi))
    common = [max(min(lo, hi), 0) for lo, hi in crops]
    weight = kernel.permute(n + 1, n, *range(n))  # (*k, out, in) -> (in, out, *k)
    out = _CONV_T[n](to_channels_first(inputs, fmt), weight, None, strides, common, 0, 1,
                     dilation)
    rest = [(lo - c, hi - c) for (lo, hi), c in zip(crops, common)]
    if any(r != (0, 0) for r in rest):
        out = F.pad(out, flat_pads([(-lo, -hi) for lo, hi in rest]))
    return from_channels_first(out, fmt)

