"""``lamina.ops.nn``: encodings (one-hot, multi-hot, polar)."""

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["multi_hot", "one_hot", "polar"]


def _hot_shape(x, num_classes, axis, sparse):
    if sparse:
        raise ValueError("`sparse=True` is not supported; use sparse=False.")
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 0:
        raise ValueError(f"`num_classes` must be a non-negative int, received {num_classes!r}.")
    shape = list(rules.shape_of(x))
    dt = rules.tensor_dtype(x)
    if dt not in dtypes.INT_TYPES and dt != "bool" and not dtypes.is_float_dtype(dt):
        raise TypeError(f"expected integer class ids for `x`, received {rules.describe(x)}.")
    if axis == -1:
        shape.append(num_classes)
    elif isinstance(axis, int) and not isinstance(axis, bool) and 0 <= axis <= len(shape):
        shape.insert(axis, num_classes)
    else:
        raise ValueError(f"`axis` must be -1 or in [0, {len(shape)}], received {axis!r}.")
    return shape


def _one_hot_rule(x, num_classes, axis=-1, dtype=None, sparse=False):
    shape = _hot_shape(x, num_classes, axis, sparse)
    return rules.spec(shape, dtypes.standardize_dtype(dtype) if dtype else config.floatx())


def _multi_hot_rule(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.get("num_tokens", num_classes)
    if num_classes is None:
        raise ValueError("`num_classes` must be specified.")
    shape = _hot_shape(inputs, num_classes, axis, sparse)
    shape = [shape[-1]] if len(shape) == 2 else ([shape[0]] + shape[2:] if len(shape) > 2 else shape)
    return rules.spec(shape, dtypes.standardize_dtype(dtype) if dtype else config.floatx())


def _polar_rule(abs_, angle):
    shape = rules.broadcast_shapes(rules.shape_of(abs_, "abs_"), rules.shape_of(angle, "angle"))
    dt = dtypes.float_result_type(rules.dtype_of(abs_, "abs_"), rules.dtype_of(angle, "angle"))
    if dt in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected real `abs_` and `angle`, received dtype {dt}.")
    return rules.spec(shape, "complex128" if dt == "float64" else "complex64")


@op(_one_hot_rule, module="nn")
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer class ids; negative ids give all-zero vectors.

    Args:
        x: integer class ids.
        num_classes: the number of classes.
        axis: where the new class axis goes (-1: last).
        dtype: the output dtype (default: ``floatx()``).
        sparse: not supported (must be False).

    Example:
        >>> lamina.ops.one_hot(np.array([1, 0]), 3)
        # [[0., 1., 0.], [1., 0., 0.]]
    """


@op(_multi_hot_rule, module="nn")
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer labels: 1 for each class present in a sample.

    A rank-1 input is one sample; for rank 2 and more the first axis is the batch
    and the labels along axis 1 are merged.

    Args:
        inputs: integer labels.
        num_classes: the number of classes (``num_tokens`` is accepted too).
        axis: where the class axis goes before merging (-1: last).
        dtype: the output dtype (default: ``floatx()``).
        sparse: not supported (must be False).

    Example:
        >>> lamina.ops.multi_hot(np.array([0, 2]), 4)
        # [1., 0., 1., 0.]
    """


@op(_polar_rule, module="nn")
def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + 1j * sin(angle))``.

    Example:
        >>> lamina.ops.polar(np.array([2.0]), np.array([0.0]))
        # [2.+0.j]
    """
