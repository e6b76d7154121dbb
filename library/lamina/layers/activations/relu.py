"""ReLU: the rectified linear unit with optional cap, slope and threshold."""

from lamina import activations
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class ReLU(Layer):
    """``min(x, max_value)`` for ``x >= threshold``, ``negative_slope * (x - threshold)``
    otherwise.

    Args:
        max_value: the cap of the output (None: no cap), ``>= 0``.
        negative_slope: the slope below the threshold, ``>= 0``.
        threshold: where the function switches, ``>= 0``.

    Example:
        >>> lamina.layers.ReLU(max_value=6.0)(np.array([-1.0, 3.0, 9.0]))  # [0.0, 3.0, 6.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"max_value of a ReLU layer cannot be a negative value. Received: "
                f"max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be None or a negative value. "
                f"Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                "threshold of a ReLU layer cannot be None or a negative value. "
                f"Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
