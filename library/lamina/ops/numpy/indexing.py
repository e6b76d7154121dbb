"""NumPy-style ops: indexing."""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = []
