"""NumPy-style reductions and cumulative ops on TensorFlow."""


import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor


def _dt(x):
    return dtypes.standardize_dtype(x.dtype)


def _axis(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def sum_dtype(dtype):
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def cum_dtype(dtype):
    return "int32" if dtype == "bool" else dtype


def _float(x):
    x = convert_to_tensor(x)
    return tf.cast(x, dtypes.float_result_type(_dt(x)))


def _is_float(x):
    return x.dtype.is_floating


def all(x, axis=None, keepdims=False):
    x = tf.cast(convert_to_tensor(x), "bool")
    return tf.reduce_all(x, axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = tf.cast(convert_to_tensor(x), "bool")
    return tf.reduce_any(x, axis=_axis(axis), keepdims=keepdims)


def amax(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        return tf.reduce_any(x, axis=_axis(axis), keepdims=keepdims)
    return tf.reduce_max(x, axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        return tf.reduce_all(x, axis=_axis(axis), keepdims=keepdims)
    return tf.reduce_min(x, axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    out = amax(x, axis, keepdims)
    if initial is not None:
        if x.dtype == tf.bool:
            return tf.logical_or(out, tf.cast(initial, "bool"))
        out = tf.maximum(out, tf.cast(initial, x.dtype))
    return out


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    out = amin(x, axis, keepdims)
    if initial is not None:
        if x.dtype == tf.bool:
            return tf.logical_and(out, tf.cast(initial, "bool"))
        out = tf.minimum(out, tf.cast(initial, x.dtype))
    return out


def _arg(fn, x, axis, keepdims):
    if x.dtype == tf.bool:
        x = tf.cast(x, "int32")
    elif x.dtype in (tf.float16, tf.bfloat16):
        x = tf.cast(x, "float32")
    if axis is None or x.shape.rank == 0:
        out = fn(tf.reshape(x, [-1]), axis=0, output_type="int32")
        if keepdims:
            out = tf.reshape(out, [1] * x.shape.rank)
        return out
    out = fn(x, axis=axis, output_type="int32")
    if keepdims:
        out = tf.expand_dims(out, axis % x.shape.rank)
    return out


def argmax(x, axis=None, keepdims=False):
    return _arg(tf.argmax, convert_to_tensor(x), axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(tf.argmin, convert_to_tensor(x), axis, keepdims)


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        return mean(x, axis=axis)
    weights = convert_to_tensor(weights)
    dtype = dtypes.float_result_type(_dt(x), _dt(weights))
    x, weights = tf.cast(x, dtype), tf.cast(weights, dtype)
    if axis is not None and weights.shape.rank == 1 and x.shape.rank > 1:
        shape = [1] * x.shape.rank
        shape[axis] = -1
        weights = tf.reshape(weights, shape)
    weights = tf.broadcast_to(weights, tf.shape(x))
    return tf.reduce_sum(x * weights, axis=axis) / tf.reduce_sum(weights, axis=axis)


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    if axis == () or axis == []:
        return tf.cast(tf.not_equal(x, tf.zeros((), x.dtype)), "int32")
    return tf.math.count_nonzero(x, axis=_axis(axis), dtype="int32")


def _cum(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    dtype = cum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    x = tf.cast(x, dtype)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    elif x.shape.rank == 0:
        return tf.reshape(fn(tf.reshape(x, [1]), axis=0), [])
    return fn(x, axis=axis)


def cumsum(x, axis=None, dtype=None):
    return _cum(tf.math.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cum(tf.math.cumprod, x, axis, dtype)


def _nan_to(x, value):
    x = convert_to_tensor(x)
    if not _is_float(x):
        return x
    return tf.where(tf.math.is_nan(x), tf.constant(value, x.dtype), x)


def nancumsum(x, axis=None, dtype=None):
    return _cum(tf.math.cumsum, _nan_to(x, 0.0), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cum(tf.math.cumprod, _nan_to(x, 1.0), axis, dtype)


def _compute(x):
    """Half-precision floats are reduced in float32 for accuracy."""
    return tf.cast(x, "float32") if x.dtype in (tf.float16, tf.bfloat16) else x


def mean(x, axis=None, keepdims=False):
    x = _float(x)
    return tf.cast(tf.reduce_mean(_compute(x), axis=_axis(axis), keepdims=keepdims), x.dtype)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    return tf.cast(tf.math.reduce_variance(_compute(x), axis=_axis(axis), keepdims=keepdims), x.dtype)


def std(x, axis=None, keepdims=False):
    x = _float(x)
    return tf.cast(tf.math.reduce_std(_compute(x), axis=_axis(axis), keepdims=keepdims), x.dtype)


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    x = tf.cast(x, sum_dtype(_dt(x)))
    return tf.reduce_sum(x, axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return tf.reduce_prod(tf.cast(x, dtype), axis=_axis(axis), keepdims=keepdims)


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_to(x, 0.0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_to(x, 1.0), axis, keepdims)


def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        raise TypeError("ptp: expected a numeric tensor, received dtype bool.")
    return amax(x, axis, keepdims) - amin(x, axis, keepdims)


def _nan_extremum(fn, fill, x, axis, keepdims):
    x = convert_to_tensor(x)
    if not _is_float(x):
        return fn(x, axis, keepdims)
    isnan = tf.math.is_nan(x)
    value = fn(tf.where(isnan, tf.constant(fill, x.dtype), x), axis, keepdims)
    allnan = tf.reduce_all(isnan, axis=_axis(axis), keepdims=keepdims)
    return tf.where(allnan, tf.constant(float("nan"), x.dtype), value)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(amax, float("-inf"), x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(amin, float("inf"), x, axis, keepdims)


def _nanarg(fn, fill, x, axis, keepdims):
    x = convert_to_tensor(x)
    if not _is_float(x):
        return _arg(fn, x, axis, keepdims)
    isnan = tf.math.is_nan(x)
    index = _arg(fn, tf.where(isnan, tf.constant(fill, x.dtype), x), axis, keepdims)
    allnan = tf.reduce_all(isnan, axis=axis, keepdims=keepdims)
    return tf.where(allnan, tf.constant(-1, "int32"), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nanarg(tf.argmax, float("-inf"), x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nanarg(tf.argmin, float("inf"), x, axis, keepdims)


def _nancount(x, axis, keepdims):
    return tf.reduce_sum(tf.cast(~tf.math.is_nan(x), x.dtype), axis=_axis(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float(x)
    total = tf.reduce_sum(tf.where(tf.math.is_nan(x), tf.zeros_like(x), x), axis=_axis(axis),
                          keepdims=keepdims)
    return total / _nancount(x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    x = _float(x)
    isnan = tf.math.is_nan(x)
    clean = tf.where(isnan, tf.zeros_like(x), x)
    centered = tf.where(isnan, tf.zeros_like(x), clean - nanmean(x, axis, True))
    squares = centered * centered
    return tf.reduce_sum(squares, axis=_axis(axis), keepdims=keepdims) / _nancount(x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return tf.sqrt(nanvar(x, axis, keepdims))


def _last(t, axis):
    rank = t.shape.rank
    axis = axis % rank
    if axis == rank - 1:
        return t
    perm = [i for i in range(rank) if i != axis] + [axis]
    return tf.transpose(t, perm)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    y = _last(y, axis)
    if x is None:
        spacing = tf.cast(dx, y.dtype)
    else:
        x = tf.cast(convert_to_tensor(x), y.dtype)
        if x.shape.rank != 1:
            x = _last(x, axis)
        spacing = x[..., 1:] - x[..., :-1]
    heights = (y[..., 1:] + y[..., :-1]) / tf.constant(2, y.dtype)
    return tf.reduce_sum(heights * spacing, axis=-1)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = dtypes.result_type(_dt(x1), _dt(x2))
    x1, x2 = tf.cast(x1, dtype), tf.cast(x2, dtype)
    if not x1.dtype.is_floating:
        return tf.reduce_all(tf.equal(x1, x2))
    close = tf.abs(x1 - x2) <= tf.cast(atol, dtype) + tf.cast(rtol, dtype) * tf.abs(x2)
    close = (close & tf.math.is_finite(x1) & tf.math.is_finite(x2)) | tf.equal(x1, x2)
    if equal_nan:
        close = close | (tf.math.is_nan(x1) & tf.math.is_nan(x2))
    return tf.reduce_all(close)
