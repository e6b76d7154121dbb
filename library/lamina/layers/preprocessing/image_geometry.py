"""Geometric augmentations: RandomShear and RandomPerspective.

Example:
    >>> lamina.layers.RandomShear(x_factor=0.2, seed=0)(np.ones((2, 8, 8, 3))).shape
    (2, 8, 8, 3)
"""

from lamina import ops, random
from lamina.layers.preprocessing.image_base import AffineImageLayer
from lamina.layers.preprocessing.image_color import ImageTransformLayer
from lamina.saving.object_registry import keras_export


def _unit_pair(layer, factor, name):
    message = (f"{type(layer).__name__}: `{name}` should be a number (or a list of two numbers) in the range "
               f"[0, 1.0]. Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or any(not 0 <= f <= 1 for f in factor):
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
        raise ValueError(message)
    return (-abs(factor), abs(factor))


@keras_export("keras.layers")
class RandomShear(AffineImageLayer, ImageTransformLayer):
    """Shears each image along x and y by random amounts (with a random common sign).

    Args:
        x_factor: the horizontal shear, a number in ``[0, 1]`` (draws from ``[-x, x]``) or a pair.
        y_factor: likewise, vertical.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        fill_value: the fill for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed.

    Example:
        >>> lamina.layers.RandomShear(0.3, 0.3, seed=0)(np.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.x_factor = _unit_pair(self, x_factor, "x_factor")
        self.y_factor = _unit_pair(self, y_factor, "y_factor")
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self._set_fill(fill_mode, interpolation, fill_value)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        sign = random.uniform((batch, 1), 0.0, 1.0, seed=self.generator, dtype=dtype)
        sign = ops.where(ops.greater(sign, 0.5), -1.0, 1.0)
        shear_y = random.uniform((batch, 1), self.y_factor[0], self.y_factor[1], seed=self.generator, dtype=dtype)
        shear_x = random.uniform((batch, 1), self.x_factor[0], self.x_factor[1], seed=self.generator, dtype=dtype)
        shear = ops.multiply(ops.concatenate([shear_x, shear_y], axis=1), ops.cast(sign, dtype))
        ones, zeros = ops.ones((batch,), dtype=dtype), ops.zeros((batch,), dtype=dtype)
        matrices = ops.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], axis=1)
        return self._apply(images, matrices)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor,
                **self._fill_config()}


@keras_export("keras.layers")
class RandomPerspective(ImageTransformLayer):
    """Moves each image's four corners by random fractions (up to ``scale / 2`` of their
    coordinates) and warps the image accordingly, with a probability drawn from ``factor``.

    Args:
        factor: the probability of warping, in ``[0, 1]``, or a ``(lower, upper)`` pair.
        scale: the strength of the warp, in ``[0, 1]``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_value: the value outside the warped image.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomPerspective(seed=0)(np.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(f"RandomPerspective: `scale` should be a number in the range [0, 1]. Received: scale={scale}")
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"RandomPerspective: unknown `interpolation` {interpolation!r}. Expected one "
                                      "of ('nearest', 'bilinear').")
        self.scale, self.interpolation, self.fill_value = scale, interpolation, fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        height, width = self._height_width(images)
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=self.generator)
        threshold = random.uniform((batch,), 0.0, 1.0, seed=self.generator)
        apply = ops.reshape(ops.less(threshold, probability), (-1, 1, 1, 1))
        moves = random.uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale, seed=self.generator, dtype=dtype)
        corners = [[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0], [width - 1.0, height - 1.0]]
        start = ops.repeat(ops.convert_to_tensor([corners], dtype=dtype), batch, axis=0)
        end = ops.add(start, ops.multiply(start, moves))
        images = ops.cast(images, dtype)
        warped = ops.image.perspective_transform(images, start, end, interpolation=self.interpolation,
                                                 fill_value=self.fill_value, data_format=self.data_format)
        return ops.where(apply, ops.cast(warped, dtype), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value, "seed": self.seed}
