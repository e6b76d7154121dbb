"""Recurrent loops on JAX: ``lax.scan`` over time when traced (a Python loop when
unrolled, or when called eagerly on concrete arrays). Traced LSTM and GRU
(``reset_after=True``) run :mod:`lamina.backend.jax.rnn_fused`: the gate math in one
scan with a hand-written backward pass whose weight and input gradients are large
matmuls over all timesteps; other configurations step the cell's math in a scan.

Example:
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = rnn(step, jnp.ones((1, 3, 2)), [jnp.zeros((1, 2))])
"""

import jax
import jax.numpy as jnp
from jax import lax

from lamina.backend.common import rnn_loop
from lamina.backend.jax import rnn_fused
from lamina.backend.jax.core import convert_to_tensor

_OPS = rnn_loop.LoopOps(jnp.where, jnp.zeros_like, jnp.stack, jnp.reshape)


def _split(x, count):
    return jnp.split(x, count, axis=-1)


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


def _fused_ok(inputs, unroll, arrays):
    """The fused path: traced (eagerly, the Python loop avoids compiling a scan per call),
    not unrolled, at least one timestep and one floating dtype for every array."""
    if unroll or not isinstance(inputs, jax.core.Tracer) or not inputs.shape[1]:
        return False
    dtypes = {a.dtype for a in arrays if a is not None}
    return len(dtypes) == 1 and jnp.issubdtype(dtypes.pop(), jnp.floating)


def _time_major(inputs, mask, go_backwards):
    xs = jnp.swapaxes(inputs, 0, 1)
    masks = None if mask is None else jnp.swapaxes(jnp.asarray(mask).astype(bool), 0, 1)
    if go_backwards:
        xs = jnp.flip(xs, 0)
        masks = None if masks is None else jnp.flip(masks, 0)
    return xs, masks


def _batch_major(last, outputs, return_sequences):
    return last, jnp.swapaxes(outputs, 0, 1) if return_sequences else last[:, None]


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence: :func:`lamina.backend.jax.rnn_fused.lstm` when
    traced, else the gate math stepped in a scan (or a Python loop).

    Returns ``(last_output, outputs, [h, c])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    h0, c0 = jnp.asarray(initial_state_h), jnp.asarray(initial_state_c)
    if _fused_ok(inputs, unroll, (inputs, h0, c0, kernel, recurrent_kernel, bias)):
        xs, masks = _time_major(inputs, mask, go_backwards)
        last, outputs, h, c = rnn_fused.lstm(xs, h0, c0, kernel, recurrent_kernel, bias, masks,
                                             activation, recurrent_activation,
                                             zero_output_for_mask, return_sequences)
        return _batch_major(last, outputs, return_sequences) + ([h, c],)
    step = rnn_loop.lstm_step(jnp.matmul, recurrent_kernel, activation, recurrent_activation,
                              kernel=kernel, bias=bias, split=_split)
    return rnn(step, inputs, [h0, c0], go_backwards, mask, unroll, zero_output_for_mask,
               return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence: :func:`lamina.backend.jax.rnn_fused.gru` when traced
    with ``reset_after=True``, else the gate math stepped in a scan (or a Python loop).

    Returns ``(last_output, outputs, [h])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    h0 = jnp.asarray(initial_state)
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    if reset_after and _fused_ok(inputs, unroll, (inputs, h0, kernel, recurrent_kernel, bias)):
        xs, masks = _time_major(inputs, mask, go_backwards)
        last, outputs, h = rnn_fused.gru(xs, h0, kernel, recurrent_kernel, input_bias,
                                         recurrent_bias, masks, activation,
                                         recurrent_activation, zero_output_for_mask,
                                         return_sequences)
        return _batch_major(last, outputs, return_sequences) + ([h],)
    step = rnn_loop.gru_step(jnp.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after, kernel=kernel,
                             input_bias=input_bias, split=_split)
    return rnn(step, inputs, [h0], go_backwards, mask, unroll, zero_output_for_mask,
               return_sequences)
