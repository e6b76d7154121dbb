"""``lamina.optimizers``: how training updates the weights.

Example:
    >>> model.compile(optimizer=lamina.optimizers.Adam(1e-3), loss="mse")
    >>> model.compile(optimizer="sgd", loss="mse")
"""

from lamina.optimizers import schedules  # noqa: F401
from lamina.optimizers.adadelta import Adadelta  # noqa: F401
from lamina.optimizers.adafactor import Adafactor  # noqa: F401
from lamina.optimizers.adagrad import Adagrad  # noqa: F401
from lamina.optimizers.adam import Adam, AdamW  # noqa: F401
from lamina.optimizers.adamax import Adamax  # noqa: F401
from lamina.optimizers.ftrl import Ftrl  # noqa: F401
from lamina.optimizers.lamb import Lamb  # noqa: F401
from lamina.optimizers.lion import Lion  # noqa: F401
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer  # noqa: F401
from lamina.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap  # noqa: F401
from lamina.optimizers.muon import Muon  # noqa: F401
from lamina.optimizers.nadam import Nadam  # noqa: F401
from lamina.optimizers.optimizer import Optimizer  # noqa: F401
from lamina.optimizers.rmsprop import RMSprop  # noqa: F401
from lamina.optimizers.schedule_free_adamw import ScheduleFreeAdamW  # noqa: F401
from lamina.optimizers.sgd import SGD  # noqa: F401
from lamina.saving.object_registry import builtin_objects
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object


def _table():
    table = builtin_objects("keras.optimizers")
    return {**table, **{k.lower(): v for k, v in table.items()}}


def serialize(optimizer):
    """The Keras-format config of an optimizer.

    Example:
        >>> lamina.optimizers.serialize(lamina.optimizers.Adam(0.01))["class_name"]
        'Adam'
    """
    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Builds an optimizer from a config dict or a name.

    Example:
        >>> type(lamina.optimizers.deserialize("sgd")).__name__
        'SGD'
    """
    return deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_table())


def get(identifier):
    """Returns an optimizer from an Optimizer, a name (``"adam"``, ``"sgd"``...) or a config.

    Example:
        >>> lamina.optimizers.get("rmsprop").learning_rate
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
        if not isinstance(obj, Optimizer):
            raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
        return obj
    if isinstance(identifier, str):
        cls = _table().get(identifier.lower())
        if cls is None or cls is Optimizer or not issubclass(cls, Optimizer):
            known = sorted(k for k, c in _table().items() if k.islower() and k != "optimizer"
                           and isinstance(c, type) and issubclass(c, Optimizer))
            raise ValueError(f"Unknown optimizer {identifier!r}. Known optimizer names: {known}.")
        return cls()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
