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
from lamina.metrics.auc_metrics import AUC  # noqa: F401
from lamina.metrics.confusion_metrics import (  # noqa: F401
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from lamina.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from lamina.metrics.iou_metrics import (  # noqa: F401
    BinaryIoU,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum  # noqa: F401
from lamina.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge  # noqa: F401
from lamina.metrics.probabilistic_metrics import (  # noqa: F401
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from lamina.metrics.regression_metrics import (  # noqa: F401
    ConcordanceCorrelation,
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    PearsonCorrelation,
    R2Score,
    RootMeanSquaredError,
    concordance_correlation,
    pearson_correlation,
)
from lamina.losses import (  # noqa: F401,E402  (the loss functions keras.metrics re-exports)
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from lamina.saving.object_registry import builtin_objects
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_ALIASES = {"acc": "accuracy", "mse": "mean_squared_error", "mae": "mean_absolute_error",
            "MSE": "mean_squared_error", "MAE": "mean_absolute_error",
            "bce": "binary_crossentropy", "BCE": "binary_crossentropy",
            "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
            "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error"}


def _class_by_snake_name(table, name):
    """Like Keras, a metric class is also found by its snake-case name ("r2_score")."""
    from lamina.ops.operation import to_snake_case

    for obj in table.values():
        if isinstance(obj, type) and to_snake_case(obj.__name__) == name:
            return obj
    return None


def _table():
    table = {}
    table.update(builtin_objects("keras.losses"))
    table.update(builtin_objects("keras.metrics"))
    return table


def serialize(metric):
    """The Keras-format config of a metric.

    Example:
        >>> lamina.metrics.serialize(lamina.metrics.MeanSquaredError())["class_name"]
        'MeanSquaredError'
    """
    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Builds a metric from a config dict or a name.

    Example:
        >>> config = lamina.metrics.serialize(lamina.metrics.MeanSquaredError())
        >>> type(lamina.metrics.deserialize(config)).__name__
        'MeanSquaredError'
    """
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
        obj = table.get(name) if name[:1].isupper() else None
        if obj is None:
            obj = _class_by_snake_name(table, name) or table.get(name)
        if obj is None:
            obj = builtin_objects("keras.losses").get(name)
        if obj is None:
            known = sorted(k for k in table if not k[0].isupper())
            raise ValueError(f"Unknown metric {identifier!r}. Known metric names: {known}.")
        return obj() if isinstance(obj, type) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")

