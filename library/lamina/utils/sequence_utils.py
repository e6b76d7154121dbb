"""pad_sequences: lists of sequences of different lengths as one padded array."""

import numpy as np

from lamina.saving.object_registry import keras_export


@keras_export("keras.utils")
def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads (or truncates) sequences to a common length.

    Args:
        sequences: a list of sequences (lists or arrays; each item may itself be
            an array, all of the same shape).
        maxlen: the length of the result (default: the longest sequence).
        dtype: the dtype of the result (``"int32"``; ``str``/``object`` for strings).
        padding: ``"pre"`` or ``"post"``: where the padding goes.
        truncating: ``"pre"`` or ``"post"``: which end of a longer sequence is cut.
        value: the padding value.

    Returns:
        An array of shape ``(len(sequences), maxlen) + item_shape``.

    Example:
        >>> lamina.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
        [[2, 3], [0, 4]]
        >>> lamina.utils.pad_sequences([[1], [2, 3]], padding="post").tolist()
        [[1, 0], [2, 3]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences: `sequences` must be a list of sequences, received "
                         f"{type(sequences).__name__}.")
    if padding not in ("pre", "post"):
        raise ValueError(f'pad_sequences: padding must be "pre" or "post", received {padding!r}.')
    if truncating not in ("pre", "post"):
        raise ValueError(f'pad_sequences: truncating must be "pre" or "post", received '
                         f"{truncating!r}.")
    lengths, item_shape = [], ()
    for i, seq in enumerate(sequences):
        if not hasattr(seq, "__len__"):
            raise ValueError(f"pad_sequences: sequences[{i}] must be a sequence (list or array), "
                             f"received {type(seq).__name__} {seq!r}.")
        lengths.append(len(seq))
        if len(seq) and not item_shape:
            item_shape = np.asarray(seq).shape[1:]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    if isinstance(maxlen, bool) or int(maxlen) != maxlen or maxlen < 0:
        raise ValueError(f"pad_sequences: maxlen must be a non-negative integer, received "
                         f"{maxlen!r}.")
    maxlen = int(maxlen)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and dtype != object and not is_text:
        raise ValueError(f"pad_sequences: dtype {dtype!r} cannot hold the padding value "
                         f"{value!r}; use dtype=object or a string dtype.")
    out = np.full((len(sequences), maxlen) + tuple(item_shape), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq) or not maxlen:
            continue
        part = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        part = np.asarray(part, dtype=dtype)
        if part.shape[1:] != tuple(item_shape):
            raise ValueError(f"pad_sequences: the items of sequences[{i}] have shape "
                             f"{part.shape[1:]}, but earlier items have shape {tuple(item_shape)}.")
        if padding == "post":
            out[i, :len(part)] = part
        else:
            out[i, -len(part):] = part
    return out
