"""Lamina: a multi-backend deep-learning library with the Keras 3 API.

Write ``import lamina as keras`` and Keras 3 code runs unchanged on JAX,
PyTorch or TensorFlow (training) and NumPy (inference). The backend is chosen
by ``LAMINA_BACKEND`` (or ``KERAS_BACKEND``) before import, and the framework
itself is imported only when it is first needed.

Example:
    >>> import lamina as keras
    >>> model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
"""

__version__ = "0.1.0"

from lamina import (  # noqa: F401
    activations,
    backend,
    callbacks,
    config,
    constraints,
    dtype_policies,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    tree,
    utils,
)
from lamina.backend.common.keras_tensor import KerasTensor  # noqa: F401
from lamina.backend.common.scopes import StatelessScope, SymbolicScope, name_scope  # noqa: F401
from lamina.backend.common.variables import Variable  # noqa: F401
from lamina.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401
from lamina.initializers import Initializer  # noqa: F401
from lamina.layers import Input, InputSpec, Layer  # noqa: F401
from lamina.losses import Loss  # noqa: F401
from lamina.metrics import Metric  # noqa: F401
from lamina.models import Functional as Function  # noqa: F401
from lamina.models import Model, Sequential  # noqa: F401
from lamina.ops.operation import Operation  # noqa: F401
from lamina.optimizers import Optimizer  # noqa: F401
from lamina.regularizers import Regularizer  # noqa: F401


def device(device_name):
    """A context manager that places the computations inside on ``device_name``.

    Example:
        >>> with lamina.device("cpu:0"):
        ...     x = lamina.ops.ones((2,))
    """
    from lamina.backend import impl

    return impl.core.device_scope(device_name)
