"""NumPy backend core: Variable, tensor conversion, dtypes, control flow."""

import contextlib

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(_BaseVariable):
    """A lamina Variable holding a NumPy array."""

    def _initialize(self, value):
        self._value = value

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = np.array(value, dtype=to_numpy_dtype(self._dtype), copy=True)


def to_numpy_dtype(dtype):
    """The NumPy dtype for a lamina dtype name (bfloat16 through ml_dtypes)."""
    dtype = dtypes.standardize_dtype(dtype)
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.bfloat16
    return np.dtype(dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a NumPy array (Python floats to floatx, ints to int32)."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if dtype is not None:
        return np.asarray(x, dtype=to_numpy_dtype(dtype))
    arr = np.asarray(x)
    if arr.dtype == np.float64:
        return arr.astype(to_numpy_dtype(dtypes.result_type(float)))
    if arr.dtype == np.int64:
        return arr.astype(np.int32)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a tensor.")
    return arr


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    """True for NumPy arrays and scalars."""
    return isinstance(x, (np.ndarray, np.generic))


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(np.shape(x))


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """No gradients on this backend: returns the value."""
    if isinstance(variable, _BaseVariable):
        return variable.value
    return variable


def device_scope(device_name):
    """NumPy runs on the CPU; the scope does nothing."""
    return contextlib.nullcontext()
