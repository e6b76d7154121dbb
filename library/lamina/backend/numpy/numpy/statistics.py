"""NumPy-style statistics on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype


def _dt(x):
    return dtypes.standardize_dtype(x.dtype)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _quantile(fn, x, q, axis, method, keepdims):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_dt(x))
    npdt = to_numpy_dtype(dtype)
    x = x.astype(npdt)
    q = np.asarray(convert_to_tensor(q), dtype=np.float64)
    if q.ndim > 1:
        raise ValueError("quantile: q must be a scalar or 1-D.")
    out = fn(x.astype(np.float64) if dtype in ("float16", "bfloat16") else x, q,
             axis=_axis(axis), method=method, keepdims=keepdims)
    return np.asarray(out, dtype=npdt)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(np.quantile, x, q, axis, method, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(np.nanquantile, x, q, axis, method, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(np.quantile, x, np.asarray(convert_to_tensor(q), np.float64) / 100.0,
                     axis, method, keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(np.nanquantile, x, np.asarray(convert_to_tensor(q), np.float64) / 100.0,
                     axis, method, keepdims)


def median(x, axis=None, keepdims=False):
    return _quantile(np.quantile, x, 0.5, axis, "linear", keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(np.nanquantile, x, 0.5, axis, "linear", keepdims)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError("histogram: x must be 1-D.")
    npdt = to_numpy_dtype(dtypes.float_result_type(_dt(x)))
    counts, edges = np.histogram(x.astype(npdt), bins=bins, range=range)
    return counts.astype(npdt), edges.astype(npdt)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported on the numpy backend.")
    x = convert_to_tensor(x)
    if dtypes.standardize_dtype(x.dtype) not in dtypes.INT_TYPES + ("bool",):
        raise TypeError("bincount: x must be an integer tensor.")
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(_dt(x), _dt(weights))
    x = x.astype(np.int64)
    if x.ndim == 1:
        out = np.bincount(x, weights=weights, minlength=minlength)
    else:
        length = int(max(minlength, x.max() + 1 if x.size else 0))
        out = np.stack([
            np.bincount(row, weights=None if weights is None else weights[i], minlength=length)
            for i, row in enumerate(x)
        ]) if len(x) else np.zeros((0, length))
    return out.astype(to_numpy_dtype(dtype))


def corrcoef(x):
    x = convert_to_tensor(x)
    npdt = to_numpy_dtype(dtypes.float_result_type(_dt(x)))
    return np.asarray(np.corrcoef(x.astype(npdt)), dtype=npdt)


def correlate(x1, x2, mode="valid"):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    npdt = to_numpy_dtype(dtypes.float_result_type(_dt(x1), _dt(x2)))
    return np.correlate(x1.astype(npdt), x2.astype(npdt), mode=mode).astype(npdt)


def digitize(x, bins):
    x, bins = convert_to_tensor(x), convert_to_tensor(bins)
    return np.asarray(np.digitize(x, bins), dtype=np.int32)
