"""Recurrent loops on TensorFlow: ``tf.while_loop`` over time writing a
``TensorArray`` (a Python loop when unrolled). The LSTM/GRU paths run the gate
math directly on TF tensors in the loop (the input projection stays in the step:
hoisting it made the CPU train step slower).

Example:
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = rnn(step, tf.ones((1, 3, 2)), [tf.zeros((1, 2))])
"""

import tensorflow as tf

from lamina.backend.common import rnn_loop
from lamina.backend.tensorflow.core import convert_to_tensor


def _stack(values, axis):
    return tf.stack(values, axis=axis)


def _reshape(x, shape):
    return tf.reshape(x, shape)


_OPS = rnn_loop.LoopOps(tf.where, tf.zeros_like, _stack, _reshape)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Runs ``step_function(input_t, states) -> (output_t, new_states)`` over axis 1.

    Returns ``(last_output, outputs, final_states)``; see
    :mod:`lamina.backend.common.rnn_loop` for the mask semantics.
    """
    if mask is not None:
        mask = tf.cast(mask, tf.bool)
    if unroll:
        return rnn_loop.python_loop(step_function, inputs, initial_states, _OPS,
                                    go_backwards=go_backwards, mask=mask,
                                    zero_output_for_mask=zero_output_for_mask,
                                    return_all_outputs=return_all_outputs)
    rank = len(inputs.shape)
    perm = [1, 0] + list(range(2, rank))
    xs = tf.transpose(inputs, perm)
    masks = None if mask is None else tf.transpose(mask, [1, 0])
    if go_backwards:
        xs = tf.reverse(xs, [0])
        masks = None if masks is None else tf.reverse(masks, [0])
    steps = xs.shape[0] if xs.shape[0] is not None else tf.shape(xs)[0]
    states = [tf.convert_to_tensor(s) for s in initial_states]

    # The first step runs outside the loop: it fixes the output's shape and dtype.
    output, new_states = step_function(xs[0], states)
    new_states = list(new_states)
    if masks is not None:
        output, new_states = rnn_loop.masked_step(_OPS, masks[0], output, new_states,
                                                  tf.zeros_like(output), states,
                                                  zero_output_for_mask)
    states = [tf.cast(n, s.dtype) for n, s in zip(new_states, states)]
    size = steps if return_all_outputs else 1
    outputs = tf.TensorArray(output.dtype, size=size, element_shape=output.shape)
    outputs = outputs.write(0, output)

    def body(t, prev_output, states, outputs):
        output, new_states = step_function(xs[t], states)
        new_states = list(new_states)
        if masks is not None:
            output, new_states = rnn_loop.masked_step(_OPS, masks[t], output, new_states,
                                                      prev_output, states, zero_output_for_mask)
        new_states = [tf.cast(n, s.dtype) for n, s in zip(new_states, states)]
        outputs = outputs.write(t if return_all_outputs else 0, output)
        return t + 1, output, new_states, outputs

    # maximum_iterations bounds the gradient's accumulators: XLA (jit_compile) needs it.
    _, last, states, outputs = tf.while_loop(
        lambda t, *_: t < steps, body, (tf.constant(1), output, states, outputs),
        maximum_iterations=steps)
    outputs = outputs.stack()
    outputs = tf.transpose(outputs, [1, 0] + list(range(2, len(outputs.shape))))
    return last, outputs, list(states)


def _value(x):
    return None if x is None else convert_to_tensor(x)


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence: the gate math inlined in the loop.

    Returns ``(last_output, outputs, [h, c])``, or None where not applicable.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    # The input projection stays inside the step: hoisted, it made the compiled CPU loop
    # slower (see lamina.backend.common.rnn_loop).
    step = rnn_loop.lstm_step(tf.matmul, recurrent_kernel, activation, recurrent_activation,
                              kernel=kernel, bias=bias)
    return rnn(step, inputs, [initial_state_h, initial_state_c], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence: the gate math inlined in the loop.

    Returns ``(last_output, outputs, [h])``, or None where not applicable.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    step = rnn_loop.gru_step(tf.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after, kernel=kernel,
                             input_bias=input_bias)
    return rnn(step, inputs, [initial_state], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)
