"""StringLookup: strings to integer indices (or encodings), and back with ``invert``."""

from lamina.layers.preprocessing.index_lookup import IndexLookup
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class StringLookup(IndexLookup):
    """Maps strings to indices through a vocabulary, given or learned with ``adapt``.

    Works on every backend on the host: inputs are lists of ``str``, NumPy ``str``/``bytes``/object
    arrays or ``tf.string`` tensors; outputs are backend ``int64`` tensors (``invert=True`` gives
    NumPy object arrays of ``str``). It cannot run inside a compiled (jit) step; use it in the
    data pipeline or before ``fit``. Out-of-vocabulary strings with ``num_oov_indices > 1`` are
    bucketed with TensorFlow's FarmHash, as in Keras (TensorFlow needed for that case only).

    Args:
        max_tokens: the largest vocabulary (special tokens included), or None.
        num_oov_indices: indices reserved for out-of-vocabulary strings.
        mask_token: a string that maps to index 0 (and is masked), or None.
        oov_token: the string ``invert`` gives for OOV indices.
        vocabulary: a list of strings or a text file path (one per line).
        idf_weights: the IDF weights for ``output_mode="tf_idf"`` with a given vocabulary.
        invert: map indices back to strings.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: make encodings ``max_tokens`` wide.
        sparse: accepted for Keras compatibility; outputs are dense.
        encoding: the text encoding of bytes inputs.
        name: the layer name.
        salt: key of the strong hash for OOV buckets.

    Example:
        >>> layer = lamina.layers.StringLookup(vocabulary=["a", "b", "c"])
        >>> layer([["a", "c"], ["d", "b"]])  # 0 is the OOV index
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse,
                         name=name, salt=salt, vocabulary_dtype="string", **kwargs)

    def get_config(self):
        config = {**super().get_config(), "encoding": self.encoding}
        config.pop("vocabulary_dtype")
        return config
