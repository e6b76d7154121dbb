"""``lamina.ops.nn``: activations, losses, normalization, encodings, convolution,
pooling, patches and attention.

Example:
    >>> lamina.ops.nn.relu(np.array([-1.0, 2.0]))
"""

from lamina.ops.nn import activations as _activations
from lamina.ops.nn import attention as _attention
from lamina.ops.nn import conv as _conv
from lamina.ops.nn import encoding as _encoding
from lamina.ops.nn import losses as _losses
from lamina.ops.nn import normalization as _normalization
from lamina.ops.nn import patches as _patches
from lamina.ops.nn import pooling as _pooling

__all__ = []
for _module in (_activations, _attention, _conv, _encoding, _losses, _normalization, _patches, _pooling):
    __all__ += _module.__all__
    globals().update({name: getattr(_module, name) for name in _module.__all__})
