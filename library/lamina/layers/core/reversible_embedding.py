"""ReversibleEmbedding: an Embedding that can also map vectors back to vocabulary logits."""

from lamina import ops
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.embedding import Embedding
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class ReversibleEmbedding(Embedding):
    """An Embedding whose ``call(x, reverse=True)`` gives logits over the vocabulary:
    ``x @ embeddings.T`` (tied weights) or ``x @ reverse_embeddings``.

    Args:
        input_dim: the vocabulary size.
        output_dim: the size of each vector.
        tie_weights: reuse the embedding matrix for the reverse projection; else a separate
            ``(output_dim, input_dim)`` matrix.
        embeddings_initializer: initializer of the matrices.
        embeddings_regularizer: a penalty on the embedding matrix.
        embeddings_constraint: a projection applied after updates.
        mask_zero: whether index 0 is padding (forward calls then carry a mask).
        reverse_dtype: the dtype of the reverse matmul (e.g. ``"float32"`` under mixed precision).
        logit_soft_cap: if set, logits become ``tanh(logits / cap) * cap``.

    Example:
        >>> layer = lamina.layers.ReversibleEmbedding(100, 8)
        >>> hidden = layer(np.array([[4, 2, 7]]))
        >>> layer(hidden, reverse=True).shape
        (1, 3, 100)
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero, **kwargs)
        if logit_soft_cap is not None and not (isinstance(logit_soft_cap, (int, float)) and logit_soft_cap > 0):
            raise ValueError("ReversibleEmbedding: `logit_soft_cap` should be None or a positive number. "
                             f"Received: logit_soft_cap={logit_soft_cap!r}")
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        if getattr(self, "embeddings", None) is not None:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(name="reverse_embeddings",
                                                      shape=(self.output_dim, self.input_dim),
                                                      initializer=self.embeddings_initializer)

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs, kernel = ops.cast(inputs, self.reverse_dtype), ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = ops.multiply(ops.tanh(ops.divide(logits, self.logit_soft_cap)), self.logit_soft_cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # Forward calls take integer ids; reverse calls take float vectors and carry no mask.
        if inputs is None or dtypes.is_float_dtype(dtypes.standardize_dtype(inputs.dtype)):
            return None
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*input_shape[:-1], self.input_dim)
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs, reverse=False, **kwargs):
        dtype = self.reverse_dtype if reverse and self.reverse_dtype is not None else self.compute_dtype
        return KerasTensor(self.compute_output_shape(inputs.shape, reverse=reverse), dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
