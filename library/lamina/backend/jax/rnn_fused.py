"""LSTM and GRU over a whole sequence with a hand-written backward pass (``jax.custom_vjp``).

Differentiating a ``lax.scan`` step by step puts every matmul of the backward pass
inside the loop: per timestep the gradients of the kernel, of the recurrent kernel
and of the inputs are small ``(batch, units)`` products, accumulated one step at a
time. Here the backward loop only carries what is truly sequential, the gradient of
the previous state (the cell's element-wise derivative and one ``dz @ recurrent_kernel.T``
per step); the gradients of the kernel, recurrent kernel, biases and inputs are then
three large matmuls over all timesteps at once. The LSTM's forward step is one matmul
of ``[x_t, h]`` against ``[kernel; recurrent_kernel]`` (the GRU's two, as the reset gate
applies to the recurrent part alone); hoisting ``x @ kernel`` out of the loop measured
slower on XLA:CPU (a larger scratch buffer, and gate fusions that read a dynamic slice
of it did not vectorize). The saved residuals are
the gate pre-activations and the previous states (6 ``(batch, units)`` arrays per LSTM
step instead of the 13 that autodiff keeps), which keeps XLA:CPU's per-call scratch
buffer small (under 32 MB for the benchmark's LSTM step; see
:mod:`lamina.backend.common.malloc` on why its size matters).

The element-wise cell is differentiated with ``jax.vjp``, so any activation works, and
masks (states kept, previous output repeated or zeros) are part of that cell.

Example:
    >>> last, seq, h, c = lstm(xs, h0, c0, kernel, rk, bias, None, jnp.tanh,
    ...                        jax.nn.sigmoid, False, True)  # xs: (time, batch, features)
"""

import jax
import jax.numpy as jnp
from jax import lax


def _lstm_cell(activation, recurrent_activation):
    def cell(z, _, states):
        _, c_prev = states
        z_i, z_f, z_c, z_o = jnp.split(z, 4, axis=-1)
        c = recurrent_activation(z_f) * c_prev + recurrent_activation(z_i) * activation(z_c)
        h = recurrent_activation(z_o) * activation(c)
        return h, c

    return cell


def _gru_cell(activation, recurrent_activation):
    # reset_after=True: zx = x @ kernel + input_bias, zh = h @ recurrent_kernel + recurrent_bias.
    def cell(zx, zh, states):
        h_prev = states[0]
        x_z, x_r, x_h = jnp.split(zx, 3, axis=-1)
        r_z, r_r, r_h = jnp.split(zh, 3, axis=-1)
        z = recurrent_activation(x_z + r_z)
        r = recurrent_activation(x_r + r_r)
        hh = activation(x_h + r * r_h)
        return (z * h_prev + (1 - z) * hh,)

    return cell


def _masked(cell, has_mask, zero_output):
    """``(zx, zh, states, prev_output, mask_t) -> (new_states, output)`` with Keras's mask
    semantics: where the mask is False the states are kept and the output repeats the
    previous one (or is zero with ``zero_output_for_mask``)."""
    def step(zx, zh, states, prev_output, m):
        new = cell(zx, zh, states)
        if not has_mask:
            return new, new[0]
        m = m[:, None] != 0
        keep = jnp.zeros_like(new[0]) if zero_output else prev_output
        output = jnp.where(m, new[0], keep)
        return tuple(jnp.where(m, n, s) for n, s in zip(new, states)), output

    return step


def _fused(cell, split, has_mask, zero_output, return_sequences):
    """The whole-sequence function with its VJP.

    ``split`` False (LSTM): the cell gets ``z = [x, h] @ [kernel; recurrent_kernel] + bias``
    (one array); True (GRU): ``zx = x @ kernel + input_bias`` and
    ``zh = h @ recurrent_kernel + recurrent_bias`` separately.
    """
    step = _masked(cell, has_mask, zero_output)

    def project(x_t, h, kernel, rk, b_in, b_rec, w):
        if split:
            zx = jnp.matmul(x_t, kernel) + b_in
            return zx, jnp.matmul(h, rk) + b_rec
        return jnp.matmul(jnp.concatenate([x_t, h], axis=-1), w) + b_in, None

    def forward(xs, states, kernel, rk, b_in, b_rec, mask, save):
        w = None if split else jnp.concatenate([kernel, rk], axis=0)
        prev_output = jnp.zeros_like(states[0])

        def body(carry, scanned):
            states, prev_output = carry
            x_t, m_t = scanned if has_mask else (scanned, None)
            zx, zh = project(x_t, states[0], kernel, rk, b_in, b_rec, w)
            new, output = step(zx, zh, states, prev_output, m_t)
            saved = None
            if save:
                saved = (zx, zh, states, prev_output if has_mask and not zero_output else None)
            return (new, output), (saved, output if return_sequences else None)

        scanned = (xs, mask) if has_mask else xs
        (states, last), (saved, outputs) = lax.scan(body, (states, prev_output), scanned)
        return (last, outputs, states), saved

    @jax.custom_vjp
    def run(xs, states, kernel, rk, b_in, b_rec, mask):
        return forward(xs, states, kernel, rk, b_in, b_rec, mask, False)[0]

    def run_fwd(xs, states, kernel, rk, b_in, b_rec, mask):
        out, saved = forward(xs, states, kernel, rk, b_in, b_rec, mask, True)
        return out, (saved, xs, kernel, rk, b_in, b_rec, mask)

    def run_bwd(residuals, cotangents):
        (zxs, zhs, prev_states, prev_outputs), xs, kernel, rk, b_in, b_rec, mask = residuals
        d_last, d_outputs, d_states = cotangents
        rk_t = rk.T

        def body(carry, scanned):
            d_states, d_output = carry
            (zx, zh, states, prev_output), m_t, d_out_t = scanned
            if d_out_t is not None:
                d_output = d_output + d_out_t
            if split:
                _, vjp = jax.vjp(lambda zx, zh, s, p: step(zx, zh, s, p, m_t), zx, zh, states,
                                 prev_output)
                dzx, dzh, d_prev, d_prev_output = vjp((d_states, d_output))
            else:
                _, vjp = jax.vjp(lambda z, s, p: step(z, None, s, p, m_t), zx, states,
                                 prev_output)
                dzx, d_prev, d_prev_output = vjp((d_states, d_output))
                dzh = dzx
            d_prev = (d_prev[0] + jnp.matmul(dzh, rk_t),) + tuple(d_prev[1:])
            if d_prev_output is None:
                d_prev_output = jnp.zeros_like(d_output)
            return (d_prev, d_prev_output), ((dzx, dzh) if split else dzx)

        scanned = ((zxs, zhs, prev_states, prev_outputs), mask if has_mask else None, d_outputs)
        (d_states0, _), dz = lax.scan(body, (tuple(d_states), d_last), scanned, reverse=True)
        dzx, dzh = dz if split else (dz, dz)
        steps, batch = xs.shape[0], xs.shape[1]
        flat_dzx = dzx.reshape(steps * batch, -1)
        flat_dzh = dzh.reshape(steps * batch, -1)
        h_prev = prev_states[0].reshape(steps * batch, -1)
        d_kernel = jnp.matmul(xs.reshape(steps * batch, -1).T, flat_dzx)
        d_rk = jnp.matmul(h_prev.T, flat_dzh)
        d_b_in = jnp.sum(flat_dzx, axis=0).reshape(b_in.shape)
        d_b_rec = None if b_rec is None else jnp.sum(flat_dzh, axis=0).reshape(b_rec.shape)
        d_xs = jnp.matmul(dzx, kernel.T)
        d_mask = None if mask is None else jnp.zeros_like(mask)
        return d_xs, d_states0, d_kernel, d_rk, d_b_in, d_b_rec, d_mask

    run.defvjp(run_fwd, run_bwd)
    return run


def _mask_values(mask, dtype):
    # Passed as numbers (a boolean input would need float0 cotangents); compared back in the cell.
    return None if mask is None else mask.astype(dtype)


def lstm(xs, h0, c0, kernel, rk, bias, mask, activation, recurrent_activation,
         zero_output_for_mask, return_sequences):
    """The LSTM over time-major ``xs`` ``(time, batch, features)``; ``mask`` ``(time, batch)``
    or None. Returns ``(last_output, outputs (time-major) or None, h, c)``."""
    has_mask = mask is not None
    cell = _lstm_cell(activation, recurrent_activation)
    run = _fused(cell, False, has_mask, zero_output_for_mask, return_sequences)
    b = jnp.zeros((rk.shape[1],), xs.dtype) if bias is None else bias
    last, outputs, (h, c) = run(xs, (h0, c0), kernel, rk, b, None, _mask_values(mask, xs.dtype))
    return last, outputs, h, c


def gru(xs, h0, kernel, rk, input_bias, recurrent_bias, mask, activation,
        recurrent_activation, zero_output_for_mask, return_sequences):
    """The GRU (``reset_after=True``) over time-major ``xs``. Returns
    ``(last_output, outputs (time-major) or None, h)``."""
    has_mask = mask is not None
    cell = _gru_cell(activation, recurrent_activation)
    run = _fused(cell, True, has_mask, zero_output_for_mask, return_sequences)
    width = rk.shape[1]
    b_in = jnp.zeros((width,), xs.dtype) if input_bias is None else input_bias
    b_rec = jnp.zeros((width,), xs.dtype) if recurrent_bias is None else recurrent_bias
    last, outputs, (h,) = run(xs, (h0,), kernel, rk, b_in, b_rec, _mask_values(mask, xs.dtype))
    return last, outputs, h
