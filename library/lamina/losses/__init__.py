"""``lamina.losses``: what training minimises.

Example:
    >>> model.compile(optimizer="adam", loss=lamina.losses.SparseCategoricalCrossentropy())
"""

from lamina.losses.loss import Loss  # noqa: F401
from lamina.losses.losses import *  # noqa: F401,F403
from lamina.losses.losses import deserialize, get, serialize  # noqa: F401
