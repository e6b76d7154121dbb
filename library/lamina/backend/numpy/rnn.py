"""Recurrent loops on NumPy: a Python loop over timesteps; the LSTM/GRU paths
project the inputs for all timesteps with one matmul before the loop.

Example:
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = rnn(step, np.ones((1, 3, 2), "float32"), [np.zeros((1, 2), "float32")])
"""

import numpy as np

from lamina.backend.common import rnn_loop
from lamina.backend.numpy.core import convert_to_tensor

_OPS = rnn_loop.LoopOps(np.where, np.zeros_like, np.stack, np.reshape)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Runs ``step_function(input_t, states) -> (output_t, new_states)`` over axis 1.

    Returns ``(last_output, outputs, final_states)``; see
    :mod:`lamina.backend.common.rnn_loop` for the mask semantics.
    """
    if mask is not None:
        mask = np.asarray(mask).astype(bool)
    return rnn_loop.python_loop(step_function, inputs, initial_states, _OPS,
                                go_backwards=go_backwards, mask=mask,
                                zero_output_for_mask=zero_output_for_mask,
                                return_all_outputs=return_all_outputs)


def _value(x):
    return None if x is None else convert_to_tensor(x)


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence with the input projection hoisted out of the loop.

    Returns ``(last_output, outputs, [h, c])``, or None where this backend has no
    fused path for the configuration.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    projected = np.matmul(inputs, kernel)
    if bias is not None:
        projected = projected + bias
    step = rnn_loop.lstm_step(np.matmul, recurrent_kernel, activation, recurrent_activation)
    return rnn(step, projected, [initial_state_h, initial_state_c], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence with the input projection hoisted out of the loop.

    Returns ``(last_output, outputs, [h])``, or None where not applicable.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    projected = np.matmul(inputs, kernel)
    if input_bias is not None:
        projected = projected + input_bias
    step = rnn_loop.gru_step(np.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after)
    return rnn(step, projected, [initial_state], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)
