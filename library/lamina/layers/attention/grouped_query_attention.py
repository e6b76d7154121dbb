"""GroupedQueryAttention: attention whose key/value heads are shared by groups of query heads."""

import math

from lamina import constraints, initializers, ops, regularizers
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.masking import get_keras_mask
from lamina.layers.activations.softmax import Softmax
from lamina.layers.attention import masks
from lamina.layers.attention.build_config import ShapesDictBuildMixin
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers", "GroupQueryAttention")
class GroupedQueryAttention(ShapesDictBuildMixin, Layer):
    """Grouped-query attention (Ainslie et al., 2023): ``num_query_heads`` query
    heads share ``num_key_value_heads`` key/value heads (``num_key_value_heads=1``
    is multi-query attention; equal numbers give multi-head attention).

    Keras 3 exports this class as ``GroupQueryAttention`` and writes that name
    into saved configs (weight paths use the class name, ``grouped_query_attention``);
    lamina does the same and also reads configs that use the class name.

    Args:
        head_dim: size of each head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads (divides ``num_query_heads``).
        dropout: dropout rate on the attention weights (training only).
        use_bias: whether the projections have biases.
        sliding_window: if set, query ``i`` only attends to keys with ``|i - j| < window``.
        flash_attention: accepted for Keras compatibility (no fused kernel; same result).
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections after updates.
        use_gate: multiply the heads by a sigmoid gate computed from the query.
        seed: an int seed for the dropout.

    Call arguments:
        query: ``(B, T, dim)``; value: ``(B, S, dim)``; key: optional ``(B, S, dim)``.
        query_mask, value_mask, key_mask, attention_mask, return_attention_scores,
        training, use_causal_mask: as for :class:`MultiHeadAttention`.

    Example:
        >>> layer = lamina.layers.GroupQueryAttention(head_dim=8, num_query_heads=4,
        ...                                           num_key_value_heads=2)
        >>> x = np.ones((2, 6, 16), "float32")
        >>> layer(x, x).shape
        (2, 6, 16)
    """

    _keras_class_name = "GroupQueryAttention"  # the name in saved configs, as Keras writes it

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        for name, value in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                            ("num_key_value_heads", num_key_value_heads)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"GroupedQueryAttention layer {self.name!r}: `{name}` must be a positive "
                    f"integer; received {name}={value!r}."
                )
        if num_query_heads % num_key_value_heads:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: `num_query_heads` must be divisible "
                f"by `num_key_value_heads`; received {num_query_heads} and {num_key_value_heads}."
            )
        if sliding_window is not None and (isinstance(sliding_window, bool) or
                                           not isinstance(sliding_window, int) or
                                           sliding_window <= 0):
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: `sliding_window` must be None or a "
                f"positive integer; received sliding_window={sliding_window!r}."
            )
        if flash_attention and dropout > 0:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: dropout is not supported with "
                "flash_attention=True; set dropout to 0.0."
            )
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r} needs a `value` tensor: call it as "
                "layer(query, value) (for self-attention, layer(x, x))."
            )
        args = (query, value) if key is None else (query, value, key)
        return super().__call__(*args, **kwargs)

    def _dense(self, equation, output_shape, bias_axes, name, activation=None):
        def fresh(initializer):
            return type(initializer).from_config(initializer.get_config())

        return EinsumDense(equation, output_shape=output_shape,
                           bias_axes=bias_axes if self.use_bias else None, name=name,
                           activation=activation,
                           kernel_initializer=fresh(self.kernel_initializer),
                           bias_initializer=fresh(self.bias_initializer),
                           kernel_regularizer=self.kernel_regularizer,
                           bias_regularizer=self.bias_regularizer,
                           activity_regularizer=self.activity_regularizer,
                           kernel_constraint=self.kernel_constraint,
                           bias_constraint=self.bias_constraint, dtype=self.dtype_policy)

    def _check_shapes(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f"GroupedQueryAttention layer {self.name!r}: `{name}` must have rank 3 "
                    f"(batch, time, features); received shape {shape}."
                )
        if query_shape[-1] is not None and value_shape[-1] is not None and \
                query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: the last dimension of `query` and "
                f"`value` must be equal; received query shape {query_shape} and value shape "
                f"{value_shape}."
            )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: all dimensions of `value` and `key` "
                f"except the last must be equal; received value shape {value_shape} and key "
                f"shape {key_shape}."
            )
        return query_shape, value_shape, key_shape

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape_given = key_shape
        query_shape, value_shape, key_shape = self._check_shapes(query_shape, value_shape,
                                                                 key_shape)
        self._record_shapes(query_shape, value_shape, key_shape_given)
        self.feature_dim = query_shape[-1]
        q_heads, kv_heads, depth = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = self._dense("bqm,muh->bquh", (None, q_heads, depth), "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, depth), "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", (None, q_heads, depth), "uh", "gate",
                                           activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, depth), "vh", "value")
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m",
                                         "attention_output")
        self._output_dense.build((None, None, q_heads, depth))
        self._key_features = key_shape[-1]

    def _check_call(self, query, value, key, query_mask, value_mask, key_mask, attention_mask):
        self._check_shapes(query.shape, value.shape, key.shape)
        for name, x, want in (("query", query, self.feature_dim),
                              ("key", key, self._key_features)):
            if want is not None and x.shape[-1] is not None and x.shape[-1] != want:
                raise ValueError(
                    f"GroupedQueryAttention layer {self.name!r}: `{name}` must have {want} "
                    f"features in its last axis (the layer was built for that); received shape "
                    f"{tuple(x.shape)}."
                )
        for name, mask, x in (("query_mask", query_mask, query), ("value_mask", value_mask, value),
                              ("key_mask", key_mask, key)):
            masks.check_mask_shape(self, name, mask, tuple(x.shape)[:-1],
                                   f"the shape of `{name[:-5]}` without its last axis")
        if attention_mask is not None:
            full = (query.shape[0], query.shape[1], value.shape[1])
            rank = len(attention_mask.shape)
            masks.check_mask_shape(self, "attention_mask", attention_mask,
                                   full if rank > 3 else full[3 - rank:],
                                   "(batch, query positions, key positions)")

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        if not (self.dropout > 0 or return_attention_scores):
            if attention_mask is not None:
                for _ in range(4 - len(attention_mask.shape)):
                    attention_mask = ops.expand_dims(attention_mask, -3)
            out = ops.dot_product_attention(query, key, value, mask=attention_mask,
                                            scale=self._inverse_sqrt_head_dim,
                                            is_causal=use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = masks.causal_mask(ops.shape(query)[1], ops.shape(value)[1])
            attention_mask = causal if attention_mask is None else \
                ops.logical_and(attention_mask, causal)
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, query, key)
        if attention_mask is not None:
            for _ in range(len(scores.shape) - len(attention_mask.shape)):
                attention_mask = ops.expand_dims(attention_mask, -3)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"GroupedQueryAttention layer {self.name!r}: return_attention_scores=True is not "
                "supported with flash_attention=True."
            )
        key_given = key is not None
        if key is None:
            key = value
        if query_mask is None:
            query_mask = get_keras_mask(query)
        if value_mask is None:
            value_mask = get_keras_mask(value)
        if key_mask is None and key_given and key is not value:
            key_mask = get_keras_mask(key)
        self._check_call(query, value, key, query_mask, value_mask, key_mask, attention_mask)
        causal_only = (use_causal_mask and query_mask is None and value_mask is None and
                       key_mask is None and attention_mask is None and
                       self.sliding_window is None)
        mask = None if causal_only else masks.combine_masks(
            ops.shape(query)[1], ops.shape(value)[1], query_mask, value_mask, key_mask,
            attention_mask, use_causal_mask, self.sliding_window)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)
        k = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        v = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            q, k, v, mask, training, return_attention_scores,
            **({"use_causal_mask": True} if causal_only else {}))
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape  # self-attention
        return self._check_shapes(query_shape, value_shape, key_shape)[0]

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        shape = self.compute_output_shape(query.shape, value.shape,
                                          None if key is None else key.shape)
        out = KerasTensor(shape, dtype=self.compute_dtype)
        if return_attention_scores:
            kv_len = (value if key is None else key).shape[1]
            scores = (query.shape[0], self.num_query_heads, query.shape[1], kv_len)
            return out, KerasTensor(scores, dtype=self.compute_dtype)
        return out

    def get_config(self):
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }
