"""Boolean attention masks shared by the attention layers (True = may attend)."""

from lamina import ops
from lamina.backend.common import dtypes


def causal_mask(q_len, k_len):
    """A ``(1, q_len, k_len)`` mask in which query ``i`` sees the keys ``j <= i``.

    Example:
        >>> causal_mask(2, 2)  # [[[True, False], [True, True]]]
    """
    rows = ops.expand_dims(ops.arange(q_len, dtype="int32"), -1)
    cols = ops.expand_dims(ops.arange(k_len, dtype="int32"), 0)
    return ops.expand_dims(ops.greater_equal(rows, cols), 0)


def sliding_window_mask(q_len, k_len, window):
    """A ``(1, q_len, k_len)`` band: query ``i`` sees the keys with ``|i - j| < window``.

    Example:
        >>> sliding_window_mask(3, 3, 2)  # [[[T, T, F], [T, T, T], [F, T, T]]]
    """
    rows = ops.expand_dims(ops.arange(q_len, dtype="int32"), -1)
    cols = ops.expand_dims(ops.arange(k_len, dtype="int32"), 0)
    return ops.expand_dims(ops.less(ops.abs(ops.subtract(rows, cols)), window), 0)


def as_bool(mask):
    """``mask`` as a boolean tensor (None stays None).

    Example:
        >>> as_bool(np.array([1, 0]))  # [True, False]
    """
    if mask is None:
        return None
    if dtypes.standardize_dtype(mask.dtype) != "bool":
        return ops.cast(mask, "bool")
    return mask


def check_mask_shape(layer, name, mask, expected, what):
    """Raises a ValueError naming ``layer`` when ``mask`` does not have the
    shape ``expected`` (entries of 1 in the mask broadcast; None matches anything).

    Example:
        >>> check_mask_shape(layer, "query_mask", mask, (2, 5), "query.shape[:-1]")
    """
    if mask is None:
        return
    shape = tuple(mask.shape)
    bad = len(shape) != len(expected) or any(
        m is not None and e is not None and m != e and m != 1
        for m, e in zip(shape, expected))
    if bad:
        raise ValueError(
            f"{type(layer).__name__} layer {layer.name!r}: `{name}` must have shape "
            f"{tuple(expected)} ({what}); received a mask of shape {shape}."
        )


def combine_masks(query_len, value_len, query_mask=None, value_mask=None, key_mask=None,
                  attention_mask=None, use_causal_mask=False, sliding_window=None):
    """The ``(B, T, S)``-broadcastable attention mask from the Keras masks of
    the query ``(B, T)``, value and key ``(B, S)``, an explicit ``attention_mask``,
    the causal mask and a sliding window, combined with AND (None if none applies).

    Example:
        >>> combine_masks(4, 4, use_causal_mask=True).shape
        (1, 4, 4)
    """
    auto = None

    def both(a, b):
        return b if a is None else ops.logical_and(a, b)

    if query_mask is not None:
        auto = ops.expand_dims(as_bool(query_mask), -1)
    if value_mask is not None:
        auto = both(auto, ops.expand_dims(as_bool(value_mask), -2))
    if key_mask is not None:
        auto = both(auto, ops.expand_dims(as_bool(key_mask), -2))
    if use_causal_mask:
        auto = both(auto, causal_mask(query_len, value_len))
    if sliding_window is not None:
        auto = both(auto, sliding_window_mask(query_len, value_len, sliding_window))
    attention_mask = as_bool(attention_mask)
    if auto is None:
        return attention_mask
    return auto if attention_mask is None else ops.logical_and(attention_mask, auto)
