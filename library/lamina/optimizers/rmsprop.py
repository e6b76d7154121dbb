"""RMSprop."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class RMSprop(Optimizer):
    """Divides the gradient by a running average of its recent magnitude.

    Args:
        learning_rate: the step size (default 0.001).
        rho: decay of the moving average of squared gradients.
        momentum: momentum on the scaled updates.
        epsilon: added to the denominator.
        centered: normalise by the estimated variance instead of the second moment.

    Example:
        >>> lamina.optimizers.RMSprop(learning_rate=1e-3, rho=0.9)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(variables, "average_gradient")

    _fused_algorithm = "rmsprop"

    def _fused_spec(self, variables):
        index = [self._var_index(v) for v in variables]
        slots = {"velocity": [self._velocities[i] for i in index]}
        if self.momentum > 0:
            slots["momentum"] = [self._momentums[i] for i in index]
        if self.centered:
            slots["average_gradient"] = [self._average_gradients[i] for i in index]
        return "rmsprop", {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                           "centered": self.centered}, slots

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._var_index(variable)
        velocity = self._velocities[index]
        rho = self.rho
        self.assign(velocity, rho * velocity + (1 - rho) * ops.square(gradient))
        if self.centered:
            average = self._average_gradients[index]
            self.assign(average, rho * average + (1 - rho) * gradient)
            denominator = velocity - ops.square(average) + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = lr * gradient / ops.sqrt(denominator)
        if self.momentum > 0:
            momentum = self._momentums[index]
            self.assign(momentum, self.momentum * momentum + increment)
            self.assign_sub(variable, momentum)
        else:
            self.assign_sub(variable, increment)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
