"""Keras masks attached to tensors (``_keras_mask``).

Tensors that refuse new attributes (jax arrays) keep their mask in a side table
keyed by identity and cleaned up when the tensor is collected.

Example:
    >>> set_keras_mask(x, mask); get_keras_mask(x) is mask
    True
"""

import weakref

_SIDE_TABLE = {}


def set_keras_mask(x, mask):
    """Attaches ``mask`` to ``x`` (``None`` removes it)."""
    try:
        x._keras_mask = mask
        return
    except (AttributeError, TypeError):
        pass
    key = id(x)
    if mask is None:
        _SIDE_TABLE.pop(key, None)
        return
    try:
        weakref.finalize(x, _SIDE_TABLE.pop, key, None)
    except TypeError:
        return  # neither attributes nor weak references: the mask cannot travel
    _SIDE_TABLE[key] = mask


def get_keras_mask(x):
    """The mask attached to ``x``, or None."""
    mask = getattr(x, "_keras_mask", None)
    if mask is not None:
        return mask
    return _SIDE_TABLE.get(id(x))
