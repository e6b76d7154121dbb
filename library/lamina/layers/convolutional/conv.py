"""Conv1D, Conv2D and Conv3D (aliases Convolution1D, Convolution2D, Convolution3D)."""

from lamina.layers.convolutional.base_conv import BaseConv
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers", "Convolution1D")
class Conv1D(BaseConv):
    """1D convolution layer (temporal convolution).

    Inputs ``(batch, steps, channels)`` (or ``(batch, channels, steps)`` with
    ``channels_first``); kernel ``(*kernel_size, channels // groups, filters)``.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (left padding only, for
            temporal models).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 1 ints.
        groups: the number of channel groups.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConv`.
        **kwargs: ``lora_rank``, ``lora_alpha`` and the base Layer arguments.

    Example:
        >>> lamina.layers.Conv1D(4, 3)(np.ones((2, 8, 3), "float32")).shape
        (2, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


Convolution1D = Conv1D


@keras_export("keras.layers", "Convolution2D")
class Conv2D(BaseConv):
    """2D convolution layer (spatial convolution over images).

    Inputs ``(batch, rows, cols, channels)`` (or ``(batch, channels, rows, cols)`` with
    ``channels_first``); kernel ``(*kernel_size, channels // groups, filters)``.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 2 ints.
        groups: the number of channel groups.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConv`.
        **kwargs: ``lora_rank``, ``lora_alpha`` and the base Layer arguments.

    Example:
        >>> lamina.layers.Conv2D(4, 3)(np.ones((2, 8, 8, 3), "float32")).shape
        (2, 6, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


Convolution2D = Conv2D


@keras_export("keras.layers", "Convolution3D")
class Conv3D(BaseConv):
    """3D convolution layer (convolution over volumes).

    Inputs ``(batch, dim1, dim2, dim3, channels)`` (or ``(batch, channels, dim1, dim2, dim3)`` with
    ``channels_first``); kernel ``(*kernel_size, channels // groups, filters)``.

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of 3 ints.
        strides: int or tuple of 3 ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple of 3 ints.
        groups: the number of channel groups.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in :class:`BaseConv`.
        **kwargs: ``lora_rank``, ``lora_alpha`` and the base Layer arguments.

    Example:
        >>> lamina.layers.Conv3D(4, 3)(np.ones((2, 5, 5, 5, 3), "float32")).shape
        (2, 3, 3, 3, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


Convolution3D = Conv3D
