"""UnitNormalization: scales each sample to unit L2 norm."""

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.normalization._axes import check_axes
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class UnitNormalization(Layer):
    """``x / max(||x||_2, 1e-12)`` over ``axis``.

    Args:
        axis: the axis or axes of the norm.

    Example:
        >>> lamina.layers.UnitNormalization()(np.array([[3.0, 4.0]]))  # [[0.6, 0.8]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis}"
            )
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return ops.normalize(inputs, axis=self.axis, order=2, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        return check_axes(self.axis, input_shape, self.name)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
