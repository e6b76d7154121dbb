"""Tone augmentations: RandomInvert, RandomPosterization, Solarization, RandomSharpness,
AutoContrast and Equalization.

Example:
    >>> lamina.layers.RandomInvert(1.0, seed=0)(np.full((2, 4, 4, 3), 100.0)).shape
    (2, 4, 4, 3)
"""

from lamina import ops, random
from lamina.layers.preprocessing.image_color import ImageTransformLayer, check_value_range, rescale
from lamina.saving.object_registry import keras_export


class _ValueRangeLayer(ImageTransformLayer):
    """A random image layer with a ``factor`` (checked against ``_FACTOR_BOUNDS``), a ``value_range``
    and a seed."""

    _USE_BASE_FACTOR = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(self, value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


@keras_export("keras.layers")
class RandomInvert(_ValueRangeLayer):
    """Replaces each image ``x`` by ``max - x`` with a probability drawn from ``factor``.

    Args:
        factor: the probability of inverting, a number in ``[0, 1]`` or a ``(lower, upper)`` pair
            (a number ``p`` draws the probability from ``[0, p]``).
        value_range: the ``(min, max)`` of the images' values.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> out = lamina.layers.RandomInvert((1.0, 1.0))(np.full((1, 2, 2, 3), 55.0))
        >>> float(out[0, 0, 0, 0])
        200.0
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(factor, value_range=value_range, data_format=data_format, seed=seed, **kwargs)

    def _transform(self, images, batch):
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=self.generator)
        threshold = random.uniform((batch,), 0.0, 1.0, seed=self.generator)
        apply = ops.reshape(ops.less(threshold, probability), (-1, 1, 1, 1))
        images = ops.cast(images, self.compute_dtype)
        return ops.where(apply, ops.subtract(self.value_range[1], images), images)


@keras_export("keras.layers")
class RandomPosterization(_ValueRangeLayer):
    """Keeps only the ``b`` highest bits of each 8-bit colour value, ``b`` drawn from ``factor``.

    Args:
        factor: the number of bits kept, in ``[1, 8]``, or a ``(lower, upper)`` pair (a number ``n``
            draws from ``[1, n)``; a pair of equal numbers keeps exactly that many bits).
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> out = lamina.layers.RandomPosterization((1, 1))(np.full((1, 2, 2, 3), 200.0))
        >>> float(out[0, 0, 0, 0])
        128.0
    """

    _FACTOR_BOUNDS = (1, 8)

    def _transform(self, images, batch):
        if self.factor[0] != self.factor[1]:
            bits = random.randint((batch,), self.factor[0], self.factor[1], seed=self.generator, dtype="uint8")
        else:
            bits = ops.multiply(ops.ones((batch,), dtype="uint8"), self.factor[0])
        shift = ops.reshape(ops.subtract(ops.cast(8, "uint8"), ops.cast(bits, "uint8")), (-1, 1, 1, 1))
        images = ops.cast(rescale(images, self.value_range, (0, 255), self.compute_dtype), "uint8")
        images = ops.bitwise_left_shift(ops.bitwise_right_shift(images, shift), shift)
        return rescale(ops.cast(images, self.compute_dtype), (0, 255), self.value_range, self.compute_dtype)


@keras_export("keras.layers")
class Solarization(ImageTransformLayer):
    """Adds a random amount to each image (on a 0-255 scale), clips, then inverts the values at or
    above a random threshold.

    Args:
        addition_factor: in ``[0, 1]``, or a ``(lower, upper)`` pair: the addition is drawn from
            ``[lower, upper * 255]`` (a number ``a`` gives ``[0, a * 255]``).
        threshold_factor: likewise for the threshold.
        value_range: the ``(min, max)`` of the images' values.
        seed: an int seed.

    Example:
        >>> out = lamina.layers.Solarization()(np.full((1, 2, 2, 3), 55.0))
        >>> float(out[0, 0, 0, 0])  # threshold 0: every value is inverted
        200.0
    """

    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.addition_factor = self._unit_pair(addition_factor, "addition_factor")
        self.threshold_factor = self._unit_pair(threshold_factor, "threshold_factor")
        self.value_range = check_value_range(self, value_range)

    @staticmethod
    def _unit_pair(factor, name):
        message = (f"Solarization: `{name}` should be a number (or a list of two numbers) in the range [0, 1]. "
                   f"Received: {name}={factor}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or any(not 0 <= f <= 1 for f in factor):
                raise ValueError(message)
            return tuple(sorted(factor))
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(message)
        return (0, factor)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        additions = random.uniform((batch, 1, 1, 1), self.addition_factor[0], self.addition_factor[1] * 255,
                                   seed=self.generator, dtype=dtype)
        thresholds = random.uniform((batch, 1, 1, 1), self.threshold_factor[0], self.threshold_factor[1] * 255,
                                    seed=self.generator, dtype=dtype)
        images = rescale(ops.cast(images, dtype), self.value_range, (0, 255), dtype)
        out = ops.clip(ops.add(images, additions), 0, 255)
        out = ops.where(ops.less(out, thresholds), out, ops.subtract(255.0, out))
        return rescale(out, (0, 255), self.value_range, dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}


@keras_export("keras.layers")
class RandomSharpness(_ValueRangeLayer):
    """Blends each image with a smoothed copy: a drawn ``f`` gives
    ``x + (1 - 2f) * (smooth(x) - x)`` (``f`` = 0.5 keeps the image, 0 blurs, 1 sharpens).

    Args:
        factor: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomSharpness((0.5, 0.5))(np.ones((1, 4, 4, 3))).shape
        (1, 4, 4, 3)
    """

    _FACTOR_BOUNDS = (0, 1)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        images = ops.cast(images, dtype)
        first = self.data_format == "channels_first"
        if first:
            images = ops.swapaxes(images, -3, -1)
        f = random.uniform((batch,), self.factor[0], self.factor[1], seed=self.generator)
        f = ops.reshape(ops.cast(ops.multiply(f, 2.0), dtype), (-1, 1, 1, 1))
        channels = ops.shape(images)[-1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = ops.convert_to_tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=dtype)
        kernel = ops.tile(ops.reshape(kernel, (3, 3, 1, 1)), [1, 1, channels, 1])
        smooth = ops.cast(ops.depthwise_conv(images, kernel, strides=1, padding="same",
                                             data_format="channels_last"), dtype)
        out = ops.add(images, ops.multiply(ops.subtract(1.0, f), ops.subtract(smooth, images)))
        out = ops.clip(out, self.value_range[0], self.value_range[1])
        return ops.swapaxes(out, -3, -1) if first else out


@keras_export("keras.layers")
class AutoContrast(ImageTransformLayer):
    """Stretches each image and channel so that its values span ``value_range``; also at inference.

    Args:
        value_range: the ``(min, max)`` of the images' values.

    Example:
        >>> out = lamina.layers.AutoContrast()(np.array([[[[10.0], [20.0]]]]))
        >>> [float(v) for v in lamina.ops.convert_to_numpy(out).reshape(-1)]
        [0.0, 255.0]
    """

    _USE_BASE_FACTOR = False
    _ALWAYS = True

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = check_value_range(self, value_range)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        original = images
        x = ops.cast(rescale(images, self.value_range, (0, 255), dtype), dtype)
        # As Keras 3, over axes 1 and 2 whatever the data format.
        low = ops.min(x, axis=(1, 2), keepdims=True)
        high = ops.max(x, axis=(1, 2), keepdims=True)
        flat = ops.equal(high, low)  # a constant channel is kept as it is (Keras: via NaNs)
        scale = ops.divide(255.0, ops.where(flat, 1.0, ops.subtract(high, low)))
        out = ops.clip(ops.subtract(ops.multiply(x, scale), ops.multiply(low, scale)), 0.0, 255.0)
        out = rescale(out, (0, 255), self.value_range, dtype)
        return ops.where(ops.logical_or(flat, ops.isnan(out)), ops.cast(original, dtype), out)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}


@keras_export("keras.layers")
class Equalization(ImageTransformLayer):
    """Histogram equalization of each channel (the histogram is taken over the whole batch, as in
    Keras 3), in training.

    Args:
        value_range: the ``(min, max)`` of the images' values.
        bins: the number of histogram bins.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.Equalization()(np.arange(48.0).reshape(1, 4, 4, 3)).shape
        (1, 4, 4, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise ValueError(f"Equalization: `bins` should be a positive int. Received: bins={bins}")
        self.bins = bins
        self.value_range = check_value_range(self, value_range)

    def _equalize(self, channel):
        channel = rescale(channel, self.value_range, (0, 255), self.compute_dtype)
        index = ops.cast(ops.multiply(ops.cast(channel, "float32"), (self.bins - 1) / 255.0), "int32")
        index = ops.reshape(ops.clip(index, 0, self.bins - 1), (-1,))
        # segment_sum with a static segment count also traces under jit (bincount's length may not)
        hist = ops.cast(ops.segment_sum(ops.ones_like(index), index, num_segments=self.bins), "int32")
        cdf = ops.cumsum(hist)
        cdf_min = ops.take(cdf, ops.argmax(ops.greater(cdf, 0)))
        denominator = ops.subtract(cdf[-1], cdf_min)
        denominator = ops.where(ops.equal(denominator, 0), ops.ones_like(denominator), denominator)
        table = ops.clip(ops.round(ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255), denominator)), 0, 255)
        lookup = ops.cast(ops.clip(ops.multiply(ops.divide(channel, 255.0), self.bins - 1), 0, self.bins - 1),
                          "int32")
        equalized = ops.cast(ops.take(table, lookup), channel.dtype)
        out = ops.where(ops.less_equal(ops.count_nonzero(hist), 1), channel, equalized)
        return rescale(out, (0, 255), self.value_range, self.compute_dtype)

    def _transform(self, images, batch):
        images = ops.cast(images, self.compute_dtype)
        axis = self._channel_axis()
        count = ops.shape(images)[axis]
        out = [self._equalize(ops.take(images, i, axis=axis)) for i in range(count)]
        return ops.cast(ops.stack(out, axis=axis), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}


def _gaussian_kernel_1d(size, sigma, dtype):
    x = ops.subtract(ops.arange(size, dtype=dtype), (size - 1) / 2.0)
    k = ops.exp(ops.multiply(-0.5, ops.square(ops.divide(x, sigma))))
    return ops.divide(k, ops.sum(k))


@keras_export("keras.layers")
class RandomGaussianBlur(_ValueRangeLayer):
    """Blurs each image, with a probability drawn from ``factor``, by a Gaussian whose ``sigma``
    is drawn (once per call, for height and width) from ``sigma``.

    Args:
        factor: the probability of blurring, in ``[0, 1]``, or a ``(lower, upper)`` pair.
        kernel_size: an odd int, or a ``(width, height)`` pair of odd ints.
        sigma: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomGaussianBlur((1, 1), seed=0)(np.ones((1, 5, 5, 3))).shape
        (1, 5, 5, 3)
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(factor, value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        sizes = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
        if len(sizes) != 2 or any(isinstance(k, bool) or not isinstance(k, int) or k < 1 or k % 2 == 0
                                  for k in sizes):
            raise ValueError("RandomGaussianBlur: `kernel_size` should be an odd int or a list of two odd ints. "
                             f"Received: kernel_size={kernel_size}")
        self.kernel_size = sizes
        factor = self.factor
        self._set_factor(sigma)
        self.sigma, self.factor = self.factor, factor

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=self.generator)
        threshold = random.uniform((batch,), 0.0, 1.0, seed=self.generator)
        apply = ops.reshape(ops.less(threshold, probability), (-1, 1, 1, 1))
        sigma = ops.add(random.uniform((2,), self.sigma[0], self.sigma[1], seed=self.generator, dtype=dtype), 1e-6)
        images = ops.cast(images, dtype)
        first = self.data_format == "channels_first"
        x = ops.transpose(images, (0, 2, 3, 1)) if first else images
        kx = _gaussian_kernel_1d(self.kernel_size[0], sigma[0], dtype)
        ky = _gaussian_kernel_1d(self.kernel_size[1], sigma[1], dtype)
        kernel = ops.multiply(ops.reshape(ky, (-1, 1)), ops.reshape(kx, (1, -1)))
        channels = ops.shape(x)[-1]
        kernel = ops.tile(ops.reshape(kernel, (self.kernel_size[1], self.kernel_size[0], 1, 1)), [1, 1, channels, 1])
        blurred = ops.depthwise_conv(x, kernel, strides=1, padding="same", data_format="channels_last")
        if first:
            blurred = ops.transpose(blurred, (0, 3, 1, 2))
        out = ops.where(apply, ops.cast(blurred, dtype), images)
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "kernel_size": self.kernel_size, "sigma": self.sigma}
