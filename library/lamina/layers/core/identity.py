"""Identity: returns its input unchanged."""

from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Identity(Layer):
    """Returns its input unchanged (a placeholder in a model).

    Example:
        >>> lamina.layers.Identity()(np.ones(2))
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
