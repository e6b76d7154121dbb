"""NumPy-style indexing ops on PyTorch."""

import numpy as np
import torch

from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.numpy.shape import promote

__all__ = [
    "diagonal", "diff", "get_item", "isin", "nonzero", "select", "take", "take_along_axis",
    "tril", "triu", "unravel_index", "where",
]


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert_to_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def diff(a, n=1, axis=-1):
    a = convert_to_tensor(a)
    if n == 0:
        return a
    return torch.diff(a, n=n, dim=axis)


def _key_part(k):
    if k is None or k is Ellipsis or isinstance(k, (slice, bool, int)):
        return k
    if isinstance(k, np.integer):
        return int(k)
    k = convert_to_tensor(k)
    if k.dtype != torch.bool and k.dtype != torch.int64:
        k = k.long()
    return k


def _negative_steps(x, key):
    """Applies slices with a negative step (torch has none) with index_select."""
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    dim = 0
    for i, k in enumerate(key):
        if k is Ellipsis:
            dim += x.ndim - consumed
        elif k is None:
            continue
        else:
            if isinstance(k, slice) and k.step is not None and k.step < 0:
                picked = list(range(*k.indices(x.shape[dim])))
                x = torch.index_select(x, dim, torch.tensor(picked, dtype=torch.int64,
                                                            device=x.device))
                key[i] = slice(None)
            dim += 1
    return x, key


def get_item(x, key):
    x = convert_to_tensor(x)
    key = [_key_part(k) for k in key] if isinstance(key, (list, tuple)) else [_key_part(key)]
    if any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in key):
        x, key = _negative_steps(x, key)
    return x[tuple(key)]


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def nonzero(x):
    x = convert_to_tensor(x)
    if x.ndim == 0:
        x = x.reshape(1)
    return tuple(i.to(torch.int32) for i in torch.nonzero(x, as_tuple=True))


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("`condlist` and `choicelist` must have the same length.")
    condlist = [convert_to_tensor(c) for c in condlist]
    choicelist = promote(*choicelist)
    out = convert_to_tensor(default, choicelist[0].dtype)
    for c, v in zip(reversed(condlist), reversed(choicelist)):
        out = torch.where(c, v, out)
    return out


def _indices(indices, n):
    indices = convert_to_tensor(indices)
    if indices.dtype != torch.int64:
        indices = indices.long()
    return torch.where(indices < 0, indices + n, indices)


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        flat = x.reshape(-1)
        return flat[_indices(indices, flat.shape[0])]
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {x.ndim}.")
    axis = axis % x.ndim
    indices = _indices(indices, x.shape[axis])
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1:])


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    indices = convert_to_tensor(indices)
    if indices.ndim != x.ndim:
        raise ValueError("`x` and `indices` must have the same rank.")
    return torch.take_along_dim(x, _indices(indices, x.shape[axis]), dim=axis)


def tril(x, k=0):
    return torch.tril(convert_to_tensor(x), diagonal=k)


def triu(x, k=0):
    return torch.triu(convert_to_tensor(x), diagonal=k)


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    dtype = indices.dtype
    if dtype.is_floating_point or dtype == torch.bool:
        raise TypeError("expected integer `indices`.")
    return tuple(i.to(dtype) for i in torch.unravel_index(indices, tuple(shape)))


def where(condition, x1=None, x2=None):
    condition = convert_to_tensor(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    if condition.dtype != torch.bool:
        condition = condition != 0
    return torch.where(condition, x1, x2)
