"""nn ops (normalization) on TensorFlow."""

import tensorflow as tf

from lamina.backend import config
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.backend.tensorflow.nn.activations import to_float

_HALF = (tf.float16, tf.bfloat16)


def _axes(axis, ndim):
    if axis is None:
        return list(range(ndim))
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for a tensor of rank {ndim}.")
    return sorted(a % ndim for a in axes)


def _compute(x):
    x = to_float(x)
    return x, (tf.cast(x, tf.float32) if x.dtype in _HALF else x)


def _local_moments(xc, axes, keepdims):
    return tf.nn.moments(xc, axes, keepdims=keepdims)


def _synced_moments(xc, axes, keepdims):
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync <= 1:
        return _local_moments(xc, axes, keepdims)
    count = tf.reduce_sum(tf.ones_like(xc), axis=axes, keepdims=True)
    total = tf.reduce_sum(xc, axis=axes, keepdims=True)
    squares = tf.reduce_sum(tf.square(xc), axis=axes, keepdims=True)
    count, total, squares = ctx.all_reduce(tf.distribute.ReduceOp.SUM, [count, total, squares])
    mean = total / count
    variance = tf.maximum(squares / count - tf.square(mean), 0.0)
    if not keepdims:
        mean, variance = tf.squeeze(mean, axes), tf.squeeze(variance, axes)
    return mean, variance


def moments(x, axes, keepdims=False, synchronized=False):
    x, xc = _compute(x)
    axes = _axes(axes, len(x.shape))
    mean, variance = (_synced_moments if synchronized else _local_moments)(xc, axes, keepdims)
    if x.dtype in _HALF:
        lo, hi = x.dtype.min, x.dtype.max
        mean = tf.cast(tf.clip_by_value(mean, lo, hi), x.dtype)
        variance = tf.cast(tf.clip_by_value(variance, lo, hi), x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = to_float(x)
    ndim = len(x.shape)
    shape = [1] * ndim
    shape[axis] = -1

    def vec(v):
        if v is None:
            return None
        v = tf.cast(convert_to_tensor(v), x.dtype)
        return v if axis in (-1, ndim - 1) else tf.reshape(v, shape)

    return tf.nn.batch_normalization(x, vec(mean), vec(variance), vec(offset), vec(scale), epsilon)


def _broadcast(v, x, axes):
    if v is None:
        return None
    v = tf.cast(convert_to_tensor(v), x.dtype)
    ndim = len(x.shape)
    if len(v.shape) != ndim and axes != [ndim - 1]:
        v = tf.reshape(v, [-1 if d in axes else 1 for d in range(ndim)] if len(axes) == 1
                       else [tf.shape(x)[d] if d in axes else 1 for d in range(ndim)])
    return v


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    axes = _axes(axis, len(x.shape))
    gamma, beta = _broadcast(gamma, xc, axes), _broadcast(beta, xc, axes)
    mean, variance = tf.nn.moments(xc, axes, keepdims=True)
    inv = tf.math.rsqrt(variance + epsilon)
    if rms_scaling:
        out = xc * inv if gamma is None else xc * inv * gamma
        return tf.cast(out, x.dtype)
    if gamma is not None:
        inv = inv * gamma
    out = xc * inv - mean * inv
    if beta is not None:
        out = out + beta
    return tf.cast(out, x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    if len(xc.shape) == 0:
        xc = xc[None]
    axes = _axes(axis, len(xc.shape))
    out = xc * tf.math.rsqrt(tf.reduce_mean(tf.square(xc), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * tf.cast(convert_to_tensor(scale), xc.dtype)
    return tf.cast(out, x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1, received {order!r}.")
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = to_float(x)
    if len(x.shape) == 0:
        x = x[None]
    axes = _axes(axis, len(x.shape))
    if order == 2:
        inv = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axes, keepdims=True))
        return x * tf.minimum(inv, tf.cast(1.0 / epsilon, x.dtype))
    norm = tf.reduce_sum(tf.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
    return x / tf.maximum(norm, tf.cast(epsilon, x.dtype))
