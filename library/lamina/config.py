"""``lamina.config``: the backend name, floatx, epsilon, image data format, and
process-wide switches.

Example:
    >>> lamina.config.backend()
    'jax'
    >>> lamina.config.set_dtype_policy("mixed_bfloat16")
"""

from lamina.backend.config import (  # noqa: F401
    backend,
    disable_flash_attention,
    disable_interactive_logging,
    disable_traceback_filtering,
    enable_flash_attention,
    enable_interactive_logging,
    enable_traceback_filtering,
    enable_unsafe_deserialization,
    epsilon,
    floatx,
    image_data_format,
    is_flash_attention_enabled,
    is_interactive_logging_enabled,
    is_nnx_enabled,
    is_traceback_filtering_enabled,
    max_epochs,
    max_steps_per_epoch,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    set_max_epochs,
    set_max_steps_per_epoch,
)
from lamina.dtype_policies import dtype_policy, set_dtype_policy  # noqa: F401
