"""GroupNormalization: normalizes groups of channels per sample."""

from lamina import constraints, initializers, ops, regularizers
from lamina.backend.common import dtypes
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.normalization._axes import check_axes
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class GroupNormalization(Layer):
    """Splits the channels into ``groups`` and normalizes each group of each
    sample (over the group's channels and all other non-batch axes).

    ``groups=1`` is layer normalization over all features; ``groups=-1`` (one
    channel per group) is instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels.
        axis: the channel axis.
        epsilon: added to the variance.
        center: whether to add the learned offset ``beta``.
        scale: whether to multiply by the learned ``gamma``.
        beta_initializer, gamma_initializer: initializers of the weights.
        beta_regularizer, gamma_regularizer: weight penalties.
        beta_constraint, gamma_constraint: projections applied after updates.

    Example:
        >>> layer = lamina.layers.GroupNormalization(groups=2)
        >>> layer(np.random.normal(size=(1, 5, 4))).shape
        (1, 5, 4)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer (or "
                f"`-1` for instance normalization). Received: groups={groups}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.name)
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: axis {self.axis} of the input should "
                f"have a defined dimension, received input shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: number of groups ({self.groups}) cannot "
                f"be more than the number of channels ({dim}) of input shape "
                f"{tuple(input_shape)}."
            )
        if dim % self.groups != 0:
            raise ValueError(
                f"GroupNormalization layer {self.name!r}: number of groups ({self.groups}) must "
                f"divide the number of channels ({dim}) of input shape {tuple(input_shape)}."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight(shape=(dim,), name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        self.beta = None
        if self.center:
            self.beta = self.add_weight(shape=(dim,), name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)
        rank = len(input_shape)
        axis = self.axis % rank
        # Inputs are reshaped to (..., groups, channels // groups, ...) at `axis`.
        self._group_axis = axis
        self._reduction_axes = [a for a in range(1, rank + 1) if a != axis]
        broadcast = [1] * rank
        broadcast[axis] = dim // self.groups
        broadcast.insert(axis, self.groups)
        self._broadcast_shape = tuple(broadcast)

    def call(self, inputs):
        shape = ops.shape(inputs)
        group_shape = [-1] + list(shape[1:])
        group_shape[self._group_axis] = shape[self._group_axis] // self.groups
        group_shape.insert(self._group_axis, self.groups)
        x = ops.reshape(inputs, group_shape)
        in_dtype = x.dtype
        x = ops.cast(x, dtypes.result_type(in_dtype, "float32"))
        mean, variance = ops.moments(x, axes=self._reduction_axes, keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        if self.scale:
            inv = inv * ops.cast(ops.reshape(self.gamma, self._broadcast_shape), x.dtype)
        res = -mean * inv
        if self.center:
            res = res + ops.cast(ops.reshape(self.beta, self._broadcast_shape), x.dtype)
        out = ops.cast(x * inv + res, in_dtype)
        return ops.cast(ops.reshape(out, shape), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return check_axes(self.axis, input_shape, self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
