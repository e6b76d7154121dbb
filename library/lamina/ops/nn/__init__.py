"""``lamina.ops.nn``: activations, losses, normalization, encodings, convolution,
pooling, patches and attention.

Example:
    >>> lamina.ops.nn.relu(np.array([-1.0, 2.0]))
"""

from lamina.ops.nn.activations import *  # noqa: F401,F403
from lamina.ops.nn.attention import *  # noqa: F401,F403
from lamina.ops.nn.conv import *  # noqa: F401,F403
from lamina.ops.nn.encoding import *  # noqa: F401,F403
from lamina.ops.nn.losses import *  # noqa: F401,F403
from lamina.ops.nn.normalization import *  # noqa: F401,F403
from lamina.ops.nn.patches import *  # noqa: F401,F403
from lamina.ops.nn.pooling import *  # noqa: F401,F403
