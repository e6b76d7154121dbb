"""RandomFlip: flips images left-right and/or up-down at random in training."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import BaseImagePreprocessingLayer
from lamina.saving.object_registry import keras_export

_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


@keras_export("keras.layers")
class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 (one draw per image, both axes flip together).

    Args:
        mode: ``"horizontal"``, ``"vertical"`` or ``"horizontal_and_vertical"``.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomFlip("horizontal", seed=1)(np.ones((2, 4, 4, 3))).shape
        (2, 4, 4, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in _MODES:
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode argument {mode!r}. "
                             f"Expected one of {_MODES}.")
        self.mode, self.seed = mode, seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        images = ops.cast(inputs, self.compute_dtype)
        if not training:
            return images
        rank = len(ops.shape(images))
        self._height_width(images)
        shape = (1, 1, 1) if rank == 3 else (ops.shape(images)[0], 1, 1, 1)
        flips = ops.less_equal(random.uniform(shape, seed=self.generator), 0.5)
        x = ops.expand_dims(images, 0) if rank == 3 else images
        h_axis, w_axis = self._hw_axes()
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            x = ops.where(flips, ops.flip(x, axis=w_axis), x)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            x = ops.where(flips, ops.flip(x, axis=h_axis), x)
        return ops.squeeze(x, 0) if rank == 3 else x

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "seed": self.seed}
