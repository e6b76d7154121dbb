"""nn ops (attention) on PyTorch."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype

__all__ = ["dot_product_attention"]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention=True is not supported; use None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("attn_logits_soft_cap is not supported.")
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    dtype = to_torch_dtype(dtypes.result_type(*(standardize_dtype(t.dtype)
                                                for t in (query, key, value))))
    logits_dtype = torch.promote_types(dtype, torch.float32)
    b, t, n, h = query.shape
    s, k = key.shape[1], key.shape[2]
    q = query.to(dtype).to(logits_dtype).reshape(b, t, k, n // k, h)
    logits = torch.einsum("btkgh,bskh->bkgts", q, key.to(dtype).to(logits_dtype))
    logits = logits.reshape(b, n, t, s) * (1.0 / float(h) ** 0.5 if scale is None else scale)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).to(dtype).to(logits_dtype)
    keep = None
    if mask is not None:
        keep = convert_to_tensor(mask).to(torch.bool)
    if is_causal:
        tril = torch.ones((t, s), dtype=torch.bool, device=logits.device).tril()
        keep = tril if keep is None else keep & tril
    if keep is not None:
        logits = logits.masked_fill(~keep, -0.7 * torch.finfo(logits_dtype).max)
    probs = torch.softmax(logits, dim=-1).to(dtype).reshape(b, k, n // k, t, s)
    out = torch.einsum("bkgts,bskh->btkgh", probs, value.to(dtype))
    return out.reshape(b, t, n, value.shape[-1])
