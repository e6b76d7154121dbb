"""NumPy-style statistics on JAX."""

import functools

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def _dt(x):
    return dtypes.standardize_dtype(x.dtype)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _quantile(fn, x, q, axis, method, keepdims, scale=1.0):
    x = convert_to_tensor(x)
    q = convert_to_tensor(q, "float32")
    if q.ndim > 1:
        raise ValueError("quantile: q must be a scalar or 1-D.")
    return _quantile_compiled(fn, x, q, _axis(axis), method, keepdims, scale)


@functools.partial(jax.jit, static_argnums=(0, 3, 4, 5, 6))
def _quantile_compiled(fn, x, q, axis, method, keepdims, scale):
    # One compiled function per shape: much faster eagerly than op-by-op dispatch.
    dtype = dtypes.float_result_type(_dt(x))
    compute = "float32" if dtype in ("float16", "bfloat16") else dtype
    out = fn(x.astype(compute), q / scale, axis=axis, method=method, keepdims=keepdims)
    return out.astype(dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(jnp.quantile, x, q, axis, method, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(_nanquantile, x, q, axis, method, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(jnp.quantile, x, q, axis, method, keepdims, 100.0)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(_nanquantile, x, q, axis, method, keepdims, 100.0)


def median(x, axis=None, keepdims=False):
    return _quantile(jnp.quantile, x, 0.5, axis, "linear", keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(_nanquantile, x, 0.5, axis, "linear", keepdims)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError("histogram: x must be 1-D.")
    dtype = dtypes.float_result_type(_dt(x))
    counts, edges = jnp.histogram(x.astype(dtype), bins=bins, range=range)
    return counts.astype(dtype), edges.astype(dtype)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported on the jax backend.")
    x = convert_to_tensor(x)
    if dtypes.standardize_dtype(x.dtype) not in dtypes.INT_TYPES + ("bool",):
        raise TypeError("bincount: x must be an integer tensor.")
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(_dt(x), _dt(weights))
    x = x.astype("int32")
    # The length depends on the values: eager only, like numpy.bincount.
    length = int(jnp.maximum(minlength, jnp.max(x, initial=-1) + 1))
    if x.ndim == 1:
        return jnp.bincount(x, weights=weights, length=length).astype(dtype)
    rows = x.shape[0]
    flat = (x + length * jnp.arange(rows, dtype="int32")[:, None]).reshape(-1)
    w = None if weights is None else weights.reshape(-1)
    out = jnp.bincount(flat, weights=w, length=rows * length)
    return out.reshape(rows, length).astype(dtype)


def corrcoef(x):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_dt(x))
    return jnp.corrcoef(x.astype(dtype)).astype(dtype)


def correlate(x1, x2, mode="valid"):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = dtypes.float_result_type(_dt(x1), _dt(x2))
    return jnp.correlate(x1.astype(dtype), x2.astype(dtype), mode=mode).astype(dtype)


def digitize(x, bins):
    x, bins = convert_to_tensor(x), convert_to_tensor(bins)
    dtype = dtypes.result_type(_dt(x), _dt(bins))
    return jnp.digitize(x.astype(dtype), bins.astype(dtype)).astype("int32")


def _nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """Quantiles skipping NaNs, written with sort and gather.

    (``jnp.nanquantile`` gives wrong results for ``method="nearest"``.)
    """
    axis = (axis,) if isinstance(axis, int) else axis
    axes = tuple(range(x.ndim)) if axis is None else tuple(sorted(a % x.ndim for a in axis))
    rest = [i for i in range(x.ndim) if i not in axes]
    y = jnp.transpose(x, rest + list(axes)).reshape([x.shape[i] for i in rest] + [-1])
    isnan = jnp.isnan(y)
    y = jnp.sort(jnp.where(isnan, jnp.inf, y), axis=-1)
    n = jnp.sum(~isnan, axis=-1, keepdims=True).astype("float32")
    last = jnp.maximum(n - 1, 0)
    pos = q.reshape(-1) * last
    lo, hi = jnp.minimum(jnp.floor(pos), last), jnp.minimum(jnp.ceil(pos), last)

    def take(i):
        return jnp.take_along_axis(y, i.astype("int32"), axis=-1)

    if method == "lower":
        out = take(lo)
    elif method == "higher":
        out = take(hi)
    elif method == "nearest":
        out = take(jnp.minimum(jnp.round(pos), last))
    elif method == "midpoint":
        out = (take(lo) + take(hi)) / 2
    else:
        a, b = take(lo), take(hi)
        out = a + (b - a) * (pos - lo).astype(y.dtype)
    out = jnp.where(n == 0, jnp.nan, out)
    out = jnp.moveaxis(out, -1, 0)
    if keepdims:
        out = out.reshape((out.shape[0],) + tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    return out.reshape(tuple(q.shape) + out.shape[1:])
