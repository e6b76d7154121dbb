"""nn ops (activations) on TensorFlow."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor


def to_float(x):
    """Converts ``x`` to a tensor; ints and bools become floats (int64: floatx)."""
    x = convert_to_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        x = tf.cast(x, dtypes.float_result_type(dtypes.standardize_dtype(x.dtype)))
    return x


def _scalar(value, x):
    return tf.constant(value, dtype=x.dtype)


def relu(x):
    return tf.nn.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating:
        return tf.nn.relu6(x)
    return tf.clip_by_value(x, _scalar(0, x), _scalar(6, x))


def sigmoid(x):
    return tf.nn.sigmoid(to_float(x))


def sparse_sigmoid(x):
    x = to_float(x)
    return tf.clip_by_value((x + 1) * 0.5, _scalar(0, x), _scalar(1, x))


def tanh_shrink(x):
    x = to_float(x)
    return x - tf.tanh(x)


def softplus(x):
    return tf.math.softplus(to_float(x))


def softsign(x):
    return tf.nn.softsign(to_float(x))


def soft_shrink(x, threshold=0.5):
    x = to_float(x)
    t = _scalar(threshold, x)
    zero = tf.zeros_like(x)
    return tf.where(x > t, x - t, tf.where(x < -t, x + t, zero))


def sparse_plus(x):
    x = to_float(x)
    return tf.where(x <= -1, tf.zeros_like(x), tf.where(x < 1, 0.25 * tf.square(x + 1), x))


def silu(x):
    return tf.nn.silu(to_float(x))


swish = silu


def squareplus(x, b=4):
    x = to_float(x)
    return (x + tf.sqrt(tf.square(x) + _scalar(b, x))) / 2


def log_sigmoid(x):
    return tf.math.log_sigmoid(to_float(x))


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(to_float(x), alpha=negative_slope)


def hard_sigmoid(x):
    x = to_float(x)
    return tf.nn.relu6(x + _scalar(3, x)) / _scalar(6, x)


def hard_silu(x):
    x = to_float(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def elu(x, alpha=1.0):
    x = to_float(x)
    out = tf.nn.elu(x)
    if alpha == 1:
        return out
    return tf.where(x > 0, out, _scalar(alpha, x) * out)


def selu(x):
    return tf.nn.selu(to_float(x))


def gelu(x, approximate=True):
    return tf.nn.gelu(to_float(x), approximate=bool(approximate))


def celu(x, alpha=1.0):
    x = to_float(x)
    a = _scalar(alpha, x)
    zero = tf.zeros((), x.dtype)
    return tf.maximum(x, zero) + a * tf.math.expm1(tf.minimum(x, zero) / a)


def glu(x, axis=-1):
    x = to_float(x)
    size = x.shape[axis]
    if size is not None and size % 2:
        raise ValueError(f"the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.sigmoid(b)


def hard_tanh(x):
    x = convert_to_tensor(x)
    return tf.clip_by_value(x, _scalar(-1, x), _scalar(1, x))


def hard_shrink(x, threshold=0.5):
    x = to_float(x)
    return tf.where(tf.abs(x) > threshold, x, tf.zeros_like(x))


def threshold(x, threshold, default_value):
    x = convert_to_tensor(x)
    return tf.where(x > tf.cast(threshold, x.dtype), x, tf.cast(default_value, x.dtype))


def _reduce_axes(axis, ndim):
    if axis is None:
        return list(range(ndim))
    return sorted(a % ndim for a in axis)


def softmax(x, axis=-1):
    x = to_float(x)
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    axes = _reduce_axes(axis, len(x.shape))
    return tf.exp(x - tf.reduce_logsumexp(x, axis=axes, keepdims=True))


def log_softmax(x, axis=-1):
    x = to_float(x)
    if isinstance(axis, int):
        return tf.nn.log_softmax(x, axis=axis)
    axes = _reduce_axes(axis, len(x.shape))
    return x - tf.reduce_logsumexp(x, axis=axes, keepdims=True)


def sparsemax(x, axis=-1):
    x = to_float(x)
    ndim = len(x.shape)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {ndim}.")
    axis = axis % ndim
    perm = [d for d in range(ndim) if d != axis] + [axis]
    z = tf.transpose(x, perm)
    z_sorted = tf.sort(z, axis=-1, direction="DESCENDING")
    cumsum = tf.cumsum(z_sorted, axis=-1)
    k = tf.cast(tf.range(1, tf.shape(z)[-1] + 1), x.dtype)
    support = (1 + k * z_sorted) > cumsum
    k_z = tf.reduce_sum(tf.cast(support, tf.int32), axis=-1, keepdims=True)
    tau = (tf.gather(cumsum, tf.maximum(k_z - 1, 0), batch_dims=ndim - 1, axis=-1) - 1)
    tau = tau / tf.cast(k_z, x.dtype)
    out = tf.maximum(z - tau, tf.zeros((), x.dtype))
    inverse = [perm.index(d) for d in range(ndim)]
    return tf.transpose(out, inverse)
