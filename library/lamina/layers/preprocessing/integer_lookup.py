"""IntegerLookup: integer values to contiguous indices (or encodings), and back with ``invert``."""

from lamina.layers.preprocessing.index_lookup import IndexLookup
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class IntegerLookup(IndexLookup):
    """Maps arbitrary integers to indices through a vocabulary, given or learned with ``adapt``.

    Runs on the host with NumPy on every backend (not inside a compiled step). With
    ``num_oov_indices > 1``, an OOV value ``v`` goes to bucket ``v % num_oov_indices``
    (``oov_method="farmhash"`` hashes its decimal string with TensorFlow, as Keras does).

    Args:
        max_tokens: the largest vocabulary (special tokens included), or None.
        num_oov_indices: indices reserved for out-of-vocabulary values.
        mask_token: a value that maps to index 0, or None.
        oov_token: the value ``invert`` gives for OOV indices.
        vocabulary: a list of integers or a text file path.
        vocabulary_dtype: ``"int64"`` only.
        idf_weights: the IDF weights for ``output_mode="tf_idf"`` with a given vocabulary.
        invert: map indices back to values.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: accepted for Keras compatibility; outputs are dense.
        pad_to_max_tokens: make encodings ``max_tokens`` wide.
        oov_method: ``"floormod"`` or ``"farmhash"``.
        salt: key of the strong hash for OOV buckets.
        name: the layer name.

    Example:
        >>> layer = lamina.layers.IntegerLookup(vocabulary=[12, 36, 1138])
        >>> layer([[12, 1138], [42, 36]])
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' is supported. Received: "
                             f"vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype="int64",
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name,
                         **kwargs)

    def get_config(self):
        return {**super().get_config(), "oov_method": self.oov_method, "salt": self.salt}
