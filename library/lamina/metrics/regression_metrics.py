"""Regression metrics: mean errors, RMSE, cosine similarity, log-cosh, R2 and correlations."""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.losses.regression_losses import (
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from lamina.metrics.metric import Metric
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


class _NameDtypeConfig:
    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_MODULE)
class MeanSquaredError(_NameDtypeConfig, MeanMetricWrapper):
    """The mean of squared errors over all samples seen.

    Args:
        name: the metric name.
        dtype: the dtype of the result.

    Example:
        >>> m = lamina.metrics.MeanSquaredError()
        >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]]); float(m.result())
        0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class MeanAbsoluteError(_NameDtypeConfig, MeanMetricWrapper):
    """The mean of absolute errors over all samples seen.

    Example:
        >>> m = lamina.metrics.MeanAbsoluteError()
        >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]]); float(m.result())
        0.5
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class MeanAbsolutePercentageError(_NameDtypeConfig, MeanMetricWrapper):
    """The mean absolute percentage error over all samples seen.

    Example:
        >>> m = lamina.metrics.MeanAbsolutePercentageError()
        >>> m.update_state([[2.0]], [[1.0]]); float(m.result())
        50.0
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class MeanSquaredLogarithmicError(_NameDtypeConfig, MeanMetricWrapper):
    """The mean squared logarithmic error over all samples seen.

    Example:
        >>> m = lamina.metrics.MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0]], [[1.0]]); round(float(m.result()), 4)
        0.4805
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class RootMeanSquaredError(Mean):
    """The square root of the mean of squared errors over all values seen.

    Example:
        >>> m = lamina.metrics.RootMeanSquaredError()
        >>> m.update_state([[0.0, 0.0]], [[3.0, 4.0]]); round(float(m.result()), 4)
        3.5355
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates squared errors, optionally weighted."""
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


def _cosine_similarity(y_true, y_pred, axis=-1):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.sum(ops.normalize(y_true, axis=axis) * ops.normalize(y_pred, axis=axis), axis=axis)


@keras_export(_MODULE)
class CosineSimilarity(_NameDtypeConfig, MeanMetricWrapper):
    """The mean cosine similarity between targets and predictions (1 = same direction).

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the similarity is computed.

    Example:
        >>> m = lamina.metrics.CosineSimilarity()
        >>> m.update_state([[0.0, 1.0]], [[0.0, 2.0]]); float(m.result())
        1.0
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(_cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"


@keras_export(_MODULE)
class LogCoshError(_NameDtypeConfig, MeanMetricWrapper):
    """The mean of ``log(cosh(y_pred - y_true))`` over all samples seen.

    Example:
        >>> m = lamina.metrics.LogCoshError()
        >>> m.update_state([[0.0]], [[1.0]]); round(float(m.result()), 4)
        0.4338
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class R2Score(Metric):
    """The coefficient of determination, accumulated over batches.

    Args:
        class_aggregation: how per-output scores combine: ``"uniform_average"`` (default),
            ``"variance_weighted_average"`` or ``None`` (one score per output).
        num_regressors: the number of independent variables for the adjusted R2 (0: plain).
        name: the metric name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = lamina.metrics.R2Score()
        >>> m.update_state(np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [2.0], [4.0]]))
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        allowed = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in allowed:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{allowed}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim), "
                             "with output_dim fully defined (not None). Received input shapes: "
                             f"y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable(shape=(n,), initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=(n,), initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=(n,), initializer="zeros", name="residual")
        self.count = self.add_variable(shape=(n,), initializer="zeros", name="count")
        self._built = True

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-output state for 2D targets and predictions of these shapes."""
        if not self._built:
            self._build(tuple(y_true_shape), tuple(y_pred_shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates sums, squared sums and residuals per output column."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if sample_weight is None:
            sample_weight = 1
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
        if len(sample_weight.shape) == 1:
            sample_weight = ops.expand_dims(sample_weight, axis=1)
        sample_weight = ops.cast(ops.broadcast_to(sample_weight, ops.shape(y_true)), y_true.dtype)
        weighted = y_true * sample_weight
        self.sum.assign(self.sum.value + ops.sum(weighted, axis=0))
        self.squared_sum.assign(self.squared_sum.value + ops.sum(y_true * weighted, axis=0))
        self.total_mse.assign(self.total_mse.value
                              + ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0))
        self.count.assign(self.count.value + ops.sum(sample_weight, axis=0))
        self.num_samples.assign(self.num_samples.value
                                + ops.cast(ops.size(y_true), self.num_samples.dtype))

    def result(self):
        if not self._built:
            return ops.zeros((), dtype=self.dtype)
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw = 1 - (self.total_mse.value / total)
        raw = ops.where(ops.isinf(raw), ops.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw) / ops.sum(total)
        else:
            score = raw
        if self.num_regressors != 0:
            # Adjusted R2; like Keras, falls back to the plain score when there are not more
            # samples than regressors + 1 (Keras also warns there; traced code cannot).
            n = ops.cast(self.num_samples.value, "float32")
            p = ops.convert_to_tensor(self.num_regressors, dtype="float32")
            den = n - p - 1.0
            safe_den = ops.where(den > 0, den, ops.ones_like(den))
            adjusted = 1.0 - (1.0 - ops.cast(score, "float32")) * (n - 1.0) / safe_den
            score = ops.where(den > 0, adjusted, ops.cast(score, "float32"))
        return score

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype,
                "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}


@keras_export(_MODULE)
def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient between targets and predictions along ``axis``.

    Example:
        >>> lamina.metrics.pearson_correlation(np.array([[1.0, 2.0, 3.0]]),
        ...                                    np.array([[2.0, 4.0, 7.0]]))  # [0.99]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    t = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    t = t / ops.std(t, axis=axis, keepdims=True)
    p = p / ops.std(p, axis=axis, keepdims=True)
    return ops.mean(t * p, axis=axis)


@keras_export(_MODULE)
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along ``axis``, computed as Keras 3.15 does.

    Note: like Keras 3.15, the covariance term centres ``y_true`` on the mean of ``y_pred``.

    Example:
        >>> lamina.metrics.concordance_correlation(np.array([[1.0, 2.0, 3.0]]),
        ...                                        np.array([[1.0, 2.0, 3.0]]))  # [1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = ops.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + ops.square(true_mean - pred_mean)
    return ops.mean(2 * covar / (norm + epsilon()), axis=axis)


class _AxisConfig:
    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@keras_export(_MODULE)
class PearsonCorrelation(_AxisConfig, MeanMetricWrapper):
    """The mean Pearson correlation coefficient over the samples seen.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the correlation is computed.

    Example:
        >>> m = lamina.metrics.PearsonCorrelation()
        >>> m.update_state(np.array([[1.0, 2.0, 3.0]]), np.array([[2.0, 4.0, 6.0]]))
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


@keras_export(_MODULE)
class ConcordanceCorrelation(_AxisConfig, MeanMetricWrapper):
    """The mean concordance correlation coefficient over the samples seen.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the correlation is computed.

    Example:
        >>> m = lamina.metrics.ConcordanceCorrelation()
        >>> m.update_state(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0]]))
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


# The loss functions ``keras.metrics`` re-exports are registered there as well.
for _fn in (huber, mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
            mean_squared_logarithmic_error, log_cosh):
    keras_export(_MODULE)(_fn)
