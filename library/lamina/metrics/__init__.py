"""``lamina.metrics``: what training reports.

Example:
    >>> model.compile(optimizer="adam", loss="mse", metrics=["mae", lamina.metrics.RootMeanSquaredError()])
"""

from lamina.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from lamina.metrics.metric import Metric  # noqa: F401
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum  # noqa: F401
from lamina.saving.object_registry import builtin_objects
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_ALIASES = {"acc": "accuracy", "mse": "mean_squared_error", "mae": "mean_absolute_error",
            "MSE": "mean_squared_error", "MAE": "mean_absolute_error"}


def _table():
    table = {}
    table.update(builtin_objects("keras.losses"))
    table.update(builtin_objects("keras.metrics"))
    return table


def serialize(metric):
    """The Keras-format config of a metric."""
    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Builds a metric from a config dict or a name."""
    return deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_table())


def get(identifier):
    """Returns a metric (or metric function) from a Metric, a name, a config dict or a callable.

    Example:
        >>> lamina.metrics.get("mae")
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        name = _ALIASES.get(identifier, identifier)
        table = builtin_objects("keras.metrics")
        obj = table.get(name)
        if obj is None:
            obj = builtin_objects("keras.losses").get(name)
        if obj is None:
            known = sorted(k for k in table if not k[0].isupper())
            raise ValueError(f"Unknown metric {identifier!r}. Known metric names: {known}.")
        return obj() if isinstance(obj, type) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")

