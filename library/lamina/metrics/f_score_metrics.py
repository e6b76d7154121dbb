"""F-beta and F1 scores of multi-class / multi-label predictions.

Example:
    >>> m = lamina.metrics.F1Score(average="macro", threshold=0.5)
    >>> m.update_state(np.array([[1, 0], [0, 1]], "float32"), np.array([[0.9, 0.2], [0.6, 0.7]], "float32"))
"""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.metrics.metric import Metric
from lamina.saving.object_registry import keras_export


@keras_export("keras.metrics")
class FBetaScore(Metric):
    """The F-beta score ``(1 + b^2) * precision * recall / (b^2 * precision + recall)``.

    Inputs are 2-D ``(batch_size, num_classes)``. Without ``threshold``, the largest
    prediction of each row counts as the predicted class; with it, every prediction above it
    counts as positive.

    Args:
        average: ``None`` (one score per class), ``"micro"`` (global counts), ``"macro"`` (mean
            of per-class scores) or ``"weighted"`` (mean weighted by class support).
        beta: a positive Python float; the weight of recall relative to precision.
        threshold: a Python float in ``(0, 1]``, or ``None`` (arg-max).
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0]], "float32"),
        ...                np.array([[0.9, 0.1, 0.6], [0.2, 0.6, 0.8]], "float32"))
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: "
                             f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold} of type "
                                 f"'{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim), "
                             "with output_dim fully defined (not None). Received input shapes: "
                             f"y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, initializer="zeros",
                                                  dtype=self.dtype, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) per-class true positives, false positives, false
        negatives and supports."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            y_pred = ops.logical_and(y_pred >= row_max, ops.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = ops.cast(y_pred, self.dtype)
        y_true = ops.cast(y_true, self.dtype)
        if sample_weight is not None:
            sample_weight = ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype=self.dtype),
                                            1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight
            return ops.sum(values, axis=self.axis)

        for variable, values in ((self.true_positives, y_pred * y_true),
                                 (self.false_positives, y_pred * (1 - y_true)),
                                 (self.false_negatives, (1 - y_pred) * y_true),
                                 (self.intermediate_weights, y_true)):
            variable.assign(variable.value + weighted_sum(values))

    def result(self):
        if not self._built:
            raise ValueError(f"{type(self).__name__} has no state yet: call update_state() "
                             "before result().")
        tp, fp, fn = self.true_positives.value, self.false_positives.value, \
            self.false_negatives.value
        precision = ops.convert_to_tensor(ops.divide(tp, tp + fp + epsilon()), dtype=self.dtype)
        recall = ops.convert_to_tensor(ops.divide(tp, tp + fn + epsilon()), dtype=self.dtype)
        beta_sq = self.beta ** 2
        score = ops.divide(precision * recall, beta_sq * precision + recall + epsilon())
        score = score * (1 + beta_sq)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            weights = ops.divide(support, ops.sum(support) + epsilon())
            score = ops.sum(score * weights)
        elif self.average is not None:
            score = ops.mean(score)
        return score

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {**super().get_config(), "name": self.name, "dtype": self.dtype,
                "average": self.average, "beta": self.beta, "threshold": self.threshold}


@keras_export("keras.metrics")
class F1Score(FBetaScore):
    """The F1 score: the harmonic mean of precision and recall (F-beta with ``beta=1``).

    Args:
        average: ``None``, ``"micro"``, ``"macro"`` or ``"weighted"`` (see FBetaScore).
        threshold: a Python float in ``(0, 1]``, or ``None`` (arg-max).
        name: metric name.
        dtype: dtype of the result.

    Example:
        >>> m = lamina.metrics.F1Score(threshold=0.5)
        >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0]], "float32"),
        ...                np.array([[0.9, 0.1, 0.6], [0.2, 0.6, 0.8]], "float32"))
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
