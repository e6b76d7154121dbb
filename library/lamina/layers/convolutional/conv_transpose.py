"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose (aliases
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose)."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.backend.common import conv_utils as cu
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import (channel_dim, check_rank, standardize_padding,
                                                   standardize_tuple)
from lamina.layers.convolutional.base_conv import bias_shape
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


class BaseConvTranspose(Layer):
    """Abstract N-D transposed convolution ("deconvolution") layer.

    The kernel has shape ``kernel_size + (filters, in_channels)``.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: int or tuple of ``rank`` ints.
        strides: int or tuple of ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None (inferred) or int/tuple of extra output size per
            spatial dimension, each smaller than its stride.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of ``rank`` ints.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in the Conv layers.

    Example:
        >>> layer = lamina.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
        >>> layer(np.ones((1, 4, 4, 3), "float32")).shape
        (1, 8, 8, 4)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.output_padding = None if output_padding is None else standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        if filters is not None and (isinstance(filters, bool) or not isinstance(filters, int)
                                    or filters <= 0):
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )
        if self.output_padding is not None:
            for i, (p, s) in enumerate(zip(self.output_padding, self.strides)):
                if p >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {p} but `strides` "
                        f"is {s}. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}"
                    )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank)
        input_channel = channel_dim(self, input_shape)
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: input_channel})
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (self.filters, input_channel),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._bias_shape = bias_shape(self.rank, self.filters, self.data_format)
        self._apply_activation = self.activation is not activations.linear

    def call(self, inputs):
        outputs = ops.conv_transpose(inputs, self.kernel, strides=self.strides,
                                     padding=self.padding, output_padding=self.output_padding,
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
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.rank)
        if self.data_format == "channels_last":
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        out_pad = self.output_padding or (None,) * self.rank
        out = tuple(
            cu.transpose_output_size(size, k, s, self.padding, p, d)
            for size, k, s, p, d in zip(spatial, self.kernel_size, self.strides, out_pad,
                                        self.dilation_rate))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


@keras_export("keras.layers", "Convolution1DTranspose")
class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution layer.

    Kernel ``(*kernel_size, filters, channels)``; with ``padding="same"`` and
    no ``output_padding`` each spatial size is multiplied by its stride.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None or int/tuple of 1 ints, each smaller than its stride.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 1 ints.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConvTranspose`.

    Example:
        >>> layer = lamina.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
        >>> layer(np.ones((2, 4, 3), "float32")).shape
        (2, 8, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


Convolution1DTranspose = Conv1DTranspose


@keras_export("keras.layers", "Convolution2DTranspose")
class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution layer.

    Kernel ``(*kernel_size, filters, channels)``; with ``padding="same"`` and
    no ``output_padding`` each spatial size is multiplied by its stride.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None or int/tuple of 2 ints, each smaller than its stride.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 2 ints.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConvTranspose`.

    Example:
        >>> layer = lamina.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
        >>> layer(np.ones((2, 4, 4, 3), "float32")).shape
        (2, 8, 8, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


Convolution2DTranspose = Conv2DTranspose


@keras_export("keras.layers", "Convolution3DTranspose")
class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer.

    Kernel ``(*kernel_size, filters, channels)``; with ``padding="same"`` and
    no ``output_padding`` each spatial size is multiplied by its stride.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 3 ints.
        strides: int or tuple of 3 ints.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None or int/tuple of 3 ints, each smaller than its stride.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 3 ints.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConvTranspose`.

    Example:
        >>> layer = lamina.layers.Conv3DTranspose(4, 3, strides=2, padding="same")
        >>> layer(np.ones((2, 2, 2, 2, 3), "float32")).shape
        (2, 4, 4, 4, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


Convolution3DTranspose = Conv3DTranspose
