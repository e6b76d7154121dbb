"""MultiHeadAttention: the attention layer of "Attention Is All You Need"."""

import math
import string

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

_LETTERS = string.ascii_lowercase


def projection_equation(free_dims, bound_dims, output_dims):
    """The EinsumDense equation, bias axes and output rank of a projection that
    keeps ``free_dims`` axes, contracts ``bound_dims`` and adds ``output_dims``.

    Example:
        >>> projection_equation(2, 1, 2)
        ('abc,cde->abde', 'de', 4)
    """
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims:free_dims + bound_dims]
    new = _LETTERS[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def attention_equations(rank, attention_axes):
    """The einsum equations ``key, query -> scores`` and ``scores, value -> output``
    for projected tensors of ``rank`` (``(batch, ..., heads, depth)``), attending
    over ``attention_axes``; and the rank of the scores.

    Example:
        >>> attention_equations(4, (1,))
        ('aecd,abcd->acbe', 'acbe,aecd->abcd', 4)
    """
    target = _LETTERS[:rank]
    batch_axes = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    source, extra = "", rank
    for i in range(rank):
        if i in batch_axes or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[extra]
            extra += 1
    product = "".join([target[i] for i in batch_axes] + [target[i] for i in attention_axes] +
                      [source[i] for i in attention_axes])
    return (f"{source},{target}->{product}", f"{product},{source}->{target}", len(product))


def _positive_int(layer_name, value, name, optional=False):
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"MultiHeadAttention layer {layer_name!r}: `{name}` must be a positive integer"
            f"{' or None' if optional else ''}; received {name}={value!r}."
        )


@keras_export("keras.layers")
class MultiHeadAttention(ShapesDictBuildMixin, Layer):
    """Multi-head attention: ``num_heads`` scaled dot-product attentions over
    learned projections of the query, key and value, concatenated and projected.

    With ``query`` ``(B, T, dim)`` and ``value`` ``(B, S, dim_v)``, each head
    computes ``softmax(Q K^T / sqrt(key_dim)) V``; the output has shape
    ``(B, T, dim)`` (or ``(B, T, *output_shape)``). The weights are EinsumDense
    sub-layers named ``query``, ``key``, ``value`` and ``attention_output``, laid
    out as in Keras 3.

    Args:
        num_heads: number of heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default ``key_dim``).
        dropout: dropout rate on the attention weights (training only).
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (default: the query's last dim).
        attention_axes: the axes attention runs over (default: all axes between
            the batch and the features).
        flash_attention: accepted for Keras compatibility; lamina has no fused
            kernel, so the result is the same either way.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections after updates.
        use_gate: multiply the heads by a sigmoid gate computed from the query.
        sliding_window: if set, query ``i`` only attends to keys with
            ``|i - j| < sliding_window``.
        seed: an int seed for the dropout.

    Call arguments:
        query: ``(B, T, dim)``.
        value: ``(B, S, dim_v)``.
        key: optional ``(B, S, dim_k)`` (default: ``value``).
        query_mask, value_mask, key_mask: optional booleans ``(B, T)``/``(B, S)``;
            default: the Keras masks attached to the inputs (e.g. by
            ``Embedding(mask_zero=True)``).
        attention_mask: optional boolean ``(B, T, S)``; False hides a key from a query.
        return_attention_scores: also return the ``(B, heads, T, S)`` weights.
        training: apply dropout.
        use_causal_mask: query ``i`` only attends to keys ``j <= i``.

    Example:
        >>> layer = lamina.layers.MultiHeadAttention(num_heads=2, key_dim=8)
        >>> x = np.ones((4, 10, 16), "float32")
        >>> out, scores = layer(x, x, return_attention_scores=True)
        >>> out.shape, scores.shape
        ((4, 10, 16), (4, 2, 10, 10))
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        name = kwargs.get("name")
        _positive_int(name, num_heads, "num_heads")
        _positive_int(name, key_dim, "key_dim")
        _positive_int(name, value_dim, "value_dim", optional=True)
        _positive_int(name, sliding_window, "sliding_window", optional=True)
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim or key_dim
        if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: `dropout` must be a number in [0, 1); "
                f"received dropout={dropout!r}."
            )
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            elif isinstance(output_shape, (list, tuple)):
                output_shape = tuple(output_shape)
            else:
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r}: `output_shape` must be an int, a "
                    f"list or a tuple; received output_shape={output_shape!r}."
                )
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: `attention_axes` must be an int, a "
                f"list or a tuple; received attention_axes={attention_axes!r}."
            )
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention
        if flash_attention and dropout > 0:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: dropout is not supported with "
                "flash_attention=True; set dropout to 0.0."
            )
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # -- calling: value and key always travel as positional arguments ----------------------
    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r} needs a `value` tensor: call it as "
                "layer(query, value) (for self-attention, layer(x, x))."
            )
        args = (query, value) if key is None else (query, value, key)
        return super().__call__(*args, **kwargs)

    # -- building -----------------------------------------------------------------------
    def _sublayer_kwargs(self):
        def fresh(initializer):
            return type(initializer).from_config(initializer.get_config())

        return dict(kernel_initializer=fresh(self._kernel_initializer),
                    bias_initializer=fresh(self._bias_initializer),
                    kernel_regularizer=self._kernel_regularizer,
                    bias_regularizer=self._bias_regularizer,
                    activity_regularizer=self._activity_regularizer,
                    kernel_constraint=self._kernel_constraint,
                    bias_constraint=self._bias_constraint, dtype=self.dtype_policy)

    def _projection(self, rank, last_dims, name, activation=None):
        equation, bias_axes, out_rank = projection_equation(rank - 1, 1, 2)
        return EinsumDense(equation, output_shape=[None] * (out_rank - 1 - 2) + list(last_dims),
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           activation=activation, **self._sublayer_kwargs())

    def _check_shapes(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) < 3:
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r}: `{name}` must have rank >= 3 "
                    f"(batch, ..., features); received shape {shape}."
                )
        if len(value_shape) != len(query_shape) or len(key_shape) != len(query_shape):
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: `query`, `value` and `key` must have "
                f"the same rank; received query {query_shape}, value {value_shape}, key "
                f"{key_shape}."
            )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: all dimensions of `value` and `key` "
                f"except the last must be equal; received value shape {value_shape} and key "
                f"shape {key_shape}."
            )
        return query_shape, value_shape, key_shape

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape_given = key_shape
        query_shape, value_shape, key_shape = self._check_shapes(query_shape, value_shape,
                                                                 key_shape)
        self._record_shapes(query_shape, value_shape, key_shape_given)
        rank = len(query_shape)
        heads = self._num_heads
        self._query_dense = self._projection(rank, (heads, self._key_dim), "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(rank, (heads, self._key_dim), "key")
        self._key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(rank, (heads, self._value_dim), "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection(rank, (heads, self._value_dim), "value")
        self._value_dense.build(value_shape)
        self._build_attention(rank + 1)
        out_dims = self._output_shape or (query_shape[-1],)
        equation, bias_axes, out_rank = projection_equation(rank - 1, 2, len(out_dims))
        self._output_dense = EinsumDense(
            equation, output_shape=[None] * (out_rank - 1 - len(out_dims)) + list(out_dims),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._sublayer_kwargs())
        self._output_dense.build((*query_shape[:-1], heads, self._value_dim))
        self._query_features = query_shape[-1]
        self._value_features = value_shape[-1]
        self._key_features = key_shape[-1]

    def _build_attention(self, rank):
        if self._attention_axes is None:
            axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)
            if any(not 1 <= a < rank - 2 for a in axes) or len(set(axes)) != len(axes):
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r}: `attention_axes` must be distinct "
                    f"axes between the batch and the feature axis of the rank-{rank - 1} "
                    f"inputs; received attention_axes={self._attention_axes}."
                )
        self._attn_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = \
            attention_equations(rank, axes)
        norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    # -- computing -------------------------------------------------------------------------
    def _scores_shape(self, query_shape, value_shape):
        """The shape of the attention scores, and of a full attention mask."""
        rank = len(query_shape) + 1
        q = tuple(query_shape[:-1]) + (self._num_heads, None)
        batch = [q[i] for i in range(rank) if i not in self._attn_axes and i != rank - 1]
        scores = tuple(batch + [query_shape[i] for i in self._attn_axes] +
                       [value_shape[i] for i in self._attn_axes])
        heads_at = len(batch) - 1
        return scores, scores[:heads_at] + scores[heads_at + 1:]

    def _check_call(self, query, value, key, query_mask, value_mask, key_mask, attention_mask):
        for name, x, want in (("query", query, self._query_features),
                              ("value", value, self._value_features),
                              ("key", key, self._key_features)):
            got = x.shape[-1]
            if want is not None and got is not None and got != want:
                raise ValueError(
                    f"MultiHeadAttention layer {self.name!r}: `{name}` must have {want} "
                    f"features in its last axis (the layer was built for that); received shape "
                    f"{tuple(x.shape)}."
                )
        self._check_shapes(query.shape, value.shape, key.shape)
        for name, mask, x in (("query_mask", query_mask, query), ("value_mask", value_mask, value),
                              ("key_mask", key_mask, key)):
            masks.check_mask_shape(self, name, mask, tuple(x.shape)[:-1],
                                   f"the shape of `{name[:-5]}` without its last axis")
        if attention_mask is not None:
            full = self._scores_shape(query.shape, value.shape)[1]
            shape = tuple(attention_mask.shape)
            if len(shape) > len(full):
                masks.check_mask_shape(self, "attention_mask", attention_mask, full,
                                       "(batch, query positions, key positions)")
            masks.check_mask_shape(self, "attention_mask", attention_mask,
                                   full[len(full) - len(shape):],
                                   "(batch, query positions, key positions)")

    def _masked_softmax(self, scores, attention_mask=None):
        if attention_mask is not None:
            axis = -len(self._attn_axes) * 2 - 1
            for _ in range(len(scores.shape) - len(attention_mask.shape)):
                attention_mask = ops.expand_dims(attention_mask, axis=axis)
        return self._softmax(scores, mask=attention_mask)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attention over the projected ``(B, T, heads, depth)`` tensors; returns
        ``(output, scores)`` (scores None when they were not computed)."""
        fused = not (self._dropout > 0 or return_attention_scores or len(query.shape) != 4)
        if fused:
            if attention_mask is not None:
                for _ in range(4 - len(attention_mask.shape)):
                    attention_mask = ops.expand_dims(attention_mask, -3)
            out = ops.dot_product_attention(query, key, value, mask=attention_mask,
                                            scale=self._inverse_sqrt_key_dim,
                                            is_causal=use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = masks.causal_mask(ops.shape(query)[1], ops.shape(value)[1])
            attention_mask = causal if attention_mask is None else \
                ops.logical_and(attention_mask, causal)
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"MultiHeadAttention layer {self.name!r}: return_attention_scores=True is not "
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
                       self._sliding_window is None)
        if causal_only:
            mask = None
        else:
            mask = masks.combine_masks(ops.shape(query)[1], ops.shape(value)[1], query_mask,
                                       value_mask, key_mask, attention_mask, use_causal_mask,
                                       self._sliding_window)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        output, scores = self._compute_attention(
            q, k, v, mask, training, return_attention_scores,
            **({"use_causal_mask": True} if causal_only else {}))
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    # -- shapes and config ----------------------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape  # self-attention
        query_shape, _, _ = self._check_shapes(query_shape, value_shape, key_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        shape = self.compute_output_shape(query.shape, value.shape,
                                          None if key is None else key.shape)
        out = KerasTensor(shape, dtype=self.compute_dtype)
        if return_attention_scores:
            if not hasattr(self, "_attn_axes"):
                self._build_attention(len(query.shape) + 1)
            scores = self._scores_shape(query.shape, value.shape)[0]
            return out, KerasTensor(scores, dtype=self.compute_dtype)
        return out

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }
