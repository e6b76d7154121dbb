"""Metrics counted from the binary confusion matrix at one or several thresholds: the four
counts, Precision, Recall, and the "X at fixed Y" family. (AUC lives in ``auc_metrics``.)

Example:
    >>> m = lamina.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
    0.6666667
"""

from lamina import ops
from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import ConfusionMatrix
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


def _zeros_variable(metric, shape, name):
    return metric.add_variable(shape=shape, initializer="zeros", name=name)


def _pick_single(values, thresholds):
    """The value at the only threshold, or every value when there are several."""
    return values[0] if len(thresholds) == 1 else values


class _ConfusionMatrixConditionCount(Metric):
    """Accumulates one confusion-matrix cell at each threshold."""

    def __init__(self, confusion_matrix_cond, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._confusion_matrix_cond = confusion_matrix_cond
        self.init_thresholds = thresholds
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds)
        self.accumulator = _zeros_variable(self, (len(self.thresholds),), "accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) count at every threshold."""
        metrics_utils.update_confusion_matrix_variables(
            {self._confusion_matrix_cond: self.accumulator}, y_true, y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight)

    def result(self):
        return ops.convert_to_tensor(_pick_single(self.accumulator.value, self.thresholds))

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@keras_export(_MODULE)
class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives: label 0, ``y_pred > threshold``.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5); with a list the
            result has one value per threshold.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1]); float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.FALSE_POSITIVES, thresholds=thresholds, name=name,
                         dtype=dtype)


@keras_export(_MODULE)
class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives: label 1, ``y_pred <= threshold``.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0]); float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.FALSE_NEGATIVES, thresholds=thresholds, name=name,
                         dtype=dtype)


@keras_export(_MODULE)
class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives: label 0, ``y_pred <= threshold``.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0]); float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.TRUE_NEGATIVES, thresholds=thresholds, name=name,
                         dtype=dtype)


@keras_export(_MODULE)
class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives: label 1, ``y_pred > threshold``.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5).
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.TRUE_POSITIVES, thresholds=thresholds, name=name,
                         dtype=dtype)


class _PrecisionRecallBase(Metric):
    """Precision and Recall: true positives and one error count at each threshold."""

    _error_cell = None
    _error_name = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds)
        n = len(self.thresholds)
        self.true_positives = _zeros_variable(self, (n,), "true_positives")
        setattr(self, self._error_name, _zeros_variable(self, (n,), self._error_name))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's true positives and errors at every threshold."""
        metrics_utils.update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             self._error_cell: getattr(self, self._error_name)},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        tp = self.true_positives.value
        value = ops.divide_no_nan(tp, ops.add(tp, getattr(self, self._error_name).value))
        return _pick_single(value, self.thresholds)

    def reset_state(self):
        n = len(self.thresholds)
        self.true_positives.assign(ops.zeros((n,), dtype=self.true_positives.dtype))
        errors = getattr(self, self._error_name)
        errors.assign(ops.zeros((n,), dtype=errors.dtype))

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@keras_export(_MODULE)
class Precision(_PrecisionRecallBase):
    """Precision ``tp / (tp + fp)`` of the predictions above a threshold.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``; a prediction above it counts as
            positive (default 0.5, or "in the top k" when ``top_k`` is set).
        top_k: only the ``top_k`` largest predictions of the last axis count as positive.
        class_id: the class (last-axis index) to compute the precision of.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.Precision(top_k=2)
        >>> m.update_state([0, 0, 1, 1], [1, 1, 1, 1]); float(m.result())
        0.0
    """

    _error_cell = ConfusionMatrix.FALSE_POSITIVES
    _error_name = "false_positives"


@keras_export(_MODULE)
class Recall(_PrecisionRecallBase):
    """Recall ``tp / (tp + fn)`` of the predictions above a threshold.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5, or "in the top k"
            when ``top_k`` is set).
        top_k: only the ``top_k`` largest predictions of the last axis count as positive.
        class_id: the class (last-axis index) to compute the recall of.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
        0.6666667
    """

    _error_cell = ConfusionMatrix.FALSE_NEGATIVES
    _error_name = "false_negatives"


class SensitivitySpecificityBase(Metric):
    """Base of the "best X while Y is at least ``value``" metrics over ``num_thresholds``
    evenly spaced thresholds in ``[0, 1]``.

    Example:
        >>> lamina.metrics.SensitivityAtSpecificity(0.5, num_thresholds=11)
    """

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        n = len(self.thresholds)
        self.true_positives = _zeros_variable(self, (n,), "true_positives")
        self.false_positives = _zeros_variable(self, (n,), "false_positives")
        self.true_negatives = _zeros_variable(self, (n,), "true_negatives")
        self.false_negatives = _zeros_variable(self, (n,), "false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's four confusion-matrix counts at every threshold."""
        metrics_utils.update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
             ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
             ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id, sample_weight=sample_weight)

    def reset_state(self):
        n = len(self.thresholds)
        for v in (self.true_positives, self.false_positives, self.true_negatives,
                  self.false_negatives):
            v.assign(ops.zeros((n,), dtype=v.dtype))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "sensitivity": ops.divide_no_nan(tp, ops.add(tp, fn)),
            "specificity": ops.divide_no_nan(tn, ops.add(tn, fp)),
            "precision": ops.divide_no_nan(tp, ops.add(tp, fp)),
        }

    def _find_max_under_constraint(self, constrained, dependent, predicate):
        """The largest ``dependent`` value where ``predicate(constrained, value)`` holds (0 if
        none does)."""
        feasible = predicate(constrained, self.value)
        return ops.max(ops.where(feasible, dependent, ops.zeros((), dependent.dtype)), initial=0)


def _check_unit_range(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. "
                         f"Received: {name}={value}")


@keras_export(_MODULE)
class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) over thresholds whose specificity is at least
    ``specificity``.

    Args:
        specificity: a float in ``[0, 1]``.
        num_thresholds: number of evenly spaced thresholds (default 200).
        class_id: the class (last-axis index) to compute the metric for.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
        0.5
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit_range("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._find_max_under_constraint(r["specificity"], r["sensitivity"],
                                               ops.greater_equal)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "specificity": self.specificity}


@keras_export(_MODULE)
class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity over thresholds whose sensitivity is at least ``sensitivity``.

    Args:
        sensitivity: a float in ``[0, 1]``.
        num_thresholds: number of evenly spaced thresholds (default 200).
        class_id: the class (last-axis index) to compute the metric for.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
        0.6666667
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit_range("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._find_max_under_constraint(r["sensitivity"], r["specificity"],
                                               ops.greater_equal)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "sensitivity": self.sensitivity}


@keras_export(_MODULE)
class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision over thresholds whose recall is at least ``recall``.

    Args:
        recall: a float in ``[0, 1]``.
        num_thresholds: number of evenly spaced thresholds (default 200).
        class_id: the class (last-axis index) to compute the metric for.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
        0.5
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit_range("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(value=recall, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._find_max_under_constraint(r["sensitivity"], r["precision"],
                                               ops.greater_equal)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "recall": self.recall}


@keras_export(_MODULE)
class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall over thresholds whose precision is at least ``precision``.

    Args:
        precision: a float in ``[0, 1]``.
        num_thresholds: number of evenly spaced thresholds (default 200).
        class_id: the class (last-axis index) to compute the metric for.
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
        0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit_range("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(value=precision, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._find_max_under_constraint(r["precision"], r["sensitivity"],
                                               ops.greater_equal)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "precision": self.precision}
