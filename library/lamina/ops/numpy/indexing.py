"""NumPy-style ops: indexing, selection and triangular/diagonal views."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "diagonal", "diff", "get_item", "isin", "nonzero", "select", "take", "take_along_axis",
    "tril", "triu", "unravel_index", "where",
]


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


# -- rules -------------------------------------------------------------------------

def _diagonal_rule(x, offset=0, axis1=0, axis2=1):
    shape = rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {shape}.")
    a = rules.canonical_axis(axis1, len(shape), "axis1")
    b = rules.canonical_axis(axis2, len(shape), "axis2")
    if a == b:
        raise ValueError(f"`axis1` and `axis2` must differ, received {axis1} and {axis2}.")
    n, m = shape[a], shape[b]
    if n is None or m is None:
        length = None
    else:
        length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    rest = tuple(d for i, d in enumerate(shape) if i not in (a, b))
    return rules.spec(rest + (length,), rules.tensor_dtype(x))


def _diff_rule(a, n=1, axis=-1):
    shape = list(rules.shape_of(a, "a"))
    if not shape:
        raise ValueError("expected a tensor of rank >= 1, received a scalar.")
    if not _is_int(n) or n < 0:
        raise ValueError(f"expected a non-negative int for `n`, received {n!r}.")
    axis = rules.canonical_axis(axis, len(shape))
    if shape[axis] is not None:
        shape[axis] = max(shape[axis] - n, 0)
    return rules.spec(tuple(shape), rules.tensor_dtype(a, "a"))


def _get_item_rule(x, key):
    shape = list(rules.shape_of(x))
    dtype = rules.tensor_dtype(x)
    key = list(key) if isinstance(key, (tuple, list)) else [key]
    if sum(k is Ellipsis for k in key) > 1:
        raise ValueError(f"an index can only have one Ellipsis, received {key}.")
    if not any(k is Ellipsis for k in key):
        key.append(Ellipsis)
    out, remaining = [], list(shape)
    advanced = []  # (position in out, shape of the index)
    for i, k in enumerate(key):
        if k is Ellipsis:
            needed = sum(1 for k2 in key[i + 1:] if k2 is not None and not _bool_index_rank(k2))
            needed += sum(_bool_index_rank(k2) for k2 in key[i + 1:])
            take = len(remaining) - needed
            if take < 0:
                raise ValueError(f"too many indices for a tensor of shape {tuple(shape)}.")
            out += remaining[:take]
            remaining = remaining[take:]
            continue
        if k is None:
            out.append(1)
            continue
        rank = _bool_index_rank(k)
        if rank:
            if len(remaining) < rank:
                raise ValueError(f"too many indices for a tensor of shape {tuple(shape)}.")
            remaining = remaining[rank:]
            advanced.append((len(out), (None,)))
            continue
        if not remaining:
            raise ValueError(f"too many indices for a tensor of shape {tuple(shape)}.")
        length = remaining.pop(0)
        if _is_int(k):
            if length is not None and not -length <= k < length:
                raise ValueError(f"index {k} is out of bounds for an axis of size {length}.")
        elif isinstance(k, slice):
            for part in (k.start, k.stop, k.step):
                if part is not None and not _is_int(part):
                    raise TypeError(f"expected int slice bounds, received {k}.")
            if k.step == 0:
                raise ValueError("slice step cannot be zero.")
            out.append(None if length is None else len(range(*k.indices(length))))
        elif hasattr(k, "shape") or isinstance(k, (list, np.ndarray)):
            idx_shape = rules.shape_of(k, "key")
            idx_dtype = rules.tensor_dtype(k, "key")
            if idx_dtype not in dtypes.INT_TYPES:
                raise TypeError(f"expected integer or bool tensor indices, received dtype "
                                f"{idx_dtype}.")
            advanced.append((len(out), tuple(idx_shape)))
        else:
            raise TypeError(f"unsupported index {k!r}: expected ints, slices, None, Ellipsis "
                            "or integer/bool tensors.")
    if advanced:
        adv_shape = rules.broadcast_shapes(*[s for _, s in advanced])
        positions = [p for p, _ in advanced]
        contiguous = len(advanced) == 1 or _adjacent_in_key(key)
        where = positions[0] if contiguous else 0
        out = out[:where] + list(adv_shape) + out[where:]
    return rules.spec(tuple(out), dtype)


def _adjacent_in_key(key):
    idx = [i for i, k in enumerate(key) if hasattr(k, "shape") or isinstance(k, (list, np.ndarray))]
    return idx == list(range(idx[0], idx[0] + len(idx)))


def _bool_index_rank(k):
    """The rank of a boolean mask index (0 when ``k`` is not one)."""
    if isinstance(k, (bool, np.bool_)) or k is None or k is Ellipsis or isinstance(k, slice):
        return 0
    if hasattr(k, "shape") and hasattr(k, "dtype") or isinstance(k, (list, np.ndarray)):
        try:
            if rules.tensor_dtype(k, "key") == "bool":
                return max(len(rules.shape_of(k, "key")), 1)
        except TypeError:
            return 0
    return 0


def _isin_rule(x1, x2, assume_unique=False, invert=False):
    rules.dtype_of(x2, "x2")
    rules.dtype_of(x1, "x1")
    return rules.spec(rules.shape_of(x1, "x1"), "bool")


def _nonzero_rule(x):
    shape = rules.shape_of(x)
    return tuple(rules.spec((None,), "int32") for _ in range(max(len(shape), 1)))


def _select_rule(condlist, choicelist, default=0):
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise TypeError("expected lists of tensors for `condlist` and `choicelist`, received "
                        f"{rules.describe(condlist)} and {rules.describe(choicelist)}.")
    if len(condlist) != len(choicelist):
        raise ValueError(f"`condlist` and `choicelist` must have the same length, received "
                         f"{len(condlist)} and {len(choicelist)}.")
    if not condlist:
        raise ValueError("`condlist` must not be empty.")
    for c in condlist:
        if rules.tensor_dtype(c, "condlist") != "bool":
            raise TypeError(f"expected bool tensors in `condlist`, received {rules.describe(c)}.")
    shapes = [rules.shape_of(c, "condlist") for c in condlist]
    shapes += [rules.shape_of(c, "choicelist") for c in choicelist]
    shapes.append(rules.shape_of(default, "default"))
    dtype = dtypes.result_type(*[rules.dtype_of(c, "choicelist") for c in choicelist])
    return rules.spec(rules.broadcast_shapes(*shapes), dtype)


def _take_rule(x, indices, axis=None):
    shape = rules.shape_of(x)
    idx_shape = rules.shape_of(indices, "indices")
    idx_dtype = rules.tensor_dtype(indices, "indices")
    if idx_dtype not in dtypes.INT_TYPES and idx_dtype not in dtypes.FLOAT_TYPES:
        if idx_dtype != "bool":
            raise TypeError(f"expected integer `indices`, received dtype {idx_dtype}.")
    if axis is None:
        return rules.spec(tuple(idx_shape), rules.tensor_dtype(x))
    axis = rules.canonical_axis(axis, len(shape))
    return rules.spec(tuple(shape[:axis]) + tuple(idx_shape) + tuple(shape[axis + 1:]),
                      rules.tensor_dtype(x))


def _take_along_axis_rule(x, indices, axis=None):
    shape = rules.shape_of(x)
    idx_shape = rules.shape_of(indices, "indices")
    idx_dtype = rules.tensor_dtype(indices, "indices")
    if idx_dtype not in dtypes.INT_TYPES:
        raise TypeError(f"expected integer `indices`, received dtype {idx_dtype}.")
    if axis is None:
        if len(idx_shape) != 1:
            raise ValueError(f"with axis=None `indices` must be 1-D, received shape {idx_shape}.")
        return rules.spec(tuple(idx_shape), rules.tensor_dtype(x))
    axis = rules.canonical_axis(axis, len(shape))
    if len(idx_shape) != len(shape):
        raise ValueError(f"`x` and `indices` must have the same rank, received shapes "
                         f"{shape} and {idx_shape}.")
    xs = list(shape)
    xs[axis] = 1
    ix = list(idx_shape)
    ix[axis] = 1
    out = list(rules.broadcast_shapes(tuple(xs), tuple(ix)))
    out[axis] = idx_shape[axis]
    return rules.spec(tuple(out), rules.tensor_dtype(x))


def _tri_rule(x, k=0):
    shape = rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {shape}.")
    if not _is_int(k):
        if not hasattr(k, "shape"):
            raise TypeError(f"expected an int for `k`, received {rules.describe(k)}.")
    return rules.spec(shape, rules.tensor_dtype(x))


def _unravel_index_rule(indices, shape):
    idx_shape = rules.shape_of(indices, "indices")
    dt = rules.tensor_dtype(indices, "indices")
    if dt not in dtypes.INT_TYPES:
        raise TypeError(f"expected integer `indices`, received dtype {dt}.")
    if not isinstance(shape, (list, tuple)) or not all(_is_int(d) for d in shape):
        raise TypeError(f"expected a tuple of ints for `shape`, received {rules.describe(shape)}.")
    return tuple(rules.spec(idx_shape, dt) for _ in shape)


def _where_rule(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("`x1` and `x2` must both be given, or neither.")
    if x1 is None:
        return _nonzero_rule(condition)
    shape = rules.broadcast_shapes(rules.shape_of(condition, "condition"),
                                   rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2"))
    return rules.spec(shape, dtypes.result_type(rules.dtype_of(x1, "x1"), rules.dtype_of(x2, "x2")))


# -- ops ---------------------------------------------------------------------------

@op(_diagonal_rule)
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of ``x`` in the plane of ``axis1`` and ``axis2`` (as the last axis).

    Example:
        >>> lamina.ops.diagonal(np.array([[1, 2], [3, 4]]))
        # [1, 4]
    """


@op(_diff_rule)
def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``.

    Example:
        >>> lamina.ops.diff(np.array([1, 4, 9]))
        # [3, 5]
    """


@op(_get_item_rule)
def get_item(x, key):
    """``x[key]``: ints, slices, None, Ellipsis and integer or bool tensor indices.

    Example:
        >>> lamina.ops.get_item(np.arange(6).reshape(2, 3), (slice(None), 1))
        # [1, 4]
    """


@op(_isin_rule)
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of ``x1`` appears in ``x2``.

    Example:
        >>> lamina.ops.isin(np.array([1, 2, 3]), np.array([2, 5]))
        # [False, True, False]
    """


@op(_nonzero_rule)
def nonzero(x):
    """The indices of the non-zero elements, one int32 tensor per axis.

    Example:
        >>> lamina.ops.nonzero(np.array([0, 3, 0, 4]))
        # ([1, 3],)
    """


@op(_select_rule)
def select(condlist, choicelist, default=0):
    """Picks from ``choicelist`` where the first matching ``condlist`` entry is True.

    Example:
        >>> x = np.arange(4)
        >>> lamina.ops.select([x < 1, x > 2], [x, -x], 9)
        # [0, 9, 9, -3]
    """


@op(_take_rule)
def take(x, indices, axis=None):
    """Takes elements at ``indices`` along ``axis`` (of the flattened tensor when None).

    Example:
        >>> lamina.ops.take(np.array([[1, 2], [3, 4]]), np.array([1]), axis=1)
        # [[2], [4]]
    """


@op(_take_along_axis_rule)
def take_along_axis(x, indices, axis=None):
    """Takes values along ``axis`` at ``indices`` of the same rank (as from argsort).

    Example:
        >>> lamina.ops.take_along_axis(np.array([[3, 1]]), np.array([[1, 0]]), axis=1)
        # [[1, 3]]
    """


@op(_tri_rule)
def tril(x, k=0):
    """The lower triangle of the last two axes (zeros above the ``k``-th diagonal).

    Example:
        >>> lamina.ops.tril(np.ones((2, 2)))
        # [[1, 0], [1, 1]]
    """


@op(_tri_rule)
def triu(x, k=0):
    """The upper triangle of the last two axes (zeros below the ``k``-th diagonal).

    Example:
        >>> lamina.ops.triu(np.ones((2, 2)))
        # [[1, 1], [0, 1]]
    """


@op(_unravel_index_rule)
def unravel_index(indices, shape):
    """Converts flat indices into a tuple of coordinate tensors for ``shape``.

    Example:
        >>> lamina.ops.unravel_index(np.array([5]), (2, 3))
        # ([1], [2])
    """


@op(_where_rule)
def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` is True, else ``x2``; with one argument, ``nonzero``.

    Example:
        >>> lamina.ops.where(np.array([True, False]), 1, 0)
        # [1, 0]
    """
