"""The Optimizer base class: slot variables, gradient clipping, weight decay,
learning-rate schedules, and ``stateless_apply`` for JAX training steps.

Example:
    >>> opt = lamina.optimizers.SGD(learning_rate=0.1)
    >>> v = lamina.Variable(1.0)
    >>> opt.apply([np.float32(2.0)], [v]); float(v.numpy())
    0.8
"""

import re

from lamina import ops
from lamina.backend.common import dtypes
from lamina.backend.common.scopes import StatelessScope, name_scope
from lamina.backend.common.variables import Variable
from lamina.backend.config import floatx
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class Optimizer:
    """Base class of optimizers. Subclasses create slots in ``build`` and implement
    ``update_step(gradient, variable, learning_rate)`` with ``self.assign*``.

    Args:
        learning_rate: a float, a Variable or a ``LearningRateSchedule``.
        weight_decay: decoupled weight decay (decays weights by ``lr * weight_decay``).
        clipnorm: clip each gradient to this norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global norm.
        loss_scale_factor: gradients are divided by it (mixed precision).
        gradient_accumulation_steps: apply the averaged gradients every N steps.
        name: the optimizer name.

    Example:
        >>> opt = lamina.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0)
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected arguments {sorted(kwargs)}.")
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                f"{type(self).__name__}: only one of clipnorm, clipvalue and global_clipnorm "
                "can be set."
            )
        if use_ema:
            raise ValueError(f"{type(self).__name__}: use_ema is not supported by lamina yet.")
        if gradient_accumulation_steps is not None and (
                not isinstance(gradient_accumulation_steps, int) or gradient_accumulation_steps < 2):
            raise ValueError(
                "gradient_accumulation_steps must be an int >= 2, received "
                f"{gradient_accumulation_steps!r}."
            )
        from lamina.ops.operation import to_snake_case

        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum = use_ema, ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index = {}
        self._exclude_from_weight_decay = set()
        self._exclude_names = None
        with name_scope(self.name, caller=self):
            self._iterations = Variable(0, name="iteration", dtype=dtypes.standardize_dtype(int),
                                       trainable=False)
        self._variables.append(self._iterations)
        from lamina.optimizers.schedules import LearningRateSchedule

        if isinstance(learning_rate, LearningRateSchedule):
            self._learning_rate = learning_rate
        elif callable(learning_rate) and not isinstance(learning_rate, Variable):
            self._learning_rate = learning_rate
        else:
            try:
                value = float(learning_rate)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{type(self).__name__}: learning_rate must be a number or a "
                    f"LearningRateSchedule, received {learning_rate!r}."
                ) from None
            if value < 0:
                raise ValueError(f"{type(self).__name__}: learning_rate must be >= 0, received {value}.")
            with name_scope(self.name, caller=self):
                self._learning_rate = Variable(value, name="learning_rate", dtype=floatx(),
                                               trainable=False)
            self._variables.append(self._learning_rate)

    # -- state ----------------------------------------------------------------
    @property
    def variables(self):
        """All optimizer state: the iteration count, the learning rate, the slots."""
        return list(self._variables)

    @property
    def iterations(self):
        return self._iterations

    @property
    def learning_rate(self):
        """The current learning rate (a Variable, or the schedule's value)."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return self._learning_rate(self._iterations)

    @learning_rate.setter
    def learning_rate(self, value):
        from lamina.optimizers.schedules import LearningRateSchedule

        if isinstance(value, LearningRateSchedule) or not isinstance(self._learning_rate, Variable):
            if isinstance(value, LearningRateSchedule):
                self._learning_rate = value
                return
            raise TypeError(
                f"{self.name}: the learning rate comes from a schedule and cannot be set to a number."
            )
        self._learning_rate.assign(value)

    def build(self, variables):
        """Records the variables to train and creates the slots (subclasses extend it)."""
        self._trainable_variables = list(variables)
        self._index = {id(v): i for i, v in enumerate(variables)}
        if self.gradient_accumulation_steps:
            self._accumulators = [self.add_variable_from_reference(v, "gradient_accumulator")
                                  for v in variables]
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", name=None):
        """Creates an optimizer state variable."""
        from lamina import initializers

        with name_scope(self.name, caller=self):
            variable = Variable(initializers.get(initializer), shape=shape,
                                dtype=dtypes.standardize_dtype(dtype), trainable=False, name=name)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like ``reference_variable``, named after its path."""
        slot = f"{reference_variable.path.replace('/', '_')}_{name}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=slot)

    def _var_index(self, variable):
        return self._index[id(variable)]

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # -- applying gradients ---------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies ``(gradient, variable)`` pairs; returns the iteration count.

        Example:
            >>> optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates ``trainable_variables`` with ``grads``.

        Example:
            >>> optimizer.apply(grads, model.trainable_variables)
        """
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.name}.apply: pass trainable_variables on the first call so the "
                    "optimizer can build its state."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                with name_scope(self.name, caller=self):
                    self.build(trainable_variables)
        grads = list(grads)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"{self.name}.apply: received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables."
            )
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            return
        grads, variables = [p[0] for p in pairs], [p[1] for p in pairs]
        for v in variables:
            if id(v) not in self._index:
                raise KeyError(
                    f"{self.name}: variable {v.path!r} was not among the variables the optimizer "
                    "was built with. Build a new optimizer for a different set of variables."
                )
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        grads = self._clip_gradients(grads)
        if self.gradient_accumulation_steps:
            self._accumulate_and_apply(grads, variables)
        else:
            self._apply_weight_decay(variables)
            self._update(grads, variables, self.learning_rate)
            self._iterations.assign_add(1)
        for variable in variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable))

    def _update(self, grads, variables, learning_rate):
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _accumulate_and_apply(self, grads, variables):
        steps = self.gradient_accumulation_steps
        is_update = ops.equal(ops.mod(self._iterations + 1, steps), 0)
        accumulators = [self._accumulators[self._var_index(v)] for v in variables]
        new_sums = [a + ops.cast(g, a.dtype) for a, g in zip(accumulators, grads)]
        averaged = [s / steps for s in new_sums]
        # Keep the update conditional without Python branching on tensors.
        old = [v.value for v in variables]
        self._apply_weight_decay(variables)
        self._update(averaged, variables, self.learning_rate)
        for v, before in zip(variables, old):
            v.assign(ops.where(is_update, v.value, before))
        for a, s in zip(accumulators, new_sums):
            a.assign(ops.where(is_update, ops.zeros_like(s), s))
        self._iterations.assign_add(1)

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError(f"{type(self).__name__} must implement update_step().")

    def _clip_gradients(self, grads):
        if self.clipnorm is not None and self.clipnorm > 0:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None and self.global_clipnorm > 0:
            norm = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
            scale = ops.minimum(1.0, self.global_clipnorm / ops.maximum(norm, 1e-12))
            return [g * ops.cast(scale, g.dtype) for g in grads]
        if self.clipvalue is not None and self.clipvalue > 0:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Variables (or names matching patterns) that weight decay leaves alone."""
        for v in var_list or []:
            self._exclude_from_weight_decay.add(id(v))
        if var_names:
            self._exclude_names = re.compile("|".join(var_names))

    def _apply_weight_decay(self, variables):
        if not self.weight_decay:
            return
        for variable in variables:
            if id(variable) in self._exclude_from_weight_decay:
                continue
            if self._exclude_names is not None and self._exclude_names.search(variable.path):
                continue
            lr = ops.cast(self.learning_rate, variable.dtype)
            decay = ops.cast(self.weight_decay, variable.dtype)
            variable.assign(variable - variable * decay * lr)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Returns ``(new trainable values, new optimizer values)`` without changing anything.

        Example:
            >>> new_params, new_opt_state = optimizer.stateless_apply(opt_state, grads, params)
        """
        if not self.built:
            raise ValueError(
                f"{self.name}.stateless_apply: build the optimizer first with "
                "optimizer.build(model.trainable_variables)."
            )
        if len(optimizer_variables) != len(self._variables):
            raise ValueError(
                f"{self.name}.stateless_apply: expected {len(self._variables)} optimizer variable "
                f"values, received {len(optimizer_variables)}."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                f"{self.name}.stateless_apply: expected {len(self._trainable_variables)} trainable "
                f"variable values, received {len(trainable_variables)}."
            )
        mapping = list(zip(self._variables, optimizer_variables)) + list(
            zip(self._trainable_variables, trainable_variables))
        with StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        new_trainable = [_current(scope, v, old) for v, old in
                         zip(self._trainable_variables, trainable_variables)]
        new_optimizer = [_current(scope, v, old) for v, old in zip(self._variables, optimizer_variables)]
        return new_trainable, new_optimizer

    def scale_loss(self, loss):
        """Multiplies the loss by ``loss_scale_factor`` (when set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- config ---------------------------------------------------------------------
    def get_config(self):
        from lamina.optimizers.schedules import LearningRateSchedule
        from lamina.saving.serialization import serialize_keras_object

        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = serialize_keras_object(lr)
        elif isinstance(lr, Variable):
            lr = float(lr.numpy())
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from lamina.saving.serialization import deserialize_keras_object

            config["learning_rate"] = deserialize_keras_object(config["learning_rate"],
                                                               custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _current(scope, variable, old):
    value = scope.get_current_value(variable)
    return old if value is None else value


def _clip_by_norm(g, clipnorm):
    norm = ops.sqrt(ops.sum(ops.square(g)))
    return ops.where(norm > clipnorm, g * ops.cast(clipnorm / ops.maximum(norm, 1e-12), g.dtype), g)
