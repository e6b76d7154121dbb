"""nn ops (activations) on JAX."""

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def to_float(x):
    """Converts ``x`` to a tensor; ints and bools become floats (int64: floatx)."""
    x = convert_to_tensor(x)
    if not (jnp.issubdtype(x.dtype, jnp.floating) or jnp.issubdtype(x.dtype, jnp.complexfloating)):
        x = x.astype(dtypes.float_result_type(dtypes.standardize_dtype(x.dtype)))
    return x


def _scalar(value, x):
    return jnp.asarray(value, dtype=x.dtype)


def relu(x):
    return jax.nn.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    return jnp.clip(x, _scalar(0, x), _scalar(6, x))


def sigmoid(x):
    return jax.nn.sigmoid(to_float(x))


def sparse_sigmoid(x):
    x = to_float(x)
    return jnp.clip((x + 1) * 0.5, 0.0, 1.0).astype(x.dtype)


def tanh_shrink(x):
    x = to_float(x)
    return x - jnp.tanh(x)


def softplus(x):
    return jax.nn.softplus(to_float(x))


def softsign(x):
    x = to_float(x)
    return x / (1 + jnp.abs(x))


def soft_shrink(x, threshold=0.5):
    x = to_float(x)
    t = _scalar(threshold, x)
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, jnp.zeros((), x.dtype)))


def sparse_plus(x):
    x = to_float(x)
    zero = jnp.zeros((), x.dtype)
    return jnp.where(x <= -1, zero, jnp.where(x < 1, 0.25 * jnp.square(x + 1), x))


def silu(x):
    return jax.nn.silu(to_float(x))


swish = silu


def squareplus(x, b=4):
    x = to_float(x)
    return (x + jnp.sqrt(jnp.square(x) + _scalar(b, x))) / 2


def log_sigmoid(x):
    return jax.nn.log_sigmoid(to_float(x))


def leaky_relu(x, negative_slope=0.2):
    x = to_float(x)
    return jnp.where(x >= 0, x, _scalar(negative_slope, x) * x)


def hard_sigmoid(x):
    x = to_float(x)
    return jnp.clip(x + 3, 0.0, 6.0).astype(x.dtype) / 6


def hard_silu(x):
    x = to_float(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def elu(x, alpha=1.0):
    x = to_float(x)
    safe = jnp.where(x > 0, jnp.zeros((), x.dtype), x)
    return jnp.where(x > 0, x, _scalar(alpha, x) * jnp.expm1(safe))


def selu(x):
    return jax.nn.selu(to_float(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(to_float(x), approximate=bool(approximate))


def celu(x, alpha=1.0):
    x = to_float(x)
    a = _scalar(alpha, x)
    return jnp.maximum(x, 0) + a * jnp.expm1(jnp.minimum(x, 0) / a)


def glu(x, axis=-1):
    x = to_float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"the size of axis {axis} must be even, received shape {x.shape}.")
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def hard_tanh(x):
    x = convert_to_tensor(x)
    return jnp.clip(x, _scalar(-1, x), _scalar(1, x))


def hard_shrink(x, threshold=0.5):
    x = to_float(x)
    return jnp.where(jnp.abs(x) > threshold, x, jnp.zeros((), x.dtype))


def threshold(x, threshold, default_value):
    x = convert_to_tensor(x)
    return jnp.where(x > threshold, x, jnp.asarray(default_value).astype(x.dtype))


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def softmax(x, axis=-1):
    return jax.nn.softmax(to_float(x), axis=_axes(axis))


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(to_float(x), axis=_axes(axis))


def sparsemax(x, axis=-1):
    x = to_float(x)
    z = jnp.moveaxis(x, axis, -1)
    n = z.shape[-1]
    z_sorted = -jnp.sort(-z, axis=-1)
    cumsum = jnp.cumsum(z_sorted, axis=-1)
    k = jnp.arange(1, n + 1, dtype=x.dtype)
    support = (1 + k * z_sorted) > cumsum
    k_z = jnp.sum(support, axis=-1, keepdims=True)
    tau = (jnp.take_along_axis(cumsum, jnp.maximum(k_z - 1, 0), axis=-1) - 1) / k_z.astype(x.dtype)
    return jnp.moveaxis(jnp.maximum(z - tau, 0), -1, axis)
