"""``lamina.ops.nn``: scaled dot-product attention."""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["dot_product_attention"]


def dot_product_attention_rule(query, key, value, bias=None, mask=None, scale=None,
                               is_causal=False, flash_attention=None,
                               attn_logits_soft_cap=None):
    shapes = {}
    for name, t in (("query", query), ("key", key), ("value", value)):
        shape = rules.shape_of(t, name)
        if len(shape) != 4:
            raise ValueError(
                f"expected a 4D `{name}` (batch, time, heads, depth), received a tensor of "
                f"shape {shape}."
            )
        shapes[name] = shape
    (b, t, n, h), (kb, s, k, kh), (vb, vs, vk, hv) = shapes["query"], shapes["key"], shapes["value"]

    def clash(x, y):
        return x is not None and y is not None and x != y

    if clash(kb, vb) or clash(s, vs) or clash(k, vk):
        raise ValueError(
            f"`key` {shapes['key']} and `value` {shapes['value']} must agree on batch, time "
            "and heads."
        )
    if clash(h, kh) or clash(b, kb):
        raise ValueError(
            f"`query` {shapes['query']} and `key` {shapes['key']} must agree on batch and "
            "depth."
        )
    if n is not None and k is not None and (k == 0 or n % k):
        raise ValueError(
            f"the query heads ({n}) must be a multiple of the key/value heads ({k})."
        )
    dtype = dtypes.result_type(*(rules.dtype_of(x, nm) for nm, x in
                                 (("query", query), ("key", key), ("value", value))))
    if dtype not in dtypes.FLOAT_TYPES:
        raise TypeError(f"expected floating point query, key and value, received dtype {dtype}.")
    logits_shape = (b, n, t, s)
    for name, x in (("bias", bias), ("mask", mask)):
        if x is None:
            continue
        xs = rules.shape_of(x, name)
        if len(xs) > 4:
            raise ValueError(f"expected `{name}` of rank <= 4, received shape {xs}.")
        try:
            rules.broadcast_shapes(xs, logits_shape)
        except ValueError:
            raise ValueError(
                f"`{name}` of shape {xs} does not broadcast to the attention logits' shape "
                f"(batch, heads, query time, key time) = {logits_shape}."
            ) from None
    if flash_attention:
        raise ValueError("flash_attention=True is not supported; use None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("attn_logits_soft_cap is not supported (Keras allows it only on TPU).")
    if scale is not None and not isinstance(scale, (int, float)) and not hasattr(scale, "shape"):
        raise TypeError(f"expected a number for `scale`, received {scale!r}.")
    return rules.spec((b, t, n, hv), dtype)


@op(dot_product_attention_rule, module="nn")
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: ``softmax(q k^T * scale + bias) v``.

    The logits and the softmax are computed in float32 (or wider). Grouped-query
    attention works when the query heads are a multiple of the key/value heads.

    Args:
        query: ``(batch, T, heads, depth)``.
        key: ``(batch, S, kv_heads, depth)``.
        value: ``(batch, S, kv_heads, value_depth)``.
        bias: optional, broadcastable to ``(batch, heads, T, S)``, added to the logits.
        mask: optional bool, broadcastable to ``(batch, heads, T, S)``; False hides a key.
        scale: the logit scale (None: ``1 / sqrt(depth)``).
        is_causal: hide keys after each query position (lower-triangular mask).
        flash_attention: None or False (no fused kernel is used).
        attn_logits_soft_cap: must be None.

    Returns:
        ``(batch, T, heads, value_depth)``.

    Example:
        >>> q = np.ones((1, 3, 2, 4), "float32")
        >>> lamina.ops.dot_product_attention(q, q, q, is_causal=True).shape
        (1, 3, 2, 4)
    """
