"""Host-side (NumPy) handling of the inputs of the hashing and lookup layers.

These layers work on strings or integers on the host, as Keras 3 does with TensorFlow on every
backend: inputs may be Python lists, NumPy arrays (str, bytes, object or integer dtype),
backend tensors, or TensorFlow tensors (including ``tf.string``). They cannot run inside a
compiled (jit) step; use them in the data pipeline or before ``fit``.

Example:
    >>> to_numpy_tokens([["a", "b"]])
    array([['a', 'b']], dtype=object)
"""

import importlib

import numpy as np

from lamina import ops


def to_numpy_tokens(inputs):
    """Inputs as a NumPy array: object arrays of ``str`` for text, integer arrays otherwise."""
    if hasattr(inputs, "numpy") and type(inputs).__module__.startswith("tensorflow"):
        inputs = inputs.numpy()
    elif ops.is_tensor(inputs) and not isinstance(inputs, np.ndarray):
        inputs = ops.convert_to_numpy(inputs)
    array = np.asarray(inputs, dtype=object if _is_text(inputs) else None)
    if array.dtype.kind in "USO":
        flat = [v.decode("utf-8") if isinstance(v, bytes) else v for v in array.ravel()]
        if all(isinstance(v, str) for v in flat):
            out = np.empty(array.shape, dtype=object)
            out.ravel()[:] = flat if array.ndim else flat[0]
            return out
        if array.dtype.kind == "O":
            return np.asarray(flat, dtype="int64").reshape(array.shape)
    return array


def _is_text(inputs):
    if isinstance(inputs, np.ndarray):
        return inputs.dtype.kind in "USO"
    probe = inputs
    while isinstance(probe, (list, tuple)) and probe:
        probe = probe[0]
    return isinstance(probe, (str, bytes))


def tensorflow_strings():
    """The TensorFlow string helpers, or an ImportError saying why they are needed."""
    try:
        return importlib.import_module("lamina.backend.tensorflow.data")
    except ImportError as error:
        raise ImportError("Hashing strings as Keras does (FarmHash / SipHash) needs TensorFlow: "
                          "pip install tensorflow-cpu.") from error
