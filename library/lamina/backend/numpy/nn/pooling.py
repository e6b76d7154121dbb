"""nn ops (pooling) on NumPy."""

import numpy as np

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.nn.conv import (from_channels_last, pad_spatial, to_channels_last,
                                          window_slices)

__all__ = ["max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool"]


def _lowest(dtype):
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind in "iu":
        return np.iinfo(dtype).min
    return False


def _setup(inputs, pool_size, strides, padding, data_format):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    cu.check_rank(x.ndim)
    n = x.ndim - 2
    pool = cu.normalize_tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else cu.normalize_tuple(strides, n, "strides")
    x = to_channels_last(x, fmt)
    padding = cu.check_padding(padding)
    spatial = x.shape[1:-1]
    cu.check_window(spatial, pool, strides, padding)
    if padding == "same":
        pads = [cu.same_padding(size, k, s) for size, k, s in zip(spatial, pool, strides)]
    else:
        pads = [(0, 0)] * n
    out = tuple(cu.conv_output_size(size, k, s, padding) for size, k, s in zip(spatial, pool, strides))
    return fmt, x, pool, strides, pads, out, padding


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt, x, pool, strides, pads, out, _ = _setup(inputs, pool_size, strides, padding, data_format)
    xp = pad_spatial(x, pads, _lowest(x.dtype))
    result = None
    for _, view in window_slices(xp, pool, strides, (1,) * len(pool), out):
        result = view.copy() if result is None else np.maximum(result, view)
    return from_channels_last(result, fmt)


def _counts(spatial, pool, strides, padding):
    counts = np.ones((), np.float64)
    for size, k, s in zip(spatial, pool, strides):
        c = np.asarray(cu.pool_counts(size, k, s, padding), np.float64)
        counts = np.multiply.outer(counts, c)
    return counts[..., None]


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt, x, pool, strides, pads, out, padding = _setup(inputs, pool_size, strides, padding,
                                                      data_format)
    acc = np.promote_types(x.dtype, np.float32)
    xp = pad_spatial(x, pads, 0)
    total = np.zeros((x.shape[0],) + out + (x.shape[-1],), acc)
    for _, view in window_slices(xp, pool, strides, (1,) * len(pool), out):
        total += view
    result = (total / _counts(x.shape[1:-1], pool, strides, padding)).astype(x.dtype)
    return from_channels_last(result, fmt)


def _adaptive(inputs, output_size, data_format, average):
    fmt = config.standardize_data_format(data_format)
    x = to_channels_last(convert_to_tensor(inputs), fmt)
    n = x.ndim - 2
    size = cu.normalize_tuple(output_size, n, "output_size")
    dtype = x.dtype
    if average:
        x = x.astype(np.promote_types(dtype, np.float32))
    for axis, o in zip(range(1, n + 1), size):
        if average:
            m = np.asarray(cu.adaptive_matrix(x.shape[axis], o), x.dtype)
            x = np.moveaxis(np.tensordot(x, m, axes=([axis], [0])), -1, axis)
        else:
            index, _ = cu.adaptive_index(x.shape[axis], o)
            g = np.take(x, np.asarray(index, np.int64), axis=axis)
            x = g.max(axis=axis + 1)
    return from_channels_last(x.astype(dtype, copy=False), fmt)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=False)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=True)
