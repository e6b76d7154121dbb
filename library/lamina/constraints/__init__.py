"""``lamina.constraints``: projections applied to weights after each optimizer update.

Example:
    >>> layer = lamina.layers.Dense(8, kernel_constraint=lamina.constraints.MaxNorm(2.0))
"""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.constraints"


@keras_export(_MODULE)
class Constraint:
    """Base class: a callable mapping a weight to its projected value.

    Example:
        >>> class Clip(lamina.constraints.Constraint):
        ...     def __call__(self, w):
        ...         return lamina.ops.clip(w, -1.0, 1.0)
    """

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export(_MODULE, "max_norm")
class MaxNorm(Constraint):
    """Rescales weights whose norm along ``axis`` exceeds ``max_value``.

    Example:
        >>> lamina.constraints.MaxNorm(max_value=2, axis=0)
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = ops.sqrt(ops.sum(ops.square(w), axis=self.axis, keepdims=True))
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@keras_export(_MODULE, "non_neg")
class NonNeg(Constraint):
    """Sets negative weights to zero.

    Example:
        >>> lamina.constraints.NonNeg()(np.array([-1.0, 2.0]))  # [0, 2]
    """

    def __call__(self, w):
        return w * ops.cast(ops.greater_equal(w, 0.0), dtype=w.dtype)


@keras_export(_MODULE, "unit_norm")
class UnitNorm(Constraint):
    """Rescales weights to unit norm along ``axis``.

    Example:
        >>> lamina.constraints.UnitNorm(axis=0)
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (epsilon() + ops.sqrt(ops.sum(ops.square(w), axis=self.axis, keepdims=True)))

    def get_config(self):
        return {"axis": self.axis}


@keras_export(_MODULE, "min_max_norm")
class MinMaxNorm(Constraint):
    """Keeps norms along ``axis`` within ``[min_value, max_value]``, moving them by ``rate``.

    Example:
        >>> lamina.constraints.MinMaxNorm(min_value=0.5, max_value=1.0)
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = ops.sqrt(ops.sum(ops.square(w), axis=self.axis, keepdims=True))
        desired = self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm
_NAMES = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm,
          "MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm, "MinMaxNorm": MinMaxNorm}


def serialize(constraint):
    """The Keras-format config of a constraint.

    Example:
        >>> lamina.constraints.serialize(lamina.constraints.NonNeg())["class_name"]
        'NonNeg'
    """
    return serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Builds a constraint from a config or a name.

    Example:
        >>> type(lamina.constraints.deserialize("non_neg")).__name__
        'NonNeg'
    """
    return deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_NAMES)


def get(identifier):
    """Returns a constraint from a constraint, a name, a config dict or a callable.

    Example:
        >>> lamina.constraints.get("non_neg")
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier not in _NAMES:
            raise ValueError(f"Unknown constraint {identifier!r}. Known names: {sorted(_NAMES)}.")
        return _NAMES[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
