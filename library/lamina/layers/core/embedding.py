"""Embedding: turns integer indices into dense vectors."""

from lamina import constraints, initializers, ops, regularizers
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Embedding: `{name}` must be a positive integer. Received: {name}={value!r} "
            f"(of type {type(value).__name__})."
        )


@keras_export("keras.layers")
class Embedding(Layer):
    """Looks up rows of an ``(input_dim, output_dim)`` matrix.

    Args:
        input_dim: the vocabulary size (largest index + 1).
        output_dim: the size of each vector.
        embeddings_initializer: initializer of the matrix (default uniform in
            ``[-0.05, 0.05]``).
        embeddings_regularizer: a penalty on the matrix.
        embeddings_constraint: a projection applied after updates.
        mask_zero: whether index 0 is padding; the output then carries the mask
            ``inputs != 0`` (so index 0 cannot be used as a word).
        weights: an optional initial matrix.

    Example:
        >>> layer = lamina.layers.Embedding(1000, 8, mask_zero=True)
        >>> layer(np.array([[4, 2, 0]])).shape
        (1, 3, 8)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        _positive_int(input_dim, "input_dim")
        _positive_int(output_dim, "output_dim")
        kwargs.pop("input_length", None)  # deprecated in Keras 3, ignored
        super().__init__(**kwargs)
        if lora_rank or quantization_config is not None:
            raise ValueError("Embedding: LoRA and quantization are not supported by lamina yet.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        if embeddings_initializer in ("uniform", "normal"):  # Keras's short aliases
            embeddings_initializer = "random_" + embeddings_initializer
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.lora_rank = None
        self.lora_alpha = None
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if getattr(self, "embeddings", None) is not None:
            return
        self.embeddings = self.add_weight(name="embeddings",
                                          shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)

    def call(self, inputs):
        if dtypes.standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        return ops.cast(ops.take(self.embeddings, inputs, axis=0), self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
