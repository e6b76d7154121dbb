"""NumPy-style ops: sorting."""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = []
