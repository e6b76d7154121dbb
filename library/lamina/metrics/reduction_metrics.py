"""Sum, Mean and MeanMetricWrapper: metrics that average per-sample values."""

import inspect

from lamina import ops
from lamina.backend.common.masking import get_keras_mask
from lamina.losses.loss import apply_mask, squeeze_or_expand_to_same_rank
from lamina.metrics.metric import Metric
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Reduces ``values`` to one value per sample, weighting by ``sample_weight``."""
    mask = get_keras_mask(values)
    values = ops.cast(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = len(sample_weight.shape), len(values.shape)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=list(range(weight_ndim, values_ndim)))
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(values))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_ndim)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=list(range(1, len(values.shape))))
    return values, sample_weight


@keras_export("keras.metrics")
class Sum(Metric):
    """The (weighted) sum of the values seen.

    Example:
        >>> m = lamina.metrics.Sum(); m.update_state([1, 2, 3]); float(m.result())
        6.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.identity(self.total.value)


@keras_export("keras.metrics")
class Mean(Metric):
    """The (weighted) mean of the values seen.

    Example:
        >>> m = lamina.metrics.Mean(); m.update_state([1, 3], sample_weight=[1, 0])
        >>> float(m.result())
        1.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values, sample_weight=None):
        if isinstance(sample_weight, (int, float)) and getattr(values, "ndim", None) == 0:
            # Fast path for the loss tracker: one scalar weighted by the batch size.
            self.total.assign_add(ops.cast(values, self.dtype) * sample_weight)
            self.count.assign_add(ops.cast(sample_weight, self.dtype))
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean,
                                                            self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        elif len(values.shape) >= 1:
            count = values.shape[0] if values.shape[0] is not None else ops.shape(values)[0]
        else:
            count = 1
        self.count.assign_add(ops.cast(count, dtype=self.dtype))

    def result(self):
        return ops.divide_no_nan(self.total.value, ops.cast(self.count.value, dtype=self.dtype))


@keras_export("keras.metrics")
class MeanMetricWrapper(Mean):
    """Averages a function ``fn(y_true, y_pred, **kwargs)`` of per-sample values.

    Example:
        >>> m = lamina.metrics.MeanMetricWrapper(lamina.losses.mean_absolute_error, name="mae")
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=self.dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        # The wrapped function is part of the config when the class takes it as an argument
        # (MeanMetricWrapper itself), not for subclasses that fix it (Accuracy...).
        if "fn" in inspect.signature(type(self).__init__).parameters:
            config["fn"] = serialize_keras_object(self._fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (dict, str)):
            config["fn"] = deserialize_keras_object(config["fn"])
        return cls(**config)
