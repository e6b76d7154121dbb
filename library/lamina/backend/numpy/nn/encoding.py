"""nn ops (encoding) on NumPy."""

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype
from lamina.backend.numpy.nn.activations import to_float


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("`sparse=True` is not supported on the numpy backend.")
    x = convert_to_tensor(x).astype(np.int64)
    dtype = to_numpy_dtype(dtypes.standardize_dtype(dtype) if dtype else config.floatx())
    out = (x[..., None] == np.arange(num_classes)).astype(dtype)
    if axis != -1 and axis != x.ndim:
        out = np.moveaxis(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.get("num_tokens", num_classes)
    x = convert_to_tensor(inputs)
    reduce_axis = 1 if x.ndim > 1 else 0
    return np.max(one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse), axis=reduce_axis)


def polar(abs_, angle):
    abs_, angle = to_float(abs_), to_float(angle)
    dtype = dtypes.result_type(dtypes.standardize_dtype(abs_.dtype), dtypes.standardize_dtype(angle.dtype))
    ctype = np.complex128 if dtype == "float64" else np.complex64
    return (abs_ * np.cos(angle) + 1j * (abs_ * np.sin(angle))).astype(ctype)
