"""GaussianNoise and GaussianDropout: multiplicative or additive Gaussian noise in training."""

import math

from lamina import ops, random
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _check_unit(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(
            f"Invalid value received for argument `{name}`. Expected a float value between 0 and 1. "
            f"Received: {name}={value}"
        )


@keras_export("keras.layers")
class GaussianNoise(Layer):
    """Adds ``N(0, stddev)`` noise to the inputs in training; identity at inference.

    Args:
        stddev: the noise's standard deviation, in ``[0, 1]``.
        seed: an int seed.

    Example:
        >>> lamina.layers.GaussianNoise(0.1, seed=0)(np.zeros((2, 3)), training=True)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_unit(stddev, "stddev")
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            return ops.add(inputs, random.normal(ops.shape(inputs), mean=0.0,
                                                 stddev=self.stddev, dtype=self.compute_dtype,
                                                 seed=self.seed_generator))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


@keras_export("keras.layers")
class GaussianDropout(Layer):
    """Multiplies the inputs by ``N(1, sqrt(rate / (1 - rate)))`` noise in training.

    Args:
        rate: the equivalent drop probability, in ``[0, 1]``.
        seed: an int seed.

    Example:
        >>> lamina.layers.GaussianDropout(0.2, seed=0)(np.ones((2, 3)), training=True)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_unit(rate, "rate")
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            return ops.multiply(inputs, random.normal(ops.shape(inputs), mean=1.0,
                                                      stddev=stddev, dtype=self.compute_dtype,
                                                      seed=self.seed_generator))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
