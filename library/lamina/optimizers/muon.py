"""Muon."""

import re

from lamina import ops
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Muon(Optimizer):
    """Muon: momentum SGD whose updates of 2-D weights are orthogonalized with a
    Newton-Schulz iteration; other variables (not 2-D, embeddings, and paths matching
    ``exclude_layers``) get AdamW steps.

    Args:
        learning_rate: the step size (default 0.001).
        adam_beta_1: Adam's first-moment decay.
        adam_beta_2: Adam's second-moment decay.
        adam_weight_decay: weight decay of the AdamW-updated variables.
        epsilon: Adam's epsilon.
        weight_decay: weight decay of the Muon-updated variables.
        exclude_layers: regular expressions; matching variable paths use AdamW.
        exclude_embeddings: whether variables with "embedding" in their path use AdamW.
        muon_a: Newton-Schulz coefficient a.
        muon_b: Newton-Schulz coefficient b.
        muon_c: Newton-Schulz coefficient c.
        adam_lr_ratio: the AdamW learning rate relative to ``learning_rate``.
        momentum: Muon's momentum.
        ns_steps: the number of Newton-Schulz iterations.
        nesterov: whether Muon uses Nesterov momentum.
        rms_rate: scales Muon updates by ``sqrt(max(rows, cols)) * rms_rate``
            (Moonlight); None to disable.
        **kwargs: the other base optimizer arguments (``clipnorm``...).

    Example:
        >>> opt = lamina.optimizers.Muon(learning_rate=0.01, exclude_layers=["output"])
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.adam_beta_1, self.adam_beta_2, self.epsilon = adam_beta_1, adam_beta_2, epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(keyword, variable.path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for var in var_list:
            if getattr(var, "overwrite_with_gradient", False):
                continue
            index = self._var_index(var)
            self.momentums[index] = self.add_variable_from_reference(var, "momentum")
            if self._should_use_adamw(var):
                self.adam_velocities[index] = self.add_variable_from_reference(var, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._var_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        self.assign_add(m, ops.add(gradient, m * (self.momentum - 1)))
        g = ops.add(gradient, self.momentum * m) if self.nesterov else m
        update = self.zeropower_via_newtonschulz5(g, self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(lr * update))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), step)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.adam_beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v),
                                        1 - self.adam_beta_2))
        self.assign_sub(variable, ops.divide(ops.multiply(m, alpha),
                                             ops.add(ops.sqrt(v), self.epsilon)))

    @staticmethod
    def transpose_last_axis(x):
        """Swaps the last two axes of ``x``."""
        order = list(range(len(ops.shape(x))))
        order[-2], order[-1] = order[-1], order[-2]
        return ops.transpose(x, order)

    def lr_adjust(self, x):
        """Scales a 2-D update by ``sqrt(max(rows, cols)) * rms_rate`` (Moonlight)."""
        if self.rms_rate is None:
            return x
        return x * ops.sqrt(ops.maximum(x.shape[0], x.shape[1])) * self.rms_rate

    def zeropower_via_newtonschulz5(self, x, steps):
        """An approximate orthogonalization of ``x`` by ``steps`` quintic Newton-Schulz
        iterations.

        Example:
            >>> opt.zeropower_via_newtonschulz5(np.eye(3, dtype="float32"), 5).shape
            (3, 3)
        """
        shape = ops.shape(x)
        if len(shape) < 2:
            raise ValueError(
                f"Muon: expected a gradient or momentum with at least 2 dimensions, received "
                f"shape={shape}."
            )
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        x = x / (ops.norm(x, axis=(-2, -1), keepdims=True) + 1e-7)
        for _ in range(steps):
            gram = ops.matmul(x, self.transpose_last_axis(x))
            poly = b * gram + ops.matmul(c * gram, gram)
            x = a * x + ops.matmul(poly, x)
        if tall:
            x = self.transpose_last_axis(x)
        return x

    def _apply_weight_decay(self, variables):
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) else (
                self.weight_decay)
            if decay is None:
                continue
            wd = ops.cast(decay, variable.dtype)
            lr = ops.cast(self.learning_rate, variable.dtype)
            variable.assign(variable - variable * wd * lr)

    def get_config(self):
        return {**super().get_config(), "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers, "muon_a": self.muon_a,
                "muon_b": self.muon_b, "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
                "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate}
