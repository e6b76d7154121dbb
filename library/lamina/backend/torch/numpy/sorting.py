"""NumPy-style sorting, searching and unique values on PyTorch."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype


def _flat(x, axis):
    x = convert_to_tensor(x)
    if axis is None:
        return x.reshape(-1), 0
    return x, axis


def sort(x, axis=-1):
    x, axis = _flat(x, axis)
    if x.ndim == 0:
        return x
    if x.dtype == torch.bool:
        return torch.sort(x.to(torch.uint8), dim=axis, stable=True).values.bool()
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    x, axis = _flat(x, axis)
    if x.ndim == 0:
        return torch.zeros((), dtype=torch.int32)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def argpartition(x, kth, axis=-1):
    # A stable full sort is a valid partition around every kth.
    x = convert_to_tensor(x)
    if axis is None:
        n = 1
        for d in x.shape:
            n *= int(d)
    else:
        n = int(x.shape[axis]) if x.ndim else 1
    if not -n <= kth < n:
        raise ValueError(f"argpartition: kth={kth} is out of range for an axis of length {n}.")
    return argsort(x, axis)


def searchsorted(sorted_sequence, values, side="left"):
    seq, values = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: expected a 1-D sorted_sequence, received shape {tuple(seq.shape)}.")
    dtype = to_torch_dtype(dtypes.result_type(dtypes.standardize_dtype(str(seq.dtype)),
                                              dtypes.standardize_dtype(str(values.dtype))))
    if dtype == torch.bool:
        dtype = torch.int32
    return torch.searchsorted(seq.to(dtype).contiguous(), values.to(dtype).contiguous(),
                              side=side, out_int32=True)


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    x = convert_to_tensor(x)
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True,
                                           return_counts=True, dim=axis)
    dim = 0 if axis is None else axis % x.ndim
    n = values.shape[dim]
    flat_inverse = inverse.reshape(-1)
    positions = torch.arange(flat_inverse.shape[0], dtype=torch.int64)
    index = torch.full((n,), flat_inverse.shape[0], dtype=torch.int64).scatter_reduce(
        0, flat_inverse, positions, reduce="amin", include_self=True)
    if size is not None:
        keep = min(n, size)
        values = values.narrow(dim, 0, keep)
        index, counts = index[:keep], counts[:keep]
        if size > n:
            pad_shape = list(values.shape)
            pad_shape[dim] = size - n
            fill = torch.full(pad_shape, 0 if fill_value is None else fill_value, dtype=values.dtype)
            values = torch.cat([values, fill], dim=dim)
            index = torch.cat([index, torch.zeros(size - n, dtype=index.dtype)])
            counts = torch.cat([counts, torch.zeros(size - n, dtype=counts.dtype)])
    result = [values]
    if return_index:
        result.append(index.to(torch.int32))
    if return_inverse:
        result.append(inverse.to(torch.int32))
    if return_counts:
        result.append(counts.to(torch.int32))
    return tuple(result) if len(result) > 1 else values
