"""Reshape: gives the non-batch axes a new shape."""

import math

from lamina import ops
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Reshape(Layer):
    """Reshapes inputs to ``(batch,) + target_shape``; one entry may be -1.

    Args:
        target_shape: the new shape without the batch axis.

    Example:
        >>> lamina.layers.Reshape((3, 4))(np.ones((2, 12))).shape
        (2, 3, 4)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1 or any(
                not isinstance(d, int) or (d < 1 and d != -1) for d in target_shape):
            raise ValueError(
                "Reshape: target_shape must hold positive ints and at most one -1, "
                f"received {target_shape}."
            )
        self.target_shape = target_shape
        self.built = True

    def _resolve(self, input_shape):
        known = [d for d in input_shape[1:]]
        if -1 not in self.target_shape:
            if None not in known and math.prod(known) != math.prod(self.target_shape):
                raise ValueError(
                    f"Reshape {self.name!r}: cannot reshape an input of shape {tuple(input_shape)} "
                    f"({math.prod(known)} values per sample) to {self.target_shape}."
                )
            return self.target_shape
        if None in known:
            return tuple(None if d == -1 else d for d in self.target_shape)
        fixed = math.prod(d for d in self.target_shape if d != -1)
        total = math.prod(known)
        if total % fixed:
            raise ValueError(
                f"Reshape {self.name!r}: cannot reshape an input of shape {tuple(input_shape)} "
                f"to {self.target_shape}."
            )
        return tuple(total // fixed if d == -1 else d for d in self.target_shape)

    def call(self, inputs):
        target = self._resolve(tuple(inputs.shape))
        if None in target:
            target = self.target_shape
        return ops.reshape(inputs, (-1,) + tuple(target))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
