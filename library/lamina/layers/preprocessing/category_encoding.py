"""CategoryEncoding: integer categories to one-hot, multi-hot or count vectors."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.encoding import encode_categorical, encoded_shape
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class CategoryEncoding(Layer):
    """Encodes integer category ids in ``[0, num_tokens)`` as dense vectors.

    ``"multi_hot"`` and ``"count"`` treat the last axis as one sample's categories (a rank-1
    input is one sample); ``"one_hot"`` encodes every entry.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"multi_hot"`` (or its old name ``"binary"``), ``"one_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility; outputs are dense.

    Example:
        >>> lamina.layers.CategoryEncoding(4, "multi_hot")(np.array([[0, 1], [2, 2]]))
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"CategoryEncoding: unknown output_mode {output_mode!r}; expected 'count', "
                             "'one_hot' or 'multi_hot'.")
        if num_tokens is None:
            raise ValueError("CategoryEncoding: num_tokens must be set. If the number of tokens is not known "
                             "beforehand, use the IntegerLookup layer instead.")
        if num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        self.num_tokens, self.output_mode, self.sparse = num_tokens, output_mode, sparse
        self.built = True

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError("CategoryEncoding: `count_weights` is only used with output_mode='count'. "
                                 f"Received count_weights={count_weights}.")
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        return encode_categorical(inputs, self.output_mode, self.num_tokens, self.dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}
