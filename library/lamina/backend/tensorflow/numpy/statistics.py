"""NumPy-style statistics on TensorFlow (quantiles written with sort and gather)."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor


def _dt(x):
    return dtypes.standardize_dtype(x.dtype)


def _axes(x, axis):
    rank = x.shape.rank
    if axis is None:
        return list(range(rank))
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} is out of range for a tensor of rank {rank}.")
    return sorted(a % rank for a in axes)


def _quantile(x, q, axis, method, keepdims, ignore_nan, scale=1.0):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_dt(x))
    x = tf.cast(x, dtype)
    index_dtype = "float64" if dtype == "float64" else "float32"
    q = tf.cast(convert_to_tensor(q), index_dtype) / scale
    if q.shape.rank > 1:
        raise ValueError("quantile: q must be a scalar or 1-D.")
    axes = _axes(x, axis)
    rest = [i for i in range(x.shape.rank) if i not in axes]
    shape = tf.shape(x)
    y = tf.transpose(x, rest + axes)
    y = tf.reshape(y, tf.concat([tf.gather(shape, tf.constant(rest, "int32")), [-1]], 0))
    isnan = tf.math.is_nan(y)
    if ignore_nan:
        y = tf.where(isnan, tf.constant(float("inf"), dtype), y)
        n = tf.reduce_sum(tf.cast(~isnan, index_dtype), -1, keepdims=True)
    else:
        n = tf.cast(tf.shape(y)[-1:], index_dtype) + tf.zeros_like(y[..., :1], index_dtype)
    y = tf.sort(y, axis=-1)
    last = tf.maximum(n - 1, 0)
    pos = tf.reshape(q, [-1]) * last  # (..., Q)
    lo, hi = tf.minimum(tf.floor(pos), last), tf.minimum(tf.math.ceil(pos), last)

    def take(i):
        return tf.gather(y, tf.cast(i, "int32"), axis=-1, batch_dims=y.shape.rank - 1)

    if method == "lower":
        out = take(lo)
    elif method == "higher":
        out = take(hi)
    elif method == "nearest":
        out = take(tf.minimum(tf.round(pos), last))
    elif method == "midpoint":
        out = (take(lo) + take(hi)) / tf.constant(2, dtype)
    elif method == "linear":
        a, b = take(lo), take(hi)
        out = a + (b - a) * tf.cast(pos - lo, dtype)
    else:
        raise ValueError(f"quantile: unknown method {method!r}.")
    bad = tf.equal(n, 0) if ignore_nan else tf.reduce_any(isnan, -1, keepdims=True)
    out = tf.where(bad, tf.constant(float("nan"), dtype), out)
    rank = out.shape.rank
    out = tf.transpose(out, [rank - 1] + list(range(rank - 1)))
    if keepdims:
        kept = tf.tensor_scatter_nd_update(shape, [[a] for a in axes], [1] * len(axes)) \
            if axes else shape
        out = tf.reshape(out, tf.concat([[-1], kept], 0))
    return tf.reshape(out, tf.concat([tf.shape(q), tf.shape(out)[1:]], 0))


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, True)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, False, 100.0)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, True, 100.0)


def median(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, False)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, True)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_dt(x))
    if x.shape.rank != 1:
        raise ValueError("histogram: x must be 1-D.")
    x = tf.cast(x, dtype)
    if range is None:
        lo, hi = tf.stop_gradient(tf.reduce_min(x)), tf.stop_gradient(tf.reduce_max(x))
    else:
        lo, hi = tf.constant(range[0], dtype), tf.constant(range[1], dtype)
    same = tf.equal(lo, hi)
    lo = tf.where(same, lo - tf.constant(0.5, dtype), lo)
    hi = tf.where(same, hi + tf.constant(0.5, dtype), hi)
    steps = tf.cast(tf.linspace(0.0, 1.0, bins + 1), dtype)
    edges = lo + (hi - lo) * steps
    inside = (x >= lo) & (x <= hi)
    index = tf.searchsorted(edges, tf.stop_gradient(x), side="right", out_type="int32") - 1
    index = tf.clip_by_value(index, 0, bins - 1)
    counts = tf.math.unsorted_segment_sum(tf.cast(inside, dtype), index, bins)
    return counts, edges


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported on the tensorflow backend.")
    x = convert_to_tensor(x)
    if dtypes.standardize_dtype(x.dtype) not in dtypes.INT_TYPES + ("bool",):
        raise TypeError("bincount: x must be an integer tensor.")
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(_dt(x), _dt(weights))
        wdt = _dt(weights)
        if wdt not in ("int32", "int64", "float32", "float64"):
            weights = tf.cast(weights, "int32" if "int" in wdt or wdt == "bool" else "float32")
    x = tf.cast(x, "int32")
    out = tf.math.bincount(x, weights=weights, minlength=minlength, axis=-1)
    return tf.cast(out, dtype)


def corrcoef(x):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_dt(x))
    x = tf.cast(x, dtype)
    one_d = x.shape.rank == 1
    if one_d:
        x = x[None]
    centered = x - tf.reduce_mean(x, axis=-1, keepdims=True)
    cov = tf.matmul(centered, centered, transpose_b=True)
    d = tf.sqrt(tf.linalg.diag_part(cov))
    out = tf.clip_by_value(cov / (d[:, None] * d[None, :]), -1.0, 1.0)
    return out[0, 0] if one_d else out


def correlate(x1, x2, mode="valid"):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = dtypes.float_result_type(_dt(x1), _dt(x2))
    x1, x2 = tf.cast(x1, dtype), tf.cast(x2, dtype)
    if x1.shape.rank != 1 or x2.shape.rank != 1:
        raise ValueError("correlate: x1 and x2 must be 1-D.")
    n, m = x1.shape[0], x2.shape[0]
    padded = tf.pad(x1, [[m - 1, m - 1]])
    full = tf.reduce_sum(tf.signal.frame(padded, m, 1) * x2, axis=-1)
    if mode == "full":
        return full
    if mode == "valid":
        return full[min(n, m) - 1: max(n, m)]
    if mode == "same":
        start = (min(n, m) - 1) // 2
        return full[start: start + max(n, m)]
    raise ValueError(f"correlate: unknown mode {mode!r}.")


def digitize(x, bins):
    x, bins = convert_to_tensor(x), convert_to_tensor(bins)
    dtype = dtypes.result_type(_dt(x), _dt(bins))
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        dtype = "int32"
    elif dtype in ("float16", "bfloat16"):
        dtype = "float32"
    x, bins = tf.cast(x, dtype), tf.cast(bins, dtype)
    flat = tf.reshape(x, [-1])
    out = tf.searchsorted(bins, flat, side="right", out_type="int32")
    return tf.reshape(out, tf.shape(x))
