"""RMSNormalization: scales each sample by the root mean square of its features."""

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.normalization._axes import check_axes
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class RMSNormalization(Layer):
    """``x / sqrt(mean(x ** 2) + epsilon) * scale`` over ``axis``, with a learned ``scale``.

    Args:
        axis: the axis or axes to normalize over.
        epsilon: added to the mean square.

    Example:
        >>> lamina.layers.RMSNormalization()(np.array([[3.0, 4.0]]))  # [[0.8485, 1.1314]]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        check_axes(self.axis, input_shape, self.name)
        if isinstance(self.axis, (list, tuple)):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[d] for d in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        # The scale spans the normalized axes; other trailing axes broadcast (Keras
        # only supports the trailing axes, e.g. it fails for axis=1 of a 3D input).
        rank = len(input_shape)
        axes = sorted(a % rank for a in self.axis)
        self._broadcast_shape = None
        if axes != list(range(rank - len(axes), rank)):
            self._broadcast_shape = tuple(input_shape[i] if i in axes else 1
                                          for i in range(axes[0], rank))

    def call(self, x):
        scale = self.scale
        if self._broadcast_shape is not None:
            scale = ops.reshape(scale, self._broadcast_shape)
        return ops.rms_normalization(x, scale=scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return check_axes(self.axis, input_shape, self.name)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
