"""``lamina.ops.nn``: normalization (moments, batch/layer/RMS normalization, normalize).

Half-precision inputs are normalized in float32 and the result cast back.
"""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["batch_normalization", "layer_normalization", "moments", "normalize", "rms_normalization"]


def _axes_rule(x, axis, argname="axis"):
    shape = rules.shape_of(x)
    if axis is None:
        return shape
    rules.canonical_axes(axis if isinstance(axis, (list, tuple)) else axis, len(shape), argname)
    return shape


def _moments_rule(x, axes, keepdims=False, synchronized=False):
    shape = rules.shape_of(x)
    out = rules.reduced_shape(shape, axes, keepdims)
    dtype = dtypes.float_result_type(rules.dtype_of(x))
    return rules.spec(out, dtype), rules.spec(out, dtype)


def _vector_rule(name, value, size):
    if value is None:
        return
    s = rules.shape_of(value, name)
    if len(s) != 1 or (s[0] is not None and size is not None and s[0] != size):
        raise ValueError(
            f"`{name}` must be a vector of length x.shape[axis]={size}, received shape {s}."
        )


def _batch_norm_rule(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = rules.shape_of(x)
    a = rules.canonical_axis(axis, len(shape))
    for name, value in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        _vector_rule(name, value, shape[a])
    return rules.spec(shape, dtypes.float_result_type(rules.dtype_of(x)))


def _layer_norm_rule(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    shape = _axes_rule(x, axis)
    for name, value in (("gamma", gamma), ("beta", beta)):
        if value is not None:
            rules.check_tensor(value, name)
    return rules.spec(shape, dtypes.float_result_type(rules.dtype_of(x)))


def _rms_rule(x, scale=None, axis=-1, epsilon=None):
    shape = _axes_rule(x, axis)
    if scale is not None:
        rules.check_tensor(scale, "scale")
    return rules.spec(shape, dtypes.float_result_type(rules.dtype_of(x)))


def _normalize_rule(x, axis=-1, order=2, epsilon=None):
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1, received {order!r}.")
    shape = rules.shape_of(x)
    _axes_rule(rules.spec(shape or (1,), "float32"), axis)
    return rules.spec(shape or (1,), dtypes.float_result_type(rules.dtype_of(x)))


@op(_moments_rule, module="nn")
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance of ``x`` over ``axes``.

    float16 and bfloat16 inputs are reduced in float32 and the results cast back
    (clipped to the half-precision range).

    Args:
        x: input tensor.
        axes: the axes to reduce (an int or a list of ints).
        keepdims: keep the reduced axes with size 1.
        synchronized: reduce across replicas under a TensorFlow distribution
            strategy; elsewhere, the local moments.

    Returns:
        A tuple ``(mean, variance)``.

    Example:
        >>> lamina.ops.moments(np.array([0.0, 1.0, 2.0, 3.0]), axes=[0])
        # (1.5, 1.25)
    """


@op(_batch_norm_rule, module="nn")
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, with per-channel statistics.

    Args:
        x: input tensor.
        mean, variance: vectors of length ``x.shape[axis]``.
        axis: the channel axis.
        offset, scale: optional vectors of length ``x.shape[axis]``.
        epsilon: added to the variance.

    Example:
        >>> lamina.ops.batch_normalization(np.ones((2, 3)), np.ones(3), np.ones(3), axis=-1)
        # zeros of shape (2, 3)
    """


@op(_layer_norm_rule, module="nn")
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalizes ``x`` to zero mean and unit variance over ``axis``, then scales and shifts.

    Args:
        x: input tensor.
        gamma: optional scale, broadcastable to the normalized axes.
        beta: optional offset, broadcastable to the normalized axes.
        axis: the axis or axes to normalize over.
        epsilon: added to the variance (default: ``epsilon()`` of the config).

    Example:
        >>> lamina.ops.layer_normalization(np.array([0.0, 1.0, 2.0, 3.0, 4.0]))
        # [-1.4142, -0.7071, 0.0, 0.7071, 1.4142]
    """


@op(_rms_rule, module="nn")
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x / sqrt(mean(x**2) + epsilon) * scale`` over ``axis``.

    Args:
        x: input tensor.
        scale: optional scale, broadcastable to ``x``.
        axis: the axis or axes to normalize over.
        epsilon: added to the mean square (default: ``epsilon()`` of the config).

    Example:
        >>> lamina.ops.rms_normalization(np.array([3.0, 4.0]))
        # [0.8485, 1.1314]
    """


@op(_normalize_rule, module="nn")
def normalize(x, axis=-1, order=2, epsilon=None):
    """``x / max(norm(x), epsilon)``, with the ``order``-norm over ``axis``.

    Args:
        x: input tensor (a scalar is treated as a vector of length 1).
        axis: the axis or axes of the norm.
        order: the norm's exponent, an int >= 1.
        epsilon: lower bound of the norm (default: ``epsilon()`` of the config).

    Example:
        >>> lamina.ops.normalize(np.array([3.0, 4.0]))
        # [0.6, 0.8]
    """
