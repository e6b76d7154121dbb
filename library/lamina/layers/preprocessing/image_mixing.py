"""Augmentations that erase or mix regions: RandomErasing, MixUp and CutMix.

Example:
    >>> lamina.layers.MixUp(seed=0)(np.ones((4, 8, 8, 3))).shape
    (4, 8, 8, 3)
"""

from lamina import ops, random
from lamina.layers.preprocessing.image_color import ImageTransformLayer, check_value_range
from lamina.saving.object_registry import keras_export


class _BoxLayer(ImageTransformLayer):
    """Draws one random box per image (as Keras 3: corners from a size ratio and a uniform start)."""

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def _span(self, batch, length, ratio):
        size = ops.cast(ops.multiply(ratio, float(length)), self.compute_dtype)
        start = random.uniform((batch,), 0.0, 1.0, dtype=self.compute_dtype, seed=self.generator)
        start = ops.multiply(start, ops.subtract(float(length), size))
        return start, ops.add(start, size)

    def _box_mask(self, images, x0, x1, y0, y1):
        height, width = self._height_width(images)
        ys = ops.reshape(ops.arange(height, dtype=self.compute_dtype), (-1, 1))
        xs = ops.reshape(ops.arange(width, dtype=self.compute_dtype), (1, -1))

        def col(v):
            return ops.reshape(v, (-1, 1, 1))

        inside = ops.logical_and(
            ops.logical_and(ops.greater_equal(xs, col(x0)), ops.less(xs, col(x1))),
            ops.logical_and(ops.greater_equal(ys, col(y0)), ops.less(ys, col(y1))))
        return ops.expand_dims(inside, -1 if self.data_format == "channels_last" else 1)


@keras_export("keras.layers")
class RandomErasing(_BoxLayer):
    """Replaces a random box of each image, with a probability drawn from ``factor``, by
    ``fill_value`` (or by Gaussian noise times ``value_range[1]``), clipped to ``value_range``.

    Args:
        factor: the probability of erasing, in ``[0, 1]``, or a ``(lower, upper)`` pair.
        scale: the range of the box's area as a fraction of the image's (each side gets the square
            root of a draw from it).
        fill_value: ``None`` (noise), a number or a list of three numbers.
        value_range: the ``(min, max)`` of the images' values.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomErasing(fill_value=0.0, seed=0)(np.ones((2, 8, 8, 3))).shape
        (2, 8, 8, 3)
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(scale)
        self.scale = self.factor
        self._set_factor(factor)
        if not (fill_value is None or (isinstance(fill_value, (int, float)) and not isinstance(fill_value, bool))
                or (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)):
            raise ValueError("RandomErasing: `fill_value` should be None, a number or a list of three numbers. "
                             f"Received: fill_value={fill_value}")
        self.fill_value = fill_value
        check_value_range(self, value_range)
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        height, width = self._height_width(images)
        ratio = ops.sqrt(random.uniform((batch, 2), self.scale[0], self.scale[1], dtype=dtype, seed=self.generator))
        x0, x1 = self._span(batch, width, ratio[:, 0])
        y0, y1 = self._span(batch, height, ratio[:, 1])
        mask = self._box_mask(images, x0, x1, y0, y1)
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=self.generator)
        threshold = random.uniform((batch,), 0.0, 1.0, seed=self.generator)
        apply = ops.reshape(ops.less(threshold, probability), (-1, 1, 1, 1))
        shape = ops.shape(images)
        if self.fill_value is None:
            fill = ops.multiply(random.normal(shape, dtype=dtype, seed=self.generator), float(self.value_range[1]))
        else:
            fill = ops.broadcast_to(ops.convert_to_tensor(self.fill_value, dtype=dtype), shape)
        fill = ops.clip(fill, self.value_range[0], self.value_range[1])
        images = ops.cast(images, dtype)
        return ops.where(ops.logical_and(apply, mask), fill, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range, "seed": self.seed}


@keras_export("keras.layers")
class MixUp(ImageTransformLayer):
    """Blends each image with another image of the batch: ``w * x + (1 - w) * x[perm]``, with
    ``w ~ Beta(alpha, alpha)`` and ``perm`` a random permutation.

    Args:
        alpha: the Beta distribution's parameter.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.MixUp(alpha=0.4, seed=0)(np.ones((4, 8, 8, 3))).shape
        (4, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transform(self, images, batch):
        order = random.shuffle(ops.arange(0, batch, dtype="int32"), seed=self.generator)
        weight = random.beta((batch,), self.alpha, self.alpha, seed=self.generator)
        images = ops.cast(images, self.compute_dtype)
        weight = ops.cast(ops.reshape(weight, (-1, 1, 1, 1)), self.compute_dtype)
        others = ops.take(images, order, axis=0)
        return ops.add(ops.multiply(weight, images), ops.multiply(ops.subtract(1.0, weight), others))

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}


@keras_export("keras.layers")
class CutMix(_BoxLayer):
    """Pastes a random box of another image of the batch into each image; the box covers a
    fraction ``1 - w`` of the image, ``w ~ Beta(a, a)`` with ``a`` drawn from ``factor``.
    A single image (rank 3) passes through.

    Args:
        factor: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.CutMix(seed=0)(np.ones((4, 8, 8, 3))).shape
        (4, 8, 8, 3)
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        if len(ops.shape(inputs)) == 3:
            self._height_width(inputs)
            return ops.cast(inputs, self.compute_dtype)
        return super().call(inputs, training=training)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        height, width = self._height_width(images)
        a = ops.add(random.uniform((), self.factor[0], self.factor[1], dtype=dtype, seed=self.generator), 1e-6)
        weight = random.beta((batch,), a, a, dtype=dtype, seed=self.generator)
        ratio = ops.sqrt(ops.subtract(1.0, weight))
        x0, x1 = self._span(batch, width, ratio)
        y0, y1 = self._span(batch, height, ratio)
        mask = self._box_mask(images, x0, x1, y0, y1)
        order = random.shuffle(ops.arange(0, batch, dtype="int32"), seed=self.generator)
        images = ops.cast(images, dtype)
        return ops.where(mask, ops.take(images, order, axis=0), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
