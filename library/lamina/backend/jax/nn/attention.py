"""nn ops (attention) on JAX."""

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor

__all__ = ["dot_product_attention"]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention=True is not supported; use None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("attn_logits_soft_cap is not supported.")
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    dtype = dtypes.result_type(query.dtype, key.dtype, value.dtype)
    logits_dtype = jnp.promote_types(dtype, jnp.float32)
    b, t, n, h = query.shape
    s, k = key.shape[1], key.shape[2]
    q = jnp.reshape(query.astype(dtype), (b, t, k, n // k, h))
    logits = jnp.einsum("btkgh,bskh->bkgts", q, key.astype(dtype),
                        preferred_element_type=logits_dtype)
    logits = jnp.reshape(logits, (b, n, t, s))
    logits = logits * jnp.asarray(1.0 / float(h) ** 0.5 if scale is None else scale, logits_dtype)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(dtype).astype(logits_dtype)
    keep = None
    if mask is not None:
        keep = convert_to_tensor(mask).astype(bool)
    if is_causal:
        tril = jnp.tril(jnp.ones((t, s), bool))
        keep = tril if keep is None else keep & tril
    if keep is not None:
        low = jnp.asarray(-0.7 * jnp.finfo(logits_dtype).max, logits_dtype)
        logits = jnp.where(keep, logits, low)
    probs = jax.nn.softmax(logits, axis=-1).astype(dtype)
    probs = jnp.reshape(probs, (b, k, n // k, t, s))
    out = jnp.einsum("bkgts,bskh->btkgh", probs, value.astype(dtype))
    return jnp.reshape(out, (b, t, n, value.shape[-1]))
