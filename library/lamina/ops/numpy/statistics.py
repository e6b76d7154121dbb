"""NumPy-style ops: statistics (quantiles, histograms, correlation, binning)."""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "median", "nanmedian", "quantile", "nanquantile", "percentile", "nanpercentile",
    "histogram", "bincount", "corrcoef", "correlate", "digitize",
]

METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _median_rule(x, axis=None, keepdims=False):
    shape = rules.reduced_shape(rules.shape_of(x), axis, keepdims)
    return rules.spec(shape, dtypes.float_result_type(rules.dtype_of(x)))


def _quantile_rule(x, q, axis=None, method="linear", keepdims=False):
    if method not in METHODS:
        raise ValueError(f"expected `method` to be one of {METHODS}, received {method!r}.")
    qshape = rules.shape_of(q, "q")
    if len(qshape) > 1:
        raise ValueError(f"expected a scalar or 1-D `q`, received {rules.describe(q)}.")
    out = _median_rule(x, axis, keepdims)
    return rules.spec(tuple(qshape) + tuple(out.shape), out.dtype)


def _histogram_rule(x, bins=10, range=None):
    shape = rules.shape_of(x)
    if len(shape) != 1:
        raise ValueError(f"expected a 1-D tensor for `x`, received {rules.describe(x)}.")
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"expected a positive int for `bins`, received {rules.describe(bins)}.")
    if range is not None and (not isinstance(range, (tuple, list)) or len(range) != 2):
        raise ValueError(f"expected `range` to be a (min, max) pair, received {range!r}.")
    dtype = dtypes.float_result_type(rules.dtype_of(x))
    return rules.spec((bins,), dtype), rules.spec((bins + 1,), dtype)


def _bincount_rule(x, weights=None, minlength=0, sparse=False):
    shape = rules.shape_of(x)
    dtype = rules.tensor_dtype(x)
    if dtype not in dtypes.INT_TYPES and dtype != "bool":
        raise TypeError(f"expected an integer tensor for `x`, received dtype {dtype}.")
    if len(shape) not in (1, 2):
        raise ValueError(f"expected a 1-D or 2-D tensor for `x`, received {rules.describe(x)}.")
    out_dtype = "int32"
    if weights is not None:
        wshape = rules.shape_of(weights, "weights")
        if len(wshape) != len(shape) or any(
            a is not None and b is not None and a != b for a, b in zip(shape, wshape)
        ):
            raise ValueError(
                f"expected `weights` of the shape of `x` {shape}, received shape {wshape}."
            )
        out_dtype = dtypes.result_type(dtype, rules.dtype_of(weights, "weights"))
    if sparse:
        raise ValueError("sparse=True is not supported.")
    return rules.spec(shape[:-1] + (None,), out_dtype)


def _corrcoef_rule(x):
    shape = rules.shape_of(x)
    if len(shape) not in (1, 2):
        raise ValueError(f"expected a 1-D or 2-D tensor for `x`, received {rules.describe(x)}.")
    dtype = dtypes.float_result_type(rules.dtype_of(x))
    return rules.spec(() if len(shape) == 1 else (shape[0], shape[0]), dtype)


def _correlate_rule(x1, x2, mode="valid"):
    s1, s2 = rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2")
    for name, s in (("x1", s1), ("x2", s2)):
        if len(s) != 1:
            raise ValueError(f"expected a 1-D tensor for `{name}`, received shape {s}.")
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"expected `mode` 'valid', 'same' or 'full', received {mode!r}.")
    n, m = s1[0], s2[0]
    if n is None or m is None:
        length = None
    elif mode == "valid":
        length = abs(n - m) + 1
    elif mode == "same":
        length = max(n, m)
    else:
        length = n + m - 1
    dtype = dtypes.float_result_type(rules.dtype_of(x1, "x1"), rules.dtype_of(x2, "x2"))
    return rules.spec((length,), dtype)


def _digitize_rule(x, bins):
    bshape = rules.shape_of(bins, "bins")
    if len(bshape) != 1:
        raise ValueError(f"expected 1-D `bins`, received shape {bshape}.")
    rules.dtype_of(bins, "bins")
    return rules.spec(rules.shape_of(x), "int32")


@op(_median_rule)
def median(x, axis=None, keepdims=False):
    """Median along ``axis``: the middle value, or the mean of the two middle values.

    Example:
        >>> lamina.ops.median(np.array([3.0, 1.0, 4.0, 2.0]))
        # 2.5
    """


@op(_median_rule)
def nanmedian(x, axis=None, keepdims=False):
    """Median ignoring NaNs (NaN for an all-NaN slice).

    Example:
        >>> lamina.ops.nanmedian(np.array([3.0, np.nan, 1.0]))
        # 2.0
    """


@op(_quantile_rule)
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles of ``x`` along ``axis``.

    Args:
        x: a tensor.
        q: a scalar or 1-D tensor of probabilities in [0, 1].
        axis: None (all axes), an int or a tuple of ints.
        method: ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep reduced axes with length 1.

    Returns:
        A floating tensor of shape ``q.shape + reduced shape``. Slices holding a
        NaN give NaN.

    Example:
        >>> lamina.ops.quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5)
        # 2.5
    """


@op(_quantile_rule)
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """Quantiles ignoring NaNs (see :func:`quantile`).

    Example:
        >>> lamina.ops.nanquantile(np.array([1.0, np.nan, 3.0]), 0.5)
        # 2.0
    """


@op(_quantile_rule)
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]); see :func:`quantile`.

    Example:
        >>> lamina.ops.percentile(np.array([1.0, 2.0, 3.0, 4.0]), 50)
        # 2.5
    """


@op(_quantile_rule)
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """Percentiles ignoring NaNs; see :func:`percentile`.

    Example:
        >>> lamina.ops.nanpercentile(np.array([1.0, np.nan, 3.0]), 50)
        # 2.0
    """


@op(_histogram_rule)
def histogram(x, bins=10, range=None):
    """Counts of the values of a 1-D ``x`` in ``bins`` equal-width bins.

    The last bin includes its upper edge; values outside ``range`` are not counted.

    Args:
        x: a 1-D tensor.
        bins: the number of bins.
        range: ``(min, max)``; default: the minimum and maximum of ``x``.

    Returns:
        ``(counts, bin_edges)``, both in the floating dtype of ``x``.

    Example:
        >>> lamina.ops.histogram(np.array([0.0, 0.5, 1.0]), bins=2)
        # ([1.0, 2.0], [0.0, 0.5, 1.0])
    """


@op(_bincount_rule)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts (or sums of ``weights``) of each non-negative integer in ``x``.

    The length of the result, ``max(max(x) + 1, minlength)``, depends on the
    values, so this op runs eagerly only (a 2-D ``x`` counts row by row).

    Example:
        >>> lamina.ops.bincount(np.array([0, 2, 2]))
        # [1, 0, 2]
    """


@op(_corrcoef_rule)
def corrcoef(x):
    """Pearson correlation coefficients of the rows of ``x`` (variables in rows).

    Example:
        >>> lamina.ops.corrcoef(np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]]))
        # [[1.0, -0.5], [-0.5, 1.0]]
    """


@op(_correlate_rule)
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors, as ``numpy.correlate``.

    Args:
        x1: a 1-D tensor.
        x2: a 1-D tensor.
        mode: ``"valid"``, ``"same"`` or ``"full"``.

    Example:
        >>> lamina.ops.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]))
        # [2.0, 3.0]
    """


@op(_digitize_rule)
def digitize(x, bins):
    """Index (int32) of the bin of each value: ``bins[i-1] <= x < bins[i]``.

    Args:
        x: a tensor.
        bins: a 1-D increasing sequence of bin edges.

    Example:
        >>> lamina.ops.digitize(np.array([0.5, 1.5, 3.0]), [1.0, 2.0])
        # [0, 1, 2]
    """
