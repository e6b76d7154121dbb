"""NumPy-style element-wise ops: arithmetic, comparisons, logic, math functions."""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["add", "absolute", "abs"]


@op(rules.broadcast_binary)
def add(x1, x2):
    """Adds tensors element-wise, with broadcasting.

    Args:
        x1: a tensor or number.
        x2: a tensor or number.

    Returns:
        The sum, in the promoted dtype of ``x1`` and ``x2``.

    Example:
        >>> lamina.ops.add(np.array([1, 2]), 3)
        # [4, 5] (int32)
    """


@op(rules.elementwise_unary)
def absolute(x):
    """Absolute value, element-wise.

    Example:
        >>> lamina.ops.absolute(np.array([-1.5, 2.0]))
        # [1.5, 2.0]
    """


abs = absolute
