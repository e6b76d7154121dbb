"""FTRL-proximal."""

from lamina import initializers, ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Ftrl(Optimizer):
    """FTRL-proximal ("follow the regularized leader"), suited to wide sparse models,
    with L1, L2 and L2-shrinkage regularization.

    Args:
        learning_rate: the step size (default 0.001).
        learning_rate_power: how the learning rate falls with the accumulated squared
            gradients (<= 0; 0 for a fixed rate).
        initial_accumulator_value: the starting value of the accumulators (>= 0).
        l1_regularization_strength: L1 strength (>= 0).
        l2_regularization_strength: L2 strength (>= 0).
        l2_shrinkage_regularization_strength: L2 shrinkage strength (>= 0).
        beta: the FTRL beta (default 0.0).
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        checks = {"initial_accumulator_value": initial_accumulator_value,
                  "l1_regularization_strength": l1_regularization_strength,
                  "l2_regularization_strength": l2_regularization_strength,
                  "l2_shrinkage_regularization_strength": l2_shrinkage_regularization_strength}
        for key, value in checks.items():
            if value < 0.0:
                raise ValueError(f"Ftrl: {key} must be >= 0, received {key}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                f"Ftrl: learning_rate_power must be <= 0, received {learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"])

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._var_index(variable)
        accum, linear = self._accumulators[index], self._linears[index]
        power = self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        shrunk = ops.add(gradient, ops.multiply(2 * self.l2_shrinkage_regularization_strength,
                                                variable))
        new_accum = ops.add(accum, ops.square(gradient))
        sigma = ops.divide(ops.subtract(ops.power(new_accum, -power), ops.power(accum, -power)),
                           lr)
        self.assign_add(linear, ops.subtract(shrunk, ops.multiply(sigma, variable)))
        quadratic = ops.add(ops.divide(ops.power(new_accum, -power), lr), 2 * l2)
        l1 = self.l1_regularization_strength
        clipped = ops.clip(linear, -l1, l1)
        self.assign(variable, ops.divide(ops.subtract(clipped, linear), quadratic))
        self.assign(accum, new_accum)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
