"""Conformance cases: dot_product_attention (a float64 NumPy reference)."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand


def ref_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                  flash_attention=None):
    dtype = np.result_type(query.dtype, key.dtype, value.dtype)
    q, k, v = (np.asarray(t, np.float64) for t in (query, key, value))
    b, t, n, h = q.shape
    s, kh = k.shape[1], k.shape[2]
    g = n // kh
    k = np.repeat(k, g, axis=2)
    v = np.repeat(v, g, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) * (1 / np.sqrt(h) if scale is None else scale)
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep &= np.broadcast_to(mask, logits.shape)
    if is_causal:
        keep &= np.tril(np.ones((t, s), bool))
    logits = np.where(keep, logits, -1e30)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", p, v).astype(dtype)


def _qkv(b=2, t=3, s=4, n=2, k=2, h=4, hv=4, dtype="float32", seed=0):
    return (rand((b, t, n, h), dtype, seed=seed), rand((b, s, k, h), dtype, seed=seed + 1),
            rand((b, s, k, hv), dtype, seed=seed + 2))


_MASK = np.random.default_rng(5).random((2, 1, 3, 4)) > 0.3
_MASK[..., 0] = True  # no fully masked rows

CASES = [
    Case("dot_product_attention", _qkv(), ref=ref_attention, rtol=1e-5, atol=1e-5),
    Case("dot_product_attention", _qkv(b=1, h=3, hv=3), ref=ref_attention, rtol=1e-5,
         atol=1e-5, grad=True),
    Case("nn.dot_product_attention", _qkv(b=1, t=4, s=4), {"is_causal": True}, ref=ref_attention,
         rtol=1e-5, atol=1e-5, grad=True),
    Case("dot_product_attention", _qkv(), {"scale": 0.3}, ref=ref_attention, rtol=1e-5,
         atol=1e-5),
    Case("dot_product_attention", _qkv(b=1) + (rand((1, 2, 3, 4), seed=9),), ref=ref_attention,
         rtol=1e-5, atol=1e-5, grad=True),
    Case("dot_product_attention", _qkv() + (rand((3, 4), seed=9),), ref=ref_attention,
         rtol=1e-5, atol=1e-5),
    Case("dot_product_attention", _qkv(), {"mask": _MASK}, ref=ref_attention, rtol=1e-5,
         atol=1e-5),
    Case("dot_product_attention", _qkv() + (None, _MASK), {"is_causal": True},
         ref=ref_attention, rtol=1e-5, atol=1e-5, tensor_args=(0, 1, 2, 4)),
    # grouped-query attention: 4 query heads share 2 key/value heads
    # (Keras's NumPy backend cannot do grouped-query attention)
    Case("dot_product_attention", _qkv(b=1, n=4, k=2), ref=ref_attention, rtol=1e-5,
         atol=1e-5, grad=True, keras=BACKEND != "numpy"),
    Case("dot_product_attention", _qkv(dtype="float16"), ref=ref_attention, rtol=2e-3,
         atol=2e-3),
    Case("dot_product_attention", _qkv(b=1, t=2, s=5, n=1, k=1, h=3, hv=3),
         {"flash_attention": False}, ref=ref_attention, rtol=1e-5, atol=1e-5),
    # value depth != key depth: Keras's symbolic rule returns the query's shape, and
    # its JAX backend reshapes to it (a crash)
    Case("dot_product_attention", _qkv(hv=5), ref=ref_attention, rtol=1e-5, atol=1e-5,
         symbolic_none=False, keras=BACKEND != "jax"),
]

ERRORS = [
    ErrorCase("dot_product_attention", (rand((2, 3, 4)), rand((2, 3, 4)), rand((2, 3, 4))),
              match="4D"),
    ErrorCase("dot_product_attention", _qkv(n=3, k=2), match="multiple"),
    ErrorCase("dot_product_attention", (rand((2, 3, 2, 4)), rand((2, 4, 2, 5)),
                                        rand((2, 4, 2, 5))), match="depth"),
    ErrorCase("dot_product_attention", (rand((2, 3, 2, 4)), rand((2, 4, 2, 4)),
                                        rand((2, 5, 2, 4))), match="agree"),
    ErrorCase("dot_product_attention", _qkv() + (rand((2, 2, 3, 5)),), match="broadcast"),
    ErrorCase("dot_product_attention", _qkv(), {"flash_attention": True}, match="flash"),
    ErrorCase("dot_product_attention", (rand((2, 3, 2, 4)), "k", rand((2, 4, 2, 4))),
              error=TypeError, match="key"),
]
