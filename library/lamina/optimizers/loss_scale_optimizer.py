"""LossScaleOptimizer: dynamic loss scaling for mixed-precision training."""

from lamina import initializers, ops
from lamina.backend.common.scopes import name_scope
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export

_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                  "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                  "ema_overwrite_frequency": None, "loss_scale_factor": None,
                  "gradient_accumulation_steps": None}


@keras_export("keras.optimizers")
class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling, so float16 gradients do not
    underflow.

    The loss is multiplied by the loss scale (``scale_loss``), and the gradients are
    divided by it before the inner optimizer applies them. A step whose gradients
    are not all finite is skipped and halves the scale; after
    ``dynamic_growth_steps`` finite steps in a row the scale doubles.

    Args:
        inner_optimizer: the optimizer to wrap.
        initial_scale: the starting loss scale (default ``2 ** 15``).
        dynamic_growth_steps: finite steps before the scale doubles (default 2000).
        name: the optimizer name.

    Example:
        >>> opt = lamina.optimizers.LossScaleOptimizer(lamina.optimizers.Adam())
        >>> model.compile(optimizer=opt, loss="mse")
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports dynamic=False; set loss_scale_factor "
                "on the inner optimizer instead."
            )
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs and kwargs.pop(key) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support {key!r}; set it on the "
                    "inner_optimizer instead."
                )
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments {sorted(kwargs)}.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: inner_optimizer must be a lamina Optimizer, received "
                f"{inner_optimizer!r}."
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not unscale a second time.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        var_list = list(var_list)
        self.step_counter = self.add_variable((), dtype="int32",
                                              initializer=initializers.Zeros(),
                                              name="step_counter")
        self.dynamic_scale = self.add_variable(
            (), dtype="float32", initializer=initializers.Constant(self.initial_scale),
            name="dynamic_scale")
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        """Own state (iterations, learning rate, step counter, scale), then the inner
        optimizer's."""
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        """A scalar boolean tensor: whether every gradient is finite."""
        finite = [ops.all(ops.isfinite(g)) for g in grads if g is not None]
        return ops.all(ops.stack(finite))

    def apply(self, grads, trainable_variables=None):
        """Unscales ``grads`` and applies them with the inner optimizer when they are all
        finite; otherwise leaves every variable unchanged and halves the loss scale.

        Example:
            >>> opt.apply(grads, model.trainable_variables)
        """
        grads = list(grads)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    f"{self.name}.apply: pass trainable_variables on the first call so the "
                    "optimizer can build its state."
                )
            with name_scope(self.name, caller=self):
                self.build(trainable_variables)
            self.built = True
        variables = (self._trainable_variables if trainable_variables is None
                     else list(trainable_variables))
        finite = self.check_finite(grads)
        scale = self.dynamic_scale.value
        unscaled = [g if g is None or getattr(v, "overwrite_with_gradient", False)
                    else ops.divide(g, scale)
                    for g, v in zip(grads, variables)]
        # Apply, then keep the result only when the gradients were finite (no Python
        # branch on a tensor, so it also runs under jax.jit and tf.function).
        state = list(variables) + self.inner_optimizer.variables
        before = [ops.copy(v.value) for v in state]
        self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)
        for v, old in zip(state, before):
            v.assign(ops.where(finite, v.value, old))
        counter = self.step_counter.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        zero = ops.zeros_like(counter)
        self.step_counter.assign(ops.where(grow, zero, ops.where(finite, counter + 1, zero)))
        self.dynamic_scale.assign(ops.where(
            finite, ops.where(grow, scale * 2.0, scale), scale * 0.5))

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        """The inner optimizer's iteration count."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """Multiplies ``loss`` by the current loss scale.

        Example:
            >>> scaled = opt.scale_loss(loss)
        """
        scale = self.dynamic_scale if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        """Delegates to the inner optimizer (EMA)."""
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {"name": self.name,
                "inner_optimizer": serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        inner = deserialize_keras_object(config.pop("inner_optimizer"),
                                         custom_objects=custom_objects)
        return cls(inner, **config)
