"""Metric-learning and sequence losses: Circle and CTC."""

from lamina import ops
from lamina.backend.common.masking import set_keras_mask
from lamina.losses.loss import Loss
from lamina.losses.losses import LossFunctionWrapper
from lamina.saving.object_registry import keras_export

_MODULE = "keras.losses"


def _size(x):
    """The number of elements, as a Python int when the shape is static (jit-friendly)."""
    size = 1
    for d in x.shape:
        if d is None:
            return ops.size(x)
        size *= int(d)
    return size


def _pos_neg_masks(query_labels, key_labels, remove_diagonal=True):
    if len(query_labels.shape) == 1:
        query_labels = ops.reshape(query_labels, (-1, 1))
    if len(key_labels.shape) == 1:
        key_labels = ops.reshape(key_labels, (-1, 1))
    positive = ops.equal(query_labels, ops.transpose(key_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        diagonal = ops.eye(_size(query_labels), _size(key_labels), k=0, dtype="bool")
        positive = ops.logical_and(positive, ops.logical_not(diagonal))
    return positive, negative


@keras_export(_MODULE)
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss for metric learning on L2-normalized embeddings.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: L2-normalized embeddings, shape ``(batch, dim)``.
        ref_labels: labels of the reference embeddings (default ``y_true``).
        ref_embeddings: reference embeddings (default ``y_pred``).
        remove_diagonal: whether a sample is excluded from its own positives.
        gamma: the scale factor.
        margin: the relaxation margin.

    Returns:
        One loss per sample; samples with loss 0 are masked out of averages.

    Example:
        >>> emb = lamina.ops.normalize(np.random.rand(4, 3).astype("float32"))
        >>> lamina.losses.circle(np.array([0, 0, 1, 1]), emb)
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(1 - ops.matmul(y_pred, ops.transpose(ref_embeddings)), 0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal=remove_diagonal)
    pos_f = ops.cast(positive, distances.dtype)
    neg_f = ops.cast(negative, distances.dtype)
    pos_weights = ops.maximum((margin + distances) * pos_f, 0.0)
    neg_weights = ops.maximum((1 + margin - distances) * neg_f, 0.0)
    pos_terms = -1 * gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * ((1 - margin) - distances)
    p_loss = ops.logsumexp(ops.where(positive, pos_terms, float("-inf")), axis=1)
    n_loss = ops.logsumexp(ops.where(negative, neg_terms, float("-inf")), axis=1)
    loss = ops.softplus(p_loss + n_loss)
    set_keras_mask(loss, loss > 0)
    return loss


@keras_export(_MODULE)
def ctc(y_true, y_pred):
    """Connectionist Temporal Classification loss; label 0 is the blank/padding.

    Args:
        y_true: integer labels, shape ``(batch, max_label_length)``, padded with 0.
        y_pred: logits, shape ``(batch, time, classes)``.

    Example:
        >>> lamina.losses.ctc(np.array([[1, 2]]), np.random.rand(1, 5, 3).astype("float32"))
    """
    if len(ops.shape(y_true)) != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape "
                         "`(batch_size, max_length)` in integer format. "
                         f"Received: y_true.shape={ops.shape(y_true)}")
    if len(ops.shape(y_pred)) != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape "
                         "`(batch_size, max_length, num_classes)`. "
                         f"Received: y_pred.shape={ops.shape(y_pred)}")
    y_true = ops.convert_to_tensor(y_true)
    batch, time = ops.shape(y_pred)[0], ops.shape(y_pred)[1]
    output_length = time * ops.ones((batch,), dtype="int32")
    target_length = ops.cast(ops.sum(ops.cast(ops.not_equal(y_true, 0), "int32"), axis=-1),
                             "int32")
    return ops.ctc_loss(y_true, y_pred, target_length, output_length, mask_index=0)


@keras_export(_MODULE)
class Circle(LossFunctionWrapper):
    """Circle loss: pulls same-label embeddings together and pushes others apart.

    Args:
        gamma: the scale factor.
        margin: the relaxation margin.
        remove_diagonal: whether a sample is excluded from its own positives.

    Example:
        >>> lamina.losses.Circle(gamma=80.0, margin=0.4)
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal

    def get_config(self):
        return {**Loss.get_config(self), "gamma": self.gamma, "margin": self.margin,
                "remove_diagonal": self.remove_diagonal}


@keras_export(_MODULE)
class CTC(LossFunctionWrapper):
    """Connectionist Temporal Classification loss (label 0 is blank/padding).

    Example:
        >>> lamina.losses.CTC()(np.array([[1, 2]]), np.random.rand(1, 5, 3).astype("float32"))
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
