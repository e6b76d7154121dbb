"""``lamina.config``: the backend name, floatx, epsilon, image data format.

Example:
    >>> lamina.config.backend()
    'jax'
"""

from lamina.backend.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
