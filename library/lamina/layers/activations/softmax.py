"""Softmax: the softmax activation as a layer, with an optional mask."""

from lamina import activations, ops
from lamina.backend.common import dtypes
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


def _large_negative(dtype):
    return -3e4 if dtypes.standardize_dtype(dtype) == "float16" else -1e9


@keras_export("keras.layers")
class Softmax(Layer):
    """``exp(x) / sum(exp(x))`` along ``axis``; masked positions get 0.

    Args:
        axis: an axis or a list of axes to normalize over.

    Call arguments:
        inputs: the logits.
        mask: optional boolean mask broadcastable to ``inputs`` (``True`` = keep).

    Example:
        >>> lamina.layers.Softmax()(np.array([1.0, 2.0, 1.0]))  # [0.212, 0.576, 0.212]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            if len(mask.shape) > len(inputs.shape):
                raise ValueError(
                    f"Softmax layer {self.name!r}: the mask must be broadcastable to the inputs and "
                    f"must not have more dimensions. Received: inputs.shape={inputs.shape}, "
                    f"mask.shape={mask.shape}"
                )
            for m, i in zip(tuple(mask.shape)[::-1], tuple(inputs.shape)[::-1]):
                if m is not None and i is not None and m != 1 and m != i:
                    raise ValueError(
                        f"Softmax layer {self.name!r}: the mask must be broadcastable to the "
                        "inputs; each mask dimension must be 1 or match the input's. Received: "
                        f"inputs.shape={inputs.shape}, mask.shape={mask.shape}"
                    )
            if dtypes.standardize_dtype(mask.dtype) != "bool":
                mask = ops.greater(mask, ops.cast(0.5, mask.dtype))
            inputs = ops.where(mask, inputs, _large_negative(inputs.dtype))
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                outputs = ops.exp(ops.subtract(
                    inputs, ops.logsumexp(inputs, axis=tuple(self.axis), keepdims=True)))
            else:
                outputs = activations.softmax(inputs, axis=self.axis[0])
        else:
            outputs = activations.softmax(inputs, axis=self.axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, 0.0)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
