"""SeparableConv1D and SeparableConv2D (aliases SeparableConvolution1D/2D): a
depthwise convolution followed by a pointwise (1x1) convolution."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import (channel_dim, check_rank, standardize_padding,
                                                   standardize_tuple)
from lamina.layers.convolutional.base_conv import bias_shape, conv_output_shape
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


class BaseSeparableConv(Layer):
    """Abstract separable convolution: depthwise, then pointwise.

    Weights: ``depthwise_kernel`` ``kernel_size + (in_channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(1,) * rank + (in_channels * depth_multiplier, filters)``
    and ``bias`` ``(filters,)``.

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: depthwise filters per input channel.
        filters: the number of output channels.
        kernel_size: int or tuple of ``rank`` ints (the depthwise window).
        strides: int or tuple of ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of ``rank`` ints.
        activation: an activation function or name (default: none).
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
        activity_regularizer: penalties.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections.

    Example:
        >>> layer = lamina.layers.SeparableConv2D(8, 3)
        >>> layer(np.ones((1, 8, 8, 3), "float32")).shape
        (1, 6, 6, 8)
    """

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        if depth_multiplier is not None and (isinstance(depth_multiplier, bool) or not isinstance(
                depth_multiplier, int) or depth_multiplier <= 0):
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly positive "
                f"value. Received depth_multiplier={depth_multiplier}."
            )
        if filters is not None and (isinstance(filters, bool) or not isinstance(filters, int)
                                    or filters <= 0):
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank)
        input_channel = channel_dim(self, input_shape)
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: input_channel})
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (input_channel, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (self.depth_multiplier * input_channel, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._bias_shape = bias_shape(self.rank, self.filters, self.data_format)
        self._apply_activation = self.activation is not activations.linear

    def call(self, inputs):
        outputs = ops.separable_conv(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                     strides=self.strides, padding=self.padding,
                                     dilation_rate=self.dilation_rate,
                                     data_format=self.data_format)
        if self.bias is not None:
            bias = self.bias if len(self._bias_shape) == 1 else ops.reshape(self.bias,
                                                                            self._bias_shape)
            outputs = ops.add(outputs, bias)
        if self._apply_activation:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return conv_output_shape(self, input_shape, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


@keras_export("keras.layers", "SeparableConvolution1D")
class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution: a depthwise convolution (kernel
    ``(*kernel_size, channels, depth_multiplier)``) followed by a pointwise one
    (kernel ``(1, channels * depth_multiplier, filters)``).

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 1 ints.
        depth_multiplier: depthwise filters per input channel.
        activation, use_bias, depthwise_initializer, pointwise_initializer,
        bias_initializer, depthwise_regularizer, pointwise_regularizer,
        bias_regularizer, activity_regularizer, depthwise_constraint,
        pointwise_constraint, bias_constraint: as in :class:`BaseSeparableConv`.

    Example:
        >>> lamina.layers.SeparableConv1D(4, 3)(np.ones((2, 8, 3), "float32")).shape
        (2, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, depth_multiplier=depth_multiplier, filters=filters, kernel_size=kernel_size,
            strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint, **kwargs)


SeparableConvolution1D = SeparableConv1D


@keras_export("keras.layers", "SeparableConvolution2D")
class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution: a depthwise convolution (kernel
    ``(*kernel_size, channels, depth_multiplier)``) followed by a pointwise one
    (kernel ``(1, 1, channels * depth_multiplier, filters)``).

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 2 ints.
        depth_multiplier: depthwise filters per input channel.
        activation, use_bias, depthwise_initializer, pointwise_initializer,
        bias_initializer, depthwise_regularizer, pointwise_regularizer,
        bias_regularizer, activity_regularizer, depthwise_constraint,
        pointwise_constraint, bias_constraint: as in :class:`BaseSeparableConv`.

    Example:
        >>> lamina.layers.SeparableConv2D(4, 3)(np.ones((2, 8, 8, 3), "float32")).shape
        (2, 6, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, depth_multiplier=depth_multiplier, filters=filters, kernel_size=kernel_size,
            strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint, **kwargs)


SeparableConvolution2D = SeparableConv2D
