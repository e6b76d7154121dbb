"""What a layer tracks, and the collections built from it.

Assigning an attribute on a layer records what it holds: variables (trainable or
not), seed generators, metrics; sub-layers are found among the attributes (lists,
tuples and dicts included). From these come ``weights``, ``variables``,
``metrics``, ``losses`` and their trainable and non-trainable views, each ordered
as Keras 3 orders them: the layer's own first, then its sub-layers'.

Example:
    >>> block = lamina.Sequential([lamina.layers.Dense(2), lamina.layers.Dense(1)])
    >>> block.build((None, 3))
    >>> [w.shape for w in block.trainable_weights]
    [(3, 2), (2,), (2, 1), (1,)]
"""

from lamina.backend.common.scopes import get_stateless_scope
from lamina.backend.common.variables import Variable

# Attributes that never hold tracked state (graph bookkeeping, training objects, caches).
_UNTRACKED = frozenset({"_inbound_nodes", "_outbound_nodes", "_call_info", "_build_shapes",
                        "_own_trainable", "_own_non_trainable", "_losses", "_losses_override",
                        "history", "optimizer", "_compile_loss", "_compile_metrics",
                        "_loss_tracker", "train_function", "test_function", "predict_function",
                        "_layers_cache", "_building"})


class LayerTrackingMixin:
    """Attribute tracking, sub-layers, the variable and metric collections, and losses.

    A part of :class:`lamina.layers.Layer`, which is its only user: ``Layer.__init__``
    creates the lists it fills (``_own_trainable``, ``_own_non_trainable``,
    ``_seed_generators``, ``_tracked_metrics``, ``_losses``) and turns tracking on.
    A sub-layer is any attribute value that is a ``LayerTrackingMixin``, that is, a Layer.
    """

    def __setattr__(self, name, value):
        if getattr(self, "_tracking_enabled", False) and not name.startswith("__"):
            self._track(value)
            self.__dict__["_layers_cache"] = None
        object.__setattr__(self, name, value)

    def _track(self, value):
        from lamina.metrics.metric import Metric
        from lamina.random.seed_generator import SeedGenerator

        if isinstance(value, Variable):
            target = self._own_trainable if value.trainable else self._own_non_trainable
            if not any(v is value for v in self._own_trainable + self._own_non_trainable):
                target.append(value)
        elif isinstance(value, SeedGenerator):
            if value not in self._seed_generators:
                self._seed_generators.append(value)
        elif isinstance(value, Metric):
            if value not in self._tracked_metrics:
                self._tracked_metrics.append(value)

    @property
    def _layers(self):
        """Directly tracked sub-layers, in attribute order (lists and dicts included).

        Cached once the layer is built; any attribute assignment clears the cache.
        """
        cached = self.__dict__.get("_layers_cache")
        if cached is not None:
            return cached
        found = []
        seen = set()

        def visit(value, depth):
            if isinstance(value, LayerTrackingMixin):
                if id(value) not in seen and value is not self:
                    seen.add(id(value))
                    found.append(value)
            elif depth < 3 and isinstance(value, (list, tuple)):
                for v in value:
                    visit(v, depth + 1)
            elif depth < 3 and isinstance(value, dict):
                for v in value.values():
                    visit(v, depth + 1)

        for key, value in vars(self).items():
            if key not in _UNTRACKED:
                visit(value, 0)
        if self.__dict__.get("built"):
            self.__dict__["_layers_cache"] = found
        return found

    def _flatten_layers(self, include_self=True, recursive=True):
        out = [self] if include_self else []
        for layer in self._layers:
            out.append(layer)
            if recursive:
                out.extend(layer._flatten_layers(include_self=False))
        unique, seen = [], set()
        for layer in out:
            if id(layer) not in seen:
                seen.add(id(layer))
                unique.append(layer)
        return unique

    @property
    def trainable(self):
        """Whether the layer's weights are trained; setting it also sets it on every sub-layer.

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.trainable = False  # its weights move to non_trainable_weights
        """
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for layer in self._flatten_layers():
            layer._trainable = value
            # As in Keras 3 the weights follow (on torch this also stops their gradients);
            # weights created non-trainable (moving statistics) stay non-trainable.
            for variable in layer._own_trainable:
                variable.trainable = value

    def _collect(self, own, attr):
        out, seen = [], set()
        for v in own:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in self._layers:
            for v in getattr(layer, attr):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def weights(self):
        """All weights: this layer's (trainable first), then its sub-layers'."""
        return self._collect(self._own_trainable + self._own_non_trainable, "weights")

    @property
    def trainable_weights(self):
        """The weights that training updates (empty when ``trainable`` is False).

        Example:
            >>> layer = lamina.layers.Dense(2)
            >>> layer.build((None, 3))
            >>> [w.shape for w in layer.trainable_weights]
            [(3, 2), (2,)]
        """
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        """The weights that training does not update (all of them when ``trainable`` is False).

        Example:
            >>> layer = lamina.layers.BatchNormalization()
            >>> layer.build((None, 3))
            >>> [w.name for w in layer.non_trainable_weights]
            ['moving_mean', 'moving_variance']
        """
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def variables(self):
        """Weights plus the state of seed generators (metric state is not included)."""
        own = self._own_trainable + self._own_non_trainable
        own += [g.state for g in self._seed_generators]
        return self._collect(own, "variables")

    @property
    def trainable_variables(self):
        """The same list as ``trainable_weights`` (the Keras 3 name for optimizers and custom loops).

        Example:
            >>> grads_and_vars = zip(grads, model.trainable_variables)
        """
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        """Non-trainable weights plus other state, such as seed-generator states.

        Example:
            >>> layer = lamina.layers.Dropout(0.5, seed=1)
            >>> len(layer.non_trainable_variables)  # the seed generator's state
            1
        """
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    @property
    def metrics_variables(self):
        """The state variables of the metrics tracked by this layer and its sub-layers.

        Example:
            >>> [v.name for v in model.metrics_variables]  # after compile(..., metrics=["accuracy"])
        """
        out = []
        for layer in self._flatten_layers():
            for metric in layer._tracked_metrics:
                out.extend(metric.variables)
        return out

    @property
    def metrics(self):
        """The metric objects tracked by this layer and its sub-layers.

        Example:
            >>> layer.metrics  # [] for a layer without metrics
        """
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._tracked_metrics)
        return out

    def add_loss(self, loss):
        """Adds a loss tensor (e.g. an activity penalty) to ``layer.losses``.

        Example:
            >>> class Sparse(lamina.layers.Layer):
            ...     def call(self, x):
            ...         self.add_loss(0.01 * lamina.ops.sum(lamina.ops.abs(x)))
            ...         return x
        """
        scope = get_stateless_scope()
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
        self._losses.append(loss)

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses.clear()

    @property
    def losses(self):
        """Losses added in the last call, plus the weight regularization penalties."""
        if self._losses_override is not None:
            out = list(self._losses_override)
        else:
            out = []
            for layer in self._flatten_layers():
                out.extend(layer._losses)
        scope = get_stateless_scope()
        for variable in self.trainable_weights:
            if variable.regularizer is None:
                continue
            value = variable
            if scope is not None:
                current = scope.get_current_value(variable)
                if current is not None:
                    value = current
            out.append(variable.regularizer(value))
        return out
