"""ConvLSTMCell and ConvLSTM: the LSTM whose products are convolutions (base of
ConvLSTM1D/2D/3D)."""

from lamina import ops, tree
from lamina.backend.common.conv_utils import conv_output_size
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import standardize_padding, standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.rnn import _cell_common as common
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN

CONV_ARGS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One ConvLSTM step: the LSTM gates (order i, f, c, o) computed with
    ``conv(x, kernel)`` and ``conv(h, recurrent_kernel)`` (the recurrent one with
    stride 1 and "same" padding). States: ``[h, c]`` shaped like the conv output.

    Args:
        rank: 1, 2 or 3 spatial dimensions.
        filters: output channels of ``h`` and ``c``.
        kernel_size, strides, padding, data_format, dilation_rate: of the input
            convolution (as for ``Conv2D``).
        activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
            regularizers, constraints, dropout, recurrent_dropout, seed: as for
            :class:`lamina.layers.LSTMCell`.

    Example:
        >>> cell = ConvLSTMCell(2, 4, 3, padding="same")
        >>> lamina.layers.RNN(cell)(np.ones((2, 3, 5, 5, 1), "float32")).shape
        (2, 5, 5, 4)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTMCell: rank must be 1, 2 or 3, received {rank!r}.")
        common.check_units(f"ConvLSTM{rank}D", "filters", filters)
        weight_args = {k: v for k, v in locals().items() if k in common.WEIGHT_ARGS}
        common.init_cell(self, activation, use_bias, dropout, recurrent_dropout, seed,
                         weight_args, recurrent_activation)
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"ConvLSTM{rank}D: strides > 1 cannot be combined with "
                             f"dilation_rate > 1; received strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}.")
        self.unit_forget_bias = unit_forget_bias
        self.dropout_mask_count = 4
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # the states' shapes come from get_initial_state

    def build(self, inputs_shape, states_shape=None):
        channels_first = self.data_format == "channels_first"
        self.spatial_dims = tuple(inputs_shape[2:] if channels_first else inputs_shape[1:-1])
        if None in self.spatial_dims:
            raise ValueError(f"ConvLSTM{self.rank}D layer {self.name!r} needs static spatial "
                             f"dimensions; received input shape {tuple(inputs_shape)}.")
        input_dim = inputs_shape[1 if channels_first else -1]
        if input_dim is None:
            raise ValueError(f"ConvLSTM{self.rank}D layer {self.name!r} needs a known channel "
                             f"dimension; received input shape {tuple(inputs_shape)}.")
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None,) + tuple(inputs_shape[1:]))
        self.input_dim = input_dim
        init = common.forget_bias_initializer(self, self.filters) if self.unit_forget_bias \
            else None
        common.add_cell_weights(self, self.kernel_size + (input_dim, self.filters * 4),
                                self.kernel_size + (self.filters, self.filters * 4),
                                (self.filters * 4,), init)

    def _conv(self, x, w, strides, padding, dilation_rate):
        return ops.conv(x, w, strides=strides, padding=padding, data_format=self.data_format,
                        dilation_rate=dilation_rate)

    def _bias(self, b):
        if self.data_format == "channels_last":
            return ops.reshape(b, (1,) * (self.rank + 1) + (self.filters,))
        return ops.reshape(b, (1, self.filters) + (1,) * self.rank)

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        dp = self.get_dropout_mask(inputs) if training and 0 < self.dropout < 1 else None
        rdp = (self.get_recurrent_dropout_mask(h_prev)
               if training and 0 < self.recurrent_dropout < 1 else None)
        kernels = ops.split(self.kernel, 4, axis=self.rank + 1)
        recurrent = ops.split(self.recurrent_kernel, 4, axis=self.rank + 1)
        biases = ops.split(self.bias, 4) if self.use_bias else [None] * 4
        ones = (1,) * self.rank
        gates = []
        for g in range(4):
            x = inputs if dp is None else inputs * dp[g]
            h = h_prev if rdp is None else h_prev * rdp[g]
            z = self._conv(x, kernels[g], self.strides, self.padding, self.dilation_rate)
            if biases[g] is not None:
                z = z + self._bias(biases[g])
            gates.append(z + self._conv(h, recurrent[g], ones, "same", ones))
        i = self.recurrent_activation(gates[0])
        f = self.recurrent_activation(gates[1])
        c = f * c_prev + i * self.activation(gates[2])
        o = self.recurrent_activation(gates[3])
        h = o * self.activation(c)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        channels_first = self.data_format == "channels_first"
        spatial = inputs_shape[2:] if channels_first else inputs_shape[1:-1]
        out = tuple(conv_output_size(s, k, st, self.padding, d) for s, k, st, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        shape = (inputs_shape[0], self.filters) + out if channels_first else \
            (inputs_shape[0],) + out + (self.filters,)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            shape = (batch_size,) + self.spatial_dims + (self.input_dim,)
        else:
            shape = (batch_size, self.input_dim) + self.spatial_dims
        state_shape = self.compute_output_shape(shape)[0]
        return [ops.zeros(state_shape, dtype=self.compute_dtype),
                ops.zeros(state_shape, dtype=self.compute_dtype)]

    def get_config(self):
        config = {name: getattr(self, name) for name in CONV_ARGS}
        return {**super().get_config(), **config, "unit_forget_bias": self.unit_forget_bias,
                **common.cell_config(self)}


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: ``RNN(ConvLSTMCell(rank, ...))`` over inputs of
    shape ``(batch, time, *spatial, channels)`` (or channels first).

    Example:
        >>> layer = lamina.layers.ConvLSTM2D(4, 3, padding="same")
        >>> layer(np.ones((2, 3, 5, 5, 1), "float32")).shape
        (2, 5, 5, 4)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell",
            dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_sequences_shape(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.compute_output_shape((batch,) + tuple(sequences_shape[2:]))[0][1:]
        output = (batch, steps) + state if self.return_sequences else (batch,) + state
        if self.return_state:
            return output, (batch,) + state, (batch,) + state
        return output

    def compute_mask(self, _, mask):
        mask = tree.flatten(mask)[0] if tree.is_nested(mask) else mask
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    def get_config(self):
        config = common.layer_config(self, super().get_config(),
                                     extra=CONV_ARGS + ("unit_forget_bias",))
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


common.forward_to_cell(ConvLSTM, CONV_ARGS + ("rank", "activation", "recurrent_activation",
                                              "use_bias", "unit_forget_bias", "dropout",
                                              "recurrent_dropout") + common.WEIGHT_ARGS)
