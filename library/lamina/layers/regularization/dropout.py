"""Dropout: zeroes random inputs during training."""

from lamina import random
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Dropout(Layer):
    """Sets a fraction ``rate`` of inputs to 0 during training and scales the
    rest by ``1 / (1 - rate)``; does nothing at inference.

    Args:
        rate: the fraction to drop, in ``[0, 1)``.
        noise_shape: the shape of the keep/drop mask (broadcast to the input),
            e.g. ``(batch, 1, features)`` to drop whole features.
        seed: an int seed.

    Example:
        >>> layer = lamina.layers.Dropout(0.5, seed=0)
        >>> layer(np.ones((2, 4)), training=True)  # half zeros, the rest 2.0
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be a number in [0, 1), received {rate!r}.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self._noise_shape(inputs),
                                  seed=self.seed_generator)
        return inputs

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        shape = tuple(inputs.shape)
        return tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
