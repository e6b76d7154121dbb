"""``get_source_inputs``: the Input tensors a symbolic tensor was computed from.

Example:
    >>> x = lamina.Input((3,))
    >>> lamina.utils.get_source_inputs(lamina.layers.Dense(2)(x))[0] is x
    True
"""

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.saving.object_registry import keras_export


@keras_export("keras.utils")
def get_source_inputs(tensor):
    """Walks a KerasTensor's history back to the Input tensors that feed it.

    Args:
        tensor: a KerasTensor (from ``lamina.Input`` and layer calls).

    Returns:
        The list of source input tensors, each once, in discovery order.

    Example:
        >>> a, b = lamina.Input((2,)), lamina.Input((2,))
        >>> len(lamina.utils.get_source_inputs(lamina.layers.Add()([a, b])))
        2
    """
    if not isinstance(tensor, KerasTensor):
        raise TypeError(f"get_source_inputs expected a KerasTensor, received "
                        f"{type(tensor).__name__}: {tensor!r}.")
    sources, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop(0)
        history = t._keras_history
        if history is None:
            if id(t) not in seen:
                seen.add(id(t))
                sources.append(t)
            continue
        node = history.operation._inbound_nodes[history.node_index]
        if node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                sources.append(t)
            continue
        stack.extend(node.input_tensors)
    return sources
