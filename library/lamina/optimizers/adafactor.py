"""Adafactor."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Adafactor(Optimizer):
    """Adafactor: Adam-like steps with a factored (row and column) second moment,
    which saves memory on large matrices.

    Args:
        learning_rate: the step size (default 0.001).
        beta_2_decay: the decay exponent of the second-moment rate.
        epsilon_1: added to the squared gradients.
        epsilon_2: the floor of the parameter scale.
        clip_threshold: the RMS threshold of the update.
        relative_step: cap the learning rate at ``1 / sqrt(step)`` (when it is not a
            schedule).
        **kwargs: the base optimizer arguments (``weight_decay``, ``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Adafactor(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            skip = getattr(var, "overwrite_with_gradient", False)
            if len(var.shape) < 2:
                # Not factored; placeholders keep the variable order of Keras.
                self._r.append(self.add_variable((), dtype="int32", name=var.name))
                self._c.append(self.add_variable((), dtype="int32", name=var.name))
            elif skip:
                self._r.append(None)
                self._c.append(None)
            else:
                self._r.append(self.add_variable(var.shape[:-1], dtype=var.dtype, name=var.name))
                self._c.append(self.add_variable(var.shape[:-2] + (var.shape[-1],),
                                                 dtype=var.dtype, name=var.name))
            self._v.append(None if skip else self.add_variable_from_reference(var, "velocity"))

    @staticmethod
    def _rms(x):
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        epsilon_2 = ops.cast(self.epsilon_2, variable.dtype)
        one = ops.cast(1.0, variable.dtype)
        step = ops.cast(self.iterations + 1, variable.dtype)
        if not callable(self._learning_rate) and self.relative_step:
            lr = ops.minimum(lr, 1 / ops.sqrt(step))
        index = self._var_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]

        rho_t = ops.minimum(lr, 1 / ops.sqrt(step))
        alpha_t = ops.maximum(epsilon_2, self._rms(variable)) * rho_t
        squares = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2_t = ops.subtract(1, ops.power(step, self.beta_2_decay))
        if len(variable.shape) >= 2:
            self.assign(r, ops.add(ops.multiply(beta_2_t, r),
                                   ops.multiply(ops.subtract(1, beta_2_t),
                                                ops.mean(squares, axis=-1))))
            self.assign(c, ops.add(ops.multiply(beta_2_t, c),
                                   ops.multiply(ops.subtract(1, beta_2_t),
                                                ops.mean(squares, axis=-2))))
            row = ops.expand_dims(ops.divide(r, ops.mean(r, axis=-1, keepdims=True)), axis=-1)
            self.assign(v, ops.multiply(row, ops.expand_dims(c, -2)))
        else:
            self.assign(v, ops.add(ops.multiply(beta_2_t, v),
                                   ops.multiply(ops.subtract(1, beta_2_t), squares)))
        u_t = ops.divide(gradient, ops.sqrt(v))
        u_t_hat = ops.divide(u_t, ops.maximum(one, ops.divide(self._rms(u_t),
                                                              self.clip_threshold)))
        self.assign_sub(variable, ops.multiply(alpha_t, u_t_hat))

    def get_config(self):
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold, "relative_step": self.relative_step}
