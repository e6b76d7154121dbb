"""Schedule-Free AdamW."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW (Defazio et al., 2024): no learning-rate schedule needed;
    the weights are an interpolation between an Adam-style sequence (``momentum``)
    and its running average.

    Args:
        learning_rate: the step size (default 0.0025).
        beta_1: the interpolation between the two sequences.
        beta_2: decay of the second-moment estimate.
        epsilon: added to the denominator (default 1e-8).
        warmup_steps: steps of linear learning-rate warmup.
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.ScheduleFreeAdamW(learning_rate=0.0025, warmup_steps=100)
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        for momentum, var in zip(self._momentums, var_list):
            if momentum is not None:
                self.assign(momentum, ops.copy(var.value))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        epsilon = ops.cast(self.epsilon, dtype)
        if self.warmup_steps > 0:
            lr = lr * ops.minimum(step / ops.cast(self.warmup_steps, dtype), 1.0)
        index = self._var_index(variable)
        momentum, velocity = self._momentums[index], self._velocities[index]
        momentum_old = ops.copy(momentum.value)
        bias_correction_2 = 1 - ops.power(beta_2, step)
        self.assign_add(velocity, ops.multiply(ops.subtract(ops.square(gradient), velocity),
                                               1 - beta_2))
        denom = ops.add(ops.sqrt(velocity / bias_correction_2), epsilon)
        self.assign_sub(momentum, ops.divide(ops.multiply(lr, gradient), denom))
        weight = 1.0 / step
        x_old = ops.divide(ops.subtract(variable, ops.multiply(1 - beta_1, momentum_old)), beta_1)
        x_new = ops.add(ops.multiply(1 - weight, x_old), ops.multiply(weight, momentum))
        y_new = ops.add(ops.multiply(1 - beta_1, momentum), ops.multiply(beta_1, x_new))
        self.assign(variable, y_new)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
