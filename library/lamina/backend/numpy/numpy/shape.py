"""NumPy-style shape ops on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype

__all__ = [
    "append", "array_split", "broadcast_to", "concatenate", "dsplit", "dstack", "expand_dims",
    "flip", "fliplr", "flipud", "hsplit", "hstack", "meshgrid", "moveaxis", "ndim", "pad",
    "ravel", "repeat", "reshape", "roll", "rot90", "size", "split", "squeeze", "stack",
    "swapaxes", "tile", "transpose", "view", "vsplit", "vstack",
]


def promote(*xs):
    """Converts ``xs`` to arrays of their promoted dtype."""
    xs = [x if isinstance(x, (bool, int, float)) else convert_to_tensor(x) for x in xs]
    dtype = dtypes.result_type(*[x.dtype if hasattr(x, "dtype") else type(x) for x in xs])
    return [convert_to_tensor(x, dtype) for x in xs]


def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    return np.append(x1, x2, axis=axis)


def array_split(x, indices_or_sections, axis=0):
    return np.array_split(convert_to_tensor(x), indices_or_sections, axis=axis)


def broadcast_to(x, shape):
    return np.broadcast_to(convert_to_tensor(x), tuple(shape))


def concatenate(xs, axis=0):
    return np.concatenate(promote(*xs), axis=axis)


def dsplit(x, indices_or_sections):
    return np.dsplit(convert_to_tensor(x), indices_or_sections)


def dstack(xs):
    return np.dstack(promote(*xs))


def expand_dims(x, axis):
    return np.expand_dims(convert_to_tensor(x), tuple(axis) if isinstance(axis, list) else axis)


def flip(x, axis=None):
    return np.flip(convert_to_tensor(x), axis=axis)


def fliplr(x):
    return np.fliplr(convert_to_tensor(x))


def flipud(x):
    return np.flipud(convert_to_tensor(x))


def hsplit(x, indices_or_sections):
    return np.hsplit(convert_to_tensor(x), indices_or_sections)


def hstack(xs):
    return np.hstack(promote(*xs))


def meshgrid(*x, indexing="xy"):
    return list(np.meshgrid(*[convert_to_tensor(t) for t in x], indexing=indexing))


def moveaxis(x, source, destination):
    return np.moveaxis(convert_to_tensor(x), source, destination)


def ndim(x):
    return np.ndim(convert_to_tensor(x))


def pad(x, pad_width, mode="constant", constant_values=None):
    x = convert_to_tensor(x)
    if constant_values is not None:
        if mode != "constant":
            raise ValueError("`constant_values` can only be set with mode='constant'.")
        return np.pad(x, pad_width, mode=mode, constant_values=constant_values)
    return np.pad(x, pad_width, mode=mode)


def ravel(x):
    return np.ravel(convert_to_tensor(x))


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if hasattr(repeats, "shape"):
        repeats = np.asarray(repeats)
    return np.repeat(x, repeats, axis=axis)


def reshape(x, newshape):
    x = convert_to_tensor(x)
    if isinstance(newshape, (list, tuple)):
        newshape = tuple(-1 if d is None else d for d in newshape)
    return np.reshape(x, newshape)


def roll(x, shift, axis=None):
    return np.roll(convert_to_tensor(x), shift, axis=axis)


def rot90(array, k=1, axes=(0, 1)):
    return np.rot90(convert_to_tensor(array), k=k, axes=tuple(axes))


def size(x):
    return np.asarray(np.size(convert_to_tensor(x)), dtype=np.int32)


def split(x, indices_or_sections, axis=0):
    return np.split(convert_to_tensor(x), indices_or_sections, axis=axis)


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    return np.squeeze(x, axis=tuple(axis) if isinstance(axis, list) else axis)


def stack(x, axis=0):
    return np.stack(promote(*x), axis=axis)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(convert_to_tensor(x), axis1, axis2)


def tile(x, repeats):
    return np.tile(convert_to_tensor(x), repeats)


def transpose(x, axes=None):
    return np.transpose(convert_to_tensor(x), axes)


def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x.view(to_numpy_dtype(dtype) if dtype is not None else x.dtype)


def vsplit(x, indices_or_sections):
    return np.vsplit(convert_to_tensor(x), indices_or_sections)


def vstack(xs):
    return np.vstack(promote(*xs))
