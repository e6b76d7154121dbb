"""DepthwiseConv1D and DepthwiseConv2D: one set of filters per input channel."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import (channel_dim, check_rank, standardize_padding,
                                                   standardize_tuple)
from lamina.layers.convolutional.base_conv import bias_shape, conv_output_shape
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _check_common(layer):
    if layer.depth_multiplier is not None and (
            isinstance(layer.depth_multiplier, bool) or not isinstance(layer.depth_multiplier, int)
            or layer.depth_multiplier <= 0):
        raise ValueError(
            "Invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
            f"Received depth_multiplier={layer.depth_multiplier}."
        )


class BaseDepthwiseConv(Layer):
    """Abstract depthwise convolution: each input channel is convolved with its
    own ``depth_multiplier`` filters.

    The kernel has shape ``kernel_size + (in_channels, depth_multiplier)``;
    output channel ``c * depth_multiplier + m`` comes from input channel ``c``.

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: the number of filters per input channel.
        kernel_size: int or tuple of ``rank`` ints.
        strides: int or tuple of ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of ``rank`` ints.
        activation: an activation function or name (default: none).
        use_bias: whether to add a bias of ``in_channels * depth_multiplier``.
        depthwise_initializer, bias_initializer: initializers of the weights.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties.
        depthwise_constraint, bias_constraint: projections applied after updates.

    Example:
        >>> layer = lamina.layers.DepthwiseConv2D(3, depth_multiplier=2)
        >>> layer(np.ones((1, 8, 8, 3), "float32")).shape
        (1, 6, 6, 6)
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        _check_common(self)

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank)
        input_channel = channel_dim(self, input_shape)
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: input_channel})
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (input_channel, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias",
                                        shape=(self.depth_multiplier * input_channel,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._bias_shape = bias_shape(self.rank, self.depth_multiplier * input_channel,
                                      self.data_format)
        self._apply_activation = self.activation is not activations.linear

    def call(self, inputs):
        outputs = ops.depthwise_conv(inputs, self.kernel, strides=self.strides,
                                     padding=self.padding, dilation_rate=self.dilation_rate,
                                     data_format=self.data_format)
        if self.bias is not None:
            bias = self.bias if len(self._bias_shape) == 1 else ops.reshape(self.bias,
                                                                            self._bias_shape)
            outputs = ops.add(outputs, bias)
        if self._apply_activation:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.rank)
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        filters = None if channels is None else channels * self.depth_multiplier
        return conv_output_shape(self, input_shape, filters)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


@keras_export("keras.layers")
class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: each input channel convolved with its own
    ``depth_multiplier`` filters (kernel ``(k, channels, depth_multiplier)``).

    Args:
        kernel_size: int or tuple of 1 int.
        strides: int or tuple of 1 int.
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier: filters per input channel.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 1 int.
        activation, use_bias, depthwise_initializer, bias_initializer,
        depthwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, bias_constraint: as in :class:`BaseDepthwiseConv`.

    Example:
        >>> lamina.layers.DepthwiseConv1D(3)(np.ones((2, 8, 4), "float32")).shape
        (2, 6, 4)
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, depth_multiplier=depth_multiplier, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)


@keras_export("keras.layers")
class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: each input channel convolved with its own
    ``depth_multiplier`` filters (kernel ``(kh, kw, channels, depth_multiplier)``).

    Args:
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints.
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier: filters per input channel.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 2 ints.
        activation, use_bias, depthwise_initializer, bias_initializer,
        depthwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, bias_constraint: as in :class:`BaseDepthwiseConv`.

    Example:
        >>> lamina.layers.DepthwiseConv2D(3)(np.ones((2, 8, 8, 4), "float32")).shape
        (2, 6, 6, 4)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, depth_multiplier=depth_multiplier, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)
