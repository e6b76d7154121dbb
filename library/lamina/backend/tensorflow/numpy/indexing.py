"""NumPy-style indexing ops on TensorFlow."""

import numpy as np
import tensorflow as tf

from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.numpy.shape import canon, dims, promote

__all__ = [
    "diagonal", "diff", "get_item", "isin", "nonzero", "select", "take", "take_along_axis",
    "tril", "triu", "unravel_index", "where",
]


def _to_end(x, axes):
    rank = x.shape.rank
    axes = [a % rank for a in axes]
    perm = [i for i in range(rank) if i not in axes] + axes
    return tf.transpose(x, perm) if perm != list(range(rank)) else x


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _to_end(convert_to_tensor(x), [axis1, axis2])
    return tf.linalg.diag_part(x, k=offset)


def diff(a, n=1, axis=-1):
    a = convert_to_tensor(a)
    axis = canon(axis, a.shape.rank)
    head = [slice(None)] * axis
    for _ in range(n):
        upper, lower = a[tuple(head + [slice(1, None)])], a[tuple(head + [slice(None, -1)])]
        a = tf.not_equal(upper, lower) if a.dtype == tf.bool else upper - lower
    return a


def _is_advanced(k):
    return not (k is None or k is Ellipsis or isinstance(k, (slice, bool, int, np.integer)))


def get_item(x, key):
    x = convert_to_tensor(x)
    key = list(key) if isinstance(key, (list, tuple)) else [key]
    advanced = [i for i, k in enumerate(key) if _is_advanced(k)]
    if not advanced:
        return x[tuple(key)]
    if len(advanced) > 1:
        raise TypeError("the tensorflow backend supports one tensor index per get_item call.")
    pos = advanced[0]
    index = convert_to_tensor(key[pos])
    if index.shape.rank == 0 and index.dtype != tf.bool:
        key[pos] = index
        return x[tuple(key)]
    key[pos] = slice(None)
    if Ellipsis not in key:
        key.append(Ellipsis)
    base = x[tuple(key)]
    # The output axis of the indexed one: outputs made by the entries before it.
    before = key[:pos]
    out_axis = sum(1 for k in before if k is None or isinstance(k, slice))
    if any(k is Ellipsis for k in before):
        consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
        out_axis += x.shape.rank - consumed
    if index.dtype == tf.bool:
        return tf.boolean_mask(base, index, axis=out_axis)
    n = dims(base)[out_axis]
    index = tf.where(index < 0, index + tf.cast(n, index.dtype), index)
    return tf.gather(base, index, axis=out_axis)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    flat1, flat2 = tf.reshape(x1, [-1, 1]), tf.reshape(x2, [1, -1])
    found = tf.reduce_any(tf.equal(flat1, flat2), axis=1)
    if invert:
        found = tf.logical_not(found)
    return tf.reshape(found, tf.shape(x1))


def nonzero(x):
    x = convert_to_tensor(x)
    if x.shape.rank == 0:
        x = tf.reshape(x, [1])
    coords = tf.cast(tf.where(tf.cast(x, tf.bool) if x.dtype != tf.bool else x), tf.int32)
    return tuple(coords[:, i] for i in range(x.shape.rank))


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("`condlist` and `choicelist` must have the same length.")
    condlist = [convert_to_tensor(c) for c in condlist]
    choicelist = promote(*choicelist)
    out = convert_to_tensor(default, choicelist[0].dtype)
    for c, v in zip(reversed(condlist), reversed(choicelist)):
        out = tf.where(c, v, out)
    return out


def _indices(indices, n):
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        indices = tf.cast(indices, tf.int32)
    return tf.where(indices < 0, indices + tf.cast(n, indices.dtype), indices)


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.gather(x, _indices(indices, dims(x)[axis]), axis=axis)


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    rank = x.shape.rank
    axis = canon(axis, rank)
    if indices.shape.rank != rank:
        raise ValueError("`x` and `indices` must have the same rank.")
    xd, idd = dims(x), dims(indices)
    x_b = [1 if i == axis else d for i, d in enumerate(xd)]
    i_b = [1 if i == axis else d for i, d in enumerate(idd)]
    batch = tf.broadcast_dynamic_shape(tf.stack(x_b), tf.stack(i_b))
    x_shape = tf.tensor_scatter_nd_update(batch, [[axis]], [xd[axis]])
    i_shape = tf.tensor_scatter_nd_update(batch, [[axis]], [idd[axis]])
    x = tf.broadcast_to(x, x_shape)
    indices = tf.broadcast_to(_indices(indices, xd[axis]), i_shape)
    perm = [i for i in range(rank) if i != axis] + [axis]
    inverse = list(np.argsort(perm))
    out = tf.gather(tf.transpose(x, perm), tf.transpose(indices, perm), batch_dims=rank - 1)
    return tf.transpose(out, inverse)


def _tri_mask(x, k, lower):
    shape = dims(x)
    rows = tf.range(shape[-2])[:, None]
    cols = tf.range(shape[-1])[None, :]
    k = tf.cast(k, tf.int32)
    return cols - rows <= k if lower else cols - rows >= k


def tril(x, k=0):
    x = convert_to_tensor(x)
    return tf.where(_tri_mask(x, k, True), x, tf.zeros_like(x))


def triu(x, k=0):
    x = convert_to_tensor(x)
    return tf.where(_tri_mask(x, k, False), x, tf.zeros_like(x))


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError("expected integer `indices`.")
    coords = []
    for d in reversed(shape):
        coords.append(indices % d)
        indices = indices // d
    return tuple(reversed(coords))


def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, tf.bool)
    return tf.where(condition, x1, x2)
