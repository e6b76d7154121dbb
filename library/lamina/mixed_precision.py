"""``lamina.mixed_precision``: compute in 16 bits, keep weights in 32.

Example:
    >>> lamina.mixed_precision.set_global_policy("mixed_float16")
    >>> lamina.mixed_precision.set_global_policy("float32")
"""

from lamina.dtype_policies import (  # noqa: F401
    DTypePolicy,
    Policy,
    dtype_policy,
    global_policy,
    set_dtype_policy,
    set_global_policy,
)
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer  # noqa: F401,E402
