"""Recurrent loops on TensorFlow: ``tf.while_loop`` over time, reading the inputs
from and writing the outputs to ``TensorArray``s (a Python loop when unrolled). A
float32 tanh/sigmoid LSTM without a mask runs as one ``BlockLSTMV2`` kernel; other
LSTM/GRU configurations run the gate math on TF tensors in the loop (the input
projection stays in the step: hoisting it made the CPU train step slower).

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


def _time_major(x, go_backwards):
    x = tf.transpose(x, [1, 0] + list(range(2, len(x.shape))))
    return tf.reverse(x, [0]) if go_backwards else x


def _unstacked(x, steps):
    # Read in the loop from a TensorArray: the gradient of a read is a write into the
    # gradient's TensorArray, where the gradient of ``x[t]`` is a full-size tensor per step.
    return tf.TensorArray(x.dtype, size=steps, element_shape=x.shape[1:]).unstack(x)


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
    xs = _time_major(inputs, go_backwards)
    masks = None if mask is None else _time_major(mask, go_backwards)
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
    xs_ta = _unstacked(xs, steps)
    masks_ta = None if masks is None else _unstacked(masks, steps)

    def body(t, prev_output, states, outputs):
        output, new_states = step_function(xs_ta.read(t), states)
        new_states = list(new_states)
        if masks is not None:
            output, new_states = rnn_loop.masked_step(_OPS, masks_ta.read(t), output,
                                                      new_states, prev_output, states,
                                                      zero_output_for_mask)
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


def _split(x, count):
    return tf.split(x, count, axis=-1)


def _in_xla_context():
    """True while tracing for XLA (``jit_compile``), which has no kernel for BlockLSTMV2."""
    try:
        from tensorflow.python.ops import control_flow_util
    except ImportError:  # the private helper moved: keep to the portable loop
        return True
    return control_flow_util.GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph())


def _block_lstm_ok(arrays, mask, unroll, activation, recurrent_activation):
    return (mask is None and not unroll and arrays[0].shape[1] != 0
            and all(a is None or a.dtype == tf.float32 for a in arrays)
            and rnn_loop.is_activation(activation, "tanh")
            and rnn_loop.is_activation(recurrent_activation, "sigmoid")
            and not _in_xla_context())


@tf.custom_gradient
def _block_lstm_kernel(xs, h0, c0, w, b):
    # TensorFlow registers BlockLSTMGrad (V1, gates i, c, f, o) as BlockLSTMV2's gradient,
    # which scrambles the gates: BlockLSTMGradV2 is the matching kernel.
    no_peephole = tf.zeros((h0.shape[-1],), xs.dtype)
    args = dict(seq_len_max=tf.cast(tf.shape(xs)[0], tf.int64), x=xs, cs_prev=c0, h_prev=h0, w=w,
                wci=no_peephole, wcf=no_peephole, wco=no_peephole, b=b)
    # cell_clip <= 0: no clipping of the cell state (Keras has none).
    i, cs, f, o, ci, co, h = tf.raw_ops.BlockLSTMV2(cell_clip=-1.0, use_peephole=False, **args)

    def grad(d_cs, d_h):
        d_cs = tf.zeros_like(cs) if d_cs is None else d_cs
        d_h = tf.zeros_like(h) if d_h is None else d_h
        d_xs, d_c0, d_h0, d_w, _, _, _, d_b = tf.raw_ops.BlockLSTMGradV2(
            i=i, cs=cs, f=f, o=o, ci=ci, co=co, h=h, cs_grad=d_cs, h_grad=d_h,
            use_peephole=False, **args)
        return d_xs, d_h0, d_c0, d_w, d_b

    return (cs, h), grad


def _block_lstm(inputs, h0, c0, kernel, recurrent_kernel, bias, return_sequences, go_backwards):
    """The whole LSTM in TensorFlow's fused ``BlockLSTMV2`` kernel and its gradient kernel:
    no per-step graph ops, the weights' gradients summed inside the kernel."""
    xs = _time_major(inputs, go_backwards)
    units = recurrent_kernel.shape[0]
    # BlockLSTMV2 orders the gates i, f, c, o as Keras does (BlockLSTM, V1: i, c, f, o).
    w = tf.concat([kernel, recurrent_kernel], axis=0)
    b = tf.zeros((4 * units,), xs.dtype) if bias is None else bias
    cs, h = _block_lstm_kernel(xs, h0, c0, w, b)
    last = h[-1]
    outputs = tf.transpose(h, [1, 0, 2]) if return_sequences else last[:, None]
    return last, outputs, [last, cs[-1]]


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence: TensorFlow's ``BlockLSTMV2`` kernel for float32
    tanh/sigmoid LSTMs without a mask (outside XLA), else the gate math in the loop.

    Returns ``(last_output, outputs, [h, c])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    h0, c0 = convert_to_tensor(initial_state_h), convert_to_tensor(initial_state_c)
    if _block_lstm_ok((inputs, h0, c0, kernel, recurrent_kernel, bias), mask, unroll,
                      activation, recurrent_activation):
        return _block_lstm(inputs, h0, c0, kernel, recurrent_kernel, bias, return_sequences,
                           go_backwards)
    step = rnn_loop.lstm_step(tf.matmul, recurrent_kernel, activation, recurrent_activation,
                              kernel=kernel, bias=bias, split=_split)
    return rnn(step, inputs, [h0, c0], go_backwards, mask, unroll, zero_output_for_mask,
               return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence: the gate math inlined in the loop.

    Returns ``(last_output, outputs, [h])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    step = rnn_loop.gru_step(tf.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after, kernel=kernel,
                             input_bias=input_bias, split=_split)
    return rnn(step, inputs, [initial_state], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)
