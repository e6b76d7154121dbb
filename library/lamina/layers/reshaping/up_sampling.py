"""UpSampling1D, UpSampling2D and UpSampling3D: repeat (or interpolate) rows."""

from lamina import ops
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping._pairs import spatial_axes
from lamina.saving.object_registry import keras_export

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")


def _scaled(input_shape, axes, size):
    out = list(input_shape)
    for axis, factor in zip(axes, size):
        if out[axis] is not None:
            out[axis] = out[axis] * factor
    return tuple(out)


@keras_export("keras.layers")
class UpSampling1D(Layer):
    """Repeats each step of ``(batch, steps, features)`` inputs ``size`` times.

    Args:
        size: the upsampling factor.

    Example:
        >>> lamina.layers.UpSampling1D(2)(np.ones((2, 3, 4), "float32")).shape
        (2, 6, 4)
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def call(self, inputs):
        return ops.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        return _scaled(input_shape, (1,), (self.size,))

    def get_config(self):
        return {**super().get_config(), "size": self.size}


@keras_export("keras.layers")
class UpSampling2D(Layer):
    """Upsamples images by ``size`` along height and width, repeating pixels
    (``"nearest"``) or interpolating (``"bilinear"``, ``"bicubic"``, ...).

    Args:
        size: int or ``(height_factor, width_factor)``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        interpolation: ``"nearest"``, ``"bilinear"``, ``"bicubic"``,
            ``"lanczos3"``, ``"lanczos5"`` or ``"area"``.

    Example:
        >>> lamina.layers.UpSampling2D((2, 3))(np.ones((1, 2, 2, 3), "float32")).shape
        (1, 4, 6, 3)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        if not isinstance(interpolation, str) or interpolation.lower() not in _INTERPOLATIONS:
            raise ValueError(
                f"`interpolation` must be one of {', '.join(repr(i) for i in _INTERPOLATIONS)}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation.lower()
        self.input_spec = InputSpec(ndim=4)
        self._axes = spatial_axes(2, self.data_format)
        self.built = True

    def call(self, inputs):
        if self.interpolation == "nearest":
            for axis, factor in zip(self._axes, self.size):
                if factor != 1:
                    inputs = ops.repeat(inputs, factor, axis=axis)
            return inputs
        shape = ops.shape(inputs)
        new_size = (shape[self._axes[0]] * self.size[0], shape[self._axes[1]] * self.size[1])
        outputs = ops.image.resize(inputs, new_size, interpolation=self.interpolation,
                                   data_format=self.data_format)
        if outputs.dtype != inputs.dtype:
            # The TensorFlow resize returns float32 for float16 images; Keras keeps the dtype.
            outputs = ops.cast(outputs, inputs.dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        return _scaled(input_shape, self._axes, self.size)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


@keras_export("keras.layers")
class UpSampling3D(Layer):
    """Repeats each voxel of volumes ``size`` times along each spatial axis.

    Args:
        size: int or ``(dim1_factor, dim2_factor, dim3_factor)``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.UpSampling3D(2)(np.ones((1, 2, 2, 2, 3), "float32")).shape
        (1, 4, 4, 4, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)
        self._axes = spatial_axes(3, self.data_format)
        self.built = True

    def call(self, inputs):
        for axis, factor in zip(self._axes, self.size):
            inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        return _scaled(input_shape, self._axes, self.size)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
