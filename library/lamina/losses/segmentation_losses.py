"""Overlap losses for segmentation: Dice and Tversky."""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.losses.loss import Loss
from lamina.losses.losses import LossFunctionWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.losses"


@keras_export(_MODULE)
def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`` over ``axis``.

    Args:
        axis: the axes to reduce (``None``: all of them, giving one scalar).

    Example:
        >>> lamina.losses.dice(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))  # ~0.0
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    score = ops.divide(2.0 * intersection,
                       ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon())
    return 1 - score


@keras_export(_MODULE)
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * FP + beta * FN + epsilon)`` with soft counts over ``axis``.

    Args:
        alpha: the weight of false positives.
        beta: the weight of false negatives.
        axis: the axes to reduce (``None``: all of them).

    Example:
        >>> lamina.losses.tversky(np.array([[1.0, 0.0]]), np.array([[0.8, 0.2]]))
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    # Keras names: "fp" counts target mass where the prediction is low and "fn" the reverse.
    intersection = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    score = ops.divide(intersection, intersection + fp * alpha + fn * beta + epsilon())
    return 1 - score


@keras_export(_MODULE)
class Dice(LossFunctionWrapper):
    """Dice loss, ``1 - `` the soft Dice coefficient.

    Args:
        reduction: how per-sample losses are reduced.
        name: the loss name.
        axis: the axes the coefficient sums over (``None``: all).
        dtype: the computation dtype.

    Example:
        >>> lamina.losses.Dice(axis=(1, 2))
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


@keras_export(_MODULE)
class Tversky(LossFunctionWrapper):
    """Tversky loss, a Dice generalisation weighting false positives and negatives.

    Args:
        alpha: the false-positive weight.
        beta: the false-negative weight.
        axis: the axes reduced (``None``: all).

    Example:
        >>> lamina.losses.Tversky(alpha=0.3, beta=0.7)
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
        self.alpha, self.beta, self.axis = alpha, beta, axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta,
                "axis": self.axis}
