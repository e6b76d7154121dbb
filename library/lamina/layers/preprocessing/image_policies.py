"""Augmentation policies built from the other image layers: RandAugment and AugMix.

Their sub-layers draw from their own seed generators (seeded from ``seed``), so with a seed the
results are reproducible in lamina but are not Keras's numbers (Keras draws every sub-layer's
parameters from the policy's generator).

Example:
    >>> lamina.layers.RandAugment(seed=0)(np.full((2, 8, 8, 3), 100.0)).shape
    (2, 8, 8, 3)
"""

import random as py_random

from lamina import ops, random
from lamina.layers.preprocessing.image_color import ImageTransformLayer, RandomColorDegeneration
from lamina.layers.preprocessing.image_geometry import RandomShear
from lamina.layers.preprocessing.image_tone import (
    AutoContrast, Equalization, RandomPosterization, RandomSharpness, Solarization)
from lamina.layers.preprocessing.random_brightness import RandomBrightness
from lamina.layers.preprocessing.random_contrast import RandomContrast
from lamina.layers.preprocessing.random_rotation import RandomRotation
from lamina.layers.preprocessing.random_translation import RandomTranslation
from lamina.saving.object_registry import keras_export

_GEOMETRIC_AND_TONE = ("random_shear", "random_translation", "random_rotation", "random_posterization",
                       "solarization", "auto_contrast", "equalization")
_COLOR = ("random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness")


def _make_ops(layer, names, value_range, interpolation, seed):
    """The named sub-layers with Keras 3's strengths for ``layer.factor``."""
    f, fmt = layer.factor, layer.data_format
    makers = {
        "random_shear": lambda s: RandomShear(f, f, interpolation=interpolation, seed=s, data_format=fmt),
        "random_translation": lambda s: RandomTranslation(f, f, interpolation=interpolation, seed=s,
                                                          data_format=fmt),
        "random_rotation": lambda s: RandomRotation(f, interpolation=interpolation, seed=s, data_format=fmt),
        "random_brightness": lambda s: RandomBrightness(f, value_range=value_range, seed=s, data_format=fmt),
        "random_color_degeneration": lambda s: RandomColorDegeneration(f, value_range=value_range, seed=s,
                                                                       data_format=fmt),
        "random_contrast": lambda s: RandomContrast(f, value_range=value_range, seed=s, data_format=fmt),
        "random_sharpness": lambda s: RandomSharpness(f, value_range=value_range, seed=s, data_format=fmt),
        "solarization": lambda s: Solarization(f, f, value_range=value_range, seed=s, data_format=fmt),
        "random_posterization": lambda s: RandomPosterization(max(1, int(8 * f[1])), value_range=value_range,
                                                              seed=s, data_format=fmt),
        "auto_contrast": lambda s: AutoContrast(value_range=value_range, data_format=fmt),
        "equalization": lambda s: Equalization(value_range=value_range, data_format=fmt),
    }
    return [makers[name](None if seed is None else seed + 1 + i) for i, name in enumerate(names)]


def _check_count(layer, value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{type(layer).__name__}: `{name}` should be a positive int. Received: {name}={value}")


@keras_export("keras.layers")
class RandAugment(ImageTransformLayer):
    """Applies ``num_ops`` augmentations, each chosen at random (one choice per batch) among
    shear, translation, rotation, brightness, colour degeneration, contrast, sharpness,
    posterization, solarization, auto-contrast and equalization, all of strength ``factor``.

    Args:
        value_range: the ``(min, max)`` of the images' values.
        num_ops: how many augmentations are applied.
        factor: the strength, a number in ``[0, 1]`` or a ``(lower, upper)`` pair.
        interpolation: ``"bilinear"`` or ``"nearest"``, for the geometric augmentations.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.RandAugment(num_ops=1, seed=0)(np.full((1, 8, 8, 3), 50.0)).shape
        (1, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _NAMES = ("random_shear", "random_translation", "random_rotation", "random_brightness",
              "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
              "solarization", "auto_contrast", "equalization")

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        _check_count(self, num_ops, "num_ops")
        self._set_factor(factor)
        self.value_range, self.num_ops, self.interpolation, self.seed = value_range, num_ops, interpolation, seed
        self.generator = random.SeedGenerator(seed)
        self._ops = _make_ops(self, self._NAMES, value_range, interpolation, seed)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        chosen = random.randint((self.num_ops,), 0, len(self._ops), seed=self.generator)
        images = ops.cast(images, dtype)
        for i in range(self.num_ops):
            out = images
            for j, layer in enumerate(self._ops):
                out = ops.where(ops.equal(chosen[i], j), ops.cast(layer(images, training=True), dtype), out)
            images = out
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "num_ops": self.num_ops,
                "factor": self.factor, "interpolation": self.interpolation, "seed": self.seed}


@keras_export("keras.layers")
class AugMix(ImageTransformLayer):
    """AugMix: ``num_chains`` chains of up to ``chain_depth`` random augmentations, mixed with
    Dirichlet weights, then blended with the original image by a Beta(``alpha``, ``alpha``) weight.

    Which augmentations a chain uses is chosen on the host (as Keras 3 does), from a Python
    generator seeded by ``seed``; inside a compiled function the choice is fixed at tracing.

    Args:
        value_range: the ``(min, max)`` of the images' values.
        num_chains: the number of chains.
        chain_depth: the most augmentations in a chain (each step may be skipped).
        factor: the augmentations' strength, a number in ``[0, 1]`` or a pair.
        alpha: the Dirichlet and Beta parameter.
        all_ops: also use brightness, colour degeneration, contrast and sharpness.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an int seed.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AugMix(seed=0)(np.full((2, 8, 8, 3), 100.0)).shape
        (2, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        _check_count(self, num_chains, "num_chains")
        _check_count(self, chain_depth, "chain_depth")
        self._set_factor(factor)
        self.value_range, self.num_chains, self.chain_depth = value_range, num_chains, chain_depth
        self.alpha, self.all_ops, self.interpolation, self.seed = alpha, all_ops, interpolation, seed
        self.generator = random.SeedGenerator(seed)
        self._choices = py_random.Random(seed)
        names = _GEOMETRIC_AND_TONE + (_COLOR if all_ops else ())
        self._ops = _make_ops(self, names, value_range, interpolation, seed)

    def _transform(self, images, batch):
        dtype = self.compute_dtype
        gamma = random.gamma((self.num_chains,), self.alpha, seed=self.generator)
        chain_weights = ops.cast(ops.divide(gamma, ops.sum(gamma, axis=-1, keepdims=True)), dtype)
        keep = ops.cast(random.beta((), self.alpha, self.alpha, seed=self.generator), dtype)
        images = ops.cast(images, dtype)
        mixed = ops.zeros_like(images)
        for c in range(self.num_chains):
            chain = images
            for _ in range(self.chain_depth):
                layer = self._choices.choice(self._ops + [None])
                if layer is not None:
                    chain = ops.cast(layer(chain, training=True), dtype)
            mixed = ops.add(mixed, ops.multiply(chain, chain_weights[c]))
        out = ops.add(ops.multiply(keep, images), ops.multiply(ops.subtract(1.0, keep), mixed))
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "num_chains": self.num_chains,
                "chain_depth": self.chain_depth, "factor": self.factor, "alpha": self.alpha,
                "all_ops": self.all_ops, "interpolation": self.interpolation, "seed": self.seed}
