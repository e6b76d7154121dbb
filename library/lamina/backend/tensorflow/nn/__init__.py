"""The nn ops of this backend, one themed module each."""

from .activations import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .encoding import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .patches import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
