"""RNN: runs a recurrent cell over the time axis of a sequence."""

from lamina import ops, tree
from lamina.backend import impl
from lamina.backend.common.variables import Variable
from lamina.backend.common.scopes import name_scope
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.stacked_rnn_cells import StackedRNNCells
from lamina.saving.object_registry import keras_export


def _has_arg(cell, name):
    info = getattr(cell, "_call_info", None)
    if info is not None:
        return info[name] if name in ("training", "mask") else name in info["names"]
    import inspect

    return name in inspect.signature(cell.call).parameters


def _shape(x):
    return tuple(None if d is None else int(d) for d in x.shape)


@keras_export("keras.layers")
class RNN(Layer):
    """Runs a cell over the timesteps of a ``(batch, timesteps, ...)`` sequence.

    A cell is any object with ``call(inputs_t, states) -> (output_t, new_states)``
    and a ``state_size`` (an int, or a list with one entry per state, possibly
    nested); optionally ``output_size`` and ``get_initial_state(batch_size)``.
    A list of cells is stacked with :class:`StackedRNNCells`.

    Args:
        cell: the cell, or a list of cells.
        return_sequences: return every timestep's output (else only the last).
        return_state: also return the final states, after the output.
        go_backwards: process the sequence from its end (the returned sequence is
            then in processing order, i.e. reversed).
        stateful: each batch starts from the states the previous batch ended with
            (the batch size must be fixed); :meth:`reset_state` zeroes them.
        unroll: step the loop in Python instead of the backend's loop (fixed
            number of timesteps only).
        zero_output_for_mask: masked timesteps output zeros instead of repeating
            the previous output.

    Call arguments:
        sequences: the ``(batch, timesteps, ...)`` inputs.
        initial_state: a tensor or list of tensors, one per state.
        mask: a ``(batch, timesteps)`` boolean mask (False: skip that timestep).
        training: passed to the cell (dropout).

    Example:
        >>> layer = lamina.layers.RNN(lamina.layers.SimpleRNNCell(4), return_sequences=True)
        >>> layer(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 4)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"{type(self).__name__}: the cell must have a `call` method, "
                             f"received {cell!r}.")
        state_size = getattr(cell, "state_size", None)
        if state_size is None:
            raise ValueError(f"{type(self).__name__}: the cell must have a `state_size` attribute "
                             f"(an int or a list of ints, one per state), received {cell!r}.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError(f"{type(self).__name__}: state_size must be an int or a list/tuple, "
                             f"received {state_size!r}.")
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        # Stateful state lives in Variables that are not weights (as in Keras).
        object.__setattr__(self, "states", None)
        object.__setattr__(self, "_state_structure", None)
        self._expected_batch_size = None

    # -- shapes ----------------------------------------------------------------------------
    def _check_sequences_shape(self, shape):
        if shape is None or len(shape) < 3:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects inputs of shape (batch, "
                f"timesteps, features...), i.e. at least 3 dimensions; received shape "
                f"{None if shape is None else tuple(shape)}.")

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        if size is None:
            size = tree.flatten(self.state_size[0])[0]
        if not isinstance(size, int):
            raise ValueError(f"{type(self).__name__} layer {self.name!r}: the cell's output_size "
                             f"must be an integer, found {size!r}.")
        return size

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_sequences_shape(sequences_shape)
        batch, length = sequences_shape[0], sequences_shape[1]
        size = self._output_size()
        output = (batch, length, size) if self.return_sequences else (batch, size)
        if not self.return_state:
            return output
        states = tree.map_structure(lambda s: (batch, s), self.state_size)
        return (output,) + tuple(states)

    def compute_mask(self, _, mask):
        mask = tree.flatten(mask)[0] if tree.is_nested(mask) else mask
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in tree.flatten(self.state_size)]
        return output_mask

    # -- building and state ------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        self._check_sequences_shape(sequences_shape)
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        f"{type(self).__name__} layer {self.name!r}: stateful=True needs a fixed "
                        f"batch size (e.g. Input(batch_size=...)); received input shape "
                        f"{tuple(sequences_shape)}.")
                self._create_state_variables(sequences_shape[0])

    def _create_state_variables(self, batch_size):
        initial = self.get_initial_state(batch_size)
        with name_scope(self.name, caller=self):
            flat = [Variable(ops.convert_to_numpy(v), trainable=False, dtype=self.variable_dtype,
                             name="rnn_state") for v in tree.flatten(initial)]
        object.__setattr__(self, "_state_structure", initial)
        object.__setattr__(self, "states", flat)
        self._expected_batch_size = batch_size

    def get_initial_state(self, batch_size):
        """The zero states for a batch: the cell's ``get_initial_state`` if it has one.

        Example:
            >>> states = layer.get_initial_state(batch_size=2)
        """
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            state = fn(batch_size=batch_size)
            return list(state) if tree.is_nested(state) else [state]
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        return [tree.map_structure(lambda d: ops.zeros((batch_size, d), dtype=dtype), size)
                for size in self.state_size]

    def reset_states(self, states=None):
        """Alias of :meth:`reset_state`."""
        self.reset_state(states)

    def reset_state(self, states=None):
        """Sets a stateful layer's states to zeros, or to ``states`` (arrays, one per state).

        Example:
            >>> layer.reset_state()
        """
        if self.states is None:
            return
        if states is None:
            for v in self.states:
                v.assign(ops.zeros(v.shape, dtype=v.dtype))
            return
        values = tree.flatten(states)
        if len(values) != len(self.states):
            raise ValueError(f"{type(self).__name__} layer {self.name!r}: reset_state expects "
                             f"{len(self.states)} state arrays, received {len(values)}.")
        for v, value in zip(self.states, values):
            v.assign(value)

    # -- calling -------------------------------------------------------------------------------
    def _check_mask(self, mask, sequences):
        if tree.is_nested(mask):
            mask = tree.flatten(mask)[0]
        if mask is None:
            return None
        expected = _shape(sequences)[:2]
        received = _shape(mask)
        if len(received) != 2 or any(a is not None and b is not None and a != b
                                     for a, b in zip(received, expected)):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: the mask must have shape (batch, "
                f"timesteps) = {expected} to match inputs of shape {_shape(sequences)}; received "
                f"a mask of shape {received}.")
        return mask

    def _initial_states(self, sequences, initial_state):
        if initial_state is None:
            if self.stateful:
                if self.states is None:
                    self._create_state_variables(_shape(sequences)[0])
                # Copies: the Variables are assigned after the loop.
                return self._state_structure, [ops.copy(v.value) for v in self.states]
            initial_state = self.get_initial_state(ops.shape(sequences)[0])
            return initial_state, tree.flatten(initial_state)
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        template = self.get_initial_state(ops.shape(sequences)[0])
        flat = tree.flatten(initial_state)
        if len(flat) != len(tree.flatten(template)):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} expects {len(tree.flatten(template))} "
                f"initial state tensor(s) (state_size={self.state_size}); received "
                f"{len(flat)}.")
        return template, flat

    def _step_function(self, structure, training):
        cell = self.cell
        kwargs = {"training": training} if _has_arg(cell, "training") else {}
        call = cell.__call__ if callable(cell) else cell.call

        def step(inputs, flat_states):
            states = tree.pack_sequence_as(structure, list(flat_states))
            output, new_states = call(inputs, states, **kwargs)
            if not tree.is_nested(new_states):
                new_states = [new_states]
            return output, tree.flatten(new_states)

        return step

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """The recurrent loop; returns ``(last_output, outputs, flat_final_states)``.

        Subclasses (LSTM, GRU) override it with a fused path when one applies.
        """
        structure, flat = initial_state
        return impl.rnn.rnn(self._step_function(structure, training), sequences, flat,
                            go_backwards=self.go_backwards, mask=mask, unroll=self.unroll,
                            zero_output_for_mask=self.zero_output_for_mask,
                            return_all_outputs=self.return_sequences)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        sequences = ops.convert_to_tensor(sequences)
        shape = _shape(sequences)
        self._check_sequences_shape(shape)
        if self.unroll and shape[1] is None:
            raise ValueError(f"{type(self).__name__} layer {self.name!r}: unroll=True needs a "
                             f"fixed number of timesteps; received input shape {shape}.")
        if self.stateful and self._expected_batch_size is not None and shape[0] is not None \
                and shape[0] != self._expected_batch_size:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r} is stateful with batch size "
                f"{self._expected_batch_size}; received inputs of shape {shape}.")
        mask = self._check_mask(mask, sequences)
        structure, flat = self._initial_states(sequences, initial_state)
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        flat = [ops.convert_to_tensor(s, dtype=dtype) for s in flat]
        self._configure_dropout(self.cell, sequences[:, 0], structure, flat, training)
        try:
            last, outputs, states = self.inner_loop(sequences, (structure, flat), mask,
                                                    training=training)
        finally:
            self._reset_dropout(self.cell)
        states = [ops.cast(s, self.compute_dtype) for s in states]
        if self.stateful:
            for variable, value in zip(self.states, states):
                variable.assign(value)
        output = outputs if self.return_sequences else last
        output = ops.cast(output, self.compute_dtype)
        if self.return_state:
            return (output,) + tuple(tree.pack_sequence_as(structure, states))
        return output

    # -- dropout masks -------------------------------------------------------------------------
    def _configure_dropout(self, cell, step_input, structure, flat, training):
        if not training or not _needs_dropout(cell):
            return
        states = tree.pack_sequence_as(structure, list(flat))
        if isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(step_input)
            cell.get_recurrent_dropout_mask(tree.flatten(states)[0])
        elif isinstance(cell, StackedRNNCells):
            for sub, sub_states in zip(cell.cells, states):
                sub_flat = tree.flatten(sub_states)
                self._configure_dropout(sub, step_input, sub_states, sub_flat, training)
                if not any(_needs_dropout(c) for c in cell.cells[cell.cells.index(sub) + 1:]):
                    break
                call = sub.__call__ if callable(sub) else sub.call
                sub_states = list(sub_states) if tree.is_nested(sub_states) else [sub_states]
                step_input, _ = call(step_input, sub_states)

    def _reset_dropout(self, cell):
        if isinstance(cell, DropoutRNNCell):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        elif isinstance(cell, StackedRNNCells):
            for sub in cell.cells:
                self._reset_dropout(sub)

    # -- config ----------------------------------------------------------------------------
    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        config = {"return_sequences": self.return_sequences, "return_state": self.return_state,
                  "go_backwards": self.go_backwards, "stateful": self.stateful,
                  "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask,
                  "cell": serialize_keras_object(self.cell)}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects,
                                        safe_mode=None)
        return super().from_config({**config, "cell": cell})


def _needs_dropout(cell):
    if isinstance(cell, StackedRNNCells):
        return any(_needs_dropout(c) for c in cell.cells)
    return isinstance(cell, DropoutRNNCell) and (cell.dropout > 0 or cell.recurrent_dropout > 0)
