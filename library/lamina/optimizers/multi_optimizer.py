"""MultiOptimizer and OptimizerMap: different optimizers for different variables."""

import re
from collections.abc import MutableMapping

from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
from lamina.optimizers.optimizer import Optimizer
from lamina.saving.object_registry import keras_export


@keras_export("keras.optimizers")
class OptimizerMap(MutableMapping):
    """Maps variable paths (exact, else regular expressions matched with
    ``re.fullmatch``) to optimizers, with a default for unmatched variables.

    Args:
        default_optimizer: the optimizer of variables no key matches.
        optimizer_map: an optional dict ``{path or pattern: optimizer}``.

    Example:
        >>> omap = lamina.optimizers.OptimizerMap(lamina.optimizers.SGD())
        >>> omap["encoder/.*"] = lamina.optimizers.Adam()
        >>> type(omap["encoder/dense/kernel"]).__name__
        'Adam'
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                f"default_optimizer must be a lamina Optimizer, received {default_optimizer!r}."
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dict, received {optimizer_map!r}.")
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key!r}: {matches}.")
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"{key!r} already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}; keys must be unique."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string, received {key!r}.")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a lamina Optimizer, received {optimizer!r}.")
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("optimizer cannot be a LossScaleOptimizer.")
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("optimizer cannot be a MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {"default_optimizer": serialize_keras_object(self._default_optimizer),
                "optimizer_map": serialize_keras_object(self._optimizer_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        default = deserialize_keras_object(config["default_optimizer"],
                                           custom_objects=custom_objects)
        mapping = {k: deserialize_keras_object(v, custom_objects=custom_objects)
                   for k, v in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


@keras_export("keras.optimizers")
class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer an ``OptimizerMap`` (or a callable
    ``variable -> optimizer``) picks for it.

    The sub-optimizers are reached through ``optimizers``; a MultiOptimizer has no
    ``learning_rate`` of its own.

    Args:
        optimizer_map: an ``OptimizerMap`` or a callable returning an optimizer for a
            variable.
        loss_scale_factor: overrides the sub-optimizers' ``loss_scale_factor``.
        name: the optimizer name.

    Example:
        >>> omap = lamina.optimizers.OptimizerMap(lamina.optimizers.SGD(),
        ...                                       {"encoder/.*": lamina.optimizers.Adam()})
        >>> model.compile(optimizer=lamina.optimizers.MultiOptimizer(omap), loss="mse")
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        if hasattr(optimizer_map, "values"):
            for opt in optimizer_map.values():
                if opt not in self._inner_optimizers:
                    opt.loss_scale_factor = loss_scale_factor
                    self._inner_optimizers.append(opt)
        default = getattr(optimizer_map, "default_optimizer", None)
        if default is not None and default not in self._inner_optimizers:
            default.loss_scale_factor = loss_scale_factor
            self._inner_optimizers.append(default)

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._var_to_optimizer = {}
        groups = [[] for _ in self._inner_optimizers]
        for var in var_list:
            opt = self._optimizer_map(var)
            if not isinstance(opt, Optimizer):
                raise ValueError(f"The optimizer for variable {var.path!r} is not an Optimizer.")
            if isinstance(opt, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside a MultiOptimizer.")
            if isinstance(opt, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside a MultiOptimizer.")
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(opt)
                groups.append([])
            index = self._inner_optimizers.index(opt)
            self._var_to_optimizer[id(var)] = index
            groups[index].append(var)
        for opt, variables in zip(self._inner_optimizers, groups):
            if variables:
                opt.build(variables)
        super().build(var_list)

    @property
    def optimizers(self):
        """The sub-optimizers."""
        return self._inner_optimizers

    @property
    def variables(self):
        """Own iteration count and learning rate, then each sub-optimizer's variables."""
        out = self._variables[:]
        for opt in self._inner_optimizers:
            out.extend(opt.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError(
            "A MultiOptimizer has no learning rate; use the sub-optimizers' "
            "(multi_optimizer.optimizers[i].learning_rate)."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "A MultiOptimizer has no learning rate; set it on the sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", []):
            opt.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Routes each gradient to its variable's sub-optimizer.

        Example:
            >>> multi.apply(grads, model.trainable_variables)
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.name}.apply: pass trainable_variables on the first call (or call "
                    "optimizer.build(trainable_variables))."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._index):
            raise ValueError(
                f"{self.name}.apply: gradients must match the trainable variables one to one; "
                f"received {len(grads)} gradients for {len(self._index)} variables."
            )
        groups = [[] for _ in self._inner_optimizers]
        for grad, var in zip(grads, trainable_variables):
            groups[self._var_to_optimizer[id(var)]].append((grad, var))
        for opt, pairs in zip(self._inner_optimizers, groups):
            if pairs:
                opt.apply([g for g, _ in pairs], [v for _, v in pairs])
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        groups = [[] for _ in self._inner_optimizers]
        for var in var_list:
            groups[self._var_to_optimizer[id(var)]].append(var)
        for opt, variables in zip(self._inner_optimizers, groups):
            if variables:
                opt.finalize_variable_values(variables)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(f"{self.name}.set_weights: build the optimizer first.")
        weights = list(weights)
        own = len(self._variables)
        for variable, weight in zip(self._variables, weights[:own]):
            variable.assign(weight)
        start = own
        for opt in self._inner_optimizers:
            count = len(opt.variables)
            if count:
                opt.set_weights(weights[start:start + count])
                start += count

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {"optimizer_map": serialize_keras_object(self._optimizer_map),
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(config["optimizer_map"],
                                                           custom_objects=custom_objects)
        return cls(**config)
