"""GRUCell and GRU: the gated recurrent unit (gate order z, r, h, as in Keras)."""

from lamina import ops
from lamina.backend import impl
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.rnn import _cell_common as common
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN
from lamina.saving.object_registry import keras_export

_CELL_ARGS = ("units", "activation", "recurrent_activation", "use_bias", "reset_after",
              "dropout", "recurrent_dropout") + common.WEIGHT_ARGS


@keras_export("keras.layers")
class GRUCell(Layer, DropoutRNNCell):
    """One GRU step: update gate ``z``, reset gate ``r``, candidate ``hh`` and
    ``h = z * h_prev + (1 - z) * hh``. With ``reset_after=True`` (default, the
    cuDNN/torch formulation) ``r`` multiplies ``h_prev @ recurrent_kernel_h + b``;
    otherwise it multiplies ``h_prev`` before that product.

    Args:
        units: the size of the state and the output.
        activation: default tanh; recurrent_activation: default sigmoid.
        use_bias: whether to add biases (shape ``(2, 3 * units)`` with
            ``reset_after``, else ``(3 * units,)``).
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout, recurrent_dropout: fractions of inputs / previous state dropped.
        reset_after: where the reset gate applies (see above).
        seed: seed of the dropout masks.

    Example:
        >>> lamina.layers.RNN(lamina.layers.GRUCell(4))(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        common.check_units("GRUCell", "units", units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        weight_args = {k: v for k, v in locals().items() if k in common.WEIGHT_ARGS}
        common.init_cell(self, activation, use_bias, dropout, recurrent_dropout, seed,
                         weight_args, recurrent_activation)
        self.units = units
        self.reset_after = reset_after
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        common.add_cell_weights(self, (input_shape[-1], self.units * 3),
                                (self.units, self.units * 3), bias_shape)

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_prev = states[0] if nested else states
        units = self.units
        input_bias = recurrent_bias = None
        if self.use_bias:
            if self.reset_after:
                input_bias, recurrent_bias = self.bias[0], self.bias[1]
            else:
                input_bias = self.bias
        kernel, rkernel = self.kernel, self.recurrent_kernel
        dp = rdp = None
        if training and 0 < self.dropout < 1:
            dp = self.get_dropout_mask(inputs)
        if training and 0 < self.recurrent_dropout < 1:
            rdp = self.get_recurrent_dropout_mask(h_prev)
        per_gate = self.implementation == 1

        def gate_input(g):
            x = inputs if dp is None else inputs * (dp[g] if per_gate else dp)
            out = ops.matmul(x, kernel[:, g * units:(g + 1) * units])
            if input_bias is not None:
                out = out + input_bias[g * units:(g + 1) * units]
            return out

        def gate_state(g, h):
            h = h if rdp is None else h * (rdp[g] if per_gate else rdp)
            return ops.matmul(h, rkernel[:, g * units:(g + 1) * units])

        if per_gate:
            x_z, x_r, x_h = gate_input(0), gate_input(1), gate_input(2)
        else:
            x = inputs if dp is None else inputs * dp
            matrix_x = ops.matmul(x, kernel)
            if input_bias is not None:
                matrix_x = ops.add(matrix_x, input_bias)
            x_z, x_r, x_h = ops.split(matrix_x, 3, axis=-1)
        if self.reset_after:
            if per_gate:
                inner = [gate_state(g, h_prev) for g in range(3)]
            else:
                inner = ops.split(ops.matmul(h_prev, rkernel), 3, axis=-1)
            if recurrent_bias is not None:
                inner = [inner[g] + recurrent_bias[g * units:(g + 1) * units] for g in range(3)]
            z = self.recurrent_activation(x_z + inner[0])
            r = self.recurrent_activation(x_r + inner[1])
            hh = self.activation(x_h + r * inner[2])
        else:
            z = self.recurrent_activation(x_z + gate_state(0, h_prev))
            r = self.recurrent_activation(x_r + gate_state(1, h_prev))
            hh = self.activation(x_h + gate_state(2, r * h_prev))
        h = z * h_prev + (1 - z) * hh
        return h, ([h] if nested else h)

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "reset_after": self.reset_after,
                **common.cell_config(self)}


@keras_export("keras.layers")
class GRU(RNN):
    """The GRU layer: ``RNN(GRUCell(...))`` with the cell's arguments on the layer.

    Without recurrent dropout (in training) the loop runs in the backend's fused
    GRU (``torch.gru`` on torch for ``reset_after=True`` without a mask, else a
    loop over inputs projected at once; on JAX, when compiled with
    ``reset_after=True``, one ``lax.scan`` with a hand-written backward pass; else
    the gate math inlined in the backend's loop); otherwise the cell is stepped.

    Args:
        units: the size of the state and the output.
        activation, recurrent_activation, use_bias, reset_after, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as for
            :class:`GRUCell`.
        activity_regularizer: a penalty on the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as for
            :class:`RNN`.
        use_cudnn: ``"auto"``, False (always step the cell) or True.

    Example:
        >>> gru = lamina.layers.GRU(4, return_state=True)
        >>> out, h = gru(np.ones((2, 5, 3), "float32"))
        >>> out.shape
        (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="gru_cell", seed=seed, implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"GRU: use_cudnn must be 'auto', True or False, received "
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
            out = impl.rnn.gru(sequences, flat[0], mask, kernel=cell.kernel,
                               recurrent_kernel=cell.recurrent_kernel, bias=cell.bias,
                               activation=cell.activation,
                               recurrent_activation=cell.recurrent_activation,
                               return_sequences=self.return_sequences,
                               go_backwards=self.go_backwards, unroll=self.unroll,
                               reset_after=cell.reset_after,
                               zero_output_for_mask=self.zero_output_for_mask)
            if out is not None:
                return out
        if self.use_cudnn is True:
            raise ValueError(f"GRU layer {self.name!r}: use_cudnn=True, but the fused path "
                             "does not support this configuration on this backend.")
        return super().inner_loop(sequences, initial_state, mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = common.layer_config(self, super().get_config(), extra=("reset_after",))
        config["units"] = self.units
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


common.forward_to_cell(GRU, _CELL_ARGS)
