"""PReLU: leaky ReLU with a learned slope per unit."""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class PReLU(Layer):
    """``x`` for ``x >= 0``, ``alpha * x`` otherwise, with ``alpha`` learned.

    Args:
        alpha_initializer: initializer of the slopes (default zeros).
        alpha_regularizer: a penalty on the slopes.
        alpha_constraint: a projection applied after updates.
        shared_axes: axes (1-based, not the batch) along which one slope is
            shared, e.g. ``[1, 2]`` for one slope per channel of an image.

    Example:
        >>> layer = lamina.layers.PReLU(shared_axes=[1])
        >>> layer(np.ones((2, 5, 3))).shape, layer.alpha.shape
        ((2, 5, 3), (1, 3))
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for i in self.shared_axes or ():
            if not 1 <= i < len(input_shape):
                raise ValueError(
                    f"PReLU layer {self.name!r}: shared axis {i} is out of range for input shape "
                    f"{tuple(input_shape)} (axes are 1-based, excluding the batch axis)."
                )
            param_shape[i - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(
                f"PReLU layer {self.name!r} needs known sizes on its non-shared axes, received "
                f"input shape {tuple(input_shape)}; add the unknown axes to shared_axes."
            )
        self.alpha = self.add_weight(shape=param_shape, name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        shared = self.shared_axes or ()
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if i not in shared}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
