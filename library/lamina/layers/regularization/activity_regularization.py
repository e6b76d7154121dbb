"""ActivityRegularization: adds an L1/L2 penalty on its inputs to the losses."""

from lamina import regularizers
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class ActivityRegularization(Layer):
    """Returns its input unchanged and adds ``l1 * sum(|x|) + l2 * sum(x**2)``
    (divided by the batch size) to ``layer.losses``.

    Args:
        l1: the L1 factor.
        l2: the L2 factor.

    Example:
        >>> layer = lamina.layers.ActivityRegularization(l2=0.01)
        >>> _ = layer(np.ones((2, 3)))
        >>> layer.losses  # [0.03]
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
