"""AUC: the area under the ROC or precision-recall curve, approximated by a Riemann sum over
confusion-matrix counts at a fixed set of thresholds.

Example:
    >>> m = lamina.metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
    0.75
"""

import numpy as np

from lamina import ops
from lamina.backend.config import epsilon
from lamina.metrics import metrics_utils
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import AUCCurve, AUCSummationMethod, ConfusionMatrix
from lamina.saving.object_registry import keras_export


@keras_export("keras.metrics")
class AUC(Metric):
    """Approximates the area under the ROC or PR curve.

    The predictions are compared with ``num_thresholds`` thresholds; the true/false
    positive/negative counts at each give points of the curve, and the area is a Riemann sum.

    Args:
        num_thresholds: number of evenly spaced thresholds (> 1, default 200).
        curve: ``"ROC"`` (default), ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (default; for PR, interpolates the counts as in
            Davis & Goadrich 2006), ``"minoring"`` (lower sum) or ``"majoring"`` (upper sum).
        name: metric name.
        dtype: dtype of the result.
        thresholds: explicit thresholds in ``[0, 1]``; replaces ``num_thresholds``
            (``0 - epsilon`` and ``1 + epsilon`` are added at the ends).
        multi_label: treat the last axis as independent labels, compute one AUC each and
            average them, instead of flattening every prediction into one curve.
        num_labels: number of labels when ``multi_label`` (otherwise found at the first update).
        label_weights: per-label weights: for ``multi_label``, of the per-label AUCs in the
            average; otherwise, of each label's counts.
        from_logits: apply a sigmoid to ``y_pred`` first.

    Example:
        >>> m = lamina.metrics.AUC(curve="PR", from_logits=True)
        >>> m.update_state([0, 1, 1], [-2.0, 0.5, 3.0])
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - epsilon()] + thresholds + [1.0 + epsilon()])
        self.curve = curve if isinstance(curve, AUCCurve) else AUCCurve.from_str(curve)
        self.summation_method = (summation_method
                                 if isinstance(summation_method, AUCSummationMethod)
                                 else AUCSummationMethod.from_str(summation_method))
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        if isinstance(label_weights, dict) and label_weights.get("class_name") == "__tensor__":
            label_weights = label_weights["config"]["value"]  # as Keras serializes a tensor
        self.label_weights = (None if label_weights is None
                              else ops.array(label_weights, dtype=self.dtype))
        self._label_weights_list = (None if label_weights is None
                                    else [float(w) for w in np.asarray(label_weights).ravel()])
        self._from_logits = from_logits
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, including the ``-epsilon`` and ``1 + epsilon`` ends."""
        return [float(t) for t in self._thresholds]

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                                 f"{len(shape)}. Full shape received for `y_pred`: {shape}")
            if shape[1] is None:
                raise ValueError("AUC(multi_label=True) needs a known number of labels: pass "
                                 "`num_labels` or inputs whose last dimension is known.")
            self._num_labels = int(shape[1])
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer="zeros",
                                                  name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion-matrix counts at every threshold."""
        y_pred = ops.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        metrics_utils.update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
             ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
             ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights)

    def _counts(self):
        return (self.true_positives.value, self.false_positives.value,
                self.true_negatives.value, self.false_negatives.value)

    def _aggregate(self, terms):
        """Sums the per-interval terms into one area (averaging labels when multi_label)."""
        if not self.multi_label:
            return ops.sum(terms)
        by_label = ops.sum(terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(ops.sum(ops.multiply(by_label, self.label_weights)),
                                 ops.sum(self.label_weights))

    def interpolate_pr_auc(self):
        """The PR area with precision interpolated between thresholds (Davis & Goadrich).

        Between two thresholds the true positives grow linearly with the predicted
        positives ``p``, so precision is ``slope + intercept / p`` and its integral over recall
        has a closed form.

        Example:
            >>> lamina.metrics.AUC(curve="PR").interpolate_pr_auc()
        """
        tp, fp, _, fn = self._counts()
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        both_positive = ops.logical_and(p[: n - 1] > 0, p[1:] > 0)
        safe_p_ratio = ops.where(both_positive,
                                 ops.divide_no_nan(p[: n - 1], ops.maximum(p[1:], 0)),
                                 ops.ones_like(p[1:]))
        increments = ops.divide_no_nan(prec_slope * (dtp + intercept * ops.log(safe_p_ratio)),
                                       ops.maximum(tp[1:] + fn[1:], 0))
        return self._aggregate(increments)

    def result(self):
        if self.curve == AUCCurve.PR and self.summation_method == AUCSummationMethod.INTERPOLATION:
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self._counts()
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == AUCCurve.ROC:
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        elif self.curve == AUCCurve.PR:
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * ops.divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * ops.divide_no_nan(fp, tp)
            no_tp = ops.equal(tp, 0.0)
            recall_gain = ops.where(no_tp, ops.zeros_like(recall_gain), recall_gain)
            precision_gain = ops.where(no_tp, ops.ones_like(precision_gain), precision_gain)
            x, y = ops.maximum(recall_gain, 0.0), precision_gain
        n = self.num_thresholds
        if self.summation_method == AUCSummationMethod.INTERPOLATION:
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == AUCSummationMethod.MINORING:
            heights = ops.minimum(y[: n - 1], y[1:])
        else:
            heights = ops.maximum(y[: n - 1], y[1:])
        return self._aggregate((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            for v in (self.true_positives, self.false_positives, self.true_negatives,
                      self.false_negatives):
                v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self._label_weights_list,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}
