"""Adagrad."""

from lamina import initializers, ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Adagrad(Optimizer):
    """Adagrad: the learning rate of each parameter shrinks with the sum of its
    squared gradients.

    Args:
        learning_rate: the step size (default 0.001).
        initial_accumulator_value: the starting value of the sums of squares.
        epsilon: added inside the square root.
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Adagrad(learning_rate=0.01)
    """

    _fused_algorithm = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value))

    def _fused_spec(self, variables):
        return "adagrad", {"epsilon": self.epsilon}, {
            "accumulator": [self._accumulators[self._var_index(v)] for v in variables]}

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._var_index(variable)]
        self.assign_add(accumulator, ops.square(gradient))
        self.assign_sub(variable, ops.divide(ops.multiply(lr, gradient),
                                             ops.sqrt(ops.add(accumulator, self.epsilon))))

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
