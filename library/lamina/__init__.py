"""Lamina: a multi-backend deep-learning library with the Keras 3 API.

Write ``import lamina as keras`` and Keras 3 code runs unchanged on JAX,
PyTorch or TensorFlow (training) and NumPy (inference). The backend is chosen
by ``LAMINA_BACKEND`` (or ``KERAS_BACKEND``) before import.

Example:
    >>> import lamina as keras
    >>> keras.ops.add(1, 2)
"""

__version__ = "0.1.0"

from lamina import backend, config, ops, random, tree  # noqa: F401
from lamina.backend.common.keras_tensor import KerasTensor  # noqa: F401
from lamina.backend.common.scopes import StatelessScope, SymbolicScope, name_scope  # noqa: F401
from lamina.backend.common.variables import Variable  # noqa: F401
from lamina.ops.operation import Operation  # noqa: F401
