"""Backend-free pieces of the recurrent loops: the Python-stepped loop (numpy, torch,
and ``unroll=True`` everywhere) and the LSTM/GRU recurrence steps that the fused
paths run over inputs whose projection was computed for all timesteps at once.

Where the input projection goes is measured per backend: hoisted out of the loop
(one big matmul) on torch and numpy; inside the step in TensorFlow's loop, where the
projected ``(time, batch, 4 * units)`` tensor made the train step slower. JAX runs
its own scan (:mod:`lamina.backend.jax.rnn_fused`): the projection in the step, its
gradients over all timesteps at once.

Semantics shared by every backend's ``rnn``: inputs are ``(batch, time, ...)``;
with ``go_backwards`` the sequence is processed from its end and the outputs are
returned in processing order; where the mask is False the states keep their
previous values and the output repeats the previous output (zeros before the
first step), or is zero with ``zero_output_for_mask``.

Example:
    >>> import numpy as np
    >>> ops = LoopOps(np.where, np.zeros_like, np.stack, np.reshape)
    >>> step = lambda x, s: (x + s[0], [x + s[0]])
    >>> last, seq, states = python_loop(step, np.ones((1, 3, 2)), [np.zeros((1, 2))], ops)
    >>> last.tolist()
    [[3.0, 3.0]]
"""


class LoopOps:
    """The four array functions the Python loop needs, from one backend."""

    __slots__ = ("where", "zeros_like", "stack", "reshape")

    def __init__(self, where, zeros_like, stack, reshape):
        self.where = where
        self.zeros_like = zeros_like
        self.stack = stack
        self.reshape = reshape


def batch_where(ops, mask_t, new, old):
    """``where(mask_t, new, old)`` with a ``(batch,)`` mask broadcast over the other axes."""
    rank = len(new.shape)
    if rank > 1:
        mask_t = ops.reshape(mask_t, (-1,) + (1,) * (rank - 1))
    return ops.where(mask_t, new, old)


def masked_step(ops, mask_t, output, new_states, prev_output, states, zero_output_for_mask):
    """Applies one timestep's mask to the output and the states."""
    keep = ops.zeros_like(output) if zero_output_for_mask else prev_output
    output = batch_where(ops, mask_t, output, keep)
    new_states = [batch_where(ops, mask_t, n, s) for n, s in zip(new_states, states)]
    return output, new_states


def python_loop(step_function, inputs, initial_states, ops, go_backwards=False, mask=None,
                zero_output_for_mask=False, return_all_outputs=True):
    """The recurrent loop stepped in Python over the (static) time axis.

    Returns ``(last_output, outputs, final_states)``; ``outputs`` holds every
    step's output on axis 1 (only the last one when ``return_all_outputs`` is False).
    """
    steps = inputs.shape[1]
    if steps is None:
        raise ValueError("Unrolling a recurrent loop needs a fixed number of timesteps; the "
                         f"inputs have shape {tuple(inputs.shape)}.")
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    states = list(initial_states)
    outputs = []
    output = None
    for t in order:
        new_output, new_states = step_function(inputs[:, t], states)
        new_states = list(new_states)
        if mask is not None:
            prev = ops.zeros_like(new_output) if output is None else output
            new_output, new_states = masked_step(ops, mask[:, t], new_output, new_states, prev,
                                                 states, zero_output_for_mask)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    if not return_all_outputs:
        outputs = [output]
    return output, ops.stack(outputs, 1), states


def is_activation(fn, name):
    """True when ``fn`` is lamina's built-in activation ``name`` (what fused kernels implement)."""
    return getattr(fn, "__name__", None) == name and \
        getattr(fn, "__module__", "").startswith("lamina.activations")


def split_gates(x, units, count):
    """``count`` slices of ``units`` along the last axis."""
    return [x[..., i * units:(i + 1) * units] for i in range(count)]


def _splitter(split):
    """``split(x, count)`` into equal parts along the last axis: the backend's own split
    (one op, whose gradient is one concatenation) or slices."""
    if split is None:
        return lambda x, units, count: split_gates(x, units, count)
    return lambda x, units, count: split(x, count)


def _projector(matmul, kernel, bias):
    """``x -> x @ kernel + bias`` inside the step, or the identity when the inputs
    were projected for all timesteps before the loop (``kernel`` None)."""
    if kernel is None:
        return lambda x: x
    if bias is None:
        return lambda x: matmul(x, kernel)
    return lambda x: matmul(x, kernel) + bias


def lstm_step(matmul, recurrent_kernel, activation, recurrent_activation, kernel=None,
              bias=None, split=None):
    """The LSTM recurrence (gate order i, f, c, o); returns
    ``step(x, [h, c]) -> (h, [h, c])``. ``x`` is the step's input projected
    (``x @ kernel + bias``) before the loop, or the raw input when ``kernel`` is given.
    ``split(x, count)``: the backend's split on the last axis (default: slices)."""
    units = recurrent_kernel.shape[0]
    project = _projector(matmul, kernel, bias)
    gates = _splitter(split)

    def step(x, states):
        h_prev, c_prev = states
        z = project(x) + matmul(h_prev, recurrent_kernel)
        z_i, z_f, z_c, z_o = gates(z, units, 4)
        i = recurrent_activation(z_i)
        f = recurrent_activation(z_f)
        c = f * c_prev + i * activation(z_c)
        o = recurrent_activation(z_o)
        h = o * activation(c)
        return h, [h, c]

    return step


def gru_step(matmul, recurrent_kernel, recurrent_bias, activation, recurrent_activation,
             reset_after, kernel=None, input_bias=None, split=None):
    """The GRU recurrence (gate order z, r, h); returns ``step(x, [h]) -> (h, [h])``
    with ``x`` projected before the loop, or raw when ``kernel`` is given.
    ``split(x, count)``: the backend's split on the last axis (default: slices)."""
    units = recurrent_kernel.shape[0]
    rk_zr = recurrent_kernel[:, :2 * units]
    rk_h = recurrent_kernel[:, 2 * units:]
    project = _projector(matmul, kernel, input_bias)
    gates = _splitter(split)

    def step(x, states):
        h_prev = states[0]
        x_z, x_r, x_h = gates(project(x), units, 3)
        if reset_after:
            inner = matmul(h_prev, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            r_z, r_r, r_h = gates(inner, units, 3)
            z = recurrent_activation(x_z + r_z)
            r = recurrent_activation(x_r + r_r)
            hh = activation(x_h + r * r_h)
        else:
            inner = matmul(h_prev, rk_zr)
            z = recurrent_activation(x_z + inner[..., :units])
            r = recurrent_activation(x_r + inner[..., units:])
            hh = activation(x_h + matmul(r * h_prev, rk_h))
        h = z * h_prev + (1 - z) * hh
        return h, [h]

    return step


def gru_biases(bias, reset_after):
    """``(input_bias, recurrent_bias)`` from a GRU cell's bias (either may be None)."""
    if bias is None:
        return None, None
    if reset_after:
        return bias[0], bias[1]
    return bias, None
