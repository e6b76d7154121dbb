"""Flatten: merges all axes but the batch axis."""

import math

from lamina import ops
from lamina.backend.config import standardize_data_format
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Flatten(Layer):
    """Reshapes ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``.

    Args:
        data_format: with ``"channels_first"``, channels are moved last before
            flattening, so that the order matches ``channels_last`` models.

    Example:
        >>> lamina.layers.Flatten()(np.ones((2, 3, 4))).shape
        (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        rank = len(shape)
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, rank)) + (1,))
        if rank == 1:
            return ops.expand_dims(inputs, 1)
        rest = shape[1:]
        if all(d is not None for d in rest):
            return ops.reshape(inputs, (-1, int(math.prod(rest))))
        return ops.reshape(inputs, (ops.shape(inputs)[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if not rest:
            return (input_shape[0], 1)
        size = None if any(d is None for d in rest) else int(math.prod(rest))
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
