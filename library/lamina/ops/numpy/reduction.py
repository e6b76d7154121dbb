"""NumPy-style ops: reductions (sums, extrema, means, spreads) and cumulative ops.

Axis arguments follow NumPy: ``None`` reduces every axis, an int or a tuple of
ints reduces those (negative values count from the end).
"""

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "all", "any", "amax", "amin", "argmax", "argmin", "average", "count_nonzero",
    "cumprod", "cumsum", "max", "mean", "min", "nanargmax", "nanargmin", "nancumprod",
    "nancumsum", "nanmax", "nanmean", "nanmin", "nanprod", "nanstd", "nansum", "nanvar",
    "prod", "ptp", "std", "sum", "var", "trapezoid", "allclose",
]


# -- dtype rules ------------------------------------------------------------------

def sum_dtype(dtype):
    """The dtype of a sum or product: small ints widen to 32 bits (as in JAX)."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        # torch has no uint32 arithmetic: Keras's torch backend gives int32.
        return "int32" if config.backend() == "torch" else "uint32"
    return dtype


def cum_dtype(dtype):
    """The dtype of a cumulative sum or product: bool becomes int32."""
    if dtype == "bool":
        return "int32"
    if dtype in ("uint16", "uint32") and config.backend() == "torch":
        return "int32"
    return dtype


def _reduce(dtype_fn, bool_ok=True):
    def rule(x, axis=None, keepdims=False, *args, **kwargs):
        dtype = rules.tensor_dtype(x)
        if not bool_ok and dtype == "bool":
            raise TypeError(f"expected a numeric tensor for `x`, received dtype {dtype}.")
        shape = rules.reduced_shape(rules.shape_of(x), axis, keepdims)
        return rules.spec(shape, dtype_fn(dtype))
    return rule


_same = _reduce(lambda d: d)
_summed = _reduce(sum_dtype)
_floated = _reduce(dtypes.float_result_type)
_boolean = _reduce(lambda d: "bool")


def _extremum_rule(x, axis=None, keepdims=False, initial=None):
    if initial is not None:
        rules.check_tensor(initial, "initial")
    return _same(x, axis, keepdims)


def _prod_rule(x, axis=None, keepdims=False, dtype=None):
    out = _summed(x, axis, keepdims)
    if dtype is not None:
        out = rules.spec(out.shape, dtypes.standardize_dtype(dtype))
    return out


def _arg_rule(x, axis=None, keepdims=False):
    shape = rules.shape_of(x)
    if axis is not None and not isinstance(axis, int):
        raise TypeError(f"expected None or an int for `axis`, received {rules.describe(axis)}.")
    return rules.spec(rules.reduced_shape(shape, axis, keepdims), "int32")


def _cum_rule(x, axis=None, dtype=None):
    shape = rules.shape_of(x)
    if axis is None:
        size = None if None in shape else int(_product(shape))
        shape = (size,)
    else:
        rules.canonical_axis(axis, len(shape))
    out_dtype = cum_dtype(rules.tensor_dtype(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return rules.spec(shape, out_dtype)


def _product(shape):
    out = 1
    for d in shape:
        out *= d
    return out


def _count_rule(x, axis=None):
    return rules.spec(rules.reduced_shape(rules.shape_of(x), axis, False), "int32")


def _average_rule(x, axis=None, weights=None):
    shape = rules.shape_of(x)
    if axis is not None and not isinstance(axis, int):
        raise TypeError(f"expected None or an int for `axis`, received {rules.describe(axis)}.")
    out_shape = rules.reduced_shape(shape, axis, False)
    dtype = dtypes.float_result_type(rules.dtype_of(x))
    if weights is not None:
        wshape = rules.shape_of(weights, "weights")
        dtype = dtypes.float_result_type(rules.dtype_of(x), rules.dtype_of(weights, "weights"))
        if len(wshape) != len(shape):
            ax = rules.canonical_axis(axis, len(shape)) if axis is not None else None
            if ax is None or len(wshape) != 1:
                raise ValueError(
                    f"`weights` must have the shape of `x` {shape}, or be 1-D along `axis` "
                    f"when `axis` is given; received weights of shape {wshape}."
                )
            if None not in (wshape[0], shape[ax]) and wshape[0] != shape[ax]:
                raise ValueError(
                    f"1-D `weights` must have the length of axis {axis} of `x` ({shape[ax]}), "
                    f"received length {wshape[0]}."
                )
        else:
            rules.broadcast_shapes(shape, wshape)
    return rules.spec(out_shape, dtype)


def _trapezoid_rule(y, x=None, dx=1.0, axis=-1):
    shape = rules.shape_of(y, "y")
    if not shape:
        raise ValueError(f"expected `y` of rank at least 1, received {rules.describe(y)}.")
    ax = rules.canonical_axis(axis, len(shape))
    if x is not None:
        xshape = rules.shape_of(x, "x")
        if len(xshape) == 1:
            if None not in (xshape[0], shape[ax]) and xshape[0] != shape[ax]:
                raise ValueError(
                    f"1-D `x` must have the length of axis {axis} of `y` ({shape[ax]}), "
                    f"received shape {xshape}."
                )
        else:
            rules.broadcast_shapes(shape, xshape)
    return rules.spec(rules.reduced_shape(shape, ax, False), dtypes.float_result_type(rules.dtype_of(y, "y")))


def _allclose_rule(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    rules.broadcast_binary(x1, x2)
    return rules.spec((), "bool")


# -- ops ---------------------------------------------------------------------------

@op(_boolean)
def all(x, axis=None, keepdims=False):
    """Whether every element along ``axis`` is true (non-zero).

    Example:
        >>> lamina.ops.all(np.array([[True, False], [True, True]]), axis=1)
        # [False, True]
    """


@op(_boolean)
def any(x, axis=None, keepdims=False):
    """Whether any element along ``axis`` is true (non-zero).

    Example:
        >>> lamina.ops.any(np.array([0, 0, 3]))
        # True
    """


@op(_same)
def amax(x, axis=None, keepdims=False):
    """Maximum along ``axis``, in the dtype of ``x``.

    Example:
        >>> lamina.ops.amax(np.array([[1, 5], [7, 2]]), axis=0)
        # [7, 5]
    """


@op(_same)
def amin(x, axis=None, keepdims=False):
    """Minimum along ``axis``, in the dtype of ``x``.

    Example:
        >>> lamina.ops.amin(np.array([[1, 5], [7, 2]]), axis=1)
        # [1, 2]
    """


@op(_extremum_rule)
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum along ``axis``.

    Args:
        x: a tensor.
        axis: None (all axes), an int or a tuple of ints.
        keepdims: keep reduced axes with length 1.
        initial: a lower bound included in the maximum.

    Example:
        >>> lamina.ops.max(np.array([1.0, 4.0, 2.0]))
        # 4.0
    """


@op(_extremum_rule)
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum along ``axis``; ``initial`` is an upper bound included in it.

    Example:
        >>> lamina.ops.min(np.array([1.0, 4.0, 2.0]), initial=0.0)
        # 0.0
    """


@op(_arg_rule)
def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the maximum along ``axis`` (of the flattened tensor when None).

    Ties give the first index.

    Example:
        >>> lamina.ops.argmax(np.array([[1, 9], [8, 2]]), axis=1)
        # [1, 0]
    """


@op(_arg_rule)
def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the minimum along ``axis``; ties give the first index.

    Example:
        >>> lamina.ops.argmin(np.array([3, 1, 1]))
        # 1
    """


@op(_average_rule)
def average(x, axis=None, weights=None):
    """Weighted mean along ``axis`` (None: all axes).

    Args:
        x: a tensor.
        axis: None or an int.
        weights: None (all ones), a tensor of the shape of ``x``, or a 1-D
            tensor along ``axis``.

    Returns:
        A floating tensor.

    Example:
        >>> lamina.ops.average(np.array([1.0, 3.0]), weights=np.array([3.0, 1.0]))
        # 1.5
    """


@op(_count_rule)
def count_nonzero(x, axis=None):
    """Number (int32) of non-zero elements along ``axis``.

    Example:
        >>> lamina.ops.count_nonzero(np.array([[0, 1], [2, 3]]), axis=0)
        # [1, 2]
    """


@op(_cum_rule)
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened tensor when None).

    Args:
        x: a tensor.
        axis: None or an int.
        dtype: the dtype of the result (default: that of ``x``, bool becomes int32).

    Example:
        >>> lamina.ops.cumsum(np.array([1, 2, 3]))
        # [1, 3, 6]
    """


@op(_cum_rule)
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened tensor when None).

    Example:
        >>> lamina.ops.cumprod(np.array([1, 2, 3]))
        # [1, 2, 6]
    """


@op(_floated)
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean along ``axis``; integers give floats.

    Example:
        >>> lamina.ops.mean(np.array([1, 2]))
        # 1.5 (float32)
    """


@op(_floated)
def std(x, axis=None, keepdims=False):
    """Population standard deviation along ``axis``.

    Example:
        >>> lamina.ops.std(np.array([1.0, 3.0]))
        # 1.0
    """


@op(_floated)
def var(x, axis=None, keepdims=False):
    """Population variance along ``axis``.

    Example:
        >>> lamina.ops.var(np.array([1.0, 3.0]))
        # 1.0
    """


@op(_summed)
def sum(x, axis=None, keepdims=False):
    """Sum along ``axis``; bool, int8 and int16 sum to int32, uint8/uint16 to uint32.

    Example:
        >>> lamina.ops.sum(np.array([[1, 2], [3, 4]]), axis=0)
        # [4, 6]
    """


@op(_prod_rule)
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product along ``axis`` (small ints widen as in :func:`sum`, unless ``dtype`` is given).

    Example:
        >>> lamina.ops.prod(np.array([2, 3, 4]))
        # 24
    """


@op(_reduce(lambda d: d, bool_ok=False))
def ptp(x, axis=None, keepdims=False):
    """Range (maximum minus minimum) along ``axis``.

    Example:
        >>> lamina.ops.ptp(np.array([4, 9, 2]))
        # 7
    """


@op(_arg_rule)
def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum along ``axis``, ignoring NaNs (-1 for an all-NaN slice).

    Example:
        >>> lamina.ops.nanargmax(np.array([1.0, np.nan, 3.0]))
        # 2
    """


@op(_arg_rule)
def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum along ``axis``, ignoring NaNs (-1 for an all-NaN slice).

    Example:
        >>> lamina.ops.nanargmin(np.array([np.nan, 2.0, 1.0]))
        # 2
    """


@op(_cum_rule)
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum treating NaNs as zero.

    Example:
        >>> lamina.ops.nancumsum(np.array([1.0, np.nan, 2.0]))
        # [1.0, 1.0, 3.0]
    """


@op(_cum_rule)
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product treating NaNs as one.

    Example:
        >>> lamina.ops.nancumprod(np.array([2.0, np.nan, 3.0]))
        # [2.0, 2.0, 6.0]
    """


@op(_same)
def nanmax(x, axis=None, keepdims=False):
    """Maximum ignoring NaNs (NaN for an all-NaN slice).

    Example:
        >>> lamina.ops.nanmax(np.array([1.0, np.nan, 3.0]))
        # 3.0
    """


@op(_same)
def nanmin(x, axis=None, keepdims=False):
    """Minimum ignoring NaNs (NaN for an all-NaN slice).

    Example:
        >>> lamina.ops.nanmin(np.array([1.0, np.nan, 3.0]))
        # 1.0
    """


@op(_floated)
def nanmean(x, axis=None, keepdims=False):
    """Mean ignoring NaNs.

    Example:
        >>> lamina.ops.nanmean(np.array([1.0, np.nan, 3.0]))
        # 2.0
    """


@op(_floated)
def nanstd(x, axis=None, keepdims=False):
    """Standard deviation ignoring NaNs.

    Example:
        >>> lamina.ops.nanstd(np.array([1.0, np.nan, 3.0]))
        # 1.0
    """


@op(_floated)
def nanvar(x, axis=None, keepdims=False):
    """Variance ignoring NaNs.

    Example:
        >>> lamina.ops.nanvar(np.array([1.0, np.nan, 3.0]))
        # 1.0
    """


@op(_summed)
def nansum(x, axis=None, keepdims=False):
    """Sum treating NaNs as zero (dtypes as in :func:`sum`).

    Example:
        >>> lamina.ops.nansum(np.array([1.0, np.nan, 3.0]))
        # 4.0
    """


@op(_summed)
def nanprod(x, axis=None, keepdims=False):
    """Product treating NaNs as one (dtypes as in :func:`prod`).

    Example:
        >>> lamina.ops.nanprod(np.array([2.0, np.nan, 3.0]))
        # 6.0
    """


@op(_trapezoid_rule)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of ``y`` along ``axis`` by the trapezoidal rule.

    Args:
        y: the values to integrate.
        x: the sample points (None: spaced by ``dx``).
        dx: the spacing when ``x`` is None.
        axis: the axis to integrate along.

    Example:
        >>> lamina.ops.trapezoid(np.array([1.0, 2.0, 3.0]))
        # 4.0
    """


@op(_allclose_rule)
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``|x1 - x2| <= atol + rtol * |x2|`` everywhere (a bool scalar tensor).

    Example:
        >>> lamina.ops.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
        # True
    """
