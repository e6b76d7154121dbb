"""SGD with optional (Nesterov) momentum."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class SGD(Optimizer):
    """Gradient descent with momentum.

    ``velocity = momentum * velocity - lr * g``; ``w += velocity`` (Nesterov:
    ``w += momentum * velocity - lr * g``).

    Args:
        learning_rate: the step size (default 0.01).
        momentum: in ``[0, 1]``; 0 for plain gradient descent.
        nesterov: whether to use Nesterov momentum.

    Example:
        >>> model.compile(optimizer=lamina.optimizers.SGD(0.1, momentum=0.9), loss="mse")
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not (
                0 <= momentum <= 1):
            raise ValueError(f"SGD: momentum must be a float in [0, 1], received {momentum!r}.")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    _fused_algorithm = "sgd"

    def _fused_spec(self, variables):
        slots = {}
        if self.momentum != 0:
            slots["momentum"] = [self.momentums[self._var_index(v)] for v in variables]
        return "sgd", {"momentum": self.momentum, "nesterov": self.nesterov}, slots

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        if self.momentum == 0:
            self.assign_sub(variable, gradient * lr)
            return
        m = self.momentums[self._var_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(m, m * momentum - gradient * lr)
        if self.nesterov:
            self.assign_add(variable, m * momentum - gradient * lr)
        else:
            self.assign_add(variable, m)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
