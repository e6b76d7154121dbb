"""Optimizer hooks for the numpy backend: none are fused here, the generic
per-variable update is used.

Example:
    >>> from lamina.backend import impl
    >>> impl.optimizers.fused_update("adam", [], [], {}, {}, 0.001, 0)
    False
"""


def fused_update(algorithm, variables, grads, slots, hyper, learning_rate, iterations):
    """Updates all variables at once; returns False to ask for the generic path."""
    return False


def fused_weight_decay(variables, weight_decay, learning_rate):
    """Decays all variables at once; returns False to ask for the generic path."""
    return False
