"""TensorFlow backend core: Variable, tensor conversion, dtypes, control flow."""

import numpy as np
import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = True


class Variable(_BaseVariable):
    """A lamina Variable holding a ``tf.Variable``."""

    def _initialize(self, value):
        self._value = tf.Variable(value, dtype=self._dtype, trainable=self.trainable,
                                  name=self.name)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value.assign(tf.cast(value, self._value.dtype))

    def __tf_tensor__(self, dtype=None, name=None):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a ``tf.Tensor`` (Python floats to floatx, ints to int32)."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (tf.Tensor, tf.Variable)):
        if dtype is None or x.dtype == dtype:
            return tf.convert_to_tensor(x)
        return tf.cast(x, dtype)
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a TensorFlow tensor.")
        if isinstance(x, (np.ndarray, np.generic)):
            return tf.convert_to_tensor(arr)
        if arr.dtype.kind == "f":
            dtype = dtypes.result_type(float)
        elif arr.dtype == np.int64:
            dtype = "int32"
        else:
            dtype = dtypes.standardize_dtype(arr.dtype)
        return tf.convert_to_tensor(arr, dtype=dtype)
    if isinstance(x, (np.ndarray, np.generic)) or dtype == "bfloat16":
        return tf.cast(tf.convert_to_tensor(np.asarray(x)), dtype)
    return tf.convert_to_tensor(x, dtype=dtype)


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (tf.Tensor, tf.Variable)):
        return x.numpy()
    return np.asarray(x)


def is_tensor(x):
    """True for TensorFlow tensors."""
    return tf.is_tensor(x)


def shape(x):
    """The shape of ``x``: ints where static, scalar tensors where dynamic."""
    static = x.shape.as_list() if hasattr(x.shape, "as_list") else list(x.shape)
    if None in static:
        dynamic = tf.shape(x)
        return tuple(d if d is not None else dynamic[i] for i, d in enumerate(static))
    return tuple(static)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    if isinstance(variable, _BaseVariable):
        variable = variable.value
    return tf.stop_gradient(variable)


def device_scope(device_name):
    """A context manager placing ops on ``device_name``."""
    return tf.device(str(device_name))
