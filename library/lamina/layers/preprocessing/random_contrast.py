"""RandomContrast: scales each image's deviation from its mean by a random factor in training."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class RandomContrast(BaseImagePreprocessingLayer):
    """``(x - mean) * f + mean`` per image and channel, ``f`` drawn from ``[1 - lower, 1 + upper]``,
    then clipped to ``value_range``.

    Args:
        factor: a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomContrast(0.5, seed=0)(np.ones((1, 4, 4, 3)) * 100).shape
        (1, 4, 4, 3)
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        images = ops.cast(inputs, self.compute_dtype)
        self._height_width(images)
        if not training:
            return images
        rank = len(ops.shape(images))
        shape = (1, 1, 1) if rank == 3 else (ops.shape(images)[0], 1, 1, 1)
        factor = random.uniform(shape, minval=1.0 - self.factor[0], maxval=1.0 + self.factor[1],
                                seed=self.generator, dtype=self.compute_dtype)
        h_axis, w_axis = self._hw_axes()
        mean = ops.mean(ops.mean(images, axis=h_axis, keepdims=True), axis=w_axis, keepdims=True)
        out = ops.add(ops.multiply(ops.subtract(images, mean), factor), mean)
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
