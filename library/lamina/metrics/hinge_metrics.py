"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses."""

from lamina.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.metrics"


class _HingeMetric(MeanMetricWrapper):
    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_MODULE)
class Hinge(_HingeMetric):
    """The mean hinge loss; 0/1 targets are mapped to -1/1.

    Example:
        >>> m = lamina.metrics.Hinge()
        >>> m.update_state([[1.0, 0.0]], [[0.6, -0.4]]); round(float(m.result()), 4)
        0.4
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class SquaredHinge(_HingeMetric):
    """The mean squared hinge loss; 0/1 targets are mapped to -1/1.

    Example:
        >>> m = lamina.metrics.SquaredHinge()
        >>> m.update_state([[1.0, 0.0]], [[0.6, -0.4]]); round(float(m.result()), 4)
        0.16
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, dtype=dtype)
        self._direction = "down"


@keras_export(_MODULE)
class CategoricalHinge(_HingeMetric):
    """The mean categorical hinge loss for one-hot targets.

    Example:
        >>> m = lamina.metrics.CategoricalHinge()
        >>> m.update_state([[0.0, 1.0]], [[0.3, 0.7]]); round(float(m.result()), 4)
        0.6
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"


# The loss functions ``keras.metrics`` re-exports are registered there as well.
for _fn in (categorical_hinge, hinge, squared_hinge):
    keras_export(_MODULE)(_fn)
