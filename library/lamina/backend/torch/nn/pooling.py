"""nn ops (pooling) on PyTorch."""

import math

import torch
import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.nn.conv import flat_pads, from_channels_first, to_channels_first

__all__ = ["max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool"]

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}


def _setup(inputs, pool_size, strides, padding, data_format):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    cu.check_rank(x.ndim)
    x = to_channels_first(x, fmt)
    n = x.ndim - 2
    pool = cu.normalize_tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else cu.normalize_tuple(strides, n, "strides")
    padding = cu.check_padding(padding)
    cu.check_window(tuple(x.shape[2:]), pool, strides, padding)
    if padding == "same":
        pads = [cu.same_padding(size, k, s) for size, k, s in zip(x.shape[2:], pool, strides)]
    else:
        pads = [(0, 0)] * n
    # torch pads symmetrically, at most half a window.
    native = all(lo == hi and 2 * lo <= k for (lo, hi), k in zip(pads, pool))
    return fmt, x, n, pool, strides, pads, native


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt, x, n, pool, strides, pads, native = _setup(inputs, pool_size, strides, padding,
                                                    data_format)
    if native:
        out = _MAX[n](x, pool, strides, [lo for lo, _ in pads])
    else:
        out = _MAX[n](F.pad(x, flat_pads(pads), value=float("-inf")), pool, strides)
    return from_channels_first(out, fmt)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt, x, n, pool, strides, pads, native = _setup(inputs, pool_size, strides, padding,
                                                    data_format)
    if native:
        out = _AVG[n](x, pool, strides, [lo for lo, _ in pads], count_include_pad=False)
        return from_channels_first(out, fmt)
    spatial = x.shape[2:]
    out = _AVG[n](F.pad(x, flat_pads(pads)), pool, strides)
    counts = torch.ones((), dtype=torch.float64)
    for size, k, s in zip(spatial, pool, strides):
        c = torch.tensor(cu.pool_counts(size, k, s, "same"), dtype=torch.float64)
        counts = counts[..., None] * c
    scale = (math.prod(pool) / counts).to(device=out.device, dtype=out.dtype)
    return from_channels_first(out * scale, fmt)


def _adaptive(inputs, output_size, data_format, table):
    fmt = config.standardize_data_format(data_format)
    x = to_channels_first(convert_to_tensor(inputs), fmt)
    n = x.ndim - 2
    out = table[n](x, cu.normalize_tuple(output_size, n, "output_size"))
    if isinstance(out, tuple):
        out = out[0]
    return from_channels_first(out, fmt)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, _ADAPTIVE_MAX)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, _ADAPTIVE_AVG)
