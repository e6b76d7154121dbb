"""JAX backend core: Variable, tensor conversion, dtypes, control flow."""

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(_BaseVariable):
    """A lamina Variable holding a ``jax.Array``."""

    def _initialize(self, value):
        self._value = value

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = value

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a ``jax.Array`` (Python floats to floatx, ints to int32)."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        if dtype is None or x.dtype == dtype:
            return x
        return x.astype(dtype)
    if dtype is None:
        dtype = _default_dtype(x)
    return jnp.asarray(x, dtype=dtype)


def _default_dtype(x):
    """Python ints and 64-bit NumPy ints become int32, floats floatx (JAX runs 32-bit)."""
    arr = np.asarray(x)
    if isinstance(x, (np.ndarray, np.generic)) and arr.dtype not in (np.int64, np.float64):
        return arr.dtype if arr.dtype.kind != "U" else _reject(x)
    if arr.dtype.kind == "f":
        return dtypes.result_type(float)
    if arr.dtype.kind in "iu":
        return "int32" if arr.dtype == np.int64 else dtypes.standardize_dtype(arr.dtype)
    if arr.dtype.kind == "b":
        return "bool"
    return _reject(x)


def _reject(x):
    raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a JAX array.")


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    """True for jax arrays and tracers."""
    return isinstance(x, (jax.Array, jax.core.Tracer))


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(x.shape)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    if isinstance(variable, _BaseVariable):
        variable = variable.value
    return jax.lax.stop_gradient(variable)


def device_scope(device_name):
    """A context manager placing computations on ``device_name`` (e.g. ``"cpu:0"``)."""
    kind, _, index = str(device_name).lower().partition(":")
    return jax.default_device(jax.devices(kind)[int(index or 0)])
