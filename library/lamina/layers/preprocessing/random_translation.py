"""RandomTranslation: shifts images by a random fraction of their size in training."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import AffineImageLayer, check_factor_pair
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class RandomTranslation(AffineImageLayer):
    """Shifts each image by ``height_factor * height`` rows and ``width_factor * width`` columns.

    Args:
        height_factor: a fraction in ``[-1, 1]`` or a ``(lower, upper)`` pair (positive: down).
        width_factor: the same for columns (positive: right).
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an int seed.
        fill_value: the fill for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomTranslation(0.1, 0.1, seed=0)(np.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = check_factor_pair(self, height_factor, "height_factor",
                                                                 low_open=False)
        self.width_lower, self.width_upper = check_factor_pair(self, width_factor, "width_factor",
                                                               low_open=False)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self._set_fill(fill_mode, interpolation, fill_value)

    def call(self, inputs, training=True):
        if not training:
            return ops.cast(inputs, self.compute_dtype)
        height, width = self._height_width(inputs)
        shape = (self._batch(inputs), 1)
        dy = ops.multiply(random.uniform(shape, minval=self.height_lower, maxval=self.height_upper,
                                         seed=self.generator), height)
        dx = ops.multiply(random.uniform(shape, minval=self.width_lower, maxval=self.width_upper,
                                         seed=self.generator), width)
        dx, dy = ops.cast(dx, "float32"), ops.cast(dy, "float32")
        ones, zeros = ops.ones_like(dx), ops.zeros_like(dx)
        matrices = ops.concatenate([ones, zeros, ops.negative(dx), zeros, ones, ops.negative(dy), zeros, zeros],
                                   axis=1)
        return self._apply(inputs, matrices)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, **self._fill_config()}
