"""nn ops (losses) on NumPy."""

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.nn.activations import log_softmax, to_float


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
    one = np.ones((), output.dtype)
    if from_logits:
        out = np.maximum(output, 0) - output * target + np.log1p(np.exp(-np.abs(output)))
        return out.astype(output.dtype)
    eps = config.epsilon()
    p = np.clip(output, np.asarray(eps, output.dtype), np.asarray(1 - eps, output.dtype))
    return -(target * np.log(p) + (one - target) * np.log(one - p))


def _probs_log(output, axis):
    eps = config.epsilon()
    p = output / np.sum(output, axis=axis, keepdims=True)
    p = np.clip(p, np.asarray(eps, output.dtype), np.asarray(1 - eps, output.dtype))
    return np.log(p)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if output.ndim < 1:
        raise ValueError("`target` and `output` must be at least rank 1.")
    log_p = log_softmax(output, axis=axis) if from_logits else _probs_log(output, axis)
    return -np.sum(target * log_p, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = to_float(output)
    target = convert_to_tensor(target).astype(np.int64)
    if output.ndim < 1:
        raise ValueError("`output` must be at least rank 1.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = np.squeeze(target, -1)
    log_p = log_softmax(output, axis=axis) if from_logits else _probs_log(output, axis)
    log_p = np.moveaxis(log_p, axis, -1)
    if target.shape != log_p.shape[:-1]:
        raise ValueError(f"`target` shape {target.shape} does not match `output` shape "
                         f"{output.shape} without its class axis.")
    n = log_p.shape[-1]
    valid = (target >= 0) & (target < n)
    picked = np.take_along_axis(log_p, np.clip(target, 0, max(n - 1, 0))[..., None], axis=-1)[..., 0]
    return np.where(valid, -picked, np.zeros((), output.dtype)).astype(output.dtype)


def psnr(x1, x2, max_val):
    x1, x2 = _pair(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(f"`x1` and `x2` must have the same shape, received {x1.shape} and {x2.shape}.")
    mse = np.mean(np.square(x1 - x2))
    max_val = np.asarray(max_val, x1.dtype)
    return (20 * np.log10(max_val) - 10 * np.log10(mse)).astype(x1.dtype)


_NEG = -1e30


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target).astype(np.int32)
    output = convert_to_tensor(output)
    dtype = dtypes.result_type(dtypes.standardize_dtype(output.dtype), "float32")
    lp = log_softmax(output.astype(dtype), axis=-1)
    target_length = convert_to_tensor(target_length).astype(np.int32)
    output_length = convert_to_tensor(output_length).astype(np.int32)
    batch, steps, _ = lp.shape
    if not (target.shape[0] == batch == target_length.shape[0] == output_length.shape[0]):
        raise ValueError(
            f"`target`, `output`, `target_length` and `output_length` must have the same first "
            f"dimension, received shapes {target.shape}, {output.shape}, {target_length.shape} "
            f"and {output_length.shape}.")
    labels = target.shape[1]
    states = 2 * labels + 1
    ext = np.full((batch, states), mask_index, np.int32)
    ext[:, 1::2] = target
    # s-2 -> s is allowed into a label that differs from the label two states back.
    skip = np.zeros((batch, states), bool)
    skip[:, 3::2] = target[:, 1:] != target[:, :-1]
    rows = np.arange(batch)[:, None]
    alpha = np.full((batch, states), _NEG, dtype)
    if steps:
        first = lp[:, 0][rows, ext]
        alpha[:, :2] = first[:, :2]
    for t in range(1, steps):
        emit = lp[:, t][rows, ext]
        prev1 = np.concatenate([np.full((batch, 1), _NEG, dtype), alpha[:, :-1]], axis=1)
        prev2 = np.concatenate([np.full((batch, 2), _NEG, dtype), alpha[:, :-2]], axis=1)
        prev2 = np.where(skip, prev2, _NEG)
        new = np.logaddexp(np.logaddexp(alpha, prev1), prev2) + emit
        alpha = np.where((t < output_length)[:, None], new, alpha).astype(dtype)
    end = 2 * target_length
    last = alpha[np.arange(batch), end]
    before = np.where(end >= 1, alpha[np.arange(batch), np.maximum(end - 1, 0)], _NEG)
    return (-np.logaddexp(last, before)).astype(dtype)


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    batch, steps, _ = inputs.shape
    best = np.argmax(inputs, axis=-1).astype(np.int32)
    scores = np.max(inputs, axis=-1)
    beyond = np.arange(steps)[None, :] >= sequence_lengths[:, None]
    best = np.where(beyond, mask_index, best)
    scores = np.where(beyond, np.zeros((), inputs.dtype), scores)
    if merge_repeated and steps:
        repeat = np.concatenate([np.zeros((batch, 1), bool), best[:, 1:] == best[:, :-1]], axis=1)
        best = np.where(repeat, mask_index, best)
    blank = best == mask_index
    order = np.argsort(np.where(blank, steps, np.arange(steps)[None, :]), axis=-1, kind="stable")
    paths = np.take_along_axis(np.where(blank, -1, best), order, axis=-1)
    return paths[None].astype(np.int32), (-np.sum(scores, axis=1, keepdims=True)).astype(inputs.dtype)


def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    batch, steps, classes = inputs.shape
    lp = log_softmax(inputs, axis=-1).astype(np.float64)
    width = beam_width
    neg = -np.inf
    prefix = np.full((batch, width, steps), -1, np.int64)
    plen = np.full((batch, width), -1, np.int64)
    plen[:, 0] = 0
    pb = np.full((batch, width), neg)
    pb[:, 0] = 0.0
    pnb = np.full((batch, width), neg)
    b_idx = np.arange(batch)[:, None]
    w_idx = np.arange(width)[None, :]
    cls = np.arange(classes)
    with np.errstate(invalid="ignore"):
        for t in range(steps):
            lpt = lp[:, t]  # [B, K]
            total = np.logaddexp(pb, pnb)
            last = np.where(plen > 0, prefix[b_idx, w_idx, np.maximum(plen - 1, 0)], -1)
            blank_lp = lpt[:, mask_index][:, None]
            same_pb = total + blank_lp
            last_lp = np.take_along_axis(lpt, np.maximum(last, 0), axis=1)
            same_pnb = np.where(last >= 0, pnb + last_lp, neg)
            ext = np.where(cls[None, None, :] == last[:, :, None], pb[:, :, None], total[:, :, None])
            ext = ext + lpt[:, None, :]
            ext[:, :, mask_index] = neg
            # parent[b, j, i]: beam j is beam i extended by the last label of j.
            trunc = prefix.copy()
            trunc[b_idx, w_idx, np.maximum(plen - 1, 0)] = np.where(plen > 0, -1, trunc[b_idx, w_idx, 0])
            parent = np.all(trunc[:, :, None, :] == prefix[:, None, :, :], axis=-1)
            parent &= (plen[:, :, None] >= 1) & (plen[:, None, :] == plen[:, :, None] - 1)
            from_parent = np.take_along_axis(ext, np.maximum(last, 0)[:, None, :].repeat(width, 1), axis=2)
            # from_parent[b, i, j] = ext[b, i, last_j]
            contrib = np.where(np.swapaxes(parent, 1, 2), from_parent, neg)
            with np.errstate(divide="ignore"):
                merged = np.logaddexp.reduce(contrib, axis=1) if width else contrib
            same_pnb = np.logaddexp(same_pnb, merged)
            used = np.zeros((batch, width, classes), bool)
            has_parent = np.any(parent, axis=2)
            parent_of = np.argmax(parent, axis=2)
            bb, jj = np.nonzero(has_parent)
            used[bb, parent_of[bb, jj], last[bb, jj]] = True
            ext = np.where(used, neg, ext)
            cand_pb = np.concatenate([same_pb, np.full((batch, width * classes), neg)], axis=1)
            cand_pnb = np.concatenate([same_pnb, ext.reshape(batch, -1)], axis=1)
            cand_total = np.logaddexp(cand_pb, cand_pnb)
            top = np.argsort(-cand_total, axis=1, kind="stable")[:, :width]
            is_ext = top >= width
            src = np.where(is_ext, (top - width) // classes, top)
            new_c = (top - width) % classes
            new_prefix = prefix[b_idx, src]
            new_plen = plen[b_idx, src]
            pos = np.clip(new_plen, 0, steps - 1)
            new_prefix[b_idx, w_idx, pos] = np.where(is_ext, new_c, new_prefix[b_idx, w_idx, pos])
            new_plen = np.where(is_ext, new_plen + 1, new_plen)
            new_pb = np.take_along_axis(cand_pb, top, axis=1)
            new_pnb = np.take_along_axis(cand_pnb, top, axis=1)
            dead = np.take_along_axis(cand_total, top, axis=1) == neg
            new_plen = np.where(dead, -1, new_plen)
            new_prefix = np.where(dead[:, :, None], -1, new_prefix)
            active = (t < sequence_lengths)[:, None]
            prefix = np.where(active[:, :, None], new_prefix, prefix)
            plen = np.where(active, new_plen, plen)
            pb = np.where(active, new_pb, pb)
            pnb = np.where(active, new_pnb, pnb)
    total = np.logaddexp(pb, pnb)
    order = np.argsort(-total, axis=1, kind="stable")[:, :top_paths]
    paths = np.take_along_axis(prefix, order[:, :, None], axis=1)
    scores = np.take_along_axis(total, order, axis=1)
    return np.transpose(paths, (1, 0, 2)).astype(np.int32), scores


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = convert_to_tensor(inputs)
    dtype = dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), "float32")
    inputs = inputs.astype(dtype)
    sequence_lengths = convert_to_tensor(sequence_lengths).astype(np.int32)
    classes = inputs.shape[-1]
    mask_index = classes - 1 if mask_index is None else mask_index % classes
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        paths, scores = _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
        return paths, scores.astype(dtype)
    raise ValueError(f"`strategy` must be 'greedy' or 'beam_search', received {strategy!r}.")
