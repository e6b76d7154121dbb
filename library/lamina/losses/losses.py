"""The built-in losses: a function for each (per-sample values) and a class wrapping it."""

from lamina import ops
from lamina.backend.config import epsilon
from lamina.losses.loss import Loss, squeeze_or_expand_to_same_rank
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.losses"


@keras_export(_MODULE)
class LossFunctionWrapper(Loss):
    """A Loss made from a function ``fn(y_true, y_pred, **kwargs)`` of per-sample values.

    Example:
        >>> loss = LossFunctionWrapper(lamina.losses.mean_absolute_error, name="mae")
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
        config.update(self._fn_kwargs)
        return config


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


@keras_export(_MODULE)
def mean_squared_error(y_true, y_pred):
    """``mean((y_true - y_pred)**2, axis=-1)``.

    Example:
        >>> lamina.losses.mean_squared_error(np.zeros((2, 3)), np.ones((2, 3)))  # [1., 1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras_export(_MODULE)
def mean_absolute_error(y_true, y_pred):
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> lamina.losses.mean_absolute_error(np.zeros((1, 2)), np.ones((1, 2)))  # [1.]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.absolute(y_true - y_pred), axis=-1)


@keras_export(_MODULE)
def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors below ``delta``, linear above, averaged on the last axis.

    Example:
        >>> lamina.losses.huber(np.zeros((1, 1)), np.full((1, 1), 3.0))  # [2.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = ops.absolute(y_pred - y_true)
    half = ops.convert_to_tensor(0.5, dtype=y_pred.dtype)
    return ops.mean(ops.where(error <= delta, half * ops.square(error),
                              delta * error - half * ops.square(delta)), axis=-1)


@keras_export(_MODULE)
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy, averaged on ``axis``.

    Example:
        >>> lamina.losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.9]]))  # [0.105]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@keras_export(_MODULE)
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and predicted distributions.

    Example:
        >>> lamina.losses.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if tuple(y_pred.shape)[-1:] == (1,):
        import warnings

        warnings.warn("categorical_crossentropy on an output with a last axis of size 1 is always "
                      "0: use binary_crossentropy for one output unit.", stacklevel=2)
    if label_smoothing:
        classes = ops.cast(ops.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_export(_MODULE)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer class labels and predicted distributions.

    Example:
        >>> lamina.losses.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    """
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    y_true = ops.convert_to_tensor(y_true)
    valid = ops.not_equal(y_true, ops.cast(ignore_class, y_true.dtype))
    safe_true = ops.where(valid, y_true, ops.zeros_like(y_true))
    values = ops.sparse_categorical_crossentropy(safe_true, y_pred, from_logits=from_logits, axis=axis)
    valid = ops.reshape(valid, ops.shape(values))
    return ops.where(valid, values, ops.zeros_like(values))


@keras_export(_MODULE)
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors.

    Example:
        >>> lamina.losses.MeanSquaredError()(np.zeros((2, 1)), np.ones((2, 1)))  # 1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


@keras_export(_MODULE)
class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors.

    Example:
        >>> lamina.losses.MeanAbsoluteError()(np.zeros((2, 1)), np.ones((2, 1)))  # 1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


@keras_export(_MODULE)
class Huber(LossFunctionWrapper):
    """Huber loss: quadratic below ``delta``, linear above.

    Example:
        >>> lamina.losses.Huber(delta=1.0)
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


@keras_export(_MODULE)
class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy for binary (0/1) targets.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: squeezes targets towards 0.5.

    Example:
        >>> lamina.losses.BinaryCrossentropy(from_logits=True)
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


@keras_export(_MODULE)
class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for one-hot targets.

    Example:
        >>> lamina.losses.CategoricalCrossentropy(from_logits=True)
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


@keras_export(_MODULE)
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for integer class labels.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label value whose samples count zero.

    Example:
        >>> lamina.losses.SparseCategoricalCrossentropy()(np.array([1]), np.array([[0.2, 0.8]]))
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class)
        self.from_logits, self.ignore_class = from_logits, ignore_class


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
keras_export(_MODULE, "mse", "MSE")(mean_squared_error)
keras_export(_MODULE, "mae", "MAE")(mean_absolute_error)


def serialize(loss):
    """The Keras-format config of a loss."""
    return serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """Builds a loss from a config dict or a name."""
    return deserialize_keras_object(name, custom_objects=custom_objects, module_objects=_table())


def _table():
    from lamina.saving.object_registry import builtin_objects

    return builtin_objects(_MODULE)


def get(identifier):
    """Returns a loss from a Loss, a name (``"mse"``, ``"sparse_categorical_crossentropy"``...),
    a config dict or a callable.

    Example:
        >>> lamina.losses.get("mse")
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        obj = _table().get(identifier)
        if obj is None:
            known = sorted(k for k in _table() if not k[0].isupper())
            raise ValueError(f"Unknown loss {identifier!r}. Known loss names: {known}.")
        return obj() if isinstance(obj, type) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
