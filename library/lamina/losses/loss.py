"""The Loss base class and the weighting/reduction rules shared by losses and metrics.

Example:
    >>> loss = lamina.losses.MeanSquaredError()
    >>> float(loss(np.zeros((2, 1)), np.ones((2, 1))))
    1.0
"""

from lamina import ops, tree
from lamina.backend.common import dtypes
from lamina.backend.common.masking import get_keras_mask
from lamina.backend.config import floatx
from lamina.saving.object_registry import keras_export

REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Checks that ``reduction`` is one of :data:`REDUCTIONS` and returns it.

    Example:
        >>> standardize_reduction("sum")
        'sum'
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid reduction {reduction!r}: expected one of {REDUCTIONS}."
        )
    return reduction


@keras_export("keras.losses")
class Loss:
    """Base class of losses: ``call(y_true, y_pred)`` gives per-sample values,
    ``__call__`` weights and reduces them.

    Args:
        name: the loss name.
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"`` or ``"none"``.
        dtype: the dtype of the computation (default ``floatx()``).

    Example:
        >>> class MeanCubed(lamina.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return lamina.ops.mean((y_pred - y_true) ** 3, axis=-1)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or _snake(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype
        self._dtype = dtypes.standardize_dtype(
            getattr(dtype, "compute_dtype", dtype) if dtype is not None else floatx()
        )

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = tree.map_structure(get_keras_mask, y_pred) if not isinstance(y_pred, dict) else None
        y_pred = tree.map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_pred)
        y_true = tree.map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_true)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)
        mask = in_mask if in_mask is not None and not isinstance(in_mask, (list, tuple)) else None
        if mask is not None and out_mask is not None:
            mask = ops.logical_and(mask, out_mask)
        elif out_mask is not None:
            mask = out_mask
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake(name):
    from lamina.ops.operation import to_snake_case

    return to_snake_case(name)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeezes or expands the last axis of one tensor when the ranks differ by one.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank(ops.zeros((4, 1)), ops.zeros((4,)))
        >>> tuple(a.shape), tuple(b.shape)
        ((4, 1), (4, 1))
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def _num_elements(x, dtype):
    size = 1
    for d in x.shape:
        if d is None:
            return ops.cast(ops.size(x), dtype)
        size *= int(d)
    return ops.cast(size, dtype)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces weighted per-sample values according to ``reduction``.

    Example:
        >>> float(reduce_values(ops.convert_to_tensor([1.0, 3.0]), reduction="sum"))
        4.0
    """
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = ops.cast(ops.sum(sample_weight), loss.dtype)
        else:
            divisor = _num_elements(values, loss.dtype)
        loss = ops.divide_no_nan(loss, divisor)
    return loss


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a mask into the sample weights (rescaled so means skip masked entries).

    Example:
        >>> apply_mask(None, ops.convert_to_tensor([True, False]), "float32", "sum")  # [1., 0.]
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        total = _num_elements(mask, dtype)
        valid = ops.sum(ops.cast(mask, dtype=dtype))
        float_mask = ops.where(ops.cast(mask, "bool"), ops.divide_no_nan(total, valid),
                               ops.zeros((), dtype=dtype))
    else:
        float_mask = ops.cast(mask, dtype=dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype=dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights ``values`` by ``sample_weight`` and ``mask``, then reduces them.

    Example:
        >>> float(reduce_weighted_values([1.0, 3.0], sample_weight=[1.0, 0.0], reduction="sum"))
        1.0
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = ops.convert_to_tensor(mask, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype=values.dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
