"""``lamina.ops.nn``: activation functions."""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["relu"]


@op(rules.elementwise_unary, module="nn")
def relu(x):
    """Rectified linear unit: ``max(x, 0)``, element-wise.

    Example:
        >>> lamina.ops.relu(np.array([-1.0, 2.0]))
        # [0.0, 2.0]
    """
