"""Colour augmentations: RandomGrayscale, RandomHue, RandomSaturation, RandomColorDegeneration
and RandomColorJitter.

Each draws its random numbers from its ``SeedGenerator`` in the order Keras 3 does, works on one
image (rank 3) or a batch (rank 4) and passes images through at inference.

Example:
    >>> lamina.layers.RandomHue(0.2, seed=0)(np.full((2, 4, 4, 3), 100.0)).shape
    (2, 4, 4, 3)
"""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.layers.preprocessing.random_brightness import RandomBrightness
from lamina.layers.preprocessing.random_contrast import RandomContrast
from lamina.saving.object_registry import keras_export


def check_value_range(layer, value_range):
    """``value_range`` as a sorted ``[min, max]`` list, or a ValueError naming ``layer``."""
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(f"{type(layer).__name__}: the `value_range` argument should be a list of two numbers. "
                         f"Received: value_range={value_range}")
    return sorted(value_range)


def rescale(images, source, target, dtype="float32"):
    """Maps values linearly from the ``source`` range to the ``target`` range."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    images = ops.cast(images, dtype)
    images = ops.divide(ops.subtract(images, float(source[0])), float(source[1] - source[0]))
    return ops.add(ops.multiply(images, float(target[1] - target[0])), float(target[0]))


class ImageTransformLayer(BaseImagePreprocessingLayer):
    """Runs ``_transform(batch_of_images, batch_size)`` in training, on a batch of one for rank 3.

    Subclasses set ``_ALWAYS`` to apply also at inference (AutoContrast).
    """

    _ALWAYS = False

    def call(self, inputs, training=True):
        images = ops.convert_to_tensor(inputs)
        self._height_width(images)
        if not (training or self._ALWAYS):
            return images
        single = len(ops.shape(images)) == 3
        if single:
            images = ops.expand_dims(images, 0)
        out = self._transform(images, ops.shape(images)[0])
        return ops.squeeze(out, 0) if single else out

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else -3

    def _split_channels(self, images):
        axis = self._channel_axis()
        return [ops.take(images, i, axis=axis) for i in range(3)], axis


@keras_export("keras.layers")
class RandomGrayscale(ImageTransformLayer):
    """Turns each image to grayscale (kept with its channels) with probability ``factor``.

    Args:
        factor: the probability, in ``[0, 1]``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomGrayscale(1.0)(np.ones((1, 4, 4, 3))).shape
        (1, 4, 4, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(f"RandomGrayscale: `factor` should be a number between 0 and 1. Received: factor={factor}")
        self.factor = factor
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transform(self, images, batch):
        apply = ops.less(random.uniform((batch,), 0.0, 1.0, seed=self.generator), self.factor)
        apply = ops.reshape(apply, (-1, 1, 1, 1))
        images = ops.cast(images, self.compute_dtype)
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        return ops.where(apply, gray, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}


def _replace_hsv_channel(layer, images, index, fn):
    hsv = ops.image.rgb_to_hsv(images, data_format=layer.data_format)
    channels, axis = layer._split_channels(hsv)
    channels[index] = fn(channels[index])
    return ops.image.hsv_to_rgb(ops.stack(channels, axis=axis), data_format=layer.data_format)


@keras_export("keras.layers")
class RandomHue(ImageTransformLayer):
    """Shifts the hue of each image by a random amount (a factor of 1 can shift by half a turn).

    Args:
        factor: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomHue(0.5, seed=0)(np.ones((1, 4, 4, 3)) * 50).shape
        (1, 4, 4, 3)
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _draw(self, batch, generator):
        sign = ops.where(ops.greater(random.uniform((batch,), seed=generator), 0.5), -1.0, 1.0)
        amount = random.uniform((batch,), self.factor[0], self.factor[1], seed=generator)
        return ops.multiply(ops.multiply(sign, amount), 0.5)

    def _transform(self, images, batch, generator=None):
        shift = self._draw(batch, self.generator if generator is None else generator)
        images = rescale(ops.cast(images, self.compute_dtype), self.value_range, (0, 1))
        shift = ops.reshape(ops.cast(shift, images.dtype), (-1, 1, 1))

        def turn(hue):
            hue = ops.add(hue, shift)
            hue = ops.where(ops.greater(hue, 1.0), ops.subtract(hue, 1.0), hue)
            return ops.where(ops.less(hue, 0.0), ops.add(hue, 1.0), hue)

        images = ops.clip(_replace_hsv_channel(self, images, 0, turn), 0, 1)
        return ops.cast(rescale(images, (0, 1), self.value_range), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


@keras_export("keras.layers")
class RandomSaturation(ImageTransformLayer):
    """Scales the saturation of each image: factor 0.5 keeps it, 0 removes it, 1 saturates fully.

    A drawn ``f`` multiplies the saturation by ``f / (1 - f)`` (as in Keras, a number ``f``
    draws from ``[-f, f]``, and the result is clipped to ``value_range``).

    Args:
        factor: a number in ``[-1, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomSaturation((0.5, 0.5))(np.ones((1, 4, 4, 3))).shape
        (1, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _draw(self, batch, generator):
        f = random.uniform((batch,), self.factor[0], self.factor[1], seed=generator)
        return ops.divide(f, ops.add(ops.subtract(1.0, f), 1e-7))

    def _transform(self, images, batch, generator=None):
        scale = self._draw(batch, self.generator if generator is None else generator)
        images = ops.cast(images, self.compute_dtype)
        scale = ops.reshape(ops.cast(scale, self.compute_dtype), (-1, 1, 1))
        return _replace_hsv_channel(
            self, images, 1,
            lambda s: ops.clip(ops.multiply(s, scale), self.value_range[0], self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


@keras_export("keras.layers")
class RandomColorDegeneration(ImageTransformLayer):
    """Blends each image towards its grayscale version by a random amount ``f``:
    ``x + f * (gray - x)``, clipped to ``value_range``.

    Args:
        factor: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomColorDegeneration((1, 1))(np.ones((1, 4, 4, 3))).shape
        (1, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transform(self, images, batch):
        f = random.uniform((batch, 1, 1, 1), self.factor[0], self.factor[1], seed=self.generator)
        images = ops.cast(images, self.compute_dtype)
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        out = ops.add(images, ops.multiply(ops.cast(f, self.compute_dtype), ops.subtract(gray, images)))
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape):
        if len(input_shape) not in (3, 4):
            raise ValueError("RandomColorDegeneration expected images of rank 3 or 4. "
                             f"Received: input_shape={input_shape}")
        channels = input_shape[self._channel_axis()]
        if channels is not None and channels != 3:
            raise ValueError(f"RandomColorDegeneration expected images with 3 channels. Received: {channels}")
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


@keras_export("keras.layers")
class RandomColorJitter(ImageTransformLayer):
    """Random brightness, contrast, saturation and hue, in that order (each only when its factor
    is given), all drawn from this layer's seed generator.

    Args:
        value_range: the ``(min, max)`` of the images' values.
        brightness_factor: as RandomBrightness's ``factor``.
        contrast_factor: as RandomContrast's ``factor``.
        saturation_factor: as RandomSaturation's ``factor``.
        hue_factor: as RandomHue's ``factor``.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> jitter = lamina.layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=0)
        >>> jitter(np.ones((2, 4, 4, 3)) * 100).shape
        (2, 4, 4, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        common = dict(value_range=value_range, seed=seed, data_format=self.data_format)
        self._brightness = None if brightness_factor is None else RandomBrightness(brightness_factor, **common)
        self._contrast = None if contrast_factor is None else RandomContrast(contrast_factor, **common)
        self._saturation = None if saturation_factor is None else RandomSaturation(saturation_factor, **common)
        self._hue = None if hue_factor is None else RandomHue(hue_factor, **common)

    def _transform(self, images, batch):
        images = ops.cast(images, self.compute_dtype)
        if self._brightness is not None:
            delta = random.uniform((batch, 1, 1, 1), self._brightness.factor[0], self._brightness.factor[1],
                                   seed=self.generator)
            low, high = sorted(self.value_range)
            images = ops.clip(ops.add(images, ops.cast(ops.multiply(delta, high - low), images.dtype)), low, high)
        if self._contrast is not None:
            f = random.uniform((batch, 1, 1, 1), 1.0 - self._contrast.factor[0], 1.0 + self._contrast.factor[1],
                               seed=self.generator, dtype=self.compute_dtype)
            h_axis, w_axis = self._hw_axes()
            mean = ops.mean(ops.mean(images, axis=h_axis, keepdims=True), axis=w_axis, keepdims=True)
            images = ops.add(ops.multiply(ops.subtract(images, mean), f), mean)
            images = ops.clip(images, self.value_range[0], self.value_range[1])
        if self._saturation is not None:
            images = self._saturation._transform(images, batch, self.generator)
        if self._hue is not None:
            images = self._hue._transform(images, batch, self.generator)
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor, "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor, "seed": self.seed}
