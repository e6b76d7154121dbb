"""Recurrent loops on JAX: ``lax.scan`` over time when traced (a Python loop when
unrolled, or when called eagerly on concrete arrays). The LSTM/GRU paths run the
gate math directly on jax arrays inside the scan; the input projection stays in
the step because hoisting it out made the compiled CPU train step ~3x slower.

Example:
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = rnn(step, jnp.ones((1, 3, 2)), [jnp.zeros((1, 2))])
"""

import jax
import jax.numpy as jnp
from jax import lax

from lamina.backend.common import rnn_loop
from lamina.backend.jax.core import convert_to_tensor

_OPS = rnn_loop.LoopOps(jnp.where, jnp.zeros_like, jnp.stack, jnp.reshape)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Runs ``step_function(input_t, states) -> (output_t, new_states)`` over axis 1.

    Returns ``(last_output, outputs, final_states)``; see
    :mod:`lamina.backend.common.rnn_loop` for the mask semantics.
    """
    if mask is not None:
        mask = jnp.asarray(mask).astype(bool)
    # Eagerly (concrete arrays), stepping in Python beats compiling a new scan on every call.
    if unroll or not isinstance(inputs, jax.core.Tracer):
        return rnn_loop.python_loop(step_function, inputs, initial_states, _OPS,
                                    go_backwards=go_backwards, mask=mask,
                                    zero_output_for_mask=zero_output_for_mask,
                                    return_all_outputs=return_all_outputs)
    xs = jnp.swapaxes(inputs, 0, 1)
    masks = None if mask is None else jnp.swapaxes(mask, 0, 1)
    if go_backwards:
        xs = jnp.flip(xs, 0)
        masks = None if masks is None else jnp.flip(masks, 0)
    states = [jnp.asarray(s) for s in initial_states]

    def first_output(x, s):
        return step_function(x, s)[0]

    spec = jax.eval_shape(first_output, xs[0], states)
    prev = jnp.zeros(spec.shape, spec.dtype)

    def body(carry, scanned):
        states, prev_output = carry
        x_t, m_t = scanned if masks is not None else (scanned, None)
        output, new_states = step_function(x_t, states)
        new_states = list(new_states)
        if m_t is not None:
            output, new_states = rnn_loop.masked_step(_OPS, m_t, output, new_states, prev_output,
                                                      states, zero_output_for_mask)
        new_states = [n.astype(s.dtype) for n, s in zip(new_states, states)]
        return (new_states, output), (output if return_all_outputs else None)

    scanned = xs if masks is None else (xs, masks)
    (states, last), outputs = lax.scan(body, (states, prev), scanned)
    outputs = jnp.swapaxes(outputs, 0, 1) if return_all_outputs else last[:, None]
    return last, outputs, states


def _value(x):
    return None if x is None else convert_to_tensor(x)


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence: the gate math inlined in a scan.

    Returns ``(last_output, outputs, [h, c])``, or None where not applicable.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    # The input projection stays inside the step: hoisted, it made the compiled CPU loop
    # slower (see lamina.backend.common.rnn_loop).
    step = rnn_loop.lstm_step(jnp.matmul, recurrent_kernel, activation, recurrent_activation,
                              kernel=kernel, bias=bias)
    return rnn(step, inputs, [initial_state_h, initial_state_c], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence: the gate math inlined in a scan.

    Returns ``(last_output, outputs, [h])``, or None where not applicable.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    step = rnn_loop.gru_step(jnp.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after, kernel=kernel,
                             input_bias=input_bias)
    return rnn(step, inputs, [initial_state], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)
