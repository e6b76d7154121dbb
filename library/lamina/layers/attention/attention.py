"""Attention: Luong-style dot-product attention over ``[query, value(, key)]``."""

from lamina import ops, random
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.attention.masks import causal_mask
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Attention(Layer):
    """Dot-product attention: ``softmax(query . key^T) . value``.

    Called on a list ``[query, value]`` or ``[query, value, key]`` (the key
    defaults to the value), with shapes ``(batch, Tq, dim)``, ``(batch, Tv, dim_v)``
    and ``(batch, Tv, dim)``.

    Args:
        use_scale: learn a scalar that multiplies the scores.
        score_mode: ``"dot"`` (``query . key``) or ``"concat"``
            (``sum(tanh(query + key))``, times a learned scalar).
        dropout: fraction of the attention weights dropped during training.
        seed: an int seed for the dropout.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``.
        mask: ``[query_mask, value_mask]`` (booleans ``(batch, Tq)`` and
            ``(batch, Tv)``), taken from the inputs' Keras masks when not given.
            Outputs of masked queries are 0; masked values get no weight.
        return_attention_scores: also return the ``(batch, Tq, Tv)`` weights.
        training: apply dropout.
        use_causal_mask: query ``i`` only attends to values ``j <= i``.

    Example:
        >>> q, v = np.ones((2, 3, 4)), np.ones((2, 5, 4))
        >>> lamina.layers.Attention()([q, v]).shape
        (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: score_mode must be one of "
                f"{{'dot', 'concat'}}, received score_mode={score_mode!r}."
            )
        if not isinstance(dropout, (int, float)) or isinstance(dropout, bool) or \
                not 0 <= dropout < 1:
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: dropout must be a number in "
                f"[0, 1), received dropout={dropout!r}."
            )
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True

    # -- validation -------------------------------------------------------------------
    def _check_inputs(self, inputs, mask=None):
        who = f"{type(self).__name__} layer {self.name!r}"
        if not isinstance(inputs, (list, tuple)) or any(
                x is None or isinstance(x, int) for x in inputs):
            raise ValueError(
                f"{who} must be called on a list of inputs, [query, value] or "
                f"[query, value, key]; received a {type(inputs).__name__}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{who} expects a list of 2 or 3 inputs ([query, value] or [query, value, key]); "
                f"received {len(inputs)} inputs."
            )
        if mask is not None and (not isinstance(mask, (list, tuple)) or
                                 not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{who} expects mask to be a list [query_mask, value_mask]; received "
                f"{mask!r}."
            )

    def _check_shapes(self, shapes):
        who = f"{type(self).__name__} layer {self.name!r}"
        q, v = tuple(shapes[0]), tuple(shapes[1])
        k = tuple(shapes[2]) if len(shapes) > 2 and shapes[2] is not None else v
        for name, s in (("query", q), ("value", v), ("key", k)):
            if len(s) < 3:
                raise ValueError(
                    f"{who} expects {name} of rank >= 3 (batch, time, dim); received shape {s}."
                )
        if not len(q) == len(v) == len(k):
            raise ValueError(
                f"{who} expects query, value and key of the same rank; received shapes "
                f"query={q}, value={v}, key={k}."
            )

        def clash(a, b):
            return a is not None and b is not None and a != b

        if clash(k[-2], v[-2]):
            raise ValueError(
                f"{who}: key and value must have the same number of time steps; received "
                f"key shape {k} and value shape {v}."
            )
        if clash(q[-1], k[-1]):
            raise ValueError(
                f"{who}: the last dimension of query and key must be equal; received "
                f"query shape {q} and key shape {k}."
            )
        return q, v, k

    def _check_mask(self, mask, like, name, inputs_name):
        if mask is None:
            return None
        shape, want = tuple(mask.shape), tuple(like.shape)[:-1]
        if len(shape) != len(want) or any(a is not None and b is not None and a != b
                                          for a, b in zip(shape, want)):
            raise ValueError(
                f"{type(self).__name__} layer {self.name!r}: {name} must have shape {want} "
                f"(the {inputs_name} shape without its last axis); received shape {shape}."
            )
        if dtypes.standardize_dtype(mask.dtype) != "bool":
            mask = ops.cast(mask, "bool")
        return mask

    # -- building -----------------------------------------------------------------------
    def build(self, input_shape):
        self._check_inputs(input_shape)
        self._check_shapes(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")

    # -- computing ---------------------------------------------------------------------
    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale)
            return scores
        summed = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            summed = ops.multiply(self.scale, summed)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(summed), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        if scores_mask is not None:
            # Masked scores are pushed down by a large constant (not replaced), as in Keras.
            big = 65504.0 if dtypes.standardize_dtype(scores.dtype) == "float16" else 1.0e9
            scores = ops.where(ops.logical_not(scores_mask), ops.subtract(scores, big), scores)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        self._check_shapes([query.shape, value.shape, key.shape])
        q_mask = self._check_mask(mask[0] if mask else None, query, "query_mask", "query")
        v_mask = self._check_mask(mask[1] if mask else None, value, "value_mask", "value")
        scores = self._calculate_scores(query, key)
        scores_mask = None
        if v_mask is not None:
            scores_mask = ops.expand_dims(v_mask, -2)
        if use_causal_mask:
            causal = causal_mask(ops.shape(scores)[-2], ops.shape(scores)[-1])
            scores_mask = causal if scores_mask is None else ops.logical_and(scores_mask, causal)
        output, weights = self._apply_scores(scores, value, scores_mask, training)
        if q_mask is not None:
            output = ops.where(ops.expand_dims(q_mask, -1), output, 0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        if mask is None or not isinstance(mask, (list, tuple)) or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        q, v, _ = self._check_shapes(input_shape)
        return (*q[:-1], v[-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        self._check_inputs(inputs, mask)
        shapes = [tuple(t.shape) for t in inputs]
        q, v, k = self._check_shapes(shapes)
        out = KerasTensor((*q[:-1], v[-1]), dtype=self.compute_dtype)
        if return_attention_scores:
            return out, KerasTensor((*q[:-1], k[-2]), dtype=self.compute_dtype)
        return out

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
