"""``lamina.ops.numpy``: the NumPy-style ops, on every backend.

Example:
    >>> lamina.ops.numpy.add(np.ones(2), 1.0)
"""

from lamina.ops.numpy import creation as _creation
from lamina.ops.numpy import elementwise as _elementwise
from lamina.ops.numpy import indexing as _indexing
from lamina.ops.numpy import linear as _linear
from lamina.ops.numpy import reduction as _reduction
from lamina.ops.numpy import shape as _shape
from lamina.ops.numpy import sorting as _sorting
from lamina.ops.numpy import statistics as _statistics

__all__ = []
for _module in (_creation, _elementwise, _indexing, _linear, _reduction, _shape, _sorting, _statistics):
    __all__ += _module.__all__
    globals().update({name: getattr(_module, name) for name in _module.__all__})

from lamina.ops.linalg import slogdet  # noqa: E402  (Keras lists it under ops.numpy too)

__all__.append("slogdet")
