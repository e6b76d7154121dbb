"""nn ops (pooling) on JAX, through ``lax.reduce_window``."""

import numpy as np
import jax.numpy as jnp
from jax import lax

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.jax.core import convert_to_tensor

__all__ = ["max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool"]


def _window(x, pool_size, strides, padding, fmt):
    cu.check_rank(x.ndim)
    n = x.ndim - 2
    pool = cu.normalize_tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else cu.normalize_tuple(strides, n, "strides")
    spatial = x.shape[2:] if fmt == "channels_first" else x.shape[1:-1]
    padding = cu.check_padding(padding)
    cu.check_window(spatial, pool, strides, padding)
    if padding == "same":
        pads = [cu.same_padding(size, k, s) for size, k, s in zip(spatial, pool, strides)]
    else:
        pads = [(0, 0)] * n

    def full(values, fill):
        values = list(values)
        return tuple([fill, fill] + values) if fmt == "channels_first" else tuple(
            [fill] + values + [fill])

    return spatial, pool, strides, full(pool, 1), full(strides, 1), full(pads, (0, 0))


def _lowest(dtype):
    # NumPy constants, not jnp arrays: lax.reduce_window can only differentiate (max)
    # with a concrete init value, and a jnp array inside jit is a tracer.
    if jnp.issubdtype(dtype, jnp.floating):
        return np.array(-np.inf, dtype)
    if jnp.issubdtype(dtype, jnp.integer):
        return np.array(jnp.iinfo(dtype).min, dtype)
    return np.array(False)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    _, _, _, window, step, pads = _window(x, pool_size, strides, padding, fmt)
    return lax.reduce_window(x, _lowest(x.dtype), lax.max, window, step, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    spatial, pool, strides, window, step, pads = _window(x, pool_size, strides, padding, fmt)
    total = lax.reduce_window(x, np.array(0, x.dtype), lax.add, window, step, pads)
    counts = np.ones(())
    for size, k, s in zip(spatial, pool, strides):
        counts = np.multiply.outer(counts, np.asarray(cu.pool_counts(size, k, s, padding.lower())))
    counts = counts[None, None] if fmt == "channels_first" else counts[None, ..., None]
    return total / jnp.asarray(counts, x.dtype)


def _adaptive(inputs, output_size, data_format, average):
    fmt = config.standardize_data_format(data_format)
    x = convert_to_tensor(inputs)
    n = x.ndim - 2
    size = cu.normalize_tuple(output_size, n, "output_size")
    axes = range(2, n + 2) if fmt == "channels_first" else range(1, n + 1)
    dtype = x.dtype
    if average:
        x = x.astype(jnp.promote_types(dtype, jnp.float32))
    for axis, o in zip(axes, size):
        if average:
            m = jnp.asarray(cu.adaptive_matrix(x.shape[axis], o), x.dtype)
            x = jnp.moveaxis(jnp.tensordot(x, m, axes=([axis], [0])), -1, axis)
        else:
            index, _ = cu.adaptive_index(x.shape[axis], o)
            x = jnp.take(x, jnp.asarray(index, jnp.int32), axis=axis).max(axis=axis + 1)
    return x.astype(dtype)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=False)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, average=True)
