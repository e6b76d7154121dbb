"""NumPy-style sorting, searching and unique values on NumPy."""

import numpy as np

from lamina.backend.numpy.core import convert_to_tensor


def _flat(x, axis):
    x = convert_to_tensor(x)
    if axis is None:
        return x.reshape(-1), 0
    if x.ndim == 0:
        return x.reshape(1), 0
    return x, axis


def sort(x, axis=-1):
    shape = np.shape(convert_to_tensor(x))
    x, ax = _flat(x, axis)
    out = np.sort(x, axis=ax, kind="stable")
    return out.reshape(shape) if axis is not None and not shape else out


def argsort(x, axis=-1):
    shape = np.shape(convert_to_tensor(x))
    x, ax = _flat(x, axis)
    out = np.argsort(x, axis=ax, kind="stable").astype(np.int32)
    return out.reshape(shape) if axis is not None and not shape else out


def argpartition(x, kth, axis=-1):
    x, ax = _flat(x, axis)
    return np.argpartition(x, kth, axis=ax).astype(np.int32)


def searchsorted(sorted_sequence, values, side="left"):
    seq, values = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: expected a 1-D sorted_sequence, received shape {seq.shape}.")
    return np.asarray(np.searchsorted(seq, values, side=side), dtype=np.int32)


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    x = convert_to_tensor(x)
    out = np.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis)
    values, index, inverse, counts = out
    inverse = inverse.reshape(x.shape if axis is None else (-1,))
    if size is not None:
        dim = 0 if axis is None else axis % x.ndim
        n = values.shape[dim]
        keep = min(n, size)
        values = np.take(values, np.arange(keep), axis=dim)
        index, counts = index[:keep], counts[:keep]
        if size > n:
            pad = [(0, 0)] * values.ndim
            pad[dim] = (0, size - n)
            values = np.pad(values, pad, constant_values=0 if fill_value is None else fill_value)
            index = np.pad(index, (0, size - n))
            counts = np.pad(counts, (0, size - n))
    result = [values]
    if return_index:
        result.append(index.astype(np.int32))
    if return_inverse:
        result.append(inverse.astype(np.int32))
    if return_counts:
        result.append(counts.astype(np.int32))
    return tuple(result) if len(result) > 1 else values
