"""nn ops (normalization) on JAX."""

import jax
import jax.numpy as jnp

from lamina.backend import config
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.nn.activations import to_float

_HALF = (jnp.float16, jnp.bfloat16)


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for a tensor of rank {ndim}.")
    return tuple(sorted(a % ndim for a in axes))


def _compute(x):
    x = to_float(x)
    return x, (x.astype(jnp.float32) if x.dtype in _HALF else x)


def moments(x, axes, keepdims=False, synchronized=False):
    x, xc = _compute(x)
    axes = _axes(axes, x.ndim)
    mean = jnp.mean(xc, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(xc - jax.lax.stop_gradient(mean)), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axes), jnp.squeeze(variance, axes)
    if x.dtype in _HALF:
        info = jnp.finfo(x.dtype)
        mean = jnp.clip(mean, info.min, info.max).astype(x.dtype)
        variance = jnp.clip(variance, info.min, info.max).astype(x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = to_float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def vec(v):
        return None if v is None else jnp.reshape(convert_to_tensor(v), shape)

    mean, variance, offset, scale = vec(mean), vec(variance), vec(offset), vec(scale)
    inv = jax.lax.rsqrt(variance + epsilon)
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv
    if offset is not None:
        shift = shift + offset
    return (x * inv + shift).astype(x.dtype)


def _broadcast(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(v, dtype=x.dtype)
    if v.ndim != x.ndim and axes != (x.ndim - 1,):
        v = jnp.reshape(v, [x.shape[d] if d in axes else 1 for d in range(x.ndim)])
    return v


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    axes = _axes(axis, x.ndim)
    gamma, beta = _broadcast(gamma, xc, axes), _broadcast(beta, xc, axes)
    mean = jnp.mean(xc, axis=axes, keepdims=True)
    variance = jnp.var(xc, axis=axes, keepdims=True)
    inv = jax.lax.rsqrt(variance + epsilon)
    if rms_scaling:
        out = xc * inv if gamma is None else xc * inv * gamma
        return out.astype(x.dtype)
    if gamma is not None:
        inv = inv * gamma
    out = xc * inv - mean * inv
    if beta is not None:
        out = out + beta
    return out.astype(x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    if xc.ndim == 0:
        xc = xc[None]
    axes = _axes(axis, xc.ndim)
    out = xc * jax.lax.rsqrt(jnp.mean(jnp.square(xc), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * convert_to_tensor(scale, dtype=xc.dtype)
    return out.astype(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1, received {order!r}.")
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = to_float(x)
    if x.ndim == 0:
        x = x[None]
    axes = _axes(axis, x.ndim)
    if order == 2:
        inv = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axes, keepdims=True))
        return x * jnp.minimum(inv, 1.0 / epsilon).astype(x.dtype)
    norm = jnp.sum(jnp.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
    return x / jnp.maximum(norm, epsilon).astype(x.dtype)
