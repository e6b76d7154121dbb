"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D (aliases MaxPool1D...,
AvgPool1D...)."""

from lamina.layers.pooling.base_pooling import BasePooling
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers", "MaxPool1D")
class MaxPooling1D(BasePooling):
    """Max pooling for 1D temporal data.

    Args:
        pool_size: int or tuple of 1 ints, the window size.
        strides: int or tuple of 1 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded values never win).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.MaxPooling1D()(np.ones((2, 8, 3), "float32")).shape
        (2, 4, 3)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)


MaxPool1D = MaxPooling1D


@keras_export("keras.layers", "MaxPool2D")
class MaxPooling2D(BasePooling):
    """Max pooling for 2D spatial data (images).

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int or tuple of 2 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded values never win).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.MaxPooling2D()(np.ones((2, 8, 8, 3), "float32")).shape
        (2, 4, 4, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)


MaxPool2D = MaxPooling2D


@keras_export("keras.layers", "MaxPool3D")
class MaxPooling3D(BasePooling):
    """Max pooling for 3D volumetric data.

    Args:
        pool_size: int or tuple of 3 ints, the window size.
        strides: int or tuple of 3 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded values never win).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.MaxPooling3D()(np.ones((2, 4, 4, 4, 3), "float32")).shape
        (2, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)


MaxPool3D = MaxPooling3D


@keras_export("keras.layers", "AvgPool1D")
class AveragePooling1D(BasePooling):
    """Average pooling for 1D temporal data.

    Args:
        pool_size: int or tuple of 1 ints, the window size.
        strides: int or tuple of 1 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded positions are left out of each average).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AveragePooling1D(2)(np.ones((2, 8, 3), "float32")).shape
        (2, 4, 3)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)


AvgPool1D = AveragePooling1D


@keras_export("keras.layers", "AvgPool2D")
class AveragePooling2D(BasePooling):
    """Average pooling for 2D spatial data (images).

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int or tuple of 2 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded positions are left out of each average).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AveragePooling2D((2, 2))(np.ones((2, 8, 8, 3), "float32")).shape
        (2, 4, 4, 3)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)


AvgPool2D = AveragePooling2D


@keras_export("keras.layers", "AvgPool3D")
class AveragePooling3D(BasePooling):
    """Average pooling for 3D volumetric data.

    Args:
        pool_size: int or tuple of 3 ints, the window size.
        strides: int or tuple of 3 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded positions are left out of each average).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AveragePooling3D((2, 2, 2))(np.ones((2, 4, 4, 4, 3), "float32")).shape
        (2, 2, 2, 2, 3)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)


AvgPool3D = AveragePooling3D
