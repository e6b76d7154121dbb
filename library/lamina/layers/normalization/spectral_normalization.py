"""SpectralNormalization: divides a wrapped layer's kernel by its spectral norm."""

from lamina import initializers, ops
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.input_spec import InputSpec
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class SpectralNormalization(Wrapper):
    """Rescales the wrapped layer's ``kernel`` (or ``embeddings``) by its largest
    singular value, estimated by power iteration, at every training call.

    The power-iteration vector ``vector_u`` is non-trainable state, updated
    with ``assign`` so that it works in compiled training steps.

    Args:
        layer: a layer with a ``kernel`` or ``embeddings`` weight.
        power_iterations: power-iteration steps per call (``> 0``).

    Example:
        >>> layer = lamina.layers.SpectralNormalization(lamina.layers.Dense(4))
        >>> layer(np.ones((2, 3)), training=True).shape
        (2, 4)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if getattr(self.layer, "kernel", None) is not None:
            self.kernel = self.layer.kernel
        elif getattr(self.layer, "embeddings", None) is not None:
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'"
            )
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(shape=(1, self.kernel_shape[-1]),
                                        initializer=initializers.TruncatedNormal(stddev=0.02),
                                        trainable=False, name="vector_u", dtype=self.kernel.dtype)

    def call(self, inputs, training=False):
        if training:
            new_u, new_kernel = ops.cond(ops.all(ops.equal(self.kernel.value, 0)),
                                         lambda: (self.vector_u.value, self.kernel.value),
                                         self.normalized_weights)
            self.vector_u.assign(new_u)
            self.kernel.assign(new_kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """The updated ``(vector_u, kernel / sigma)``.

        Example:
            >>> u, kernel = layer.normalized_weights()
        """
        weights = ops.reshape(self.kernel, [-1, self.kernel_shape[-1]])
        u = self.vector_u.value
        v = None
        for _ in range(self.power_iterations):
            v = ops.normalize(ops.matmul(u, ops.transpose(weights)), axis=None)
            u = ops.normalize(ops.matmul(v, weights), axis=None)
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        sigma = ops.matmul(ops.matmul(v, weights), ops.transpose(u))
        kernel = ops.reshape(ops.divide(self.kernel, sigma), self.kernel_shape)
        return ops.cast(u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
