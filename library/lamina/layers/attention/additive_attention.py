"""AdditiveAttention: Bahdanau-style attention over ``[query, value(, key)]``."""

from lamina import ops
from lamina.layers.attention.attention import Attention
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class AdditiveAttention(Attention):
    """Additive attention: scores ``sum(scale * tanh(query + key), axis=-1)``.

    Same inputs, masks and outputs as :class:`Attention`; the query and the key
    must have the same last dimension ``dim``.

    Args:
        use_scale: learn a ``(dim,)`` vector that weighs the ``tanh`` terms
            (otherwise they are summed with weight 1).
        dropout: fraction of the attention weights dropped during training.
        seed: an int seed for the dropout.

    Example:
        >>> q, v = np.ones((2, 3, 4)), np.ones((2, 5, 4))
        >>> lamina.layers.AdditiveAttention()([q, v]).shape
        (2, 3, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._check_inputs(input_shape)
        q, _, _ = self._check_shapes(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(q[-1],),
                                         initializer="glorot_uniform")

    def _calculate_scores(self, query, key):
        terms = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            terms = ops.multiply(self.scale, terms)
        return ops.sum(terms, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
