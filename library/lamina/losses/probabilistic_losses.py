"""Probabilistic losses: crossentropies (plain, focal, generalized), KL divergence, Poisson."""

import warnings

from lamina import ops
from lamina.backend.common.masking import set_keras_mask
from lamina.backend.config import epsilon
from lamina.losses.loss import Loss
from lamina.losses.losses import LossFunctionWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.losses"


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def _warn_one_class(y_pred, name):
    if tuple(y_pred.shape)[-1:] == (1,):
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=3)


def _smooth_categorical(y_true, y_pred, label_smoothing):
    if not label_smoothing:
        return y_true
    classes = ops.cast(ops.shape(y_true)[-1], y_pred.dtype)
    return y_true * (1.0 - label_smoothing) + label_smoothing / classes


@keras_export(_MODULE, "kld", "KLD")
def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Both inputs are clipped to ``[epsilon, 1]``.

    Example:
        >>> lamina.losses.kl_divergence(np.array([[0.5, 0.5]]), np.array([[0.9, 0.1]]))
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true = ops.clip(y_true, epsilon(), 1)
    y_pred = ops.clip(y_pred, epsilon(), 1)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


@keras_export(_MODULE)
def poisson(y_true, y_pred):
    """Poisson loss ``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``.

    Example:
        >>> lamina.losses.poisson(np.array([[1.0]]), np.array([[1.0]]))  # [1.]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    return ops.mean(y_pred - y_true * ops.log(y_pred + eps), axis=-1)


@keras_export(_MODULE, "bce", "BCE")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy, averaged on ``axis``.

    Args:
        y_true: 0/1 targets.
        y_pred: probabilities (or logits when ``from_logits``).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; squeezes targets towards 0.5.
        axis: the axis to average over.

    Example:
        >>> lamina.losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.9]]))  # [0.105]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@keras_export(_MODULE)
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by ``(1 - p_t) ** gamma`` to focus on hard examples.

    Args:
        apply_class_balancing: whether to weight positives by ``alpha`` and negatives by
            ``1 - alpha``.
        alpha: the class-balancing weight.
        gamma: the focusing exponent.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: squeezes targets towards 0.5.
        axis: the axis to average over.

    Example:
        >>> lamina.losses.binary_focal_crossentropy(np.array([[1.0]]), np.array([[0.9]]))
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return ops.mean(focal, axis=axis)


@keras_export(_MODULE)
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and predicted distributions.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: mixes targets with the uniform distribution.
        axis: the class axis.

    Example:
        >>> lamina.losses.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    _warn_one_class(y_pred, "categorical_crossentropy")
    y_true = _smooth_categorical(y_true, y_pred, label_smoothing)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_export(_MODULE)
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical crossentropy scaled by ``alpha * (1 - p) ** gamma`` per class.

    Example:
        >>> lamina.losses.categorical_focal_crossentropy(np.array([[0.0, 1.0]]),
        ...                                              np.array([[0.2, 0.8]]))
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    _warn_one_class(y_pred, "categorical_focal_crossentropy")
    y_true = _smooth_categorical(y_true, y_pred, label_smoothing)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, epsilon(), 1.0 - epsilon())
    cce = -y_true * ops.log(output)
    weight = ops.power(1.0 - output, gamma) * alpha
    return ops.sum(weight * cce, axis=axis)


@keras_export(_MODULE)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Crossentropy between integer class labels and predicted distributions.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label whose entries get loss 0 and are masked out of averages.
        axis: the class axis of ``y_pred``.

    Example:
        >>> lamina.losses.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis)
    rank = len(y_pred.shape)
    class_axis = axis % rank
    shape = ops.shape(y_pred)
    out_shape = tuple(d for i, d in enumerate(shape) if i != class_axis)
    valid = ops.not_equal(y_true, ops.cast(ignore_class, y_true.dtype))
    y_true = ops.where(valid, y_true, ops.zeros_like(y_true))
    y_pred = ops.where(ops.expand_dims(valid, class_axis), y_pred, ops.zeros_like(y_pred))
    values = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                 axis=axis)
    valid = ops.reshape(valid, out_shape)
    values = ops.where(valid, values, ops.zeros_like(values))
    set_keras_mask(values, valid)
    return values


@keras_export(_MODULE)
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized crossentropy ``(1 - p_true ** q) / q`` for integer labels (noise-robust).

    Args:
        y_true: integer class labels, shape ``(batch,)``.
        y_pred: predicted probabilities, shape ``(batch, classes)``.
        q: in ``(0, 1)``; near 0 behaves like crossentropy, 1 like MAE.

    Example:
        >>> lamina.losses.categorical_generalized_cross_entropy(
        ...     np.array([1]), np.array([[0.2, 0.8]]), q=0.5)
    """
    y_pred = ops.convert_to_tensor(y_pred)
    one_hot = ops.one_hot(ops.cast(y_true, "int32"), ops.shape(y_pred)[-1])
    p = ops.sum(y_pred * ops.cast(one_hot, y_pred.dtype), axis=-1)
    return (1 - ops.power(p, q)) / q


@keras_export(_MODULE)
class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between target and predicted distributions.

    Example:
        >>> lamina.losses.KLDivergence()(np.array([[0.5, 0.5]]), np.array([[0.9, 0.1]]))
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


@keras_export(_MODULE)
class Poisson(LossFunctionWrapper):
    """Poisson loss ``y_pred - y_true * log(y_pred)``.

    Example:
        >>> lamina.losses.Poisson()(np.array([[1.0]]), np.array([[1.0]]))  # 1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class _CrossentropyConfig:
    _config_keys = ("from_logits", "label_smoothing", "axis")

    def get_config(self):
        config = Loss.get_config(self)
        config.update({k: getattr(self, k) for k in self._config_keys})
        return config


@keras_export(_MODULE)
class BinaryCrossentropy(_CrossentropyConfig, LossFunctionWrapper):
    """Crossentropy for binary (0/1) targets.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: squeezes targets towards 0.5.
        axis: the axis to average over.
        reduction: how per-sample losses are reduced.
        name: the loss name.
        dtype: the computation dtype.

    Example:
        >>> lamina.losses.BinaryCrossentropy(from_logits=True)(np.array([[1.0]]), np.array([[2.0]]))
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


@keras_export(_MODULE)
class BinaryFocalCrossentropy(_CrossentropyConfig, LossFunctionWrapper):
    """Binary focal crossentropy: down-weights easy examples by ``(1 - p_t) ** gamma``.

    Args:
        apply_class_balancing: weight positives by ``alpha``, negatives by ``1 - alpha``.
        alpha: the class-balancing weight.
        gamma: the focusing exponent.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: squeezes targets towards 0.5.
        axis: the axis to average over.

    Example:
        >>> lamina.losses.BinaryFocalCrossentropy(gamma=2.0)(np.array([[1.0]]), np.array([[0.9]]))
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing",
                    "alpha", "gamma")

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis
        self.apply_class_balancing, self.alpha, self.gamma = apply_class_balancing, alpha, gamma


@keras_export(_MODULE)
class CategoricalCrossentropy(_CrossentropyConfig, LossFunctionWrapper):
    """Crossentropy for one-hot (or soft) targets.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: mixes targets with the uniform distribution.
        axis: the class axis.

    Example:
        >>> lamina.losses.CategoricalCrossentropy()(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


@keras_export(_MODULE)
class CategoricalFocalCrossentropy(_CrossentropyConfig, LossFunctionWrapper):
    """Categorical focal crossentropy: crossentropy weighted by ``alpha * (1 - p) ** gamma``.

    Args:
        alpha: the weighting factor.
        gamma: the focusing exponent.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: mixes targets with the uniform distribution.
        axis: the class axis.

    Example:
        >>> lamina.losses.CategoricalFocalCrossentropy()(np.eye(2), np.array([[0.9, 0.1], [0.3, 0.7]]))
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis
        self.alpha, self.gamma = alpha, gamma


@keras_export(_MODULE)
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for integer class labels.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label whose entries are masked out (loss 0, not averaged).
        reduction: how per-sample losses are reduced.
        axis: the class axis of ``y_pred``.

    Example:
        >>> lamina.losses.SparseCategoricalCrossentropy()(np.array([1]), np.array([[0.2, 0.8]]))
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits, self.ignore_class, self.axis = from_logits, ignore_class, axis

    def get_config(self):
        # Keras 3.15 leaves ``axis`` out (so it is lost on reload); we keep it.
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits, "ignore_class": self.ignore_class,
                       "axis": self.axis})
        return config


@keras_export(_MODULE)
class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized crossentropy for integer labels, robust to noisy labels.

    Args:
        q: in ``(0, 1)``; near 0 behaves like crossentropy, 1 like MAE.

    Example:
        >>> lamina.losses.CategoricalGeneralizedCrossEntropy(q=0.5)(np.array([1]),
        ...                                                          np.array([[0.2, 0.8]]))
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction,
                         dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}
