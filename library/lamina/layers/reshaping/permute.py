"""Permute: reorders the non-batch axes."""

from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Permute(Layer):
    """Permutes the non-batch axes of the input (axes are numbered from 1).

    Args:
        dims: a permutation of ``1..rank``; ``(2, 1)`` swaps the first two
            non-batch axes.

    Example:
        >>> lamina.layers.Permute((2, 1))(np.ones((4, 10, 64), "float32")).shape
        (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self._axes = (0,) + self.dims
        self.built = True

    def call(self, inputs):
        return ops.transpose(inputs, self._axes)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
