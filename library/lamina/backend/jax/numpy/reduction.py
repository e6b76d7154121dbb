"""NumPy-style reductions and cumulative ops on JAX."""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _dt(x):
    return dtypes.standardize_dtype(x.dtype)


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
    return x.astype(dtypes.float_result_type(_dt(x)))


def all(x, axis=None, keepdims=False):
    return jnp.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def amax(x, axis=None, keepdims=False):
    return jnp.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return jnp.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    return jnp.max(x, axis=_axis(axis), keepdims=keepdims, initial=initial).astype(x.dtype)


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    return jnp.min(x, axis=_axis(axis), keepdims=keepdims, initial=initial).astype(x.dtype)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        return jnp.mean(x.astype(dtypes.float_result_type(_dt(x))), axis=axis)
    weights = convert_to_tensor(weights)
    dtype = dtypes.float_result_type(_dt(x), _dt(weights))
    return jnp.average(x.astype(dtype), axis=axis, weights=weights.astype(dtype))


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(convert_to_tensor(x), axis=_axis(axis)).astype("int32")


def _cum(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    dtype = cum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return fn(x.astype(dtype), axis=axis)


def cumsum(x, axis=None, dtype=None):
    return _cum(jnp.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cum(jnp.cumprod, x, axis, dtype)


def nancumsum(x, axis=None, dtype=None):
    return _cum(jnp.nancumsum, x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cum(jnp.nancumprod, x, axis, dtype)


def _float_reduce(fn, x, axis, keepdims):
    x = _float(x)
    return fn(x, axis=_axis(axis), keepdims=keepdims).astype(x.dtype)


def mean(x, axis=None, keepdims=False):
    return _float_reduce(jnp.mean, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _float_reduce(jnp.std, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _float_reduce(jnp.var, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    return _float_reduce(jnp.nanmean, x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return _float_reduce(jnp.nanstd, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    return _float_reduce(jnp.nanvar, x, axis, keepdims)


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=sum_dtype(_dt(x)))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return jnp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def nansum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.nansum(x, axis=_axis(axis), keepdims=keepdims, dtype=sum_dtype(_dt(x)))


def nanprod(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=sum_dtype(_dt(x)))


def ptp(x, axis=None, keepdims=False):
    return jnp.ptp(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return jnp.nanmax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return jnp.nanmin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return jnp.nanargmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def nanargmin(x, axis=None, keepdims=False):
    return jnp.nanargmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is not None:
        x = convert_to_tensor(x).astype(y.dtype)
    return jnp.trapezoid(y, x=x, dx=dx, axis=axis).astype(y.dtype)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = dtypes.result_type(_dt(x1), _dt(x2))
    close = jnp.isclose(x1.astype(dtype), x2.astype(dtype), rtol=rtol, atol=atol, equal_nan=equal_nan)
    return jnp.all(close)
