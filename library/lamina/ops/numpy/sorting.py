"""NumPy-style ops: sorting, searching and unique values."""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["sort", "argsort", "argpartition", "searchsorted", "unique"]


def _sort_shape(x, axis):
    shape = rules.shape_of(x)
    if axis is None:
        return (None if None in shape else _product(shape),)
    if not shape:
        return shape
    rules.canonical_axis(axis, len(shape))
    return shape


def _product(shape):
    out = 1
    for d in shape:
        out *= d
    return out


def _sort_rule(x, axis=-1):
    return rules.spec(_sort_shape(x, axis), rules.tensor_dtype(x))


def _argsort_rule(x, axis=-1):
    return rules.spec(_sort_shape(x, axis), "int32")


def _argpartition_rule(x, kth, axis=-1):
    shape = rules.shape_of(x)
    if isinstance(kth, bool) or not isinstance(kth, int):
        raise TypeError(f"expected an int for `kth`, received {rules.describe(kth)}.")
    out_shape = _sort_shape(x, axis)
    if not shape:
        raise ValueError("expected a tensor of rank at least 1 for `x`, received a scalar.")
    n = out_shape[rules.canonical_axis(-1 if axis is None else axis, len(out_shape))]
    if n is not None and not -n <= kth < n:
        raise ValueError(f"`kth`={kth} is out of range for an axis of length {n}.")
    return rules.spec(out_shape, "int32")


def _searchsorted_rule(sorted_sequence, values, side="left"):
    shape = rules.shape_of(sorted_sequence, "sorted_sequence")
    if len(shape) != 1:
        raise ValueError(f"expected a 1-D `sorted_sequence`, received shape {shape}.")
    if side not in ("left", "right"):
        raise ValueError(f"expected `side` 'left' or 'right', received {side!r}.")
    dtypes.result_type(rules.dtype_of(sorted_sequence, "sorted_sequence"),
                       rules.dtype_of(values, "values"))
    return rules.spec(rules.shape_of(values, "values"), "int32")


def _unique_rule(x, sorted=True, return_index=False, return_inverse=False,
                 return_counts=False, axis=None, size=None, fill_value=None):
    shape = rules.shape_of(x)
    n = None if size is None else int(size)
    if axis is None:
        values = rules.spec((n,), rules.tensor_dtype(x))
        inverse_shape = shape
    else:
        ax = rules.canonical_axis(axis, len(shape))
        values = rules.spec(shape[:ax] + (n,) + shape[ax + 1:], rules.tensor_dtype(x))
        inverse_shape = (shape[ax],)
    out = [values]
    if return_index:
        out.append(rules.spec((n,), "int32"))
    if return_inverse:
        out.append(rules.spec(inverse_shape, "int32"))
    if return_counts:
        out.append(rules.spec((n,), "int32"))
    return tuple(out) if len(out) > 1 else values


@op(_sort_rule)
def sort(x, axis=-1):
    """Sorts ``x`` in ascending order along ``axis`` (None: the flattened tensor).

    NaNs sort last.

    Example:
        >>> lamina.ops.sort(np.array([3, 1, 2]))
        # [1, 2, 3]
    """


@op(_argsort_rule)
def argsort(x, axis=-1):
    """Indices (int32) that sort ``x`` along ``axis``; the sort is stable.

    Example:
        >>> lamina.ops.argsort(np.array([3, 1, 2]))
        # [1, 2, 0]
    """


@op(_argpartition_rule)
def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition ``x`` around its ``kth`` smallest element.

    Along ``axis``, the element at position ``kth`` is the one a sort would put
    there; smaller elements come before it and larger ones after, in no
    particular order.

    Example:
        >>> lamina.ops.argpartition(np.array([3, 4, 2, 1]), 2)
        # e.g. [3, 2, 0, 1]
    """


@op(_searchsorted_rule)
def searchsorted(sorted_sequence, values, side="left"):
    """Indices (int32) where ``values`` would be inserted to keep a 1-D sequence sorted.

    Args:
        sorted_sequence: a 1-D ascending tensor.
        values: a tensor of values to place.
        side: ``"left"`` (first suitable index) or ``"right"`` (last).

    Example:
        >>> lamina.ops.searchsorted(np.array([1, 2, 3]), np.array([2, 5]))
        # [1, 3]
    """


@op(_unique_rule)
def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    """The sorted unique values of ``x`` (or unique slices along ``axis``).

    The number of unique values depends on the data: without ``size`` the op
    runs eagerly only (and its symbolic shape has an unknown length). With
    ``size`` the result is truncated or padded with ``fill_value`` (default 0)
    to that length, which also makes it usable inside ``jax.jit``.

    Args:
        x: a tensor.
        sorted: accepted for compatibility; the values are always sorted.
        return_index: also return the first index of each unique value.
        return_inverse: also return, for each element, the index of its unique value.
        return_counts: also return how many times each unique value occurs.
        axis: None (flatten) or the axis along which to find unique slices.
        size: a fixed length for the results.
        fill_value: the padding value when ``size`` is larger.

    Returns:
        The unique values, or a tuple of them and the requested int32 tensors.

    Example:
        >>> lamina.ops.unique(np.array([3, 1, 3, 2]))
        # [1, 2, 3]
    """
