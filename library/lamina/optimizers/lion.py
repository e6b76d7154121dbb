"""Lion."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Lion(Optimizer):
    """Lion: steps by the sign of an interpolation of momentum and gradient.

    Args:
        learning_rate: the step size (default 0.001).
        beta_1: the interpolation factor of the update direction, in ``(0, 1]``.
        beta_2: the decay of the momentum.
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Lion(learning_rate=1e-4, weight_decay=0.01)
    """

    _fused_algorithm = "lion"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
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
        self.beta_1, self.beta_2 = beta_1, beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Lion: beta_1 must be in (0, 1]; otherwise the optimizer degenerates to "
                f"SignSGD. Received beta_1={beta_1}."
            )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def _fused_spec(self, variables):
        return "lion", {"beta_1": self.beta_1, "beta_2": self.beta_2}, {
            "momentum": [self._momentums[self._var_index(v)] for v in variables]}

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        beta_1 = ops.cast(self.beta_1, variable.dtype)
        beta_2 = ops.cast(self.beta_2, variable.dtype)
        m = self._momentums[self._var_index(variable)]
        direction = ops.sign(ops.add(ops.multiply(m, beta_1),
                                     ops.multiply(gradient, 1.0 - beta_1)))
        self.assign_sub(variable, ops.multiply(lr, direction))
        self.assign(m, ops.add(ops.multiply(m, beta_2), ops.multiply(gradient, 1.0 - beta_2)))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
