"""``lamina.models``: Model, Sequential and model-level functions.

Example:
    >>> model = lamina.models.Sequential([lamina.layers.Dense(1)])
"""

from lamina.models.functional import Functional  # noqa: F401
from lamina.models.model import Model  # noqa: F401
from lamina.models.sequential import Sequential  # noqa: F401
