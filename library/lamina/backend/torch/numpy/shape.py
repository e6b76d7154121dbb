"""NumPy-style shape ops on PyTorch."""

import numpy as np
import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype

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


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


def _sections(x, indices_or_sections, axis, even):
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, (list, tuple)):
        indices_or_sections = list(indices_or_sections)
    elif even and x.shape[axis] % indices_or_sections:
        raise ValueError(f"a dimension of size {x.shape[axis]} cannot be split into "
                         f"{indices_or_sections} equal sections.")
    return list(torch.tensor_split(x, indices_or_sections, dim=axis))


def array_split(x, indices_or_sections, axis=0):
    return _sections(x, indices_or_sections, axis, even=False)


def broadcast_to(x, shape):
    return torch.broadcast_to(convert_to_tensor(x), tuple(shape))


def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(xs, dim=axis)


def dsplit(x, indices_or_sections):
    return _sections(x, indices_or_sections, 2, even=True)


def _atleast(x, n):
    if x.ndim >= n:
        return x
    if n == 2 or x.ndim == 0:
        return x.reshape((1,) * (n - x.ndim) + tuple(x.shape))
    if x.ndim == 1:
        return x.reshape(1, -1, 1)
    return x.unsqueeze(-1)


def dstack(xs):
    return torch.cat([_atleast(x, 3) for x in promote(*xs)], dim=2)


def expand_dims(x, axis):
    x = convert_to_tensor(x)
    axes = _axes(axis)
    if len(axes) == 1:
        return torch.unsqueeze(x, axes[0])
    rank = x.ndim + len(axes)
    axes = sorted(a % rank for a in axes)
    for a in axes:
        x = torch.unsqueeze(x, a)
    return x


def flip(x, axis=None):
    x = convert_to_tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else _axes(axis)
    return torch.flip(x, dims=dims)


def fliplr(x):
    return torch.flip(convert_to_tensor(x), dims=(1,))


def flipud(x):
    return torch.flip(convert_to_tensor(x), dims=(0,))


def hsplit(x, indices_or_sections):
    x = convert_to_tensor(x)
    return _sections(x, indices_or_sections, 1 if x.ndim > 1 else 0, even=True)


def hstack(xs):
    xs = [x.reshape(1) if x.ndim == 0 else x for x in promote(*xs)]
    return torch.cat(xs, dim=0 if xs[0].ndim == 1 else 1)


def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid(*[convert_to_tensor(t).reshape(-1) for t in x], indexing=indexing))


def moveaxis(x, source, destination):
    return torch.movedim(convert_to_tensor(x), source, destination)


def ndim(x):
    return convert_to_tensor(x).ndim


def _pad_pairs(pad_width, rank):
    arr = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (rank, 2))
    if (arr < 0).any():
        raise ValueError(f"`pad_width` must be non-negative, received {pad_width!r}.")
    return [(int(a), int(b)) for a, b in arr]


def _reflect_index(n, before, after, mode):
    """Source indices along one axis for reflect/symmetric/edge/wrap padding."""
    idx = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(idx, 0, n - 1)
    if mode == "wrap":
        return idx % n
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(idx)
        period = 2 * (n - 1)
        idx = np.abs(idx) % period
        return np.where(idx >= n, period - idx, idx)
    period = 2 * n  # symmetric
    idx = np.where(idx < 0, -idx - 1, idx) % period
    return np.where(idx >= n, period - 1 - idx, idx)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert_to_tensor(x)
    if constant_values is not None and mode != "constant":
        raise ValueError("`constant_values` can only be set with mode='constant'.")
    pairs = _pad_pairs(pad_width, x.ndim)
    if mode == "constant":
        flat = [v for a, b in reversed(pairs) for v in (a, b)]
        value = 0 if constant_values is None else constant_values
        if x.dtype == torch.bool:
            return torch.nn.functional.pad(x.to(torch.uint8), flat, value=int(value)).bool()
        return torch.nn.functional.pad(x, flat, value=value)
    if mode not in ("reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"unsupported pad mode {mode!r}.")
    for axis, (a, b) in enumerate(pairs):
        if a or b:
            index = _reflect_index(x.shape[axis], a, b, mode)
            x = torch.index_select(x, axis, torch.as_tensor(index, device=x.device))
    return x


def ravel(x):
    return torch.ravel(convert_to_tensor(x))


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if isinstance(repeats, (list, tuple)):
        repeats = torch.as_tensor(repeats, device=x.device)
    elif hasattr(repeats, "shape"):
        repeats = convert_to_tensor(repeats)
    return torch.repeat_interleave(x, repeats, dim=axis)


def reshape(x, newshape):
    x = convert_to_tensor(x)
    if isinstance(newshape, (list, tuple)):
        newshape = tuple(-1 if d is None else d for d in newshape)
    else:
        newshape = (newshape,)
    return torch.reshape(x, newshape)


def roll(x, shift, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.roll(x, shift if isinstance(shift, int) else tuple(shift))
    shifts, axes = _axes(shift), _axes(axis)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    return torch.roll(x, shifts, axes)


def rot90(array, k=1, axes=(0, 1)):
    return torch.rot90(convert_to_tensor(array), k=k, dims=tuple(axes))


def size(x):
    return torch.tensor(convert_to_tensor(x).numel(), dtype=torch.int32)


def split(x, indices_or_sections, axis=0):
    return _sections(x, indices_or_sections, axis, even=True)


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = _axes(axis)
    if any(x.shape[a] != 1 for a in axes):
        raise ValueError(f"cannot squeeze axes {axis} of shape {tuple(x.shape)}: not of size 1.")
    return torch.squeeze(x, dim=axes)


def stack(x, axis=0):
    return torch.stack(promote(*x), dim=axis)


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(convert_to_tensor(x), axis1, axis2)


def tile(x, repeats):
    x = convert_to_tensor(x)
    repeats = tuple(repeats) if isinstance(repeats, (list, tuple)) else (repeats,)
    return torch.tile(x, repeats)


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    if axes is None:
        return x.permute(*reversed(range(x.ndim))) if x.ndim > 1 else x
    return x.permute(*axes) if x.ndim else x


def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(to_torch_dtype(dtype))


def vsplit(x, indices_or_sections):
    return _sections(x, indices_or_sections, 0, even=True)


def vstack(xs):
    return torch.cat([_atleast(x, 2) for x in promote(*xs)], dim=0)
