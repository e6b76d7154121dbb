"""NumPy-style sorting, searching and unique values on TensorFlow."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor


def _prepare(x, axis):
    x = convert_to_tensor(x)
    if axis is None:
        return tf.reshape(x, [-1]), 0
    return x, axis


def _sortable(x):
    dt = dtypes.standardize_dtype(x.dtype)
    if dt == "bool" or dt in ("uint8", "uint16", "int8", "int16"):
        return tf.cast(x, "int32")
    return x


def _check_axis(axis, rank):
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank}.")


def _move(x, axis):
    """Moves ``axis`` last; returns the tensor and the inverse permutation."""
    rank = x.shape.rank
    _check_axis(axis, rank)
    axis = axis % rank
    perm = [i for i in range(rank) if i != axis] + [axis]
    inverse = [perm.index(i) for i in range(rank)]
    return tf.transpose(x, perm), inverse


def _argsort_last(x):
    x = _sortable(x)
    batch = x.shape.rank - 1
    if not x.dtype.is_floating:
        return tf.argsort(x, axis=-1, stable=True)
    isnan = tf.math.is_nan(x)
    # Stable two-key sort: by value, then NaNs moved to the end (as in NumPy).
    order = tf.argsort(tf.where(isnan, tf.zeros_like(x), x), axis=-1, stable=True)
    nan_key = tf.gather(tf.cast(isnan, "int32"), order, axis=-1, batch_dims=batch)
    second = tf.argsort(nan_key, axis=-1, stable=True)
    return tf.gather(order, second, axis=-1, batch_dims=batch)


def sort(x, axis=-1):
    x, axis = _prepare(x, axis)
    if x.shape.rank == 0:
        return x
    y, inverse = _move(x, axis)
    order = _argsort_last(y)
    out = tf.gather(y, order, axis=-1, batch_dims=y.shape.rank - 1)
    return tf.transpose(out, inverse)


def argsort(x, axis=-1):
    x, axis = _prepare(x, axis)
    if x.shape.rank == 0:
        return tf.zeros((), "int32")
    y, inverse = _move(x, axis)
    return tf.transpose(tf.cast(_argsort_last(y), "int32"), inverse)


def argpartition(x, kth, axis=-1):
    # A stable full sort is a valid partition around every kth.
    x = convert_to_tensor(x)
    if axis is None:
        n = 1
        for d in x.shape:
            n *= int(d)
    else:
        n = int(x.shape[axis]) if x.shape.rank else 1
    if not -n <= kth < n:
        raise ValueError(f"argpartition: kth={kth} is out of range for an axis of length {n}.")
    return argsort(x, axis)


def searchsorted(sorted_sequence, values, side="left"):
    seq, values = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if seq.shape.rank != 1:
        raise ValueError(f"searchsorted: expected a 1-D sorted_sequence, received shape {seq.shape}.")
    dtype = dtypes.result_type(dtypes.standardize_dtype(seq.dtype), dtypes.standardize_dtype(values.dtype))
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        dtype = "int32"
    seq, values = tf.cast(seq, dtype), tf.cast(values, dtype)
    out = tf.searchsorted(seq, tf.reshape(values, [-1]), side=side, out_type="int32")
    return tf.reshape(out, tf.shape(values))


def _lexsort_rows(rows):
    """Stable lexicographic order of the rows of a 2-D tensor (first column most significant)."""
    order = tf.range(tf.shape(rows)[0])
    for col in reversed(range(rows.shape[1])):
        keys = tf.gather(rows[:, col], order)
        order = tf.gather(order, tf.argsort(_sortable(keys), stable=True))
    return order


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    x = convert_to_tensor(x)
    original_shape = tf.shape(x)
    if axis is None:
        flat = tf.reshape(x, [-1])
        values, inverse, counts = tf.unique_with_counts(flat, out_idx="int32")
        order = tf.argsort(_sortable(values), stable=True)
        dim = 0
    else:
        _check_axis(axis, x.shape.rank)
        dim = axis % x.shape.rank
        values, inverse, counts = tf.raw_ops.UniqueWithCountsV2(x=x, axis=[dim], out_idx="int32")
        moved = tf.experimental.numpy.moveaxis(values, dim, 0)
        order = _lexsort_rows(tf.reshape(moved, [tf.shape(moved)[0], -1]))
    n = tf.shape(values)[dim]
    values = tf.gather(values, order, axis=dim)
    counts = tf.gather(counts, order)
    inverse = tf.gather(tf.math.invert_permutation(order), inverse)
    index = tf.math.unsorted_segment_min(tf.range(tf.shape(inverse)[0]), inverse, n)
    if size is not None:
        keep = tf.minimum(n, size)
        values = tf.gather(values, tf.range(keep), axis=dim)
        index, counts = index[:keep], counts[:keep]
        pad = tf.maximum(size - n, 0)
        paddings = [[0, 0]] * values.shape.rank
        paddings[dim] = [0, pad]
        fill = tf.cast(0 if fill_value is None else fill_value, values.dtype)
        values = tf.pad(values, paddings, constant_values=fill)
        index, counts = tf.pad(index, [[0, pad]]), tf.pad(counts, [[0, pad]])
    if axis is None:
        inverse = tf.reshape(inverse, original_shape)
    result = [values]
    if return_index:
        result.append(index)
    if return_inverse:
        result.append(inverse)
    if return_counts:
        result.append(counts)
    return tuple(result) if len(result) > 1 else values
