"""CenterCrop and RandomCrop: cut images to a fixed height and width."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.saving.object_registry import keras_export


def _slice(images, top, left, height, width, data_format):
    if data_format == "channels_last":
        return images[..., top:top + height, left:left + width, :]
    return images[..., top:top + height, left:left + width]


class _CropBase(BaseImagePreprocessingLayer):
    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        for name, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{type(self).__name__}: `{name}` must be a positive integer. "
                                 f"Received: {name}={value!r}")
        self.height, self.width = height, width

    def _resize_to_aspect(self, images):
        """Crops the centre to the target aspect ratio, then resizes (Keras's smart_resize)."""
        out = ops.image.resize(images, (self.height, self.width), interpolation="bilinear",
                               crop_to_aspect_ratio=True, data_format=self.data_format)
        return ops.cast(out, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_axis, w_axis = self._hw_axes()
        shape[h_axis], shape[w_axis] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}


@keras_export("keras.layers")
class CenterCrop(_CropBase):
    """Crops the central ``height x width`` window; smaller images are cropped to the target's
    aspect ratio and resized up instead.

    Args:
        height: the output height.
        width: the output width.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.CenterCrop(2, 2)(np.ones((1, 4, 5, 3))).shape
        (1, 2, 2, 3)
    """

    def call(self, inputs):
        images = ops.cast(inputs, self.compute_dtype)
        height, width = self._height_width(images)
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            return _slice(images, top, left, self.height, self.width, self.data_format)
        return self._resize_to_aspect(images)


@keras_export("keras.layers")
class RandomCrop(_CropBase):
    """Crops a random ``height x width`` window in training (one window per batch).

    As in Keras 3, the layer passes images through unchanged at inference
    (``training=False``); inputs smaller than the target are centre-cropped to its aspect
    ratio and resized in training.

    Args:
        height: the output height.
        width: the output width.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomCrop(2, 3, seed=0)(np.ones((1, 4, 5, 3))).shape
        (1, 2, 3, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(height, width, data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        images = ops.cast(inputs, self.compute_dtype)
        height, width = self._height_width(images)
        if height is None or width is None:
            raise ValueError(f"RandomCrop requires the input to have a fully defined height and width. "
                             f"Received: images.shape={ops.shape(images)}")
        if not training:
            return images
        if height > self.height and width > self.width:
            top = ops.cast(random.uniform((), 0, float(height - self.height + 1), seed=self.generator), "int32")
            left = ops.cast(random.uniform((), 0, float(width - self.width + 1), seed=self.generator), "int32")
            start = [0] * len(ops.shape(images))
            size = list(ops.shape(images))
            h_axis, w_axis = (len(size) + a for a in self._hw_axes())
            start[h_axis], start[w_axis] = top, left
            size[h_axis], size[w_axis] = self.height, self.width
            return ops.slice(images, start, size)
        # Keras's rule for inputs not larger than the target: start at the aspect-ratio box's
        # corner, keep what is left of the image, and resize that to the target.
        crop_h = max(min(height, int(float(width * self.height) / self.width)), 1)
        crop_w = max(min(width, int(float(height * self.width) / self.height)), 1)
        top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
        images = _slice(images, top, left, self.height, self.width, self.data_format)
        if tuple(self._height_width(images)) == (self.height, self.width):
            return images
        out = ops.image.resize(images, (self.height, self.width), data_format=self.data_format)
        return ops.cast(out, self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}
