"""NumPy-style ops: shape manipulation (reshape, transpose, join, split, pad...)."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "append", "array_split", "broadcast_to", "concatenate", "dsplit", "dstack", "expand_dims",
    "flip", "fliplr", "flipud", "hsplit", "hstack", "meshgrid", "moveaxis", "ndim", "pad",
    "ravel", "repeat", "reshape", "roll", "rot90", "size", "split", "squeeze",
    "stack", "swapaxes", "tile", "transpose", "view", "vsplit", "vstack",
]


# -- rule helpers ------------------------------------------------------------------

def _prod(dims):
    """Product of dims, None when one is unknown (0 wins over None)."""
    if any(d == 0 for d in dims):
        return 0
    if any(d is None for d in dims):
        return None
    return int(np.prod(dims, dtype=np.int64))


def _int_list(value, argname):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return [int(value)]
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value
    ):
        return [int(v) for v in value]
    raise TypeError(f"expected an int or a sequence of ints for `{argname}`, received "
                    f"{rules.describe(value)}.")


def _merge_dim(a, b, what):
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise ValueError(what)


def _tensor_list(xs, argname="xs"):
    if not isinstance(xs, (list, tuple)):
        raise TypeError(f"expected a list or tuple of tensors for `{argname}`, received "
                        f"{rules.describe(xs)}.")
    if not xs:
        raise ValueError(f"expected at least one tensor in `{argname}`, received an empty list.")
    return [rules.shape_of(x, argname) for x in xs], [rules.dtype_of(x, argname) for x in xs]


def _concat_shapes(shapes, axis):
    rank = len(shapes[0])
    if rank == 0:
        raise ValueError("zero-dimensional tensors cannot be concatenated.")
    for s in shapes:
        if len(s) != rank:
            raise ValueError(f"all tensors must have the same rank, received shapes {shapes}.")
    axis = rules.canonical_axis(axis, rank)
    out = list(shapes[0])
    out[axis] = _sum_dims([s[axis] for s in shapes])
    for s in shapes[1:]:
        for i in range(rank):
            if i != axis:
                out[i] = _merge_dim(out[i], s[i], "all dimensions except the concatenation "
                                    f"axis {axis} must match, received shapes {shapes}.")
    return tuple(out)


def _sum_dims(dims):
    return None if any(d is None for d in dims) else sum(dims)


def _split_shapes(shape, indices_or_sections, axis, even):
    axis = rules.canonical_axis(axis, len(shape))
    length = shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)) and not isinstance(
        indices_or_sections, bool
    ):
        n = int(indices_or_sections)
        if n <= 0:
            raise ValueError(f"the number of sections must be positive, received {n}.")
        if length is None:
            sizes = [None] * n
        else:
            if even and length % n:
                raise ValueError(f"a dimension of size {length} cannot be split into {n} "
                                 "equal sections.")
            sizes = [length // n + (1 if i < length % n else 0) for i in range(n)]
    else:
        indices = _int_list(indices_or_sections, "indices_or_sections")
        if length is None:
            edges = [0] + indices
            sizes = [max(b - a, 0) if a >= 0 and b >= 0 else None
                     for a, b in zip(edges[:-1], edges[1:])] + [None]
        else:
            bounds = [min(max(i if i >= 0 else i + length, 0), length) for i in indices]
            edges = [0] + bounds + [length]
            sizes = [max(edges[i + 1] - edges[i], 0) for i in range(len(edges) - 1)]
    out = []
    for size in sizes:
        s = list(shape)
        s[axis] = size
        out.append(tuple(s))
    return out


# -- rules -------------------------------------------------------------------------

def _append_rule(x1, x2, axis=None):
    s1, s2 = rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2")
    dtype = dtypes.result_type(rules.dtype_of(x1, "x1"), rules.dtype_of(x2, "x2"))
    if axis is None:
        return rules.spec((_sum_dims([_prod(s1), _prod(s2)]),), dtype)
    return rules.spec(_concat_shapes([s1, s2], axis), dtype)


def _split_rule_factory(even, fixed_axis=None, min_rank=1):
    def rule(x, indices_or_sections, axis=0):
        shape = rules.shape_of(x)
        if len(shape) < min_rank:
            raise ValueError(f"expected a tensor of rank >= {min_rank}, received shape {shape}.")
        if fixed_axis is not None:
            axis = fixed_axis(shape)
        dtype = rules.tensor_dtype(x)
        return [rules.spec(s, dtype) for s in _split_shapes(shape, indices_or_sections, axis, even)]

    return rule


def _broadcast_to_rule(x, shape):
    target = tuple(_int_list(shape, "shape")) if not isinstance(shape, (list, tuple)) or all(
        d is not None for d in shape) else tuple(shape)
    src = rules.shape_of(x)
    if len(src) > len(target):
        raise ValueError(f"cannot broadcast a tensor of shape {src} to the smaller rank shape "
                         f"{target}.")
    for s, t in zip(src[::-1], target[::-1]):
        if s is not None and t is not None and s != 1 and s != t:
            raise ValueError(f"cannot broadcast a tensor of shape {src} to shape {target}.")
    return rules.spec(target, rules.tensor_dtype(x))


def _concatenate_rule(xs, axis=0):
    shapes, dts = _tensor_list(xs)
    if axis is None:
        return rules.spec((_sum_dims([_prod(s) for s in shapes]),), dtypes.result_type(*dts))
    return rules.spec(_concat_shapes(shapes, axis), dtypes.result_type(*dts))


def _atleast(shape, n):
    if len(shape) >= n:
        return shape
    if n == 2:
        return (1,) * (2 - len(shape)) + tuple(shape)
    if len(shape) == 0:
        return (1, 1, 1)
    if len(shape) == 1:
        return (1, shape[0], 1)
    return tuple(shape) + (1,)


def _dstack_rule(xs):
    shapes, dts = _tensor_list(xs)
    return rules.spec(_concat_shapes([_atleast(s, 3) for s in shapes], 2), dtypes.result_type(*dts))


def _vstack_rule(xs):
    shapes, dts = _tensor_list(xs)
    return rules.spec(_concat_shapes([_atleast(s, 2) for s in shapes], 0), dtypes.result_type(*dts))


def _hstack_rule(xs):
    shapes, dts = _tensor_list(xs)
    shapes = [s if len(s) else (1,) for s in shapes]
    axis = 0 if len(shapes[0]) == 1 else 1
    return rules.spec(_concat_shapes(shapes, axis), dtypes.result_type(*dts))


def _expand_dims_rule(x, axis):
    shape = rules.shape_of(x)
    axes = _int_list(axis, "axis")
    rank = len(shape) + len(axes)
    axes = rules.canonical_axes(axes, rank)
    it = iter(shape)
    return rules.spec(tuple(1 if i in axes else next(it) for i in range(rank)), rules.tensor_dtype(x))


def _flip_rule(x, axis=None):
    shape = rules.shape_of(x)
    if axis is not None:
        rules.canonical_axes(axis, len(shape))
    return rules.spec(shape, rules.tensor_dtype(x))


def _rank_at_least(n):
    def rule(x):
        shape = rules.shape_of(x)
        if len(shape) < n:
            raise ValueError(f"expected a tensor of rank >= {n}, received shape {shape}.")
        return rules.spec(shape, rules.tensor_dtype(x))

    return rule


def _moveaxis_rule(x, source, destination):
    shape = rules.shape_of(x)
    src = [rules.canonical_axis(a, len(shape), "source") for a in _int_list(source, "source")]
    dst = [rules.canonical_axis(a, len(shape), "destination")
           for a in _int_list(destination, "destination")]
    if len(src) != len(dst):
        raise ValueError(f"`source` and `destination` must have the same number of axes, "
                         f"received {source} and {destination}.")
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError(f"repeated axes in `source` {source} or `destination` {destination}.")
    order = [i for i in range(len(shape)) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return rules.spec(tuple(shape[i] for i in order), rules.tensor_dtype(x))


def normalize_pad_width(pad_width, rank):
    """``pad_width`` as a list of ``[before, after]`` pairs, one per axis."""
    try:
        arr = np.asarray(pad_width)
    except Exception:
        arr = None
    if arr is None or arr.dtype.kind not in "iu":
        raise TypeError(f"expected ints for `pad_width`, received {rules.describe(pad_width)}.")
    try:
        arr = np.broadcast_to(arr, (rank, 2))
    except ValueError:
        raise ValueError(f"`pad_width` {pad_width!r} does not fit a tensor of rank {rank}: "
                         f"expected {rank} (before, after) pairs.") from None
    if (arr < 0).any():
        raise ValueError(f"`pad_width` must be non-negative, received {pad_width!r}.")
    return arr.astype(int).tolist()


_PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
              "reflect", "symmetric", "wrap", "empty")


def _pad_rule(x, pad_width, mode="constant", constant_values=None):
    shape = rules.shape_of(x)
    pads = normalize_pad_width(pad_width, len(shape))
    if mode not in ("constant", "reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"expected `mode` to be one of 'constant', 'reflect', 'symmetric', "
                         f"'edge', 'wrap', received {mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"`constant_values` can only be set with mode='constant', received "
                         f"mode={mode!r}.")
    for d, (a, b) in zip(shape, pads):
        if d is None:
            continue
        if mode == "reflect" and (a >= d or b >= d) and (a or b):
            raise ValueError(f"mode='reflect' needs padding smaller than the dimension, "
                             f"received pad_width {pad_width!r} for shape {shape}.")
        if mode == "symmetric" and (a > d or b > d):
            raise ValueError(f"mode='symmetric' needs padding no larger than the dimension, "
                             f"received pad_width {pad_width!r} for shape {shape}.")
    out = tuple(None if d is None else d + a + b for d, (a, b) in zip(shape, pads))
    return rules.spec(out, rules.tensor_dtype(x))


def _ravel_rule(x):
    return rules.spec((_prod(rules.shape_of(x)),), rules.tensor_dtype(x))


def _repeat_rule(x, repeats, axis=None):
    shape = rules.shape_of(x)
    reps = _int_list(repeats, "repeats") if not hasattr(repeats, "shape") else None
    if axis is None:
        shape, axis = (_prod(shape),), 0
    axis = rules.canonical_axis(axis, len(shape))
    out = list(shape)
    if reps is None:
        out[axis] = None
    elif len(reps) == 1:
        out[axis] = None if shape[axis] is None else shape[axis] * reps[0]
    else:
        if shape[axis] is not None and len(reps) != shape[axis]:
            raise ValueError(f"`repeats` has {len(reps)} entries for an axis of size "
                             f"{shape[axis]}.")
        out[axis] = sum(reps)
    return rules.spec(tuple(out), rules.tensor_dtype(x))


def reshaped(shape, newshape):
    """The shape after ``reshape(shape -> newshape)``, with ``-1`` and None handling."""
    if isinstance(newshape, (int, np.integer)) and not isinstance(newshape, bool):
        newshape = (int(newshape),)
    if not isinstance(newshape, (list, tuple)) or not all(
        d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool)) for d in newshape
    ):
        raise TypeError(f"expected an int or a tuple of ints for `newshape`, received "
                        f"{rules.describe(newshape)}.")
    newshape = [None if d is None else int(d) for d in newshape]
    if sum(d == -1 for d in newshape) > 1:
        raise ValueError(f"`newshape` can contain at most one -1, received {tuple(newshape)}.")
    if any(d is not None and d < -1 for d in newshape):
        raise ValueError(f"invalid dimension in `newshape` {tuple(newshape)}.")
    total = _prod(shape)
    known = [d for d in newshape if d != -1]
    if -1 in newshape:
        rest = _prod(known)
        if total is None or rest is None:
            fill = None
        elif rest == 0:
            if total != 0:
                raise ValueError(f"cannot reshape a tensor of shape {tuple(shape)} into "
                                 f"{tuple(newshape)}.")
            fill = 0
        else:
            if total % rest:
                raise ValueError(f"cannot reshape a tensor of shape {tuple(shape)} into "
                                 f"{tuple(newshape)}.")
            fill = total // rest
        return tuple(fill if d == -1 else d for d in newshape)
    out_total = _prod(newshape)
    if total is not None and out_total is not None and total != out_total:
        raise ValueError(f"cannot reshape a tensor of shape {tuple(shape)} ({total} elements) "
                         f"into {tuple(newshape)} ({out_total} elements).")
    return tuple(newshape)


def _reshape_rule(x, newshape):
    return rules.spec(reshaped(rules.shape_of(x), newshape), rules.tensor_dtype(x))


def _roll_rule(x, shift, axis=None):
    shape = rules.shape_of(x)
    if axis is not None:
        axes = _int_list(axis, "axis")
        for a in axes:
            rules.canonical_axis(a, len(shape))
        shifts = _int_list(shift, "shift") if not hasattr(shift, "shape") else None
        if shifts is not None and len(shifts) not in (1, len(axes)):
            raise ValueError(f"`shift` and `axis` must have the same length, received "
                             f"{shift} and {axis}.")
    return rules.spec(shape, rules.tensor_dtype(x))


def _rot90_rule(array, k=1, axes=(0, 1)):
    shape = rules.shape_of(array, "array")
    if len(shape) < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {shape}.")
    a = _int_list(axes, "axes")
    if len(a) != 2:
        raise ValueError(f"expected 2 axes in `axes`, received {axes}.")
    a = [rules.canonical_axis(i, len(shape), "axes") for i in a]
    if a[0] == a[1]:
        raise ValueError(f"`axes` must be different, received {axes}.")
    out = list(shape)
    if k % 2:
        out[a[0]], out[a[1]] = out[a[1]], out[a[0]]
    return rules.spec(tuple(out), rules.tensor_dtype(array, "array"))


def _squeeze_rule(x, axis=None):
    shape = rules.shape_of(x)
    if axis is None:
        return rules.spec(tuple(d for d in shape if d != 1), rules.tensor_dtype(x))
    axes = rules.canonical_axes(_int_list(axis, "axis"), len(shape))
    for a in axes:
        if shape[a] not in (1, None):
            raise ValueError(f"cannot squeeze axis {a} of size {shape[a]} (shape {shape}): "
                             "only axes of size 1 can be squeezed.")
    return rules.spec(tuple(d for i, d in enumerate(shape) if i not in axes), rules.tensor_dtype(x))


def _stack_rule(x, axis=0):
    shapes, dts = _tensor_list(x, "x")
    out = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != len(out):
            raise ValueError(f"all tensors must have the same shape, received {shapes}.")
        out = [_merge_dim(a, b, f"all tensors must have the same shape, received {shapes}.")
               for a, b in zip(out, s)]
    axis = rules.canonical_axis(axis, len(out) + 1)
    out.insert(axis, len(shapes))
    return rules.spec(tuple(out), dtypes.result_type(*dts))


def _swapaxes_rule(x, axis1, axis2):
    shape = list(rules.shape_of(x))
    a = rules.canonical_axis(axis1, len(shape), "axis1")
    b = rules.canonical_axis(axis2, len(shape), "axis2")
    shape[a], shape[b] = shape[b], shape[a]
    return rules.spec(tuple(shape), rules.tensor_dtype(x))


def _tile_rule(x, repeats):
    shape = tuple(rules.shape_of(x))
    reps = _int_list(repeats, "repeats")
    if any(r < 0 for r in reps):
        raise ValueError(f"`repeats` must be non-negative, received {repeats}.")
    n = max(len(shape), len(reps))
    shape = (1,) * (n - len(shape)) + shape
    reps = [1] * (n - len(reps)) + reps
    return rules.spec(tuple(None if d is None else d * r for d, r in zip(shape, reps)),
                      rules.tensor_dtype(x))


def _transpose_rule(x, axes=None):
    shape = rules.shape_of(x)
    if axes is None:
        return rules.spec(tuple(reversed(shape)), rules.tensor_dtype(x))
    axes = _int_list(axes, "axes")
    if len(axes) != len(shape):
        raise ValueError(f"`axes` {tuple(axes)} does not match a tensor of rank {len(shape)}.")
    canon = [rules.canonical_axis(a, len(shape), "axes") for a in axes]
    if len(set(canon)) != len(canon):
        raise ValueError(f"repeated axes in `axes`: {tuple(axes)}.")
    return rules.spec(tuple(shape[a] for a in canon), rules.tensor_dtype(x))


def _meshgrid_rule(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"expected `indexing` 'xy' or 'ij', received {indexing!r}.")
    sizes = [_prod(rules.shape_of(t)) for t in x]
    out = list(sizes)
    if indexing == "xy" and len(out) > 1:
        out[0], out[1] = out[1], out[0]
    return [rules.spec(tuple(out), rules.tensor_dtype(t)) for t in x]


def _view_rule(x, dtype=None):
    shape = rules.shape_of(x)
    old = rules.tensor_dtype(x)
    new = dtypes.standardize_dtype(dtype) if dtype is not None else old
    old_size, new_size = dtypes.dtype_size(old) // 8 or 1, dtypes.dtype_size(new) // 8 or 1
    if old == "bool":
        old_size = 1
    if new == "bool":
        new_size = 1
    if old_size == new_size:
        return rules.spec(shape, new)
    if not shape:
        raise ValueError(f"cannot view a scalar of dtype {old} as {new}: the item sizes differ.")
    last = shape[-1]
    if last is not None and (last * old_size) % new_size:
        raise ValueError(f"cannot view shape {shape} of dtype {old} as {new}: the last "
                         f"dimension's bytes ({last * old_size}) are not divisible by {new_size}.")
    new_last = None if last is None else last * old_size // new_size
    return rules.spec(tuple(shape[:-1]) + (new_last,), new)


def _size_rule(x):
    rules.check_tensor(x)
    return rules.spec((), "int32")


def _ndim_rule(x):
    return len(rules.shape_of(x))


# -- ops ---------------------------------------------------------------------------

@op(_append_rule)
def append(x1, x2, axis=None):
    """Appends ``x2`` to ``x1`` along ``axis`` (flattening both when ``axis`` is None).

    Example:
        >>> lamina.ops.append(np.array([1, 2]), np.array([3]))
        # [1, 2, 3]
    """


@op(_split_rule_factory(even=False))
def array_split(x, indices_or_sections, axis=0):
    """Splits ``x`` into sections that may differ in size by one.

    Args:
        x: a tensor.
        indices_or_sections: the number of sections, or the split indices.
        axis: the axis to split.

    Returns:
        A list of tensors.

    Example:
        >>> [t.shape for t in lamina.ops.array_split(np.arange(5), 3)]
        # [(2,), (2,), (1,)]
    """


@op(_broadcast_to_rule)
def broadcast_to(x, shape):
    """Broadcasts ``x`` to ``shape``.

    Example:
        >>> lamina.ops.broadcast_to(np.array([1, 2]), (3, 2)).shape
        (3, 2)
    """


@op(_concatenate_rule)
def concatenate(xs, axis=0):
    """Joins a sequence of tensors along an existing axis.

    Example:
        >>> lamina.ops.concatenate([np.ones((1, 2)), np.zeros((2, 2))]).shape
        (3, 2)
    """


@op(_split_rule_factory(even=True, fixed_axis=lambda s: 2, min_rank=3))
def dsplit(x, indices_or_sections):
    """Splits ``x`` along the third axis (depth).

    Example:
        >>> len(lamina.ops.dsplit(np.ones((1, 1, 4)), 2))
        2
    """


@op(_dstack_rule)
def dstack(xs):
    """Stacks tensors along the third axis (depth).

    Example:
        >>> lamina.ops.dstack([np.ones(2), np.zeros(2)]).shape
        (1, 2, 2)
    """


@op(_expand_dims_rule)
def expand_dims(x, axis):
    """Inserts axes of size 1 at ``axis`` (an int or a tuple).

    Example:
        >>> lamina.ops.expand_dims(np.ones((2, 3)), -1).shape
        (2, 3, 1)
    """


@op(_flip_rule)
def flip(x, axis=None):
    """Reverses the order of elements along ``axis`` (all axes when None).

    Example:
        >>> lamina.ops.flip(np.array([1, 2, 3]))
        # [3, 2, 1]
    """


@op(_rank_at_least(2))
def fliplr(x):
    """Reverses the order of elements along axis 1.

    Example:
        >>> lamina.ops.fliplr(np.array([[1, 2]]))
        # [[2, 1]]
    """


@op(_rank_at_least(1))
def flipud(x):
    """Reverses the order of elements along axis 0.

    Example:
        >>> lamina.ops.flipud(np.array([[1], [2]]))
        # [[2], [1]]
    """


@op(_split_rule_factory(even=True, fixed_axis=lambda s: 1 if len(s) > 1 else 0))
def hsplit(x, indices_or_sections):
    """Splits ``x`` horizontally (along axis 1, or 0 for 1-D tensors).

    Example:
        >>> len(lamina.ops.hsplit(np.ones((2, 4)), 2))
        2
    """


@op(_hstack_rule)
def hstack(xs):
    """Stacks tensors horizontally (along axis 1, or 0 for 1-D tensors).

    Example:
        >>> lamina.ops.hstack([np.ones((2, 1)), np.zeros((2, 2))]).shape
        (2, 3)
    """


@op(_meshgrid_rule)
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors.

    Args:
        *x: 1-D tensors.
        indexing: ``"xy"`` (Cartesian) or ``"ij"`` (matrix) indexing.

    Returns:
        A list of tensors, one per input.

    Example:
        >>> [g.shape for g in lamina.ops.meshgrid(np.arange(3), np.arange(2))]
        # [(2, 3), (2, 3)]
    """


@op(_moveaxis_rule)
def moveaxis(x, source, destination):
    """Moves axes of ``x`` to new positions.

    Example:
        >>> lamina.ops.moveaxis(np.ones((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """


@op(_ndim_rule)
def ndim(x):
    """The number of dimensions of ``x``, as a Python int.

    Example:
        >>> lamina.ops.ndim(np.ones((2, 3)))
        2
    """


@op(_pad_rule)
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads a tensor.

    Args:
        x: a tensor.
        pad_width: an int, one ``(before, after)`` pair, or one pair per axis.
        mode: ``"constant"``, ``"reflect"``, ``"symmetric"``, ``"edge"`` or ``"wrap"``.
        constant_values: the fill value for ``mode="constant"`` (default 0).

    Example:
        >>> lamina.ops.pad(np.array([1, 2]), (1, 2))
        # [0, 1, 2, 0, 0]
    """


@op(_ravel_rule)
def ravel(x):
    """Flattens ``x`` to one dimension.

    Example:
        >>> lamina.ops.ravel(np.ones((2, 3))).shape
        (6,)
    """


@op(_repeat_rule)
def repeat(x, repeats, axis=None):
    """Repeats each element of ``x`` ``repeats`` times (flattened when ``axis`` is None).

    Example:
        >>> lamina.ops.repeat(np.array([1, 2]), 2)
        # [1, 1, 2, 2]
    """


@op(_reshape_rule)
def reshape(x, newshape):
    """Gives ``x`` a new shape (one entry may be -1, inferred).

    Example:
        >>> lamina.ops.reshape(np.arange(6), (2, -1)).shape
        (2, 3)
    """


@op(_roll_rule)
def roll(x, shift, axis=None):
    """Rolls elements along ``axis`` (the flattened tensor when None).

    Example:
        >>> lamina.ops.roll(np.array([1, 2, 3]), 1)
        # [3, 1, 2]
    """


@op(_rot90_rule)
def rot90(array, k=1, axes=(0, 1)):
    """Rotates a tensor by 90 degrees ``k`` times in the plane of ``axes``.

    Example:
        >>> lamina.ops.rot90(np.array([[1, 2], [3, 4]]))
        # [[2, 4], [1, 3]]
    """


@op(_size_rule)
def size(x):
    """The number of elements of ``x``, as an int32 scalar tensor.

    Example:
        >>> lamina.ops.size(np.ones((2, 3)))
        # 6
    """


@op(_split_rule_factory(even=True))
def split(x, indices_or_sections, axis=0):
    """Splits ``x`` into equal sections, or at the given indices.

    Example:
        >>> [t.shape for t in lamina.ops.split(np.arange(6), 3)]
        # [(2,), (2,), (2,)]
    """


@op(_squeeze_rule)
def squeeze(x, axis=None):
    """Removes axes of size 1 (all of them when ``axis`` is None).

    Example:
        >>> lamina.ops.squeeze(np.ones((1, 3, 1))).shape
        (3,)
    """


@op(_stack_rule)
def stack(x, axis=0):
    """Joins tensors of the same shape along a new axis.

    Example:
        >>> lamina.ops.stack([np.ones(2), np.zeros(2)], axis=1).shape
        (2, 2)
    """


@op(_swapaxes_rule)
def swapaxes(x, axis1, axis2):
    """Swaps two axes.

    Example:
        >>> lamina.ops.swapaxes(np.ones((2, 3)), 0, 1).shape
        (3, 2)
    """


@op(_tile_rule)
def tile(x, repeats):
    """Repeats the whole tensor ``repeats`` times along each axis.

    Example:
        >>> lamina.ops.tile(np.array([1, 2]), 2)
        # [1, 2, 1, 2]
    """


@op(_transpose_rule)
def transpose(x, axes=None):
    """Permutes the axes (reverses them when ``axes`` is None).

    Example:
        >>> lamina.ops.transpose(np.ones((2, 3))).shape
        (3, 2)
    """


@op(_view_rule)
def view(x, dtype=None):
    """Reinterprets the bytes of ``x`` as another dtype (the last axis absorbs size changes).

    Example:
        >>> lamina.ops.view(np.array([1.0], "float32"), "int32")
        # [1065353216]
    """


@op(_split_rule_factory(even=True, fixed_axis=lambda s: 0, min_rank=2))
def vsplit(x, indices_or_sections):
    """Splits ``x`` vertically (along axis 0).

    Example:
        >>> len(lamina.ops.vsplit(np.ones((4, 2)), 2))
        2
    """


@op(_vstack_rule)
def vstack(xs):
    """Stacks tensors vertically (along axis 0, 1-D tensors become rows).

    Example:
        >>> lamina.ops.vstack([np.ones(2), np.zeros(2)]).shape
        (2, 2)
    """
