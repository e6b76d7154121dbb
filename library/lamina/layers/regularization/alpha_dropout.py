"""AlphaDropout: dropout that keeps the self-normalizing property of SELU."""

from lamina import ops, random
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


@keras_export("keras.layers")
class AlphaDropout(Layer):
    """Sets dropped inputs to SELU's negative saturation value and applies an
    affine correction so that mean and variance are kept; identity at inference.

    Args:
        rate: the fraction to drop, in ``[0, 1]``.
        noise_shape: the shape of the keep/drop mask (None entries: the input's).
        seed: an int seed.

    Example:
        >>> lamina.layers.AlphaDropout(0.2, seed=0)(np.ones((2, 3)), training=True)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 "
                f"and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            shape = ops.shape(inputs)
            if self.noise_shape is not None:
                shape = tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
            alpha_p = -_ALPHA * _SCALE
            kept = ops.greater_equal(random.uniform(shape, seed=self.seed_generator), self.rate)
            kept = ops.cast(kept, inputs.dtype)
            a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
            b = -a * alpha_p * self.rate
            x = ops.add(ops.multiply(inputs, kept), alpha_p * (1 - kept))
            return a * x + b
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
