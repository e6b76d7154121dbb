"""StackedRNNCells: several RNN cells run as one, each feeding the next."""

from lamina import ops, tree
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _cell_output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    return state_size[0] if isinstance(state_size, (list, tuple)) else state_size


@keras_export("keras.layers")
class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that they behave as one cell: at each timestep
    the output of a cell is the input of the next. Its states are the list of
    the cells' states.

    Args:
        cells: the list of cells.

    Example:
        >>> cells = [lamina.layers.LSTMCell(8), lamina.layers.GRUCell(4)]
        >>> rnn = lamina.layers.RNN(lamina.layers.StackedRNNCells(cells))
        >>> rnn(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(f"StackedRNNCells: every cell needs a `call` method; received "
                                 f"{cell!r}.")
            if getattr(cell, "state_size", None) is None:
                raise ValueError(f"StackedRNNCells: every cell needs a `state_size`; received "
                                 f"{cell!r}.")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return _cell_output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        """Each cell's initial states (zeros where a cell has no ``get_initial_state``)."""
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append([ops.zeros((batch_size, d), dtype=self.compute_dtype)
                               for d in cell.state_size])
        return states

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = tree.is_nested(cell_states)
            cell_states = list(cell_states) if was_list else [cell_states]
            info = getattr(cell, "_call_info", None)
            if info is not None and info["training"]:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            call = cell.__call__ if callable(cell) else cell.call
            inputs, cell_states = call(inputs, cell_states, **kwargs)
            if not tree.is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not was_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            input_shape = (tree.flatten(input_shape)[0], _cell_output_size(cell))

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {**super().get_config(), "cells": [serialize_keras_object(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects, safe_mode=None)
                 for c in config.pop("cells")]
        return super().from_config({**config, "cells": cells})
