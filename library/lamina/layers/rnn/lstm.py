"""LSTMCell and LSTM: the long short-term memory layer (gate order i, f, c, o, as in Keras)."""

from lamina import ops
from lamina.backend import impl
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.rnn import _cell_common as common
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN
from lamina.saving.object_registry import keras_export

_CELL_ARGS = ("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
              "dropout", "recurrent_dropout") + common.WEIGHT_ARGS


@keras_export("keras.layers")
class LSTMCell(Layer, DropoutRNNCell):
    """One LSTM step. With ``z = x @ kernel + h @ recurrent_kernel + bias`` split
    into four ``units``-wide gates: ``i, f, o = recurrent_activation(z_i, z_f, z_o)``,
    ``c = f * c_prev + i * activation(z_c)``, ``h = o * activation(c)``.
    States: ``[h, c]``.

    Args:
        units: the size of ``h`` and ``c``.
        activation: default tanh; recurrent_activation: default sigmoid.
        use_bias: whether to add ``bias``.
        unit_forget_bias: initialize the forget gate's bias to ones.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout, recurrent_dropout: fractions of inputs / previous state dropped.
        seed: seed of the dropout masks.

    Example:
        >>> lamina.layers.RNN(lamina.layers.LSTMCell(4))(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        common.check_units("LSTMCell", "units", units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        weight_args = {k: v for k, v in locals().items() if k in common.WEIGHT_ARGS}
        common.init_cell(self, activation, use_bias, dropout, recurrent_dropout, seed,
                         weight_args, recurrent_activation)
        self.units = units
        self.unit_forget_bias = unit_forget_bias
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        init = common.forget_bias_initializer(self, self.units) if self.unit_forget_bias else None
        common.add_cell_weights(self, (input_shape[-1], self.units * 4),
                                (self.units, self.units * 4), (self.units * 4,), init)

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        units = self.units
        if self.implementation == 1:
            dp = self.get_dropout_mask(inputs) if training and 0 < self.dropout < 1 else None
            rdp = (self.get_recurrent_dropout_mask(h_prev)
                   if training and 0 < self.recurrent_dropout < 1 else None)
            z = []
            for g in range(4):
                x_g = inputs * dp[g] if dp is not None else inputs
                h_g = h_prev * rdp[g] if rdp is not None else h_prev
                part = ops.matmul(x_g, self.kernel[:, g * units:(g + 1) * units])
                if self.use_bias:
                    part = part + self.bias[g * units:(g + 1) * units]
                z.append(part + ops.matmul(h_g, self.recurrent_kernel[:, g * units:(g + 1) * units]))
        else:
            if training and 0 < self.dropout < 1:
                inputs = inputs * self.get_dropout_mask(inputs)
            zz = ops.matmul(inputs, self.kernel)
            zz = ops.add(zz, ops.matmul(h_prev, self.recurrent_kernel))
            if self.use_bias:
                zz = ops.add(zz, self.bias)
            z = ops.split(zz, 4, axis=1)
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_prev + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in self.state_size]

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "unit_forget_bias": self.unit_forget_bias, **common.cell_config(self)}


@keras_export("keras.layers")
class LSTM(RNN):
    """The LSTM layer: ``RNN(LSTMCell(...))`` with the cell's arguments on the layer.

    Without recurrent dropout (in training) the whole loop runs in the backend's
    fused LSTM (``torch.lstm`` on torch when there is no mask, else a loop over
    inputs projected at once; on JAX, when compiled, one ``lax.scan`` with a
    hand-written backward pass; on TensorFlow the ``BlockLSTMV2`` kernel for a
    float32 tanh/sigmoid LSTM without a mask outside XLA, else the gate math in a
    ``tf.while_loop``); otherwise the cell is stepped.

    Args:
        units: the size of the state and the output.
        activation, recurrent_activation, use_bias, unit_forget_bias,
            *_initializer, *_regularizer, *_constraint, dropout, recurrent_dropout,
            seed: as for :class:`LSTMCell`.
        activity_regularizer: a penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as for
            :class:`RNN`.
        use_cudnn: ``"auto"`` (fused path when possible), False (always step the
            cell) or True (fused path required).

    Example:
        >>> lstm = lamina.layers.LSTM(4, return_sequences=True, return_state=True)
        >>> seq, h, c = lstm(np.ones((2, 5, 3), "float32"))
        >>> seq.shape, h.shape
        ((2, 5, 4), (2, 4))
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="lstm_cell", seed=seed,
            implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"LSTM: use_cudnn must be 'auto', True or False, received "
                             f"{use_cudnn!r}.")
        self.use_cudnn = use_cudnn

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        per_gate_masks = training and cell.dropout and cell.implementation == 1
        if self.use_cudnn is not False and not (training and cell.recurrent_dropout) \
                and not per_gate_masks:
            structure, flat = initial_state
            if training and cell.dropout:
                dp_mask = cell.get_dropout_mask(sequences[:, 0])
                sequences = sequences * ops.expand_dims(dp_mask, 1)
            out = impl.rnn.lstm(sequences, flat[0], flat[1], mask, kernel=cell.kernel,
                                recurrent_kernel=cell.recurrent_kernel, bias=cell.bias,
                                activation=cell.activation,
                                recurrent_activation=cell.recurrent_activation,
                                return_sequences=self.return_sequences,
                                go_backwards=self.go_backwards, unroll=self.unroll,
                                zero_output_for_mask=self.zero_output_for_mask)
            if out is not None:
                return out
        if self.use_cudnn is True:
            raise ValueError(f"LSTM layer {self.name!r}: use_cudnn=True, but the fused path "
                             "does not support this configuration on this backend.")
        return super().inner_loop(sequences, initial_state, mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = common.layer_config(self, super().get_config(), extra=("unit_forget_bias",))
        config["units"] = self.units
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


common.forward_to_cell(LSTM, _CELL_ARGS)
