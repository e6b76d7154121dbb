"""GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D (aliases
GlobalMaxPool1D..., GlobalAvgPool1D...): reduce every spatial axis."""

from lamina import ops
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import check_rank
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


class BaseGlobalPooling(Layer):
    """Abstract global pooling over all ``pool_dimensions`` spatial axes.

    Args:
        pool_dimensions: the number of spatial dimensions (1, 2 or 3).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
        >>> lamina.layers.GlobalMaxPooling2D()(np.ones((2, 4, 4, 3), "float32")).shape
        (2, 3)
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.pool_dimensions = pool_dimensions
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + pool_dimensions))
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.pool_dimensions)
        n = self.pool_dimensions
        if self.data_format == "channels_last":
            if self.keepdims:
                return (input_shape[0],) + (1,) * n + (input_shape[-1],)
            return (input_shape[0], input_shape[-1])
        if self.keepdims:
            return (input_shape[0], input_shape[1]) + (1,) * n
        return (input_shape[0], input_shape[1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class _GlobalMax(BaseGlobalPooling):
    def call(self, inputs):
        return ops.max(inputs, axis=self._axes, keepdims=self.keepdims)


class _GlobalAverage(BaseGlobalPooling):
    def call(self, inputs):
        return ops.mean(inputs, axis=self._axes, keepdims=self.keepdims)


@keras_export("keras.layers", "GlobalMaxPool1D")
class GlobalMaxPooling1D(_GlobalMax):
    """The maximum over the steps axis of ``(batch, steps, features)`` inputs.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the steps axis with size 1.

    Example:
        >>> lamina.layers.GlobalMaxPooling1D()(np.ones((2, 5, 3), "float32")).shape
        (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)


@keras_export("keras.layers", "GlobalMaxPool2D")
class GlobalMaxPooling2D(_GlobalMax):
    """The maximum over the two spatial axes of images.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
        >>> lamina.layers.GlobalMaxPooling2D()(np.ones((2, 4, 4, 3), "float32")).shape
        (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)


@keras_export("keras.layers", "GlobalMaxPool3D")
class GlobalMaxPooling3D(_GlobalMax):
    """The maximum over the three spatial axes of volumes.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
        >>> lamina.layers.GlobalMaxPooling3D()(np.ones((2, 3, 3, 3, 4), "float32")).shape
        (2, 4)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)


@keras_export("keras.layers", "GlobalAvgPool1D")
class GlobalAveragePooling1D(_GlobalAverage):
    """The mean over the steps axis; with a ``(batch, steps)`` mask, the mean
    of the unmasked steps only. The output carries no mask.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the steps axis with size 1.

    Example:
        >>> x = np.ones((2, 4, 3), "float32")
        >>> lamina.layers.GlobalAveragePooling1D()(x, mask=np.array([[1, 1, 0, 0]] * 2)).shape
        (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True
        self._mask_axis = 2 if self.data_format == "channels_last" else 1

    def call(self, inputs, mask=None):
        axis = self._axes[0]
        if mask is None:
            return ops.mean(inputs, axis=axis, keepdims=self.keepdims)
        mask = ops.cast(ops.expand_dims(mask, self._mask_axis), "bool")
        inputs = ops.where(mask, inputs, ops.zeros((), dtype=inputs.dtype))
        weights = ops.cast(mask, inputs.dtype)
        return ops.divide(ops.sum(inputs, axis=axis, keepdims=self.keepdims),
                          ops.sum(weights, axis=axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, previous_mask=None):
        return None


@keras_export("keras.layers", "GlobalAvgPool2D")
class GlobalAveragePooling2D(_GlobalAverage):
    """The mean over the two spatial axes of images.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
        >>> lamina.layers.GlobalAveragePooling2D()(np.ones((2, 4, 4, 3), "float32")).shape
        (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)


@keras_export("keras.layers", "GlobalAvgPool3D")
class GlobalAveragePooling3D(_GlobalAverage):
    """The mean over the three spatial axes of volumes.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Example:
        >>> lamina.layers.GlobalAveragePooling3D()(np.ones((2, 3, 3, 3, 4), "float32")).shape
        (2, 4)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)


GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
