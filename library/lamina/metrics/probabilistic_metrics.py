"""Probabilistic metrics: crossentropies, KL divergence and Poisson, averaged over samples."""

from lamina.losses.probabilistic_losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


@keras_export(_MODULE)
class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence between targets and predictions.

    Example:
        >>> m = lamina.metrics.KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.9, 0.1]]); round(float(m.result()), 4)
        0.5108
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_MODULE)
class Poisson(MeanMetricWrapper):
    """The mean Poisson loss ``y_pred - y_true * log(y_pred)``.

    Example:
        >>> m = lamina.metrics.Poisson()
        >>> m.update_state([[1.0]], [[1.0]]); float(m.result())
        1.0
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_MODULE)
class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: squeezes targets towards 0.5.

    Example:
        >>> m = lamina.metrics.BinaryCrossentropy()
        >>> m.update_state([[1.0]], [[0.9]]); round(float(m.result()), 4)
        0.1054
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits, self.label_smoothing = from_logits, label_smoothing
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


@keras_export(_MODULE)
class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy for one-hot targets.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: mixes targets with the uniform distribution.
        axis: the class axis.

    Example:
        >>> m = lamina.metrics.CategoricalCrossentropy()
        >>> m.update_state([[0.0, 1.0]], [[0.2, 0.8]]); round(float(m.result()), 4)
        0.2231
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@keras_export(_MODULE)
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy for integer class labels.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label whose entries count zero.
        axis: the class axis.

    Example:
        >>> m = lamina.metrics.SparseCategoricalCrossentropy()
        >>> m.update_state([1], [[0.2, 0.8]]); round(float(m.result()), 4)
        0.2231
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits, self.ignore_class, self.axis = from_logits, ignore_class, axis
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}


# The loss functions ``keras.metrics`` re-exports are registered there as well.
for _fn in (binary_crossentropy, binary_focal_crossentropy, categorical_focal_crossentropy,
            categorical_crossentropy, kl_divergence, poisson,
            sparse_categorical_crossentropy):
    keras_export(_MODULE)(_fn)
