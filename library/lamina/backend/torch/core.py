"""PyTorch backend core: Variable, tensor conversion, dtypes, control flow."""

import numpy as np
import torch

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False

TORCH_DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "bfloat16": torch.bfloat16, "uint8": torch.uint8, "uint16": torch.uint16,
    "uint32": torch.uint32, "uint64": torch.uint64, "int8": torch.int8, "int16": torch.int16,
    "int32": torch.int32, "int64": torch.int64, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
_FROM_TORCH = {v: k for k, v in TORCH_DTYPES.items()}


def to_torch_dtype(dtype):
    """The torch dtype for a lamina dtype name (or any dtype-like)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return TORCH_DTYPES[dtypes.standardize_dtype(dtype)]


def standardize_dtype(dtype):
    """The lamina name of a torch dtype."""
    name = _FROM_TORCH.get(dtype)
    return name if name is not None else dtypes.standardize_dtype(dtype)


def _unwrap(x):
    return x.value if isinstance(x, _BaseVariable) else x


class Variable(_BaseVariable):
    """A lamina Variable holding a ``torch.nn.Parameter``."""

    def _initialize(self, value):
        self._value = torch.nn.Parameter(
            value, requires_grad=self.trainable and value.dtype.is_floating_point
        )

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        with torch.no_grad():
            self._value.copy_(value)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        args = tree.map_structure(_unwrap, args)
        kwargs = tree.map_structure(_unwrap, kwargs or {})
        return func(*args, **kwargs)

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name == "trainable" and getattr(self, "_value", None) is not None:
            self._value.requires_grad_(bool(value) and self._value.dtype.is_floating_point)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a torch tensor (Python floats to floatx, ints to int32)."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a torch tensor.")
        if isinstance(x, (np.ndarray, np.generic)):
            return torch.from_numpy(np.array(arr, copy=True)) if arr.ndim else torch.tensor(arr)
        if arr.dtype.kind == "f":
            dtype = dtypes.result_type(float)
        elif arr.dtype == np.int64:
            dtype = "int32"
        else:
            dtype = dtypes.standardize_dtype(arr.dtype)
        return torch.as_tensor(arr, dtype=to_torch_dtype(dtype))
    target = to_torch_dtype(dtype)
    if isinstance(x, (np.ndarray, np.generic)):
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            arr = arr.astype(np.float32)
        return torch.from_numpy(np.array(arr, copy=True)).to(target)
    return torch.as_tensor(x, dtype=target)


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array (bfloat16 through ml_dtypes)."""
    x = _unwrap(x)
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            import ml_dtypes

            return x.float().cpu().numpy().astype(ml_dtypes.bfloat16)
        return x.cpu().numpy()
    return np.asarray(x)


def is_tensor(x):
    """True for torch tensors."""
    return isinstance(x, torch.Tensor)


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(x.shape)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    return _unwrap(variable).detach()


def device_scope(device_name):
    """A context manager setting torch's default device."""
    return torch.device(str(device_name).replace("gpu", "cuda"))
