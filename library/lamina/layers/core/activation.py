"""Activation: applies an activation function."""

from lamina import activations
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Activation(Layer):
    """Applies ``activation`` to its input.

    Args:
        activation: a function or the name of one (``"relu"``, ``"softmax"``...).

    Example:
        >>> lamina.layers.Activation("relu")(np.array([-1.0, 2.0]))
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
