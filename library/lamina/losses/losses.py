"""LossFunctionWrapper (a Loss made from a function) and the catalog's get/serialize/deserialize.

The built-in losses live in themed modules: ``regression_losses``, ``probabilistic_losses``,
``hinge_losses``, ``segmentation_losses`` and ``similarity_losses``; they are re-exported here
for older imports.
"""

import inspect

from lamina.losses.loss import Loss, squeeze_or_expand_to_same_rank
from lamina.saving.object_registry import builtin_objects, keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.losses"


@keras_export(_MODULE)
class LossFunctionWrapper(Loss):
    """A Loss made from a function ``fn(y_true, y_pred, **kwargs)`` of per-sample values.

    Args:
        fn: the function giving per-sample losses.
        reduction: how per-sample losses are reduced.
        name: the loss name.
        dtype: the computation dtype.
        **kwargs: extra keyword arguments passed to ``fn``.

    Example:
        >>> loss = LossFunctionWrapper(lamina.losses.mean_absolute_error, name="mae")
        >>> float(loss(np.zeros((2, 1)), np.ones((2, 1))))
        1.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialize_keras_object(self.fn)
        config.update(serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config and not callable(config["fn"]):
            config["fn"] = deserialize_keras_object(config["fn"], module_objects=_table())
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def _table():
    return builtin_objects(_MODULE)


@keras_export("keras.losses.serialize")
def serialize(loss):
    """The Keras-format config of a loss (a Loss instance or a loss function).

    Example:
        >>> lamina.losses.serialize(lamina.losses.Huber(delta=2.0))["class_name"]
        'Huber'
    """
    return serialize_keras_object(loss)


@keras_export("keras.losses.deserialize")
def deserialize(name, custom_objects=None):
    """Builds a loss (instance or function) from a config dict or a name.

    Example:
        >>> lamina.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}})
    """
    return deserialize_keras_object(name, custom_objects=custom_objects,
                                    module_objects=_table())


@keras_export("keras.losses.get")
def get(identifier):
    """Returns a loss from a Loss, a name (``"mse"``, ``"CategoricalCrossentropy"``...),
    a config dict or a callable. Class names give a default instance.

    Example:
        >>> lamina.losses.get("mse") is lamina.losses.mean_squared_error
        True
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        table = _table()
        obj = table.get(identifier)
        if obj is None:
            known = sorted(k for k in table if k not in ("Loss", "LossFunctionWrapper"))
            raise ValueError(f"Could not interpret loss identifier: {identifier!r}. "
                             f"Known loss names: {known}.")
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


# Re-exports for code importing the built-ins from this module.
from lamina.losses.hinge_losses import *  # noqa: E402,F401,F403
from lamina.losses.probabilistic_losses import *  # noqa: E402,F401,F403
from lamina.losses.regression_losses import *  # noqa: E402,F401,F403
from lamina.losses.segmentation_losses import *  # noqa: E402,F401,F403
from lamina.losses.similarity_losses import *  # noqa: E402,F401,F403
