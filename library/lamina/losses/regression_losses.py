"""Regression losses: squared, absolute, percentage, logarithmic, cosine, Huber, log-cosh."""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.losses.loss import Loss, squeeze_or_expand_to_same_rank
from lamina.losses.losses import LossFunctionWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.losses"


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


@keras_export(_MODULE, "mse", "MSE")
def mean_squared_error(y_true, y_pred):
    """Mean of squared errors on the last axis: ``mean((y_true - y_pred)**2, axis=-1)``.

    Args:
        y_true: targets, shape ``(batch, d0, ..., dN)``.
        y_pred: predictions, same shape.

    Returns:
        Per-sample losses, shape ``(batch, d0, ..., dN-1)``.

    Example:
        >>> lamina.losses.mean_squared_error(np.zeros((2, 3)), np.ones((2, 3)))  # [1., 1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras_export(_MODULE, "mae", "MAE")
def mean_absolute_error(y_true, y_pred):
    """Mean of absolute errors on the last axis: ``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> lamina.losses.mean_absolute_error(np.zeros((1, 2)), np.ones((1, 2)))  # [1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.absolute(y_true - y_pred), axis=-1)


@keras_export(_MODULE, "mape", "MAPE")
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|(y_true - y_pred) / max(|y_true|, epsilon)|, axis=-1)``.

    Example:
        >>> lamina.losses.mean_absolute_percentage_error(np.array([[2.0]]), np.array([[1.0]]))
        ... # [50.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    diff = ops.absolute((y_true - y_pred) / ops.maximum(ops.absolute(y_true), eps))
    return 100.0 * ops.mean(diff, axis=-1)


@keras_export(_MODULE, "msle", "MSLE")
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))**2, axis=-1)``.

    Example:
        >>> lamina.losses.mean_squared_logarithmic_error(np.array([[0.0]]), np.array([[1.0]]))
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    first = ops.log(ops.maximum(y_pred, eps) + 1.0)
    second = ops.log(ops.maximum(y_true, eps) + 1.0)
    return ops.mean(ops.square(first - second), axis=-1)


@keras_export(_MODULE)
def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along ``axis`` (-1 means identical directions).

    Example:
        >>> lamina.losses.cosine_similarity(np.array([[1.0, 0.0]]), np.array([[2.0, 0.0]]))  # [-1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_pred = ops.normalize(y_pred, axis=axis)
    y_true = ops.normalize(y_true, axis=axis)
    return -ops.sum(y_true * y_pred, axis=axis)


@keras_export(_MODULE)
def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to ``delta``, linear above, averaged on the last axis.

    Example:
        >>> lamina.losses.huber(np.zeros((1, 1)), np.full((1, 1), 3.0))  # [2.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = y_pred - y_true
    abs_error = ops.absolute(error)
    half = ops.convert_to_tensor(0.5, dtype=abs_error.dtype)
    return ops.mean(ops.where(abs_error <= delta, half * ops.square(error),
                              delta * abs_error - half * ops.square(delta)), axis=-1)


@keras_export(_MODULE)
def log_cosh(y_true, y_pred):
    """Mean of ``log(cosh(y_pred - y_true))`` on the last axis (computed stably).

    Example:
        >>> lamina.losses.log_cosh(np.zeros((1, 1)), np.ones((1, 1)))  # [0.4338]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    log2 = ops.convert_to_tensor(ops.log(2.0), dtype=y_pred.dtype)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(x * -2.0) - log2, axis=-1)


class _PlainConfig:
    """Mixin: the config is only the base Loss config (name, reduction)."""

    def get_config(self):
        return Loss.get_config(self)


@keras_export(_MODULE)
class MeanSquaredError(_PlainConfig, LossFunctionWrapper):
    """Mean of squared errors.

    Args:
        reduction: how per-sample losses are reduced (default ``"sum_over_batch_size"``).
        name: the loss name.
        dtype: the computation dtype (default ``floatx()``).

    Example:
        >>> lamina.losses.MeanSquaredError()(np.zeros((2, 1)), np.ones((2, 1)))  # 1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


@keras_export(_MODULE)
class MeanAbsoluteError(_PlainConfig, LossFunctionWrapper):
    """Mean of absolute errors.

    Example:
        >>> lamina.losses.MeanAbsoluteError()(np.zeros((2, 1)), np.ones((2, 1)))  # 1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


@keras_export(_MODULE)
class MeanAbsolutePercentageError(_PlainConfig, LossFunctionWrapper):
    """Mean absolute percentage error.

    Example:
        >>> lamina.losses.MeanAbsolutePercentageError()(np.array([[2.0]]), np.array([[1.0]]))  # 50.
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


@keras_export(_MODULE)
class MeanSquaredLogarithmicError(_PlainConfig, LossFunctionWrapper):
    """Mean squared logarithmic error.

    Example:
        >>> lamina.losses.MeanSquaredLogarithmicError()(np.zeros((1, 1)), np.ones((1, 1)))
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


@keras_export(_MODULE)
class CosineSimilarity(_PlainConfig, LossFunctionWrapper):
    """Negative cosine similarity between targets and predictions.

    Args:
        axis: the axis along which the similarity is computed.

    Example:
        >>> lamina.losses.CosineSimilarity(axis=-1)(np.eye(2), np.eye(2))  # -1.0
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)
        self.axis = axis

    def get_config(self):
        # Keras 3.15 leaves ``axis`` out of the config (so it is lost on reload); we keep it.
        return {**Loss.get_config(self), "axis": self.axis}


@keras_export(_MODULE)
class Huber(_PlainConfig, LossFunctionWrapper):
    """Huber loss: quadratic for errors up to ``delta``, linear above.

    Args:
        delta: where the loss turns from quadratic to linear.

    Example:
        >>> lamina.losses.Huber(delta=1.0)(np.zeros((1, 1)), np.full((1, 1), 3.0))  # 2.5
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        # Keras 3.15 leaves ``delta`` out of the config (so it is lost on reload); we keep it.
        return {**Loss.get_config(self), "delta": self.delta}


@keras_export(_MODULE)
class LogCosh(_PlainConfig, LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Example:
        >>> lamina.losses.LogCosh()(np.zeros((1, 1)), np.ones((1, 1)))  # 0.4338
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
