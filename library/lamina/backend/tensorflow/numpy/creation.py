"""NumPy-style ops (creation) on TensorFlow."""

import math
import operator

import numpy as np
import tensorflow as tf

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor


def _dtype_of(x):
    return getattr(x, "dtype", type(x))


def _std(dtype, default=None):
    if dtype is None:
        return default if default is not None else config.floatx()
    return dtypes.standardize_dtype(dtype)


def _shape(shape):
    if isinstance(shape, int) or (tf.is_tensor(shape) and shape.shape.rank == 0):
        return tf.reshape(shape, [1]) if tf.is_tensor(shape) else (shape,)
    return shape


def _shape_tensor(shape):
    if tf.is_tensor(shape):
        return tf.reshape(tf.cast(shape, "int32"), [-1])
    shape = _shape(shape)
    return tf.constant([int(d) for d in shape], dtype="int32", shape=[len(shape)])


def _check_axis(axis, rank):
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for rank {rank}.")


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(*[_dtype_of(v) for v in (start, stop, step) if v is not None])
    dtype = _std(dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if dtypes.is_float_dtype(dtype):
        # compute in float64 so sizes and values match NumPy, then cast
        out = tf.range(tf.cast(start, "float64"), tf.cast(stop, "float64"), tf.cast(step, "float64"))
        return tf.cast(out, dtype)
    compute = "int64" if dtype in ("int64", "uint32", "uint64") else "int32"
    out = tf.range(tf.cast(start, compute), tf.cast(stop, compute), tf.cast(step, compute))
    return tf.cast(out, dtype)


def array(x, dtype=None):
    return tf.identity(convert_to_tensor(x, dtype=dtype))


def empty(shape, dtype=None):
    return tf.zeros(_shape(shape), dtype=_std(dtype))


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return tf.zeros_like(x, dtype=_std(dtype, x.dtype))


def zeros(shape, dtype=None):
    return tf.zeros(_shape(shape), dtype=_std(dtype))


def ones(shape, dtype=None):
    return tf.ones(_shape(shape), dtype=_std(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return tf.zeros_like(x, dtype=_std(dtype, x.dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return tf.ones_like(x, dtype=_std(dtype, x.dtype))


def full(shape, fill_value, dtype=None):
    fill = tf.cast(convert_to_tensor(fill_value), _std(dtype))
    return tf.broadcast_to(fill, _shape_tensor(shape))


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    fill = tf.cast(convert_to_tensor(fill_value), _std(dtype, x.dtype))
    return tf.broadcast_to(fill, tf.shape(x))


def _band(N, M, k, upper_only):
    m = N if M is None else M
    rows = tf.range(N)[:, None]
    cols = tf.range(m)[None, :]
    return (cols - rows <= k) if not upper_only else (cols - rows == k)


def eye(N, M=None, k=0, dtype=None):
    N, M, k = operator.index(N), None if M is None else operator.index(M), operator.index(k)
    return tf.cast(_band(N, M, k, True), _std(dtype))


def identity(n, dtype=None):
    return tf.eye(n, dtype=_std(dtype))


def tri(N, M=None, k=0, dtype=None):
    N, M, k = operator.index(N), None if M is None else operator.index(M), operator.index(k)
    return tf.cast(_band(N, M, k, False), _std(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    return dtypes.float_result_type(_dtype_of(start), _dtype_of(stop))


def _finish(x, dtype):
    if dtypes.is_int_dtype(dtype):
        x = tf.floor(x)
    return tf.cast(x, dtype)


def _linspace(start, stop, num, endpoint, compute):
    """Values in float ``compute``, the new axis first; and the step."""
    start = convert_to_tensor(start, compute)
    stop = convert_to_tensor(stop, compute)
    shape = tf.broadcast_dynamic_shape(tf.shape(start), tf.shape(stop))
    start = tf.broadcast_to(start, shape)
    stop = tf.broadcast_to(stop, shape)
    num = int(num)
    div = (num - 1) if endpoint else num
    if div > 0:
        step = (stop - start) / tf.cast(div, compute)
    else:
        step = tf.fill(shape, tf.constant(math.nan, compute))
    index = tf.reshape(tf.cast(tf.range(num), compute), [num] + [1] * start.shape.rank)
    values = start[None] + index * (step[None] if div > 0 else tf.zeros_like(start)[None])
    if endpoint and num > 1:
        values = tf.concat([values[:-1], stop[None]], axis=0)
    return values, step


def _move_first(values, axis):
    rank = values.shape.rank
    _check_axis(axis, rank)
    axis = axis % rank
    if axis == 0:
        return values
    perm = list(range(1, axis + 1)) + [0] + list(range(axis + 1, rank))
    return tf.transpose(values, perm)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    values, step = _linspace(start, stop, num, endpoint, compute)
    values = _finish(_move_first(values, axis), dtype)
    return (values, step) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    values, _ = _linspace(start, stop, num, endpoint, compute)
    values = tf.pow(convert_to_tensor(base, compute), values)
    return _finish(_move_first(values, axis), dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    start = convert_to_tensor(start, compute)
    stop = convert_to_tensor(stop, compute)
    shape = tf.broadcast_dynamic_shape(tf.shape(start), tf.shape(stop))
    start = tf.broadcast_to(start, shape)
    stop = tf.broadcast_to(stop, shape)
    logs, _ = _linspace(tf.math.log(tf.abs(start)), tf.math.log(tf.abs(stop)), num, endpoint,
                        compute)
    values = tf.sign(start)[None] * tf.exp(logs)
    num = int(num)
    if num > 0:
        values = tf.concat([start[None], values[1:]], axis=0)
    if endpoint and num > 1:
        values = tf.concat([values[:-1], stop[None]], axis=0)
    return _finish(_move_first(values, axis), dtype)


def _window(values):
    return tf.cast(values, config.floatx())


def _points(x):
    m = operator.index(x)
    if m < 0:
        raise ValueError(f"expected a non-negative window size, received {m}.")
    return m, tf.range(m, dtype="float64")


def bartlett(x):
    m, n = _points(x)
    if m == 1:
        return _window(tf.ones([1], "float64"))
    half = (m - 1) / 2.0
    return _window(1.0 - tf.abs(n - half) / half)


def _cosine_window(x, coefficients):
    m, n = _points(x)
    if m == 1:
        return _window(tf.ones([1], "float64"))
    out = tf.zeros([m], "float64")
    for i, c in enumerate(coefficients):
        out += c * tf.cos(2.0 * np.pi * i * n / (m - 1))
    return out


def blackman(x):
    return _window(_cosine_window(x, (0.42, -0.5, 0.08)))


def hamming(x):
    return _window(_cosine_window(x, (0.54, -0.46)))


def hanning(x):
    return _window(_cosine_window(x, (0.5, -0.5)))


def kaiser(x, beta):
    m, n = _points(x)
    if m == 1:
        return _window(tf.ones([1], "float64"))
    beta = tf.cast(beta, "float64")
    alpha = (m - 1) / 2.0
    ratio = (n - alpha) / alpha
    values = tf.math.bessel_i0(beta * tf.sqrt(1.0 - ratio * ratio)) / tf.math.bessel_i0(beta)
    return _window(values)


def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    if x.shape.rank != 1:
        raise ValueError(f"`x` must be 1-D, received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    if n is None:
        n = tf.shape(x)[0]
    powers = tf.range(n)
    if not increasing:
        powers = tf.reverse(powers, [0])
    if x.dtype == tf.bool:
        return tf.where(powers[None, :] == 0, True, x[:, None])
    return tf.pow(x[:, None], tf.cast(powers, x.dtype)[None, :])


def diag(x, k=0):
    x = convert_to_tensor(x)
    if x.shape.rank == 1:
        return tf.linalg.diag(x, k=k)
    if x.shape.rank != 2:
        raise ValueError(f"`x` must be 1-D or 2-D, received shape {x.shape}.")
    rows, cols = x.shape
    if rows is None or cols is None:
        rows, cols = tf.shape(x)[0], tf.shape(x)[1]
        size = tf.maximum(0, tf.minimum(rows, cols - k) if k >= 0 else tf.minimum(rows + k, cols))
    else:
        size = max(0, min(rows, cols - k) if k >= 0 else min(rows + k, cols))
        if size == 0:
            return tf.zeros([0], x.dtype)
    source = tf.cast(x, "int8") if x.dtype == tf.bool else x
    part = tf.linalg.diag_part(source, k=k)[:size]
    return tf.cast(part, "bool") if x.dtype == tf.bool else part


def diagflat(x, k=0):
    return diag(tf.reshape(convert_to_tensor(x), [-1]), k=k)


def copy(x):
    return tf.identity(convert_to_tensor(x))
