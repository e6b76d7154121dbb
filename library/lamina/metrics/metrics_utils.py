"""Shared pieces of the classification metrics: threshold parsing, the confusion-matrix
counting that Precision, Recall, AUC and friends accumulate, and the dense confusion matrix
behind the IoU metrics.

Everything here is written with ``lamina.ops`` only and never branches in Python on tensor
values, so it traces under ``jax.jit`` and ``tf.function``.

Example:
    >>> from lamina.metrics import metrics_utils
    >>> metrics_utils.confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=5)
"""

from enum import Enum

import numpy as np

from lamina import ops
from lamina.backend.config import epsilon
from lamina.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10


def _to_list(x):
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, np.ndarray):
        return x.tolist() if x.ndim else [x.item()]
    return [x]


def assert_thresholds_range(thresholds):
    """Raises a ValueError when a threshold is ``None`` or outside ``[0, 1]``.

    Example:
        >>> assert_thresholds_range([0.2, 0.8])
    """
    if thresholds is not None:
        bad = [t for t in thresholds if t is None or t < 0 or t > 1]
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The thresholds as a list, ``[default_threshold]`` when ``thresholds`` is None.

    Example:
        >>> parse_init_thresholds(0.3)
        [0.3]
    """
    if thresholds is not None:
        assert_thresholds_range(_to_list(thresholds))
    return _to_list(default_threshold if thresholds is None else thresholds)


class ConfusionMatrix(Enum):
    """The four cells of a binary confusion matrix.

    Example:
        >>> ConfusionMatrix.TRUE_POSITIVES.value
        'tp'
    """

    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


class AUCCurve(Enum):
    """The curve an AUC integrates: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``.

    Example:
        >>> AUCCurve.from_str("pr")
        <AUCCurve.PR: 'PR'>
    """

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key):
        for member in AUCCurve:
            if key in (member.value, member.value.lower()):
                return member
        raise ValueError(f'Invalid AUC curve value: "{key}". '
                         'Expected values are ["PR", "ROC", "PRGAIN"]')


class AUCSummationMethod(Enum):
    """How an AUC sums the area: ``"interpolation"``, ``"majoring"`` or ``"minoring"``.

    Example:
        >>> AUCSummationMethod.from_str("Minoring")
        <AUCSummationMethod.MINORING: 'minoring'>
    """

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key):
        for member in AUCSummationMethod:
            if key in (member.value, member.value.capitalize()):
                return member
        raise ValueError(f'Invalid AUC summation method value: "{key}". '
                         'Expected values are ["interpolation", "majoring", "minoring"]')


def is_evenly_distributed_thresholds(thresholds):
    """Whether ``thresholds`` is ``[0, 1/(n-1), ..., 1]`` (n >= 3), which allows counting
    with one bucketed pass instead of one comparison per threshold.

    Example:
        >>> is_evenly_distributed_thresholds([0.0, 0.5, 1.0])
        True
    """
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def _filter_top_k(x, k):
    """Keeps the ``k`` largest values of the last axis and sets the rest to ``NEG_INF``."""
    _, idx = ops.top_k(x, k)
    keep = ops.sum(ops.one_hot(idx, ops.shape(x)[-1], axis=-1), axis=-2)
    keep = ops.cast(keep, x.dtype)
    return x * keep + NEG_INF * (1 - keep)


def _weights_like(y_pred, sample_weight, label_weights, flatten):
    """The product of sample and label weights broadcast to ``y_pred`` (None when both are)."""
    weights = None
    if sample_weight is not None:
        weights = ops.broadcast_to(ops.cast(sample_weight, y_pred.dtype), ops.shape(y_pred))
    if label_weights is not None:
        lw = ops.broadcast_to(ops.expand_dims(ops.cast(label_weights, y_pred.dtype), 0),
                              ops.shape(y_pred))
        weights = lw if weights is None else weights * lw
    if weights is not None and flatten:
        weights = ops.reshape(weights, [-1])
    return weights


def _assign_add(variable, delta):
    variable.assign(variable.value + ops.cast(delta, variable.dtype))


def _update_bucketed(variables, y_true, y_pred, num_thresholds, multi_label, sample_weight,
                     label_weights, thresholds_with_epsilon):
    """Counts with evenly spaced thresholds in O(T + N): each prediction falls in one bucket,
    a reversed cumulative sum over buckets gives the counts at every threshold."""
    dtype = y_pred.dtype
    weights = _weights_like(y_pred, sample_weight, label_weights, flatten=not multi_label)
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    y_true = ops.cast(ops.cast(y_true, "bool"), dtype)
    if not multi_label:
        y_true = ops.reshape(y_true, [-1])
        y_pred = ops.reshape(y_pred, [-1])
    if weights is not None:
        true_labels = y_true * weights
        false_labels = (1.0 - y_true) * weights
    else:
        true_labels = y_true
        false_labels = 1.0 - y_true

    # A prediction p is above threshold i/(T-1) for every i < ceil(p (T-1)).
    buckets = ops.ceil(y_pred * ops.cast(num_thresholds - 1, dtype)) - 1
    if thresholds_with_epsilon:
        buckets = ops.relu(buckets)  # the first threshold is below 0: every prediction passes
    buckets = ops.cast(buckets, "int32")

    if multi_label:
        num_labels = y_pred.shape[-1]
        offsets = ops.arange(num_labels, dtype="int32") * num_thresholds
        segments = num_labels * num_thresholds
    else:
        num_labels, offsets, segments = None, 0, num_thresholds
    # Predictions below every threshold (bucket -1) go to one extra, discarded segment.
    ids = ops.where(buckets < 0, segments, buckets + offsets)
    ids = ops.reshape(ids, [-1])

    def bucket_sums(values):
        sums = ops.segment_sum(ops.reshape(values, [-1]), ids, num_segments=segments + 1)
        sums = sums[:segments]
        if multi_label:
            sums = ops.transpose(ops.reshape(sums, (num_labels, num_thresholds)))  # (T, L)
        return ops.flip(ops.cumsum(ops.flip(sums, axis=0), axis=0), axis=0)

    tp = bucket_sums(true_labels)
    fp = bucket_sums(false_labels)
    axis = 0
    if ConfusionMatrix.TRUE_POSITIVES in variables:
        _assign_add(variables[ConfusionMatrix.TRUE_POSITIVES], tp)
    if ConfusionMatrix.FALSE_POSITIVES in variables:
        _assign_add(variables[ConfusionMatrix.FALSE_POSITIVES], fp)
    if ConfusionMatrix.TRUE_NEGATIVES in variables:
        _assign_add(variables[ConfusionMatrix.TRUE_NEGATIVES], ops.sum(false_labels, axis=axis) - fp)
    if ConfusionMatrix.FALSE_NEGATIVES in variables:
        _assign_add(variables[ConfusionMatrix.FALSE_NEGATIVES], ops.sum(true_labels, axis=axis) - tp)


def _update_compared(variables, y_true, y_pred, thresholds, multi_label, sample_weight,
                     label_weights):
    """Counts by comparing every prediction with every threshold: O(T * N)."""
    weights = _weights_like(y_pred, sample_weight,
                            None if multi_label else label_weights, flatten=not multi_label)
    labels = ops.cast(y_true, "bool")
    if multi_label:
        preds = ops.expand_dims(y_pred, 0)                       # (1, N, L)
        labels = ops.expand_dims(labels, 0)
        thresh = ops.reshape(thresholds, (-1, 1, 1))             # (T, 1, 1)
    else:
        preds = ops.reshape(y_pred, (1, -1))                     # (1, N)
        labels = ops.reshape(labels, (1, -1))
        thresh = ops.reshape(thresholds, (-1, 1))                # (T, 1)
    if weights is not None:
        weights = ops.expand_dims(weights, 0)
    pred_pos = ops.greater(preds, thresh)
    pred_neg = ops.logical_not(pred_pos)
    label_neg = ops.logical_not(labels)
    cells = {
        ConfusionMatrix.TRUE_POSITIVES: (labels, pred_pos),
        ConfusionMatrix.FALSE_NEGATIVES: (labels, pred_neg),
        ConfusionMatrix.FALSE_POSITIVES: (label_neg, pred_pos),
        ConfusionMatrix.TRUE_NEGATIVES: (label_neg, pred_neg),
    }
    for key, variable in variables.items():
        label, pred = cells[key]
        hit = ops.logical_and(label, pred)
        if weights is not None:
            counts = ops.where(hit, ops.cast(weights, variable.dtype), ops.zeros((), variable.dtype))
        else:
            counts = ops.cast(hit, variable.dtype)
        _assign_add(variable, ops.sum(counts, axis=1))


def update_confusion_matrix_variables(variables_to_update, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False):
    """Adds the (weighted) confusion-matrix counts of a batch to the given variables.

    At each threshold ``t`` a prediction counts as positive when ``y_pred > t``; labels are
    positive when non-zero.

    Args:
        variables_to_update: dict from :class:`ConfusionMatrix` members to Variables of shape
            ``(num_thresholds,)`` (``(num_thresholds, num_labels)`` when ``multi_label``).
        y_true: labels, same shape as ``y_pred`` (or broadcastable by one trailing axis).
        y_pred: predictions in ``[0, 1]``.
        thresholds: a float or a list of floats.
        top_k: only the ``top_k`` largest predictions of the last axis count as positive.
        class_id: only this class (last axis index) is counted.
        sample_weight: weights broadcastable to ``y_true``.
        multi_label: keep one count per label (last axis) instead of flattening.
        label_weights: per-label weights applied when the labels are flattened.
        thresholds_distributed_evenly: use the bucketed O(T + N) algorithm (requires
            thresholds ``[0, 1/(T-1), ..., 1]``, possibly with an epsilon at both ends).

    Example:
        >>> tp = lamina.Variable(np.zeros(1, "float32"))
        >>> update_confusion_matrix_variables({ConfusionMatrix.TRUE_POSITIVES: tp},
        ...                                   [1, 0], [0.8, 0.6], thresholds=[0.5])
    """
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled outside of "
                         "`update_confusion_matrix_variables` when `multi_label` is True.")
    if variables_to_update is None:
        return
    keys = list(variables_to_update)
    valid = list(ConfusionMatrix)
    if not any(k in valid for k in keys):
        raise ValueError("Please provide at least one valid confusion matrix variable to update. "
                         f'Valid variable key options are: "{valid}". Received: "{keys}"')
    invalid = [k for k in keys if k not in valid]
    if invalid:
        raise ValueError(f'Invalid keys: "{invalid}". Valid variable key options are: "{valid}"')

    dtype = list(variables_to_update.values())[0].dtype
    y_true = ops.cast(y_true, dtype)
    y_pred = ops.cast(y_pred, dtype)
    if thresholds_distributed_evenly:
        thresholds_with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    thresholds = ops.convert_to_tensor(np.asarray(thresholds), dtype=dtype)
    num_thresholds = thresholds.shape[0]

    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}")
        y_true = ops.expand_dims(y_true[..., class_id], -1)
        y_pred = ops.expand_dims(y_pred[..., class_id], -1)
    if multi_label and len(y_pred.shape) != 2:
        raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                         f"{len(y_pred.shape)}. Full shape received for `y_pred`: "
                         f"{tuple(y_pred.shape)}")

    if thresholds_distributed_evenly:
        return _update_bucketed(variables_to_update, y_true, y_pred, num_thresholds, multi_label,
                                sample_weight, label_weights, thresholds_with_epsilon)
    return _update_compared(variables_to_update, y_true, y_pred, thresholds, multi_label,
                            sample_weight, label_weights)


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """The ``(num_classes, num_classes)`` confusion matrix: rows are labels, columns are
    predictions, each pair adds its weight (1 by default).

    Example:
        >>> confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=5)  # cell (1, 2), (2, 2), (4, 4)
    """
    labels = ops.convert_to_tensor(labels, dtype)
    predictions = ops.convert_to_tensor(predictions, dtype)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    labels = ops.cast(labels, dtype)
    predictions = ops.cast(predictions, dtype)
    if weights is None:
        values = ops.ones_like(predictions, dtype=dtype)
    else:
        values = ops.cast(ops.convert_to_tensor(weights, dtype), dtype)
    indices = ops.cast(ops.stack([labels, predictions], axis=1), "int32")
    num_classes = int(num_classes)
    return ops.scatter(indices, values, (num_classes, num_classes))

