"""NumPy-style shape ops on TensorFlow."""

import numpy as np
import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor

__all__ = [
    "append", "array_split", "broadcast_to", "concatenate", "dsplit", "dstack", "expand_dims",
    "flip", "fliplr", "flipud", "hsplit", "hstack", "meshgrid", "moveaxis", "ndim", "pad",
    "ravel", "repeat", "reshape", "roll", "rot90", "size", "split", "squeeze", "stack",
    "swapaxes", "tile", "transpose", "view", "vsplit", "vstack",
]


def promote(*xs):
    """Converts ``xs`` to tensors of their promoted dtype."""
    xs = [x if isinstance(x, (bool, int, float)) else convert_to_tensor(x) for x in xs]
    dtype = dtypes.result_type(*[x.dtype if hasattr(x, "dtype") else type(x) for x in xs])
    return [convert_to_tensor(x, dtype) for x in xs]


def dims(x):
    """Static dims where known, dynamic scalar tensors elsewhere."""
    static = x.shape.as_list()
    if None not in static:
        return static
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def canon(axis, rank):
    """``axis`` in ``[0, rank)``; raises ValueError when out of range."""
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank}.")
    return axis % rank


def _axes(axis):
    return list(axis) if isinstance(axis, (list, tuple)) else [axis]


def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is None:
        return tf.concat([tf.reshape(x1, [-1]), tf.reshape(x2, [-1])], axis=0)
    return tf.concat([x1, x2], axis=axis)


def _split(x, indices_or_sections, axis, even):
    x = convert_to_tensor(x)
    axis = canon(axis, x.shape.rank)
    length = dims(x)[axis]
    if isinstance(indices_or_sections, (list, tuple)):
        bounds = []
        for i in indices_or_sections:
            i = i if i >= 0 else length + i
            bounds.append(tf.clip_by_value(i, 0, length) if tf.is_tensor(length)
                          else min(max(i, 0), length))
        edges = [0] + bounds + [length]
        sizes = [edges[j + 1] - edges[j] for j in range(len(edges) - 1)]
        if all(isinstance(s, int) for s in sizes):
            sizes = [max(s, 0) for s in sizes]
            return tf.split(x, sizes, axis=axis)
        sizes = tf.maximum(tf.stack([tf.cast(s, tf.int32) for s in sizes]), 0)
        return tf.split(x, sizes, axis=axis, num=len(edges) - 1)
    n = int(indices_or_sections)
    if isinstance(length, int):
        if even and length % n:
            raise ValueError(f"a dimension of size {length} cannot be split into {n} "
                             "equal sections.")
        sizes = [length // n + (1 if i < length % n else 0) for i in range(n)]
        return tf.split(x, sizes, axis=axis)
    if even:
        return tf.split(x, n, axis=axis)
    sizes = length // n + tf.cast(tf.range(n) < length % n, tf.int32)
    return tf.split(x, sizes, axis=axis, num=n)


def array_split(x, indices_or_sections, axis=0):
    return _split(x, indices_or_sections, axis, even=False)


def broadcast_to(x, shape):
    return tf.broadcast_to(convert_to_tensor(x), shape)


def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return tf.concat([tf.reshape(x, [-1]) for x in xs], axis=0)
    return tf.concat(xs, axis=axis)


def dsplit(x, indices_or_sections):
    return _split(x, indices_or_sections, 2, even=True)


def _atleast(x, n):
    rank = x.shape.rank
    if rank >= n:
        return x
    if n == 2 or rank == 0:
        return tf.reshape(x, [1] * (n - rank) + dims(x))
    if rank == 1:
        return x[tf.newaxis, :, tf.newaxis]
    return x[..., tf.newaxis]


def dstack(xs):
    return tf.concat([_atleast(x, 3) for x in promote(*xs)], axis=2)


def expand_dims(x, axis):
    x = convert_to_tensor(x)
    axes = _axes(axis)
    if len(axes) == 1:
        return tf.expand_dims(x, axes[0])
    rank = x.shape.rank + len(axes)
    for a in sorted(a % rank for a in axes):
        x = tf.expand_dims(x, a)
    return x


def flip(x, axis=None):
    x = convert_to_tensor(x)
    axes = list(range(x.shape.rank)) if axis is None else _axes(axis)
    return tf.reverse(x, axes) if axes else x


def fliplr(x):
    return tf.reverse(convert_to_tensor(x), [1])


def flipud(x):
    return tf.reverse(convert_to_tensor(x), [0])


def hsplit(x, indices_or_sections):
    x = convert_to_tensor(x)
    return _split(x, indices_or_sections, 1 if x.shape.rank > 1 else 0, even=True)


def hstack(xs):
    xs = [tf.reshape(x, [1]) if x.shape.rank == 0 else x for x in promote(*xs)]
    return tf.concat(xs, axis=0 if xs[0].shape.rank == 1 else 1)


def meshgrid(*x, indexing="xy"):
    return list(tf.meshgrid(*[tf.reshape(convert_to_tensor(t), [-1]) for t in x],
                            indexing=indexing))


def moveaxis(x, source, destination):
    x = convert_to_tensor(x)
    rank = x.shape.rank
    src = [canon(a, rank) for a in _axes(source)]
    dst = [canon(a, rank) for a in _axes(destination)]
    order = [i for i in range(rank) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return tf.transpose(x, order)


def ndim(x):
    return convert_to_tensor(x).shape.rank


def _pad_pairs(pad_width, rank):
    arr = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (rank, 2))
    if (arr < 0).any():
        raise ValueError(f"`pad_width` must be non-negative, received {pad_width!r}.")
    return [[int(a), int(b)] for a, b in arr]


def _gather_index(n, before, after, mode):
    idx = tf.range(-before, n + after)
    if mode == "edge":
        return tf.clip_by_value(idx, 0, n - 1)
    return tf.math.floormod(idx, n)  # wrap


def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert_to_tensor(x)
    if constant_values is not None and mode != "constant":
        raise ValueError("`constant_values` can only be set with mode='constant'.")
    pairs = _pad_pairs(pad_width, x.shape.rank)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        return tf.pad(x, pairs, constant_values=tf.cast(value, x.dtype))
    if mode in ("reflect", "symmetric"):
        return tf.pad(x, pairs, mode=mode.upper())
    if mode not in ("edge", "wrap"):
        raise ValueError(f"unsupported pad mode {mode!r}.")
    shape = dims(x)
    for axis, (a, b) in enumerate(pairs):
        if a or b:
            x = tf.gather(x, _gather_index(shape[axis], a, b, mode), axis=axis)
    return x


def ravel(x):
    return tf.reshape(convert_to_tensor(x), [-1])


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.repeat(x, repeats, axis=axis)


def reshape(x, newshape):
    x = convert_to_tensor(x)
    if isinstance(newshape, (list, tuple)):
        newshape = [-1 if d is None else d for d in newshape]
    else:
        newshape = [newshape]
    return tf.reshape(x, newshape)


def roll(x, shift, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, [-1]), shift, 0), tf.shape(x))
    shifts, axes = _axes(shift), _axes(axis)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    return tf.roll(x, shifts, axes)


def rot90(array, k=1, axes=(0, 1)):
    x = convert_to_tensor(array)
    rank = x.shape.rank
    a, b = canon(axes[0], rank), canon(axes[1], rank)
    if a == b:
        raise ValueError(f"`axes` must be different, received {axes}.")
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return tf.reverse(x, [a, b])
    perm = list(range(rank))
    perm[a], perm[b] = perm[b], perm[a]
    if k == 1:
        return tf.transpose(tf.reverse(x, [b]), perm)
    return tf.reverse(tf.transpose(x, perm), [b])


def size(x):
    return tf.size(convert_to_tensor(x), out_type=tf.int32)


def split(x, indices_or_sections, axis=0):
    return _split(x, indices_or_sections, axis, even=True)


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    return tf.squeeze(x, axis=None if axis is None else _axes(axis))


def stack(x, axis=0):
    return tf.stack(promote(*x), axis=axis)


def swapaxes(x, axis1, axis2):
    x = convert_to_tensor(x)
    perm = list(range(x.shape.rank))
    a, b = canon(axis1, len(perm)), canon(axis2, len(perm))
    perm[a], perm[b] = perm[b], perm[a]
    return tf.transpose(x, perm)


def tile(x, repeats):
    x = convert_to_tensor(x)
    reps = _axes(repeats)
    rank = x.shape.rank
    if len(reps) > rank:
        x = tf.reshape(x, [1] * (len(reps) - rank) + dims(x))
    elif len(reps) < rank:
        reps = [1] * (rank - len(reps)) + reps
    return tf.tile(x, reps)


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    if axes is None:
        return tf.transpose(x)
    return tf.transpose(x, [canon(a, x.shape.rank) for a in axes])


def view(x, dtype=None):
    x = convert_to_tensor(x)
    if dtype is None:
        return x
    old, new = x.dtype, tf.as_dtype(dtypes.standardize_dtype(dtype))
    if old.size == new.size:
        return tf.bitcast(x, new)
    shape = dims(x)
    if old.size > new.size:
        out = tf.bitcast(x, new)  # adds a trailing axis of old.size // new.size
        return tf.reshape(out, shape[:-1] + [-1])
    ratio = new.size // old.size
    out = tf.reshape(x, shape[:-1] + [-1, ratio])
    return tf.bitcast(out, new)


def vsplit(x, indices_or_sections):
    return _split(x, indices_or_sections, 0, even=True)


def vstack(xs):
    return tf.concat([_atleast(x, 2) for x in promote(*xs)], axis=0)
