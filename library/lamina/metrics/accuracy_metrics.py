"""The accuracy family: functions of per-sample matches and the metrics averaging them."""

from lamina import ops
from lamina.backend.config import floatx
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


@keras_export(_MODULE)
def accuracy(y_true, y_pred):
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0.

    Example:
        >>> lamina.metrics.accuracy(np.array([1, 2]), np.array([1, 3]))  # [1., 0.]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), dtype=floatx())


@keras_export(_MODULE)
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` matches the 0/1 target, averaged on the last axis.

    Example:
        >>> lamina.metrics.binary_accuracy(np.array([[1.0]]), np.array([[0.7]]))  # [1.]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    threshold = ops.cast(threshold, y_pred.dtype)
    y_pred = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return ops.mean(ops.cast(ops.equal(y_true, y_pred), dtype=floatx()), axis=-1)


@keras_export(_MODULE)
def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of ``y_pred`` equals the arg-max of the one-hot target.

    Example:
        >>> lamina.metrics.categorical_accuracy(np.array([[0, 1]]), np.array([[0.3, 0.7]]))  # [1.]
    """
    y_true = ops.argmax(y_true, axis=-1)
    return _sparse_matches(y_true, y_pred)


def _sparse_matches(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    original_shape = tuple(y_true.shape)
    reshape = False
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
        reshape = True
    y_pred = ops.argmax(y_pred, axis=-1)
    y_true = ops.cast(y_true, y_pred.dtype) if y_true.dtype != y_pred.dtype else y_true
    matches = ops.cast(ops.equal(y_true, y_pred), floatx())
    if reshape:
        matches = ops.reshape(matches, tuple(-1 if d is None else d for d in original_shape))
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


@keras_export(_MODULE)
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of ``y_pred`` equals the integer label.

    Example:
        >>> lamina.metrics.sparse_categorical_accuracy(np.array([1]), np.array([[0.3, 0.7]]))  # [1.]
    """
    return _sparse_matches(y_true, y_pred)


@keras_export(_MODULE)
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target's class is among the ``k`` largest predictions.

    Example:
        >>> lamina.metrics.top_k_categorical_accuracy(np.eye(3)[[2]], np.array([[0.5, 0.3, 0.2]]), k=2)
    """
    y_true = ops.argmax(y_true, axis=-1)
    return sparse_top_k_categorical_accuracy(y_true, y_pred, k=k)


@keras_export(_MODULE)
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the ``k`` largest predictions.

    Example:
        >>> lamina.metrics.sparse_top_k_categorical_accuracy(np.array([0]), np.array([[0.5, 0.3, 0.2]]), k=1)
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    y_true = ops.cast(y_true, "int32")
    if from_sorted_ids:
        hits = ops.any(ops.equal(ops.expand_dims(y_true, -1), y_pred[..., :k]), axis=-1)
    else:
        hits = ops.in_top_k(y_true, y_pred, k)
    return ops.cast(hits, floatx())


def _wrapper(fn, default_name, doc, extra_params=()):
    def __init__(self, name=default_name, dtype=None, **kwargs):
        unknown = set(kwargs) - set(extra_params)
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected arguments {sorted(unknown)}.")
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **kwargs)
        self._direction = "up"

    cls_name = "".join(part.capitalize() for part in default_name.split("_"))
    cls = type(cls_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                "__module__": __name__})
    return keras_export(_MODULE)(cls)


Accuracy = _wrapper(accuracy, "accuracy", """How often predictions equal labels exactly.

    Example:
        >>> m = lamina.metrics.Accuracy(); m.update_state([1, 2], [1, 3]); float(m.result())
        0.5
    """)


@keras_export(_MODULE)
class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches binary labels.

    Example:
        >>> lamina.metrics.BinaryAccuracy(threshold=0.5)
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self._direction = "up"


CategoricalAccuracy = _wrapper(categorical_accuracy, "categorical_accuracy",
                               """How often the arg-max prediction matches one-hot labels.

    Example:
        >>> lamina.metrics.CategoricalAccuracy()
    """)
SparseCategoricalAccuracy = _wrapper(sparse_categorical_accuracy, "sparse_categorical_accuracy",
                                     """How often the arg-max prediction matches integer labels.

    Example:
        >>> lamina.metrics.SparseCategoricalAccuracy()
    """)


@keras_export(_MODULE)
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the top ``k`` predictions.

    Example:
        >>> lamina.metrics.TopKCategoricalAccuracy(k=3)
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self._direction = "up"


@keras_export(_MODULE)
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` predictions.

    Example:
        >>> lamina.metrics.SparseTopKCategoricalAccuracy(k=3)
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self._direction = "up"
