"""SpatialDropout1D/2D/3D: drop whole feature maps instead of single entries."""

from lamina import ops, random
from lamina.backend.config import standardize_data_format
from lamina.layers.input_spec import InputSpec
from lamina.layers.regularization.dropout import Dropout
from lamina.saving.object_registry import keras_export


class BaseSpatialDropout(Dropout):
    """Dropout with one keep/drop decision per (sample, channel).

    Example:
        >>> lamina.layers.SpatialDropout1D(0.5)(np.ones((2, 3, 4)), training=True)
    """

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self._get_noise_shape(inputs),
                                  seed=self.seed_generator)
        return inputs

    def _get_noise_shape(self, inputs):
        raise NotImplementedError

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


@keras_export("keras.layers")
class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of ``(batch, steps, channels)`` inputs in training.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        seed: an int seed.

    Example:
        >>> lamina.layers.SpatialDropout1D(0.5, seed=0)(np.ones((2, 3, 4)), training=True)
    """

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _get_noise_shape(self, inputs):
        shape = ops.shape(inputs)
        return (shape[0], 1, shape[2])


@keras_export("keras.layers")
class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of 4D inputs in training.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the
            global image data format).
        seed: an int seed.

    Example:
        >>> lamina.layers.SpatialDropout2D(0.5)(np.ones((2, 4, 4, 3)), training=True)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _get_noise_shape(self, inputs):
        shape = ops.shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


@keras_export("keras.layers")
class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole feature volumes of 5D inputs in training.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1)``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the
            global image data format).
        seed: an int seed.

    Example:
        >>> lamina.layers.SpatialDropout3D(0.5)(np.ones((1, 2, 2, 2, 3)), training=True)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def _get_noise_shape(self, inputs):
        shape = ops.shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1, 1)
        return (shape[0], 1, 1, 1, shape[4])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
