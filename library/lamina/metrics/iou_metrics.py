"""Intersection-over-union metrics for segmentation and classification: a class confusion
matrix accumulated over batches, and ``tp / (tp + fp + fn)`` per class from it.

Example:
    >>> m = lamina.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); float(m.result())
    0.33333334
"""

import warnings

from lamina import ops
from lamina.backend.config import epsilon
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import confusion_matrix
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


class _IoUBase(Metric):
    """Accumulates the ``(num_classes, num_classes)`` confusion matrix (rows: labels)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), initializer="zeros",
                                          dtype=self.dtype, name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) class confusion matrix.

        Labels or predictions outside ``[0, num_classes)``, and labels equal to
        ``ignore_class``, are left out.
        """
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        if len(y_pred.shape) > 1:
            y_pred = ops.reshape(y_pred, [-1])
        if len(y_true.shape) > 1:
            y_true = ops.reshape(y_true, [-1])
        if sample_weight is None:
            sample_weight = 1
        elif ("float" in str(getattr(sample_weight, "dtype", ""))
              and "int" in str(self.dtype)):
            warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                          "result in an incorrect weight due to type casting Consider using "
                          "integer weights.", stacklevel=2)
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
        if len(sample_weight.shape) > 1:
            sample_weight = ops.reshape(sample_weight, [-1])
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(y_true))

        num_cls = ops.convert_to_tensor(self.num_classes, dtype=y_true.dtype)
        valid = ops.logical_and(
            ops.logical_and(ops.greater_equal(y_true, 0), ops.less(y_true, num_cls)),
            ops.logical_and(ops.greater_equal(y_pred, 0), ops.less(y_pred, num_cls)))
        if self.ignore_class is not None:
            ignore = ops.convert_to_tensor(self.ignore_class, y_true.dtype)
            valid = ops.logical_and(valid, ops.not_equal(y_true, ignore))
        zero = ops.zeros((), dtype=y_true.dtype)
        y_true = ops.where(valid, y_true, zero)
        y_pred = ops.where(valid, y_pred, ops.zeros((), dtype=y_pred.dtype))
        sample_weight = ops.cast(
            ops.where(valid, sample_weight, ops.zeros((), dtype=sample_weight.dtype)), self.dtype)
        current = confusion_matrix(ops.cast(y_true, self.dtype), ops.cast(y_pred, self.dtype),
                                   self.num_classes, weights=sample_weight, dtype=self.dtype)
        self.total_cm.assign(self.total_cm.value + current)

    def reset_state(self):
        self.total_cm.assign(ops.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


@keras_export(_MODULE)
class IoU(_IoUBase):
    """Mean intersection-over-union ``tp / (tp + fp + fn)`` over ``target_class_ids``.

    Classes with no label and no prediction are left out of the mean.

    Args:
        num_classes: number of classes.
        target_class_ids: the class ids to average the IoU of.
        name: metric name.
        dtype: dtype of the accumulated confusion matrix (default ``"int"``).
        ignore_class: a label value left out of the counts (e.g. a "void" class).
        sparse_y_true: whether labels are class ids (else one-hot / scores: arg-max taken).
        sparse_y_pred: whether predictions are class ids (else scores: arg-max taken).
        axis: the class axis for the arg-max.

    Example:
        >>> m = lamina.metrics.IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); float(m.result())
        0.3333333
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
                         dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = self.total_cm.value
        predicted = ops.cast(ops.sum(cm, axis=0), self.dtype)
        actual = ops.cast(ops.sum(cm, axis=1), self.dtype)
        tp = ops.cast(ops.diagonal(cm), self.dtype)
        union = predicted + actual - tp
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        tp = ops.cast(ops.take_along_axis(tp, ids, axis=-1), "float32")
        union = ops.cast(ops.take_along_axis(union, ids, axis=-1), "float32")
        valid = ops.greater(union, 1e-9)
        num_valid = ops.sum(ops.cast(valid, "float32"))
        iou = ops.where(valid, ops.divide(tp, union + epsilon()), ops.zeros((), "float32"))
        return ops.divide(ops.sum(iou, axis=self.axis), num_valid + epsilon())

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@keras_export(_MODULE)
class BinaryIoU(IoU):
    """IoU of binary labels with predictions thresholded at ``threshold``
    (``y_pred >= threshold`` is class 1).

    Args:
        target_class_ids: the classes (0 and/or 1) to average (default ``(0, 1)``).
        threshold: the decision threshold (default 0.5).
        name: metric name.
        dtype: dtype of the accumulated confusion matrix.

    Example:
        >>> m = lamina.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]); float(m.result())
        0.33333334
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype="float32")
        y_pred = ops.cast(ops.greater_equal(y_pred, self.threshold), self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self._dtype}


@keras_export(_MODULE)
class MeanIoU(IoU):
    """The IoU averaged over every class.

    Args:
        num_classes: number of classes.
        name: metric name.
        dtype: dtype of the accumulated confusion matrix.
        ignore_class: a label value left out of the counts.
        sparse_y_true: whether labels are class ids.
        sparse_y_pred: whether predictions are class ids.
        axis: the class axis for the arg-max.

    Example:
        >>> m = lamina.metrics.MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[1, 1, 2, 1])
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@keras_export(_MODULE)
class OneHotIoU(IoU):
    """IoU over ``target_class_ids`` for one-hot labels (and score predictions).

    Args:
        num_classes: number of classes.
        target_class_ids: the class ids to average the IoU of.
        name: metric name.
        dtype: dtype of the accumulated confusion matrix.
        ignore_class: a class id left out of the counts.
        sparse_y_pred: whether predictions are class ids (default False: arg-max taken).
        axis: the class axis.

    Example:
        >>> m = lamina.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state(np.eye(3)[[0, 1, 2]], np.eye(3)[[0, 2, 2]])
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self._dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@keras_export(_MODULE)
class OneHotMeanIoU(MeanIoU):
    """The IoU averaged over every class, for one-hot labels (and score predictions).

    Args:
        num_classes: number of classes.
        name: metric name.
        dtype: dtype of the accumulated confusion matrix.
        ignore_class: a class id left out of the counts.
        sparse_y_pred: whether predictions are class ids (default False: arg-max taken).
        axis: the class axis.

    Example:
        >>> m = lamina.metrics.OneHotMeanIoU(num_classes=3)
        >>> m.update_state(np.eye(3)[[0, 1, 2]], np.eye(3)[[0, 2, 2]])
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
