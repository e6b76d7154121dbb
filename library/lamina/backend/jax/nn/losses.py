"""nn ops (losses) on JAX."""

import functools

import jax
import jax.numpy as jnp

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.nn.activations import to_float


def _pair(target, output):
    output = to_float(output)
    target = convert_to_tensor(target)
    dtype = dtypes.float_result_type(dtypes.standardize_dtype(target.dtype),
                                     dtypes.standardize_dtype(output.dtype))
    return target.astype(dtype), output.astype(dtype)


def _check_same_shape(target, output):
    if target.shape != output.shape:
        raise ValueError(f"`target` and `output` must have the same shape, received "
                         f"{target.shape} and {output.shape}.")


def binary_crossentropy(target, output, from_logits=False):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if from_logits:
        # max(x, 0) - x * z + log(1 + exp(-|x|)): stable for any logit.
        return jnp.maximum(output, 0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    eps = config.epsilon()
    p = jnp.clip(output, eps, 1 - eps)
    return -(target * jnp.log(p) + (1 - target) * jnp.log(1 - p))


def _probs_log(output, axis):
    eps = config.epsilon()
    p = output / jnp.sum(output, axis=axis, keepdims=True)
    return jnp.log(jnp.clip(p, eps, 1 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if output.ndim < 1:
        raise ValueError("`target` and `output` must be at least rank 1.")
    log_p = jax.nn.log_softmax(output, axis=axis) if from_logits else _probs_log(output, axis)
    return -jnp.sum(target * log_p, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = to_float(output)
    target = convert_to_tensor(target).astype("int32")
    if output.ndim < 1:
        raise ValueError("`output` must be at least rank 1.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, -1)
    log_p = jax.nn.log_softmax(output, axis=axis) if from_logits else _probs_log(output, axis)
    log_p = jnp.moveaxis(log_p, axis, -1)
    if target.shape != log_p.shape[:-1]:
        raise ValueError(f"`target` shape {target.shape} does not match `output` shape "
                         f"{output.shape} without its class axis.")
    n = log_p.shape[-1]
    valid = (target >= 0) & (target < n)
    picked = jnp.take_along_axis(log_p, jnp.clip(target, 0, max(n - 1, 0))[..., None], axis=-1)
    return jnp.where(valid, -picked[..., 0], jnp.zeros((), output.dtype))


def psnr(x1, x2, max_val):
    x1, x2 = _pair(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(f"`x1` and `x2` must have the same shape, received {x1.shape} and {x2.shape}.")
    mse = jnp.mean(jnp.square(x1 - x2))
    return 20 * jnp.log10(jnp.asarray(max_val, x1.dtype)) - 10 * jnp.log10(mse)


_NEG = -1e30


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target).astype("int32")
    output = convert_to_tensor(output)
    dtype = dtypes.result_type(dtypes.standardize_dtype(output.dtype), "float32")
    target_length = convert_to_tensor(target_length).astype("int32")
    output_length = convert_to_tensor(output_length).astype("int32")
    batch = output.shape[0]
    if not (target.shape[0] == batch == target_length.shape[0] == output_length.shape[0]):
        raise ValueError(
            f"`target`, `output`, `target_length` and `output_length` must have the same first "
            f"dimension, received shapes {target.shape}, {output.shape}, {target_length.shape} "
            f"and {output_length.shape}.")
    return _ctc_loss(target, output.astype(dtype), target_length, output_length, int(mask_index))


@functools.partial(jax.jit, static_argnums=(4,))
def _ctc_loss(target, output, target_length, output_length, mask_index):
    """The forward (alpha) recursion over the blank-extended labels, in log space."""
    lp = jax.nn.log_softmax(output, axis=-1)
    dtype = lp.dtype
    batch, steps, _ = lp.shape
    labels = target.shape[1]
    states = 2 * labels + 1
    ext = jnp.full((batch, states), mask_index, jnp.int32).at[:, 1::2].set(target)
    skip = jnp.zeros((batch, states), bool).at[:, 3::2].set(target[:, 1:] != target[:, :-1])
    # emit[t, b, s]: log-probability of the extended label s at step t.
    emit = jnp.transpose(jnp.take_along_axis(lp, ext[:, None, :], axis=2), (1, 0, 2))
    neg = jnp.asarray(_NEG, dtype)
    alpha0 = jnp.where(jnp.arange(states) < 2, emit[0], neg)

    def step(alpha, inputs):
        e, t = inputs
        prev1 = jnp.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=_NEG)
        prev2 = jnp.where(skip, jnp.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=_NEG), neg)
        new = jnp.logaddexp(jnp.logaddexp(alpha, prev1), prev2) + e
        return jnp.where((t < output_length)[:, None], new, alpha), None

    alpha, _ = jax.lax.scan(step, alpha0, (emit[1:], jnp.arange(1, steps)))
    end = 2 * target_length
    last = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    before = jnp.where(end >= 1, before, neg)
    return -jnp.logaddexp(last, before)


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    batch, steps, _ = inputs.shape
    best = jnp.argmax(inputs, axis=-1).astype(jnp.int32)
    scores = jnp.max(inputs, axis=-1)
    beyond = jnp.arange(steps)[None, :] >= sequence_lengths[:, None]
    best = jnp.where(beyond, mask_index, best)
    scores = jnp.where(beyond, jnp.zeros((), inputs.dtype), scores)
    if merge_repeated and steps:
        repeat = jnp.pad(best[:, 1:] == best[:, :-1], ((0, 0), (1, 0)))
        best = jnp.where(repeat, mask_index, best)
    blank = best == mask_index
    order = jnp.argsort(jnp.where(blank, steps, jnp.arange(steps)[None, :]), axis=-1, stable=True)
    paths = jnp.take_along_axis(jnp.where(blank, -1, best), order, axis=-1)
    return paths[None].astype(jnp.int32), -jnp.sum(scores, axis=1, keepdims=True)


@functools.partial(jax.jit, static_argnums=(2, 3, 4))
def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """Prefix beam search; each prefix keeps its blank- and label-ending log-probabilities."""
    batch, steps, classes = inputs.shape
    lp = jax.nn.log_softmax(inputs, axis=-1)
    width = beam_width
    neg = -jnp.inf
    prefix = jnp.full((batch, width, steps), -1, jnp.int32)
    plen = jnp.full((batch, width), -1, jnp.int32).at[:, 0].set(0)
    pb = jnp.full((batch, width), neg, lp.dtype).at[:, 0].set(0.0)
    pnb = jnp.full((batch, width), neg, lp.dtype)
    cls = jnp.arange(classes)
    positions = jnp.arange(steps)

    def step(state, inputs_t):
        prefix, plen, pb, pnb = state
        lpt, t = inputs_t
        total = jnp.logaddexp(pb, pnb)
        last = jnp.where(plen > 0, jnp.take_along_axis(prefix, jnp.maximum(plen - 1, 0)[..., None],
                                                       axis=2)[..., 0], -1)
        same_pb = total + lpt[:, mask_index][:, None]
        last_lp = jnp.take_along_axis(lpt, jnp.maximum(last, 0), axis=1)
        same_pnb = jnp.where(last >= 0, pnb + last_lp, neg)
        ext = jnp.where(cls[None, None, :] == last[:, :, None], pb[:, :, None], total[:, :, None])
        ext = jnp.where(cls == mask_index, neg, ext + lpt[:, None, :])
        trunc = jnp.where(positions[None, None, :] == (plen - 1)[..., None], -1, prefix)
        parent = jnp.all(trunc[:, :, None, :] == prefix[:, None, :, :], axis=-1)
        parent &= (plen[:, :, None] >= 1) & (plen[:, None, :] == plen[:, :, None] - 1)
        # parent[b, j, i]: beam j is beam i extended by the last label of j.
        onehot_last = jnp.maximum(last, 0)[:, :, None] == cls[None, None, :]
        from_parent = jnp.take_along_axis(
            ext, jnp.broadcast_to(jnp.maximum(last, 0)[:, None, :], (batch, width, width)), axis=2)
        contrib = jnp.where(jnp.swapaxes(parent, 1, 2), from_parent, neg)
        same_pnb = jnp.logaddexp(same_pnb, jax.nn.logsumexp(contrib, axis=1))
        used = jnp.einsum("bji,bjc->bic", parent.astype(jnp.int32), onehot_last.astype(jnp.int32)) > 0
        ext = jnp.where(used, neg, ext)
        cand_pb = jnp.concatenate([same_pb, jnp.full((batch, width * classes), neg, lp.dtype)], axis=1)
        cand_pnb = jnp.concatenate([same_pnb, ext.reshape(batch, -1)], axis=1)
        cand_total = jnp.logaddexp(cand_pb, cand_pnb)
        top = jnp.argsort(-cand_total, axis=1, stable=True)[:, :width]
        is_ext = top >= width
        src = jnp.where(is_ext, (top - width) // classes, top)
        new_c = (top - width) % classes
        new_prefix = jnp.take_along_axis(prefix, src[..., None], axis=1)
        new_plen = jnp.take_along_axis(plen, src, axis=1)
        write = is_ext[..., None] & (positions[None, None, :] == new_plen[..., None])
        new_prefix = jnp.where(write, new_c[..., None], new_prefix)
        new_plen = jnp.where(is_ext, new_plen + 1, new_plen)
        new_pb = jnp.take_along_axis(cand_pb, top, axis=1)
        new_pnb = jnp.take_along_axis(cand_pnb, top, axis=1)
        dead = jnp.take_along_axis(cand_total, top, axis=1) == neg
        new_plen = jnp.where(dead, -1, new_plen)
        new_prefix = jnp.where(dead[..., None], -1, new_prefix)
        active = (t < sequence_lengths)[:, None]
        return (jnp.where(active[..., None], new_prefix, prefix), jnp.where(active, new_plen, plen),
                jnp.where(active, new_pb, pb), jnp.where(active, new_pnb, pnb)), None

    (prefix, plen, pb, pnb), _ = jax.lax.scan(
        step, (prefix, plen, pb, pnb), (jnp.transpose(lp, (1, 0, 2)), jnp.arange(steps)))
    total = jnp.logaddexp(pb, pnb)
    order = jnp.argsort(-total, axis=1, stable=True)[:, :top_paths]
    paths = jnp.take_along_axis(prefix, order[:, :, None], axis=1)
    scores = jnp.take_along_axis(total, order, axis=1)
    return jnp.transpose(paths, (1, 0, 2)).astype(jnp.int32), scores


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = convert_to_tensor(inputs)
    dtype = dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), "float32")
    inputs = inputs.astype(dtype)
    sequence_lengths = convert_to_tensor(sequence_lengths).astype("int32")
    classes = inputs.shape[-1]
    mask_index = classes - 1 if mask_index is None else mask_index % classes
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, sequence_lengths, int(beam_width), int(top_paths), int(mask_index))
    raise ValueError(f"`strategy` must be 'greedy' or 'beam_search', received {strategy!r}.")
