"""RandomZoom: zooms images in or out by a random factor in training."""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import AffineImageLayer, check_factor_pair
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class RandomZoom(AffineImageLayer):
    """Zooms each image about its centre: a negative factor zooms in, a positive one out.

    Args:
        height_factor: a fraction in ``(-1, 1]`` or a ``(lower, upper)`` pair: the vertical
            scale is drawn from ``1 + [lower, upper]``.
        width_factor: the same for width; ``None`` keeps the aspect ratio (same draw).
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an int seed.
        fill_value: the fill for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomZoom(0.2, seed=0)(np.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear",
                 seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = check_factor_pair(self, height_factor, "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = check_factor_pair(self, width_factor, "width_factor")
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self._set_fill(fill_mode, interpolation, fill_value)

    def call(self, inputs, training=True):
        if not training:
            return ops.cast(inputs, self.compute_dtype)
        height, width = self._height_width(inputs)
        shape = (self._batch(inputs), 1)
        h_zoom = random.uniform(shape, minval=1.0 + self.height_lower, maxval=1.0 + self.height_upper,
                                seed=self.generator)
        w_zoom = h_zoom if self.width_factor is None else random.uniform(
            shape, minval=1.0 + self.width_lower, maxval=1.0 + self.width_upper, seed=self.generator)
        w_zoom, h_zoom = ops.cast(w_zoom, "float32"), ops.cast(h_zoom, "float32")
        zeros = ops.zeros_like(w_zoom)
        x_offset = ((width - 1.0) / 2.0) * (1.0 - w_zoom)
        y_offset = ((height - 1.0) / 2.0) * (1.0 - h_zoom)
        matrices = ops.concatenate([w_zoom, zeros, x_offset, zeros, h_zoom, y_offset, zeros, zeros], axis=1)
        return self._apply(inputs, matrices)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, **self._fill_config()}
