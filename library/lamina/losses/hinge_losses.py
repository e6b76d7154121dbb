"""Hinge losses for maximum-margin classification: hinge, squared hinge, categorical hinge."""

from lamina import ops
from lamina.losses.loss import Loss
from lamina.losses.losses import LossFunctionWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.losses"


def _to_signed_labels(y_true):
    """Maps 0/1 labels to -1/1 when every label is 0 or 1; leaves other labels alone."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


@keras_export(_MODULE)
def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``; 0/1 labels are mapped to -1/1.

    Example:
        >>> lamina.losses.hinge(np.array([[1.0, 0.0]]), np.array([[0.6, -0.4]]))  # [0.4]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _to_signed_labels(ops.cast(y_true, y_pred.dtype))
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@keras_export(_MODULE)
def squared_hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0) ** 2, axis=-1)``; 0/1 labels become -1/1.

    Example:
        >>> lamina.losses.squared_hinge(np.array([[1.0, 0.0]]), np.array([[0.6, -0.4]]))  # [0.16]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _to_signed_labels(ops.cast(y_true, y_pred.dtype))
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@keras_export(_MODULE)
def categorical_hinge(y_true, y_pred):
    """``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` on the last axis.

    Example:
        >>> lamina.losses.categorical_hinge(np.array([[0.0, 1.0]]), np.array([[0.3, 0.7]]))  # [0.6]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, ops.cast(0.0, y_pred.dtype))


@keras_export(_MODULE)
class Hinge(LossFunctionWrapper):
    """Hinge loss; targets are -1/1 (0/1 targets are converted).

    Example:
        >>> lamina.losses.Hinge()(np.array([[1.0, 0.0]]), np.array([[0.6, -0.4]]))  # 0.4
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


@keras_export(_MODULE)
class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss; targets are -1/1 (0/1 targets are converted).

    Example:
        >>> lamina.losses.SquaredHinge()(np.array([[1.0, 0.0]]), np.array([[0.6, -0.4]]))  # 0.16
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


@keras_export(_MODULE)
class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot targets.

    Example:
        >>> lamina.losses.CategoricalHinge()(np.array([[0.0, 1.0]]), np.array([[0.3, 0.7]]))  # 0.6
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
