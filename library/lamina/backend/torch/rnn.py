"""Recurrent loops on PyTorch: a Python loop over timesteps for generic cells;
LSTM and GRU run as one ``torch.lstm`` / ``torch.gru`` kernel call (the weights
mapped to torch's layout) when the configuration allows, and otherwise as a
Python loop over inputs projected for all timesteps with one matmul.

Example:
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = rnn(step, torch.ones(1, 3, 2), [torch.zeros(1, 2)])
"""

import torch

from lamina.backend.common import rnn_loop
from lamina.backend.torch.core import convert_to_tensor


def _where(condition, x, y):
    return torch.where(condition, x, y)


def _stack(values, axis):
    return torch.stack(values, dim=axis)


def _reshape(x, shape):
    return torch.reshape(x, shape)


_OPS = rnn_loop.LoopOps(_where, torch.zeros_like, _stack, _reshape)
_FUSED_DTYPES = (torch.float32, torch.float64)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Runs ``step_function(input_t, states) -> (output_t, new_states)`` over axis 1.

    Returns ``(last_output, outputs, final_states)``; see
    :mod:`lamina.backend.common.rnn_loop` for the mask semantics.
    """
    if mask is not None:
        mask = convert_to_tensor(mask).to(torch.bool)
    return rnn_loop.python_loop(step_function, inputs, initial_states, _OPS,
                                go_backwards=go_backwards, mask=mask,
                                zero_output_for_mask=zero_output_for_mask,
                                return_all_outputs=return_all_outputs)


def _value(x):
    return None if x is None else convert_to_tensor(x)


def _is_activation(fn, name):
    return getattr(fn, "__name__", None) == name and \
        getattr(fn, "__module__", "").startswith("lamina.activations")


def _kernel_ok(inputs, mask, activation, recurrent_activation, unroll):
    return (mask is None and not unroll and inputs.dtype in _FUSED_DTYPES
            and inputs.shape[1] > 0 and _is_activation(activation, "tanh")
            and _is_activation(recurrent_activation, "sigmoid"))


def _from_kernel(output, h_n, return_sequences):
    last = output[:, -1]
    outputs = output if return_sequences else last[:, None]
    return last, outputs, h_n


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False, zero_output_for_mask=False):
    """The LSTM over a whole sequence: ``torch.lstm`` when there is no mask and the
    activations are tanh/sigmoid, else a loop over the inputs projected at once.

    Returns ``(last_output, outputs, [h, c])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    if _kernel_ok(inputs, mask, activation, recurrent_activation, unroll) \
            and kernel.dtype == inputs.dtype:
        x = torch.flip(inputs, (1,)) if go_backwards else inputs
        # Keras's kernel is torch's weight_ih transposed; both use gate order i, f, c(g), o.
        params = [kernel.t(), recurrent_kernel.t()]
        if bias is not None:
            params += [bias, torch.zeros_like(bias)]
        hx = (initial_state_h[None].to(inputs.dtype), initial_state_c[None].to(inputs.dtype))
        output, h_n, c_n = torch.lstm(x, hx, params, bias is not None, 1, 0.0, False, False, True)
        last, outputs, _ = _from_kernel(output, h_n, return_sequences)
        return last, outputs, [h_n[0], c_n[0]]
    projected = torch.matmul(inputs, kernel)
    if bias is not None:
        projected = projected + bias
    step = rnn_loop.lstm_step(torch.matmul, recurrent_kernel, activation, recurrent_activation)
    return rnn(step, projected, [initial_state_h, initial_state_c], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)


def _torch_gate_order(w, units):
    # Keras orders GRU gates z, r, h; torch orders them r, z, n.
    return torch.cat([w[..., units:2 * units], w[..., :units], w[..., 2 * units:]], dim=-1)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True, zero_output_for_mask=False):
    """The GRU over a whole sequence: ``torch.gru`` when there is no mask, the
    activations are tanh/sigmoid and ``reset_after=True`` (torch's formulation),
    else a loop over the inputs projected at once.

    Returns ``(last_output, outputs, [h])``.
    """
    inputs = convert_to_tensor(inputs)
    kernel, recurrent_kernel, bias = _value(kernel), _value(recurrent_kernel), _value(bias)
    units = recurrent_kernel.shape[0]
    if reset_after and _kernel_ok(inputs, mask, activation, recurrent_activation, unroll) \
            and kernel.dtype == inputs.dtype:
        x = torch.flip(inputs, (1,)) if go_backwards else inputs
        params = [_torch_gate_order(kernel, units).t(),
                  _torch_gate_order(recurrent_kernel, units).t()]
        if bias is not None:
            params += [_torch_gate_order(bias[0], units), _torch_gate_order(bias[1], units)]
        hx = initial_state[None].to(inputs.dtype)
        output, h_n = torch.gru(x, hx, params, bias is not None, 1, 0.0, False, False, True)
        last, outputs, _ = _from_kernel(output, h_n, return_sequences)
        return last, outputs, [h_n[0]]
    input_bias, recurrent_bias = rnn_loop.gru_biases(bias, reset_after)
    projected = torch.matmul(inputs, kernel)
    if input_bias is not None:
        projected = projected + input_bias
    step = rnn_loop.gru_step(torch.matmul, recurrent_kernel, recurrent_bias, activation,
                             recurrent_activation, reset_after)
    return rnn(step, projected, [initial_state], go_backwards, mask, unroll,
               zero_output_for_mask, return_sequences)
