"""nn ops (attention) on TensorFlow."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor

__all__ = ["dot_product_attention"]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention=True is not supported; use None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("attn_logits_soft_cap is not supported.")
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    dtype = dtypes.result_type(query.dtype.name, key.dtype.name, value.dtype.name)
    logits_dtype = "float64" if dtype == "float64" else "float32"
    _, t, n, h = query.shape
    s, k = key.shape[1], key.shape[2]
    q = tf.cast(tf.cast(query, dtype), logits_dtype)
    q = tf.reshape(q, (-1, t, k, n // k, h))
    logits = tf.einsum("btkgh,bskh->bkgts", q, tf.cast(tf.cast(key, dtype), logits_dtype))
    logits = tf.reshape(logits, (-1, n, t, s))
    logits = logits * tf.cast(1.0 / float(h) ** 0.5 if scale is None else scale, logits_dtype)
    if bias is not None:
        logits = logits + tf.cast(tf.cast(convert_to_tensor(bias), dtype), logits_dtype)
    keep = None
    if mask is not None:
        keep = tf.cast(convert_to_tensor(mask), tf.bool)
    if is_causal:
        tril = tf.linalg.band_part(tf.ones((t, s), tf.bool), -1, 0)
        keep = tril if keep is None else tf.logical_and(keep, tril)
    if keep is not None:
        low = tf.constant(-0.7 * tf.as_dtype(logits_dtype).max, logits_dtype)
        logits = tf.where(keep, logits, low)
    probs = tf.cast(tf.nn.softmax(logits, axis=-1), dtype)
    probs = tf.reshape(probs, (-1, k, n // k, t, s))
    out = tf.einsum("bkgts,bskh->btkgh", probs, tf.cast(value, dtype))
    return tf.reshape(out, (-1, t, n, value.shape[-1]))
