"""NumPy-style indexing ops on NumPy."""

import numpy as np

from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy.shape import promote

__all__ = [
    "diagonal", "diff", "get_item", "isin", "nonzero", "select", "take", "take_along_axis",
    "tril", "triu", "unravel_index", "where",
]


def diagonal(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def diff(a, n=1, axis=-1):
    return np.diff(convert_to_tensor(a), n=n, axis=axis)


def _key(k):
    if isinstance(k, (list, tuple)):
        return tuple(_key_part(p) for p in k)
    return _key_part(k)


def _key_part(k):
    if k is None or k is Ellipsis or isinstance(k, (slice, bool, int, np.integer)):
        return k
    return np.asarray(convert_to_tensor(k))


def get_item(x, key):
    return convert_to_tensor(x)[_key(key)]


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    return np.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def nonzero(x):
    return tuple(i.astype(np.int32) for i in np.nonzero(convert_to_tensor(x)))


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("`condlist` and `choicelist` must have the same length.")
    condlist = [convert_to_tensor(c) for c in condlist]
    choicelist = promote(*choicelist)
    dtype = choicelist[0].dtype
    out = np.broadcast_to(np.asarray(default, dtype=dtype), np.broadcast_shapes(
        *[c.shape for c in condlist], *[c.shape for c in choicelist], np.shape(default)))
    for c, v in zip(reversed(condlist), reversed(choicelist)):
        out = np.where(c, v, out)
    return out


def _indices(indices):
    indices = convert_to_tensor(indices)
    if indices.dtype.kind not in "iu":
        indices = indices.astype(np.int32)
    return indices


def take(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    return np.take_along_axis(x, indices, axis=axis)


def _matrix(x):
    x = convert_to_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {x.shape}.")
    return x


def tril(x, k=0):
    return np.tril(_matrix(x), k=k)


def triu(x, k=0):
    return np.triu(_matrix(x), k=k)


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    return tuple(i.astype(indices.dtype) for i in np.unravel_index(indices, shape))


def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    return np.where(condition, x1, x2)
