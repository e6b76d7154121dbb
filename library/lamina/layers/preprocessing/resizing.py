"""Resizing and Rescaling: fixed-size images and linearly rescaled values."""

import numpy as np

from lamina import ops
from lamina.backend.config import image_data_format
from lamina.backend.common import dtypes
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to ``(height, width)`` with ``ops.image.resize``.

    Integer images stay integer (rounded and clipped to the dtype's range), as in Keras.

    Args:
        height: the output height.
        width: the output width.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"lanczos3"``,
            ``"lanczos5"`` or ``"area"``.
        crop_to_aspect_ratio: crop the centre to the target's aspect ratio first.
        pad_to_aspect_ratio: pad to the target's aspect ratio first.
        fill_mode: how padding is filled (``"constant"``).
        fill_value: the padding value.
        antialias: antialias when downsampling.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.Resizing(8, 8)(np.ones((1, 4, 6, 3))).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio, self.pad_to_aspect_ratio = crop_to_aspect_ratio, pad_to_aspect_ratio
        self.fill_mode, self.fill_value = fill_mode, fill_value
        self.antialias = bool(antialias)

    def call(self, inputs):
        self._height_width(inputs)
        out = ops.image.resize(inputs, (self.height, self.width), interpolation=self.interpolation,
                               antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                               pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                               fill_value=self.fill_value, data_format=self.data_format)
        in_dtype = dtypes.standardize_dtype(inputs.dtype)
        if dtypes.standardize_dtype(out.dtype) == in_dtype:
            return out
        if dtypes.is_int_dtype(in_dtype):
            return ops.saturate_cast(ops.round(out), in_dtype)
        return ops.cast(out, in_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_axis, w_axis = self._hw_axes()
        shape[h_axis], shape[w_axis] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}


@keras_export("keras.layers")
class Rescaling(Layer):
    """``inputs * scale + offset``, in the layer's float dtype.

    A per-channel ``scale`` (a list) lines up with the channels axis, also under
    ``image_data_format() == "channels_first"``.

    Args:
        scale: a number or per-channel numbers (``1 / 255`` maps bytes to ``[0, 1]``).
        offset: added after scaling.

    Example:
        >>> lamina.layers.Rescaling(1 / 255)(np.array([[0, 255]], "uint8"))
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.cast(self.scale, dtype)
        offset = ops.cast(self.offset, dtype)
        scale_shape = tuple(ops.shape(scale))
        if len(scale_shape) > 0 and image_data_format() == "channels_first":
            scale = ops.reshape(scale, scale_shape + (1,) * (3 - len(scale_shape)))
        return ops.add(ops.multiply(ops.cast(inputs, dtype), scale), offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs, *args, **kwargs):
        from lamina.backend.common.keras_tensor import KerasTensor

        return KerasTensor(inputs.shape, dtype=self.compute_dtype)

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if isinstance(v, (list, tuple, np.ndarray)) else v

        return {**super().get_config(), "scale": plain(self.scale), "offset": plain(self.offset)}
