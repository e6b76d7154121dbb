"""Adadelta."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Adadelta(Optimizer):
    """Adadelta: per-dimension learning rates from running averages of squared
    gradients and squared updates.

    Args:
        learning_rate: the step size (default 0.001).
        rho: the decay rate of the running averages.
        epsilon: added inside the square roots.
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Adadelta(learning_rate=1.0, rho=0.95)
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, grad, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        grad = ops.cast(grad, variable.dtype)
        rho = self.rho
        index = self._var_index(variable)
        acc_grad = self._accumulated_grads[index]
        acc_delta = self._accumulated_delta_vars[index]

        def rms(x):
            return ops.sqrt(ops.add(x, self.epsilon))

        self.assign(acc_grad, ops.add(rho * acc_grad, ops.multiply(1 - rho, ops.square(grad))))
        delta = ops.negative(ops.divide(ops.multiply(rms(acc_delta), grad), rms(acc_grad)))
        self.assign(acc_delta, ops.add(ops.multiply(rho, acc_delta),
                                       ops.multiply(1 - rho, ops.square(delta))))
        self.assign_add(variable, ops.multiply(lr, delta))

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
