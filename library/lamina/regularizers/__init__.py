"""``lamina.regularizers``: weight penalties added to the loss.

Example:
    >>> layer = lamina.layers.Dense(8, kernel_regularizer=lamina.regularizers.L2(1e-4))
"""

from lamina import ops
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.regularizers"


@keras_export(_MODULE)
class Regularizer:
    """Base class: a callable mapping a weight tensor to a scalar penalty.

    Example:
        >>> class L1Half(lamina.regularizers.Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * lamina.ops.sum(lamina.ops.abs(x))
    """

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_factor(name, value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} expected a number, received {value!r}.") from None
    if value < 0 or value != value:
        raise ValueError(f"{name} expected a non-negative number, received {value}.")
    return value


@keras_export(_MODULE, "l1_l2")
class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x**2)``.

    Example:
        >>> lamina.regularizers.L1L2(l1=1e-5, l2=1e-4)
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("L1L2: l1", 0.0 if l1 is None else l1)
        self.l2 = _check_factor("L1L2: l2", 0.0 if l2 is None else l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@keras_export(_MODULE, "l1")
class L1(Regularizer):
    """``l1 * sum(|x|)``.

    Example:
        >>> lamina.regularizers.L1(0.01)(np.array([1.0, -2.0]))  # 0.03
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor("L1: l1", l1)

    def __call__(self, x):
        return self.l1 * ops.sum(ops.absolute(x))

    def get_config(self):
        return {"l1": self.l1}


@keras_export(_MODULE, "l2")
class L2(Regularizer):
    """``l2 * sum(x**2)``.

    Example:
        >>> lamina.regularizers.L2(0.01)(np.array([1.0, -2.0]))  # 0.05
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor("L2: l2", l2)

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


@keras_export(_MODULE, "orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (``mode="rows"``) or columns of a 2D weight towards orthogonality.

    Example:
        >>> lamina.regularizers.OrthogonalRegularizer(factor=0.01, mode="rows")
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor("OrthogonalRegularizer: factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"OrthogonalRegularizer: mode must be 'rows' or 'columns', received {mode!r}."
            )
        self.mode = mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(
                f"OrthogonalRegularizer needs a 2D weight, received shape {tuple(x.shape)}."
            )
        if self.mode == "columns":
            x = ops.transpose(x)
        x = x / ops.maximum(ops.norm(x, axis=1, keepdims=True), 1e-12)
        product = ops.matmul(x, ops.transpose(x))
        size = x.shape[0]
        off_diagonal = ops.abs(product * (1.0 - ops.eye(size, dtype=product.dtype)))
        return self.factor * ops.sum(off_diagonal) / (size * (size - 1))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer


def serialize(regularizer):
    """The Keras-format config of a regularizer.

    Example:
        >>> lamina.regularizers.serialize(lamina.regularizers.L2(0.01))["config"]
        {'l2': 0.01}
    """
    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Builds a regularizer from a config or a name.

    Example:
        >>> config = lamina.regularizers.serialize(lamina.regularizers.L2(0.01))
        >>> type(lamina.regularizers.deserialize(config)).__name__
        'L2'
    """
    return deserialize_keras_object(config, custom_objects=custom_objects,
                                    module_objects=_names())


def _names():
    return {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2,
            "orthogonal_regularizer": OrthogonalRegularizer,
            "OrthogonalRegularizer": OrthogonalRegularizer}


def get(identifier):
    """Returns a regularizer from a regularizer, a name, a config dict or a callable.

    Example:
        >>> lamina.regularizers.get("l2").l2
        0.01
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _names().get(identifier)
        if cls is None:
            raise ValueError(
                f"Unknown regularizer {identifier!r}. Known names: {sorted(_names())}."
            )
        return cls()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
