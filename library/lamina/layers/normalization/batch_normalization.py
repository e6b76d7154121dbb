"""BatchNormalization: normalizes with batch statistics in training and moving
averages of them at inference."""

from lamina import constraints, initializers, ops, regularizers
from lamina.backend import config as backend_config
from lamina.backend.common import dtypes
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export

_RENORM_KEYS = ("rmax", "rmin", "dmax")


def _check_renorm_clipping(renorm_clipping):
    clipping = renorm_clipping or {}
    if not isinstance(clipping, dict):
        raise ValueError(
            f"BatchNormalization: `renorm_clipping` must be a dict with keys {list(_RENORM_KEYS)}, "
            f"received {renorm_clipping!r}."
        )
    unknown = set(clipping) - set(_RENORM_KEYS)
    if unknown:
        raise ValueError(
            f"Received invalid keys for `renorm_clipping` argument: {clipping}. Supported values: "
            f"{list(_RENORM_KEYS)}."
        )
    rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError(
            "rmax should be greater than rmin in the `renorm_clipping` argument. "
            f"Received: rmax={rmax}, rmin={rmin}."
        )
    if dmax is not None and dmax < 0:
        raise ValueError(
            f"dmax should be non-negative in the `renorm_clipping` argument. Received: dmax={dmax}."
        )
    return clipping


@keras_export("keras.layers")
class BatchNormalization(Layer):
    """Normalizes the inputs per channel: ``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    With ``training=True`` the layer uses the batch's mean and variance and
    updates ``moving_mean``/``moving_variance``
    (``moving = moving * momentum + batch * (1 - momentum)``); otherwise it
    uses the moving statistics. A layer with ``trainable=False`` always runs in
    inference mode (as in Keras 3), which is what fine-tuning wants.

    Args:
        axis: the channel axis (the one that is not reduced).
        momentum: the moving averages' momentum.
        epsilon: added to the variance.
        center: whether to add the learned offset ``beta``.
        scale: whether to multiply by the learned ``gamma``.
        beta_initializer, gamma_initializer: initializers of the learned weights.
        moving_mean_initializer, moving_variance_initializer: initializers of
            the moving statistics.
        beta_regularizer, gamma_regularizer: weight penalties.
        beta_constraint, gamma_constraint: projections applied after updates.
        renorm: whether to use batch renormalization (extra state
            ``moving_stddev``, ``renorm_mean``, ``renorm_stddev``).
        renorm_clipping: a dict with optional ``rmax``, ``rmin``, ``dmax``.
        renorm_momentum: the momentum of the renorm statistics.
        synchronized: reduce the statistics across replicas under a
            TensorFlow distribution strategy (on one device: no effect).

    Call arguments:
        inputs: the input tensor.
        training: whether to use (and update) the batch statistics.
        mask: optional mask of shape ``inputs.shape[:-1]``; masked entries do
            not count in the batch statistics.

    Example:
        >>> layer = lamina.layers.BatchNormalization()
        >>> y = layer(np.random.normal(size=(8, 3)), training=True)
        >>> [w.name for w in layer.weights]
        ['gamma', 'beta', 'moving_mean', 'moving_variance']
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.renorm = renorm
        if renorm:
            renorm_clipping = _check_renorm_clipping(renorm_clipping)
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = None
        self.beta = None
        self.moving_mean = None
        self.moving_variance = None
        self._reduction_axes = None

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"BatchNormalization layer {self.name!r}: axis {self.axis} is out of bounds for "
                f"input shape {tuple(input_shape)}."
            )
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"BatchNormalization layer {self.name!r} needs a known size on axis {self.axis}, "
                f"received input shape {tuple(input_shape)}."
            )
        shape = (channels,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True,
                                         autocast=False)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True,
                                        autocast=False)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, autocast=False)
        if self.renorm:
            variance_init = self.moving_variance_initializer

            def stddev_initializer(shape, dtype=None):
                return ops.sqrt(variance_init(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(shape=shape, name="moving_stddev",
                                                 initializer=stddev_initializer,
                                                 trainable=False, autocast=False)
            self.renorm_mean = self.add_weight(shape=shape, name="renorm_mean",
                                               initializer=self.moving_mean_initializer,
                                               trainable=False, autocast=False)
            self.renorm_stddev = self.add_weight(shape=shape, name="renorm_stddev",
                                                 initializer=stddev_initializer,
                                                 trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        axes = list(range(rank))
        del axes[self.axis]
        self._reduction_axes = axes

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(
                f"BatchNormalization layer {self.name!r}: the mask should have one dimension less "
                f"than the inputs. Received: mask.shape={mask.shape}, inputs.shape={inputs.shape}"
            )
        compute_dtype = dtypes.result_type(inputs.dtype, "float32")
        inputs = ops.cast(inputs, compute_dtype)
        moving_mean = ops.cast(self.moving_mean, compute_dtype)
        moving_variance = ops.cast(self.moving_variance, compute_dtype)
        gamma = ops.cast(self.gamma, compute_dtype) if self.scale else None
        beta = ops.cast(self.beta, compute_dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                r, d = self._renorm_correction(mean, variance)
                gamma, beta = self._compose(r, d, gamma, beta, compute_dtype)
                self._update_renorm_statistics(mean, variance)
            else:
                # The moving statistics are state, not a function of the weights.
                m, v = ops.stop_gradient(mean), ops.stop_gradient(variance)
                self.moving_mean.assign(moving_mean * self.momentum + m * (1.0 - self.momentum))
                self.moving_variance.assign(
                    moving_variance * self.momentum + v * (1.0 - self.momentum))
        else:
            mean, variance = moving_mean, moving_variance
        outputs = ops.batch_normalization(inputs, mean=mean, variance=variance, axis=self.axis,
                                          offset=beta, scale=gamma, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype)

    def _moments(self, inputs, mask):
        if mask is None:
            return ops.moments(inputs, axes=self._reduction_axes,
                               synchronized=self.synchronized)
        keep = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), axis=-1),
                                ops.shape(inputs))
        total = ops.sum(ops.cast(keep, inputs.dtype), self._reduction_axes, keepdims=True)
        eps = backend_config.epsilon()
        mean = ops.sum(ops.where(keep, inputs, 0), self._reduction_axes,
                       keepdims=True) / (total + eps)
        diff = ops.where(keep, inputs - mean, 0)
        variance = ops.sum(ops.square(diff), self._reduction_axes, keepdims=True) / (total + eps)
        return ops.squeeze(mean), ops.squeeze(variance)

    def _renorm_correction(self, mean, variance):
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_mean = ops.cast(self.renorm_mean, mean.dtype)
        renorm_stddev = ops.maximum(ops.cast(self.renorm_stddev, mean.dtype),
                                    ops.sqrt(ops.cast(self.epsilon, mean.dtype)))
        r = ops.divide(stddev, renorm_stddev)
        d = ops.divide(ops.subtract(mean, renorm_mean), renorm_stddev)
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        return r, d

    @staticmethod
    def _compose(r, d, gamma, beta, dtype):
        # (x_hat * r + d) * gamma + beta == x_hat * (r * gamma) + (d * gamma + beta)
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        if gamma is not None:
            new_gamma, new_beta = ops.multiply(r, gamma), ops.multiply(d, gamma)
        else:
            new_gamma, new_beta = ops.cast(r, dtype), ops.cast(d, dtype)
        if beta is not None:
            new_beta = ops.add(new_beta, beta)
        return new_gamma, new_beta

    def _update_renorm_statistics(self, mean, variance):
        mean, variance = ops.stop_gradient(mean), ops.stop_gradient(variance)
        stddev = ops.sqrt(variance + self.epsilon)
        rm = self.renorm_momentum
        self.renorm_mean.assign(ops.cast(self.renorm_mean, mean.dtype) * rm + mean * (1.0 - rm))
        self.renorm_stddev.assign(
            ops.cast(self.renorm_stddev, mean.dtype) * rm + stddev * (1.0 - rm))
        self.moving_mean.assign(ops.cast(self.moving_mean, mean.dtype) * self.momentum
                                + mean * (1.0 - self.momentum))
        new_stddev = (ops.cast(self.moving_stddev, mean.dtype) * self.momentum
                      + stddev * (1.0 - self.momentum))
        self.moving_stddev.assign(new_stddev)
        self.moving_variance.assign(ops.relu(new_stddev * new_stddev - self.epsilon))

    def compute_output_shape(self, input_shape):
        if self.axis >= len(input_shape) or self.axis < -len(input_shape):
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {input_shape}. "
                f"Received: axis={self.axis}"
            )
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
