"""RandomRotation: rotates images by a random angle in training."""

import math

from lamina import ops, random
from lamina.layers.preprocessing.image_base import AffineImageLayer
from lamina.saving.object_registry import keras_export


def rotation_matrices(angles_deg, height, width):
    """Per-image ``affine_transform`` rows rotating about the image centre (angles in degrees)."""
    angle = ops.multiply(angles_deg, math.pi / 180.0)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    cos, sin = ops.cos(angle), ops.sin(angle)
    a0, a1 = cos, ops.negative(sin)
    a2 = cx - cx * a0 - cy * a1
    b0, b1 = sin, cos
    b2 = cy - cx * b0 - cy * b1
    zeros = ops.zeros_like(angle)
    return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


@keras_export("keras.layers")
class RandomRotation(AffineImageLayer):
    """Rotates each image by an angle drawn from ``factor * 360`` degrees (counter-clockwise > 0).

    Args:
        factor: a fraction of a full turn, or a ``(lower, upper)`` pair: 0.1 draws angles in
            ``[-36, 36]`` degrees.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an int seed.
        fill_value: the fill for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandomRotation(0.1, seed=0)(np.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 3)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self._set_fill(fill_mode, interpolation, fill_value)

    def call(self, inputs, training=True):
        if not training:
            return ops.cast(inputs, self.compute_dtype)
        height, width = self._height_width(inputs)
        angle = random.uniform((self._batch(inputs),), minval=self.factor[0] * 360.0,
                               maxval=self.factor[1] * 360.0, seed=self.generator)
        matrices = rotation_matrices(angle, float(height), float(width))
        return self._apply(inputs, matrices)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, **self._fill_config()}
