"""Masking: marks time steps whose features all equal a value as padding."""

from lamina import ops
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Masking(Layer):
    """Masks the time steps (axis 1) whose features all equal ``mask_value``.

    The output is the input with masked steps set to 0, and carries the mask
    (``True`` = keep) for the layers that follow (RNNs, pooling...).

    Args:
        mask_value: the padding value.

    Example:
        >>> x = np.array([[[1.0], [0.0], [2.0]]])
        >>> lamina.layers.Masking(0.0)(x)  # mask [[True, False, True]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config", None):
            from lamina.saving.serialization import deserialize_keras_object

            mask_value = deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.where(keep, inputs, ops.zeros((), dtype=inputs.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
