"""nn ops (attention) on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype

__all__ = ["dot_product_attention"]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention=True is not supported; use None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("attn_logits_soft_cap is not supported.")
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    dtype = to_numpy_dtype(dtypes.result_type(query.dtype, key.dtype, value.dtype))
    logits_dtype = np.promote_types(dtype, np.float32)
    b, t, n, h = query.shape
    s, k = key.shape[1], key.shape[2]
    q = query.astype(logits_dtype).reshape(b, t, k, n // k, h)
    logits = np.einsum("btkgh,bskh->bkgts", q, key.astype(logits_dtype)).reshape(b, n, t, s)
    logits = logits * np.asarray(1.0 / np.sqrt(h) if scale is None else scale, logits_dtype)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(dtype).astype(logits_dtype)
    keep = None
    if mask is not None:
        keep = np.broadcast_to(convert_to_tensor(mask).astype(bool), logits.shape)
    if is_causal:
        tril = np.tril(np.ones((t, s), bool))
        keep = tril if keep is None else keep & tril
    if keep is not None:
        logits = np.where(keep, logits, np.asarray(-0.7 * np.finfo(logits_dtype).max, logits_dtype))
    logits = logits.astype(np.promote_types(logits_dtype, np.float32))
    logits = logits - logits.max(axis=-1, keepdims=True)
    probs = np.exp(logits)
    probs = (probs / probs.sum(axis=-1, keepdims=True)).astype(dtype)
    probs = probs.reshape(b, k, n // k, t, s)
    out = np.einsum("bkgts,bskh->btkgh", probs, value.astype(dtype))
    return out.reshape(b, t, n, value.shape[-1]).astype(dtype, copy=False)
