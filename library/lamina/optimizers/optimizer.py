"""The Optimizer base class: slot variables, gradient clipping, weight decay,
learning-rate schedules, gradient accumulation, EMA of the weights, and
``stateless_apply`` for JAX training steps.

Example:
    >>> opt = lamina.optimizers.SGD(learning_rate=0.1)
    >>> v = lamina.Variable(1.0)
    >>> opt.apply([np.float32(2.0)], [v]); float(v.numpy())
    0.8
"""

import re
import warnings

from lamina import ops
from lamina.backend import impl
from lamina.backend.common import dtypes
from lamina.backend.common.scopes import StatelessScope, get_stateless_scope, name_scope
from lamina.backend.common.variables import Variable
from lamina.backend.config import floatx
from lamina.optimizers.schedules import LearningRateSchedule
from lamina.saving.object_registry import keras_export

_BASE_KEYS = ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema",
              "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
              "gradient_accumulation_steps")


@keras_export("keras.optimizers")
class Optimizer:
    """Base class of optimizers. Subclasses create slots in ``build`` and implement
    ``update_step(gradient, variable, learning_rate)`` with ``self.assign*``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule``, or a callable with no
            arguments that returns the learning rate.
        weight_decay: decoupled weight decay (decays weights by ``lr * weight_decay``).
        clipnorm: clip each gradient to this norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global norm.
        use_ema: keep an exponential moving average of the trained variables.
        ema_momentum: the EMA momentum (``avg = m * avg + (1 - m) * var``).
        ema_overwrite_frequency: every this many steps, overwrite the variables with
            their average (None: only in ``finalize_variable_values``).
        loss_scale_factor: gradients are divided by it (mixed precision).
        gradient_accumulation_steps: apply the averaged gradients every N steps.
        name: the optimizer name (default: the class name in snake case, made unique).

    Example:
        >>> opt = lamina.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0)
    """

    # Set by optimizers whose update has a fused backend kernel (see ``_fused_spec``).
    _fused_algorithm = None

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"{type(self).__name__}: argument(s) not recognized: {kwargs}.")
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                f"{type(self).__name__}: only one of clipnorm, clipvalue and global_clipnorm "
                f"can be set. Received clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}."
            )
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "gradient_accumulation_steps must be an int >= 2, received "
                f"{gradient_accumulation_steps!r}."
            )
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(f"ema_momentum must be in [0, 1], received {ema_momentum!r}.")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError(
                    "ema_overwrite_frequency must be an int >= 1 or None, received "
                    f"{ema_overwrite_frequency!r}."
                )
        from lamina.ops.operation import auto_name, to_snake_case

        self.name = name or auto_name(to_snake_case(type(self).__name__))
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
        self._decay_cache = {}
        with name_scope(self.name, caller=self):
            self._iterations = Variable(0, name="iteration", dtype=dtypes.standardize_dtype(int),
                                       trainable=False)
        self._variables.append(self._iterations)
        if isinstance(learning_rate, LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, Variable)):
            self._learning_rate = learning_rate
        else:
            try:
                if isinstance(learning_rate, bool):
                    raise TypeError
                value = float(learning_rate)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{type(self).__name__}: learning_rate must be a float, a "
                    "LearningRateSchedule or a callable returning the learning rate, received "
                    f"{learning_rate!r}."
                ) from None
            if not value >= 0:
                raise ValueError(
                    f"{type(self).__name__}: learning_rate must be >= 0, received {value}."
                )
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
        """The number of applied updates (accumulated steps count once)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def learning_rate(self):
        """The current learning rate (a Variable, or the schedule's value)."""
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, value):
        previous = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(value, LearningRateSchedule) or (
                callable(value) and not isinstance(value, Variable)):
            self._learning_rate = value
        else:
            if not isinstance(self._learning_rate, Variable):
                raise TypeError(
                    f"{self.name}: the learning rate comes from a schedule and cannot be set to "
                    "a number; create the optimizer with a float learning_rate instead."
                )
            self._learning_rate.assign(value)
        if previous is not None and not isinstance(self._learning_rate, Variable):
            self._variables = [v for v in self._variables if v is not previous]

    def _get_current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    def build(self, variables):
        """Records the variables to train and creates the shared state (subclasses extend
        it with their slots).

        Example:
            >>> optimizer.build(model.trainable_variables)
        """
        variables = list(variables)
        # Import the backend's optimizer hooks now, not inside a traced step function.
        self._hooks = impl.optimizers
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._index[id(variable)] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator"))
        self._trainable_variables = variables[:]
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """Creates an optimizer state variable.

        Example:
            >>> self.step = self.add_variable((), dtype="int32", name="step")
        """
        from lamina import initializers

        with name_scope(self.name, caller=self):
            variable = Variable(initializers.get(initializer), shape=shape,
                                dtype=dtypes.standardize_dtype(dtype), trainable=False,
                                aggregation=aggregation, name=name)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like ``reference_variable``, named after its path.

        Example:
            >>> m = self.add_variable_from_reference(variable, "momentum")
        """
        name = name or "var"
        if hasattr(reference_variable, "path"):
            name = f"{reference_variable.path.replace('/', '_')}_{name}"
        else:
            name = f"{str(reference_variable.name).replace('/', '_').replace(':', '_')}_{name}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for each variable, interleaved per variable like Keras (``None`` for
        variables with ``overwrite_with_gradient``). A list of names gives a tuple of lists.

        Example:
            >>> self._m, self._v = self.add_optimizer_variables(variables, ["m", "v"])
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(name, str):
            inits = [initializer]
        elif isinstance(initializer, (list, tuple)):
            inits = list(initializer)
        else:
            inits = [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError(
                f"The number of names must match the number of initializers, received "
                f"name={name!r}, initializer={initializer!r}."
            )
        out = tuple([] for _ in names)
        for variable in trainable_variables:
            skip = getattr(variable, "overwrite_with_gradient", False)
            for i, (slot, init) in enumerate(zip(names, inits)):
                out[i].append(None if skip else self.add_variable_from_reference(
                    variable, name=slot, initializer=init))
        return out[0] if isinstance(name, str) else out

    def _var_index(self, variable):
        return self._index[id(variable)]

    _get_variable_index = _var_index

    def assign(self, variable, value):
        """Sets an optimizer or model variable (use it in ``update_step``)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds to an optimizer or model variable (use it in ``update_step``)."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtracts from an optimizer or model variable (use it in ``update_step``)."""
        variable.assign_sub(value)

    def set_weights(self, weights):
        """Sets the optimizer variables from a list of arrays (in ``variables`` order)."""
        if not self.built:
            raise ValueError(f"{self.name}.set_weights: build the optimizer first.")
        for variable, weight in zip(self.variables, weights):
            if tuple(variable.shape) != tuple(getattr(weight, "shape", ())):
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {variable.shape}, not "
                    f"compatible with the given shape {tuple(weight.shape)}."
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the optimizer variables into ``store`` under ``"0"``, ``"1"``..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads the optimizer variables written by ``save_own_variables``."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            warnings.warn(
                f"Skipping variable loading for optimizer {self.name!r}: it has "
                f"{len(variables)} variables, the saved optimizer has {len(store.keys())}.",
                stacklevel=2)
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

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
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.name}.apply: pass trainable_variables on the first call (or call "
                    "optimizer.build(trainable_variables)) so the optimizer can build its state."
                )
            if len(grads) != len(self._index):
                raise ValueError(
                    f"{self.name}.apply: received {len(grads)} gradients for the "
                    f"{len(self._trainable_variables)} variables the optimizer was built with."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if len(grads) != len(trainable_variables):
                raise ValueError(
                    f"{self.name}.apply: received {len(grads)} gradients for "
                    f"{len(trainable_variables)} variables."
                )
            if not self.built:
                with name_scope(self.name, caller=self):
                    self.build(trainable_variables)
                self.built = True
            for v in trainable_variables:
                if id(v) not in self._index:
                    raise ValueError(
                        f"{self.name}: unknown variable {getattr(v, 'path', v)!r}; this optimizer "
                        "can only update the variables it was built with. Create a new optimizer "
                        "for a different set of variables."
                    )
        with name_scope(self.name, caller=self):
            grads, variables = self._filter_empty_gradients(grads, trainable_variables)
            grads, variables = self._overwrite_variables_directly_with_gradients(grads, variables)
            if grads:
                if self.loss_scale_factor is not None:
                    grads = [g / self.loss_scale_factor for g in grads]
                self._backend_apply_gradients(grads, variables)
                for variable in variables:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable))
        self._iterations.assign_add(1)

    def _filter_empty_gradients(self, grads, variables):
        if all(g is not None for g in grads):
            return grads, list(variables)
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError(f"{self.name}: no gradients provided for any variable.")
        missing = [getattr(v, "path", str(v)) for g, v in zip(grads, variables) if g is None]
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss.",
                      stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        if not any(getattr(v, "overwrite_with_gradient", False) for v in variables):
            return grads, variables
        kept_g, kept_v = [], []
        for g, v in zip(grads, variables):
            if not getattr(v, "overwrite_with_gradient", False):
                kept_g.append(g)
                kept_v.append(v)
            elif self.gradient_accumulation_steps:
                is_update = ops.equal(
                    ops.mod(self._iterations + 1, self.gradient_accumulation_steps), 0)
                acc = self._accumulated_gradients[self._var_index(v)]
                peak = ops.maximum(g, acc)
                v.assign(ops.where(is_update, peak, ops.copy(v.value)))
                acc.assign(ops.where(is_update, ops.zeros_like(peak), peak))
            else:
                v.assign(g)
        return kept_g, kept_v

    def _backend_apply_gradients(self, grads, variables):
        if self.gradient_accumulation_steps:
            self._accumulate_and_apply(grads, variables)
        else:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(variables)
            self._backend_update_step(grads, variables, self.learning_rate)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                overwrite = ops.equal(
                    ops.mod(self.iterations + 1, self.ema_overwrite_frequency), 0)
                for var, average in zip(self._trainable_variables,
                                        self._model_variables_moving_average):
                    if average is not None:
                        var.assign(ops.where(overwrite, average.value, var.value))

    def _accumulate_and_apply(self, grads, variables):
        # Computes the update on every step and keeps it only on update steps, so that
        # no Python branch depends on a tensor (JAX tracing, tf.function).
        steps = self.gradient_accumulation_steps
        is_update = ops.equal(ops.mod(self._iterations + 1, steps), 0)
        accumulators = [self._accumulated_gradients[self._var_index(v)] for v in variables]
        sums = [g + a.value for g, a in zip(grads, accumulators)]
        new_accumulators = [ops.where(is_update, ops.zeros_like(s), s) for s in sums]
        grads = [ops.where(is_update, s / steps, g) for s, g in zip(sums, grads)]
        state = [v for v in variables] + [v for v in self.variables
                                          if all(v is not a for a in accumulators)]
        before = [ops.copy(v.value) for v in state]
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables)
        self._backend_update_step(grads, variables, self.learning_rate)
        for v, old in zip(state, before):
            v.assign(ops.where(is_update, v.value, old))
        for a, new in zip(accumulators, new_accumulators):
            a.assign(new)

    def _backend_update_step(self, grads, variables, learning_rate):
        if self._fused_algorithm is not None and get_stateless_scope() is None:
            spec = self._fusable_spec(variables)
            if spec is not None:
                if self._backend_hooks().fused_update(spec[0], variables, grads, spec[2], spec[1],
                                                learning_rate, self.iterations):
                    return
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _backend_hooks(self):
        hooks = getattr(self, "_hooks", None)
        if hooks is None:
            hooks = self._hooks = impl.optimizers
        return hooks

    def _fusable_spec(self, variables):
        """``(algorithm, hyperparameters, slots)`` for the backend's fused update, or None
        when a subclass changed the update rule."""
        cls = type(self)
        cache = cls.__dict__.get("_fusable_cache")
        if cache is None:
            owner = next(k for k in cls.__mro__ if "_fused_algorithm" in k.__dict__)
            cache = (cls.update_step is owner.update_step
                     and cls._backend_update_step is Optimizer._backend_update_step)
            cls._fusable_cache = cache
        if not cache:
            return None
        return self._fused_spec(variables)

    def _fused_spec(self, variables):
        return None

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable and its slots (implemented by each optimizer)."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_step().")

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _clip_by_norm(self, values):
        l2sum = ops.sum(ops.square(values), keepdims=True)
        positive = l2sum > 0
        safe = ops.where(positive, l2sum, ops.ones_like(l2sum))
        l2norm = ops.where(positive, ops.sqrt(safe), l2sum)
        return ops.multiply(values, self.clipnorm) / ops.maximum(l2norm, self.clipnorm)

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Variables, or names matching any of the patterns, that weight decay leaves alone.

        Example:
            >>> optimizer.exclude_from_weight_decay(var_names=["bias"])
        """
        self._exclude_from_weight_decay = set(id(v) for v in var_list or [])
        self._exclude_names = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_cache = {}

    def _use_weight_decay(self, variable):
        key = id(variable)
        cached = self._decay_cache.get(key)
        if cached is None:
            cached = key not in self._exclude_from_weight_decay and not (
                self._exclude_names is not None and self._exclude_names.search(variable.name))
            self._decay_cache[key] = cached
        return cached

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        decayed = [v for v in variables if self._use_weight_decay(v)]
        if not decayed:
            return
        if get_stateless_scope() is None:
            if self._backend_hooks().fused_weight_decay(decayed, self.weight_decay, self.learning_rate):
                return
        for variable in decayed:
            lr = ops.cast(self.learning_rate, variable.dtype)
            wd = ops.cast(self.weight_decay, variable.dtype)
            variable.assign(variable - variable * wd * lr)

    # -- EMA --------------------------------------------------------------------------
    def _update_model_variables_moving_average(self, variables):
        for var, average in zip(variables, self._model_variables_moving_average):
            if average is None:
                continue
            not_first = ops.cast(ops.not_equal(self.iterations, 0), var.dtype)
            momentum = not_first * self.ema_momentum
            average.assign(momentum * average.value + (1 - momentum) * var.value)

    def _overwrite_model_variables_with_average_value(self, variables):
        if len(variables) != len(self._model_variables_moving_average):
            raise ValueError(
                f"{self.name}: received {len(variables)} variables to overwrite with their "
                f"moving average, but the optimizer holds "
                f"{len(self._model_variables_moving_average)} averages."
            )
        for var, average in zip(variables, self._model_variables_moving_average):
            if average is not None:
                var.assign(average)

    def finalize_variable_values(self, var_list):
        """At the end of training: with ``use_ema``, overwrites the variables with their
        moving averages.

        Example:
            >>> optimizer.finalize_variable_values(model.trainable_variables)
        """
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(list(var_list))

    # -- stateless --------------------------------------------------------------------
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
        variables = self.variables
        if len(optimizer_variables) != len(variables):
            raise ValueError(
                f"{self.name}.stateless_apply: expected {len(variables)} optimizer variable "
                f"values, received {len(optimizer_variables)}."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                f"{self.name}.stateless_apply: expected {len(self._trainable_variables)} trainable "
                f"variable values, received {len(trainable_variables)}."
            )
        mapping = list(zip(self._trainable_variables, trainable_variables)) + list(
            zip(variables, optimizer_variables))
        with StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        new_trainable = [scope.get_current_value(v, old) for v, old in
                         zip(self._trainable_variables, trainable_variables)]
        new_optimizer = [scope.get_current_value(v, old) for v, old in zip(variables, optimizer_variables)]
        return new_trainable, new_optimizer

    def scale_loss(self, loss):
        """Multiplies the loss by ``loss_scale_factor`` (when set).

        Example:
            >>> scaled = optimizer.scale_loss(loss)
        """
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- config ---------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments (Keras keys)."""
        from lamina.saving.serialization import serialize_keras_object

        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = serialize_keras_object(lr)
        elif isinstance(lr, Variable):
            lr = float(lr.numpy())
        elif callable(lr):
            lr = serialize_keras_object(lr)
        config = {"name": self.name, "learning_rate": lr}
        config.update({k: getattr(self, k) for k in _BASE_KEYS})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Builds the optimizer from ``get_config()``'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from lamina.saving.serialization import deserialize_keras_object

            config["learning_rate"] = deserialize_keras_object(config["learning_rate"],
                                                               custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"



def global_norm(values):
    """The L2 norm of all the tensors in ``values`` together (``None`` entries skipped)."""
    squares = [ops.sum(ops.square(v)) for v in values if v is not None]
    return ops.sqrt(ops.sum(ops.stack(squares)))


def clip_by_global_norm(values, clip_norm):
    """Scales ``values`` so that their global norm is at most ``clip_norm`` (NaN when the
    norm is not finite, like Keras).

    Example:
        >>> clipped = clip_by_global_norm(grads, 1.0)
    """
    norm = global_norm(values)
    scale = clip_norm * ops.minimum(1.0 / norm, 1.0 / clip_norm)
    scale = scale + (norm - norm)
    return [v * scale if v is not None else v for v in values]
