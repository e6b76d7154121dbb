"""NumPy-style reductions and cumulative ops on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype


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
    return x.astype(to_numpy_dtype(dtypes.float_result_type(_dt(x))))


def _out(value, dtype):
    return np.asarray(value, dtype=to_numpy_dtype(dtype))


def all(x, axis=None, keepdims=False):
    return np.asarray(np.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    return np.asarray(np.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def amax(x, axis=None, keepdims=False):
    return np.asarray(np.amax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def amin(x, axis=None, keepdims=False):
    return np.asarray(np.amin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims))


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    kwargs = {} if initial is None else {"initial": initial}
    return _out(np.max(x, axis=_axis(axis), keepdims=keepdims, **kwargs), _dt(x))


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    kwargs = {} if initial is None else {"initial": initial}
    return _out(np.min(x, axis=_axis(axis), keepdims=keepdims, **kwargs), _dt(x))


def argmax(x, axis=None, keepdims=False):
    return _out(np.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def argmin(x, axis=None, keepdims=False):
    return _out(np.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        dtype = dtypes.float_result_type(_dt(x))
        return _out(np.mean(x.astype(to_numpy_dtype(dtype)), axis=axis), dtype)
    weights = convert_to_tensor(weights)
    dtype = dtypes.float_result_type(_dt(x), _dt(weights))
    npdt = to_numpy_dtype(dtype)
    return _out(np.average(x.astype(npdt), axis=axis, weights=weights.astype(npdt)), dtype)


def count_nonzero(x, axis=None):
    return _out(np.count_nonzero(convert_to_tensor(x), axis=_axis(axis)), "int32")


def _cum(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    dtype = cum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return _out(fn(x.astype(to_numpy_dtype(dtype)), axis=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cum(np.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cum(np.cumprod, x, axis, dtype)


def nancumsum(x, axis=None, dtype=None):
    return _cum(np.nancumsum, x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cum(np.nancumprod, x, axis, dtype)


def _float_reduce(fn, x, axis, keepdims):
    x = _float(x)
    return _out(fn(x, axis=_axis(axis), keepdims=keepdims), _dt(x))


def mean(x, axis=None, keepdims=False):
    return _float_reduce(np.mean, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _float_reduce(np.std, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _float_reduce(np.var, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    return _float_reduce(np.nanmean, x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return _float_reduce(np.nanstd, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    return _float_reduce(np.nanvar, x, axis, keepdims)


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x))
    return _out(np.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=to_numpy_dtype(dtype)), dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return _out(np.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=to_numpy_dtype(dtype)), dtype)


def nansum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x))
    return _out(np.nansum(x, axis=_axis(axis), keepdims=keepdims, dtype=to_numpy_dtype(dtype)), dtype)


def nanprod(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x))
    return _out(np.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=to_numpy_dtype(dtype)), dtype)


def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return _out(np.ptp(x, axis=_axis(axis), keepdims=keepdims), _dt(x))


def _nan_extremum(fn, x, axis, keepdims):
    x = convert_to_tensor(x)
    if _dt(x) not in dtypes.FLOAT_TYPES:
        return _out(_plain[fn](x, axis=_axis(axis), keepdims=keepdims), _dt(x))
    isnan = np.isnan(x)
    fill = -np.inf if fn is np.nanmax else np.inf
    value = _plain[fn](np.where(isnan, fill, x), axis=_axis(axis), keepdims=keepdims)
    allnan = np.all(isnan, axis=_axis(axis), keepdims=keepdims)
    return _out(np.where(allnan, np.nan, value), _dt(x))


_plain = {np.nanmax: np.max, np.nanmin: np.min}


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(np.nanmax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(np.nanmin, x, axis, keepdims)


def _nanarg(find, fill, x, axis, keepdims):
    x = convert_to_tensor(x)
    if _dt(x) not in dtypes.FLOAT_TYPES:
        return _out(find(x, axis=axis, keepdims=keepdims), "int32")
    isnan = np.isnan(x)
    index = find(np.where(isnan, fill, x), axis=axis, keepdims=keepdims)
    allnan = np.all(isnan, axis=axis, keepdims=keepdims)
    return _out(np.where(allnan, -1, index), "int32")


def nanargmax(x, axis=None, keepdims=False):
    return _nanarg(np.argmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nanarg(np.argmin, np.inf, x, axis, keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is not None:
        x = convert_to_tensor(x).astype(y.dtype)
    return _out(np.trapezoid(y, x=x, dx=dx, axis=axis), _dt(y))


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_numpy_dtype(dtypes.result_type(_dt(x1), _dt(x2)))
    close = np.isclose(x1.astype(dtype), x2.astype(dtype), rtol=rtol, atol=atol, equal_nan=equal_nan)
    return np.asarray(np.all(close))
