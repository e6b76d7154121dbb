"""``lamina.ops.numpy``: the NumPy-style ops, on every backend.

Example:
    >>> lamina.ops.numpy.add(np.ones(2), 1.0)
"""

from lamina.ops.numpy.creation import *  # noqa: F401,F403
from lamina.ops.numpy.elementwise import *  # noqa: F401,F403
from lamina.ops.numpy.indexing import *  # noqa: F401,F403
from lamina.ops.numpy.linear import *  # noqa: F401,F403
from lamina.ops.numpy.reduction import *  # noqa: F401,F403
from lamina.ops.numpy.shape import *  # noqa: F401,F403
from lamina.ops.numpy.sorting import *  # noqa: F401,F403
from lamina.ops.numpy.statistics import *  # noqa: F401,F403
