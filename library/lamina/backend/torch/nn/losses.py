"""nn ops (losses) on PyTorch."""

import torch
import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.backend.torch.nn.activations import log_softmax, to_float


def _pair(target, output):
    output = to_float(output)
    target = convert_to_tensor(target)
    dtype = to_torch_dtype(dtypes.float_result_type(dtypes.standardize_dtype(target.dtype),
                                                    dtypes.standardize_dtype(output.dtype)))
    return target.to(dtype), output.to(dtype)


def _check_same_shape(target, output):
    if target.shape != output.shape:
        raise ValueError(f"`target` and `output` must have the same shape, received "
                         f"{tuple(target.shape)} and {tuple(output.shape)}.")


def binary_crossentropy(target, output, from_logits=False):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    p = torch.clamp(output, eps, 1 - eps)
    return -(target * torch.log(p) + (1 - target) * torch.log1p(-p))


def _probs_log(output, axis):
    eps = config.epsilon()
    p = output / torch.sum(output, dim=axis, keepdim=True)
    return torch.log(torch.clamp(p, eps, 1 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _pair(target, output)
    _check_same_shape(target, output)
    if output.ndim < 1:
        raise ValueError("`target` and `output` must be at least rank 1.")
    log_p = log_softmax(output, axis=axis) if from_logits else _probs_log(output, axis)
    return -torch.sum(target * log_p, dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = to_float(output)
    target = convert_to_tensor(target).to(torch.long)
    if output.ndim < 1:
        raise ValueError("`output` must be at least rank 1.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = torch.squeeze(target, -1)
    rest = list(output.shape)
    del rest[axis]
    if list(target.shape) != rest:
        raise ValueError(f"`target` shape {tuple(target.shape)} does not match `output` shape "
                         f"{tuple(output.shape)} without its class axis.")
    dtype = output.dtype
    if dtype in (torch.float16, torch.bfloat16) and output.device.type == "cpu":
        output = output.float()
    # The class axis goes to position 1, as cross_entropy / nll_loss expect.
    moved = output.movedim(axis, 1) if output.ndim > 1 else output.unsqueeze(0)
    tgt = target if output.ndim > 1 else target.unsqueeze(0)
    if from_logits:
        out = F.cross_entropy(moved, tgt, reduction="none", ignore_index=-1)
    else:
        out = F.nll_loss(_probs_log(moved, 1), tgt, reduction="none", ignore_index=-1)
    if output.ndim == 1:
        out = out.squeeze(0)
    return out.to(dtype)


def psnr(x1, x2, max_val):
    x1, x2 = _pair(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(f"`x1` and `x2` must have the same shape, received {tuple(x1.shape)} "
                         f"and {tuple(x2.shape)}.")
    mse = torch.mean(torch.square(x1 - x2))
    max_val = torch.as_tensor(max_val, dtype=x1.dtype, device=x1.device)
    return 20 * torch.log10(max_val) - 10 * torch.log10(mse)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target).to(torch.long)
    output = convert_to_tensor(output)
    dtype = to_torch_dtype(dtypes.result_type(dtypes.standardize_dtype(output.dtype), "float32"))
    lp = F.log_softmax(output.to(dtype), dim=-1).transpose(0, 1)
    target_length = convert_to_tensor(target_length).to(torch.long)
    output_length = convert_to_tensor(output_length).to(torch.long)
    return F.ctc_loss(lp, target, output_length, target_length, blank=mask_index,
                      reduction="none", zero_infinity=False)


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    batch, steps, _ = inputs.shape
    scores, best = torch.max(inputs, dim=-1)
    best = best.to(torch.int32)
    positions = torch.arange(steps, device=inputs.device)
    beyond = positions[None, :] >= sequence_lengths[:, None]
    best = torch.where(beyond, mask_index, best)
    scores = torch.where(beyond, torch.zeros((), dtype=inputs.dtype, device=inputs.device), scores)
    if merge_repeated and steps:
        repeat = F.pad(best[:, 1:] == best[:, :-1], (1, 0))
        best = torch.where(repeat, mask_index, best)
    blank = best == mask_index
    order = torch.argsort(torch.where(blank, steps, positions[None, :]), dim=-1, stable=True)
    paths = torch.take_along_dim(torch.where(blank, -1, best), order, dim=-1)
    return paths[None].to(torch.int32), -torch.sum(scores, dim=1, keepdim=True)


def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """Prefix beam search; each prefix keeps its blank- and label-ending log-probabilities."""
    batch, steps, classes = inputs.shape
    dev = inputs.device
    lp = F.log_softmax(inputs, dim=-1)
    width = beam_width
    neg = float("-inf")
    prefix = torch.full((batch, width, steps), -1, dtype=torch.long, device=dev)
    plen = torch.full((batch, width), -1, dtype=torch.long, device=dev)
    plen[:, 0] = 0
    pb = torch.full((batch, width), neg, dtype=lp.dtype, device=dev)
    pb[:, 0] = 0.0
    pnb = torch.full((batch, width), neg, dtype=lp.dtype, device=dev)
    cls = torch.arange(classes, device=dev)
    positions = torch.arange(steps, device=dev)
    negt = torch.tensor(neg, dtype=lp.dtype, device=dev)
    for t in range(steps):
        lpt = lp[:, t]
        total = torch.logaddexp(pb, pnb)
        last = torch.where(plen > 0, torch.gather(prefix, 2, (plen - 1).clamp(min=0)[..., None])[..., 0], -1)
        same_pb = total + lpt[:, mask_index][:, None]
        last_lp = torch.gather(lpt, 1, last.clamp(min=0))
        same_pnb = torch.where(last >= 0, pnb + last_lp, negt)
        ext = torch.where(cls[None, None, :] == last[:, :, None], pb[:, :, None], total[:, :, None])
        ext = torch.where(cls == mask_index, negt, ext + lpt[:, None, :])
        trunc = torch.where(positions[None, None, :] == (plen - 1)[..., None], -1, prefix)
        parent = torch.all(trunc[:, :, None, :] == prefix[:, None, :, :], dim=-1)
        parent &= (plen[:, :, None] >= 1) & (plen[:, None, :] == plen[:, :, None] - 1)
        onehot_last = last.clamp(min=0)[:, :, None] == cls[None, None, :]
        from_parent = torch.gather(ext, 2, last.clamp(min=0)[:, None, :].expand(batch, width, width))
        contrib = torch.where(parent.transpose(1, 2), from_parent, negt)
        same_pnb = torch.logaddexp(same_pnb, torch.logsumexp(contrib, dim=1))
        used = torch.einsum("bji,bjc->bic", parent.float(), onehot_last.float()) > 0
        ext = torch.where(used, negt, ext)
        cand_pb = torch.cat([same_pb, torch.full((batch, width * classes), neg, dtype=lp.dtype,
                                                 device=dev)], dim=1)
        cand_pnb = torch.cat([same_pnb, ext.reshape(batch, -1)], dim=1)
        cand_total = torch.logaddexp(cand_pb, cand_pnb)
        top = torch.argsort(-cand_total, dim=1, stable=True)[:, :width]
        is_ext = top >= width
        src = torch.where(is_ext, torch.div(top - width, classes, rounding_mode="floor"), top)
        new_c = torch.remainder(top - width, classes)
        new_prefix = torch.gather(prefix, 1, src[..., None].expand(batch, width, steps))
        new_plen = torch.gather(plen, 1, src)
        write = is_ext[..., None] & (positions[None, None, :] == new_plen[..., None])
        new_prefix = torch.where(write, new_c[..., None], new_prefix)
        new_plen = torch.where(is_ext, new_plen + 1, new_plen)
        new_pb = torch.gather(cand_pb, 1, top)
        new_pnb = torch.gather(cand_pnb, 1, top)
        dead = torch.gather(cand_total, 1, top) == neg
        new_plen = torch.where(dead, -1, new_plen)
        new_prefix = torch.where(dead[..., None], -1, new_prefix)
        active = (t < sequence_lengths)[:, None]
        prefix = torch.where(active[..., None], new_prefix, prefix)
        plen = torch.where(active, new_plen, plen)
        pb = torch.where(active, new_pb, pb)
        pnb = torch.where(active, new_pnb, pnb)
    total = torch.logaddexp(pb, pnb)
    order = torch.argsort(-total, dim=1, stable=True)[:, :top_paths]
    paths = torch.gather(prefix, 1, order[..., None].expand(batch, order.shape[1], steps))
    scores = torch.gather(total, 1, order)
    return paths.permute(1, 0, 2).to(torch.int32), scores


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = convert_to_tensor(inputs)
    dtype = to_torch_dtype(dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), "float32"))
    inputs = inputs.to(dtype)
    sequence_lengths = convert_to_tensor(sequence_lengths).to(torch.int32)
    classes = inputs.shape[-1]
    mask_index = classes - 1 if mask_index is None else mask_index % classes
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError(f"`strategy` must be 'greedy' or 'beam_search', received {strategy!r}.")
