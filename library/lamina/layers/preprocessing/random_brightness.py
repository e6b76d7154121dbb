"""RandomBrightness: adds a random offset to each image in training."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds ``delta * (max - min)`` to each image, ``delta`` drawn from ``factor``, then clips
    to ``value_range``.

    Args:
        factor: a number in ``[-1, 1]`` (symmetric range) or a ``(lower, upper)`` pair.
        value_range: the ``(min, max)`` of the images' values.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomBrightness(0.2, seed=0)(np.full((1, 4, 4, 3), 100.0)).shape
        (1, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("RandomBrightness: the `value_range` argument should be a list of two numbers. "
                             f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        images = ops.cast(inputs, self.compute_dtype)
        self._height_width(images)
        if not training:
            return images
        rank = len(ops.shape(images))
        shape = (1, 1, 1) if rank == 3 else (ops.shape(images)[0], 1, 1, 1)
        delta = random.uniform(shape, minval=self.factor[0], maxval=self.factor[1], seed=self.generator)
        delta = ops.cast(ops.multiply(delta, self.value_range[1] - self.value_range[0]), images.dtype)
        return ops.clip(ops.add(images, delta), self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
