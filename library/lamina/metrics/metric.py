"""The Metric base class: state variables, ``update_state``, ``result``, and their
stateless versions for JAX training steps.

Example:
    >>> m = lamina.metrics.Mean()
    >>> m.update_state([1.0, 3.0]); float(m.result())
    2.0
"""

from lamina import ops
from lamina.backend.common import dtypes
from lamina.backend.common.scopes import StatelessScope, name_scope
from lamina.backend.common.variables import Variable
from lamina.backend.config import floatx
from lamina.saving.object_registry import keras_export


@keras_export("keras.metrics")
class Metric:
    """Base class of metrics.

    Subclasses create state with :meth:`add_variable` in ``__init__``, update it in
    ``update_state(...)`` and compute the value in ``result()``.

    Args:
        dtype: the dtype of the state and result (default ``floatx()``).
        name: the metric name shown in logs.

    Example:
        >>> class Count(lamina.metrics.Metric):
        ...     def __init__(self, name="count"):
        ...         super().__init__(name=name)
        ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
        ...     def update_state(self, values):
        ...         self.n.assign_add(lamina.ops.cast(lamina.ops.size(values), "float32"))
        ...     def result(self):
        ...         return self.n.value
    """

    def __init__(self, dtype=None, name=None):
        from lamina.ops.operation import to_snake_case

        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = dtypes.standardize_dtype(
            getattr(dtype, "compute_dtype", dtype) if dtype is not None else floatx()
        )
        self._variables = []
        self._metrics = []

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable."""
        from lamina import initializers

        with name_scope(self.name.replace("/", ">"), caller=self):
            variable = Variable(initializers.get(initializer), shape=shape,
                                dtype=dtypes.standardize_dtype(dtype or self._dtype),
                                trainable=False, aggregation=aggregation, name=name)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of :meth:`add_variable`."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for metric in self._metrics:
            out.extend(metric.variables)
        return out

    def __setattr__(self, name, value):
        if isinstance(value, Metric) and name != "_metrics" and "_metrics" in self.__dict__:
            if value not in self._metrics:
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    def reset_state(self):
        """Sets every state variable back to zero."""
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def _check_state(self, metric_variables, what):
        if len(metric_variables) != len(self.variables):
            raise ValueError(
                f"{what} on metric {self.name!r}: expected {len(self.variables)} variable values, "
                f"received {len(metric_variables)}."
            )

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Returns the new variable values after an update, without changing the metric."""
        self._check_state(metric_variables, "stateless_update_state")
        mapping = list(zip(self.variables, metric_variables))
        with StatelessScope(state_mapping=mapping) as scope:
            self.update_state(*args, **kwargs)
        out = []
        for v, old in zip(self.variables, metric_variables):
            new = scope.get_current_value(v)
            out.append(old if new is None else new)
        return out

    def stateless_result(self, metric_variables):
        """The result for the given variable values."""
        self._check_state(metric_variables, "stateless_result")
        with StatelessScope(state_mapping=list(zip(self.variables, metric_variables))):
            return self.result()

    def stateless_reset_state(self):
        """Zeroed variable values, without changing the metric."""
        with StatelessScope() as scope:
            self.reset_state()
        return [scope.get_current_value(v) for v in self.variables]

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
