"""``lamina.ops``: tensor operations under the Keras 3 names, on every backend.

Each op runs eagerly on tensors (NumPy arrays, backend tensors, Variables) and
symbolically on KerasTensors, and works inside ``jax.jit`` and ``tf.function``.
The namespaces ``lamina.ops.numpy``, ``lamina.ops.nn``, ``lamina.ops.linalg``
and ``lamina.ops.image`` hold them by theme; most are also here at the top.

Example:
    >>> from lamina import ops
    >>> ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
"""

from lamina.ops import image, linalg, nn, numpy  # noqa: F401
from lamina.ops.core import *  # noqa: F401,F403
from lamina.ops.linalg import *  # noqa: F401,F403
from lamina.ops.math import *  # noqa: F401,F403
from lamina.ops.nn import *  # noqa: F401,F403
from lamina.ops.numpy import *  # noqa: F401,F403
from lamina.ops.rearrange import rearrange  # noqa: F401
