"""SimpleRNNCell and SimpleRNN: the fully connected recurrent layer."""

from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.rnn import _cell_common as common
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN
from lamina.saving.object_registry import keras_export

_CELL_ARGS = ("units", "activation", "use_bias", "dropout", "recurrent_dropout") + \
    common.WEIGHT_ARGS


@keras_export("keras.layers")
class SimpleRNNCell(Layer, DropoutRNNCell):
    """One step of ``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``.

    Args:
        units: the size of the state and the output.
        activation: default tanh.
        use_bias: whether to add ``bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the inputs dropped (one mask per call, all timesteps).
        recurrent_dropout: fraction of the previous state dropped.
        seed: seed of the dropout masks.

    Example:
        >>> cell = lamina.layers.SimpleRNNCell(4)
        >>> lamina.layers.RNN(cell)(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        common.check_units("SimpleRNNCell", "units", units)
        super().__init__(**kwargs)
        weight_args = {k: v for k, v in locals().items() if k in common.WEIGHT_ARGS}
        common.init_cell(self, activation, use_bias, dropout, recurrent_dropout, seed, weight_args)
        self.units = units
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        common.add_cell_weights(self, (input_shape[-1], self.units), (self.units, self.units),
                                (self.units,))

    def call(self, sequence, states, training=False):
        prev = states[0] if isinstance(states, (list, tuple)) else states
        dp_mask = self.get_dropout_mask(sequence)
        rec_mask = self.get_recurrent_dropout_mask(prev)
        if training and dp_mask is not None:
            sequence = sequence * dp_mask
        h = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = ops.add(h, self.bias)
        if training and rec_mask is not None:
            prev = prev * rec_mask
        output = h + ops.matmul(prev, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, ([output] if isinstance(states, (list, tuple)) else output)

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                **common.cell_config(self, recurrent_activation=False)}


@keras_export("keras.layers")
class SimpleRNN(RNN):
    """The fully connected RNN: ``RNN(SimpleRNNCell(...))`` with the cell's
    arguments on the layer.

    Args:
        units: the size of the state and the output.
        activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
            recurrent_dropout, seed: as for :class:`SimpleRNNCell`.
        activity_regularizer: a penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as for
            :class:`RNN`.

    Example:
        >>> layer = lamina.layers.SimpleRNN(4, return_sequences=True)
        >>> layer(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = [InputSpec(ndim=3)]

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = common.layer_config(self, super().get_config(), recurrent_activation=False)
        config["units"] = self.units
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


common.forward_to_cell(SimpleRNN, _CELL_ARGS)
