"""nn ops (normalization) on NumPy."""

import numpy as np

from lamina.backend import config
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.nn.activations import to_float


def _half(x):
    return x.dtype == np.float16 or x.dtype.name == "bfloat16"


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
    return x, (x.astype(np.float32) if _half(x) else x)


def moments(x, axes, keepdims=False, synchronized=False):
    x, xc = _compute(x)
    axes = _axes(axes, x.ndim)
    mean = np.mean(xc, axis=axes, keepdims=True)
    variance = np.mean(np.square(xc - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = np.squeeze(mean, axes), np.squeeze(variance, axes)
    if _half(x):
        hi = float(np.finfo(np.float16).max) if x.dtype == np.float16 else 3.38e38
        mean = np.clip(mean, -hi, hi).astype(x.dtype)
        variance = np.clip(variance, -hi, hi).astype(x.dtype)
    return np.asarray(mean, xc.dtype if not _half(x) else x.dtype), \
        np.asarray(variance, xc.dtype if not _half(x) else x.dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = to_float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def vec(v):
        return None if v is None else np.reshape(convert_to_tensor(v), shape)

    mean, variance, offset, scale = vec(mean), vec(variance), vec(offset), vec(scale)
    inv = 1 / np.sqrt(variance + np.asarray(epsilon, variance.dtype))
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    if offset is not None:
        out = out + offset
    return out.astype(x.dtype)


def _broadcast(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(v, dtype=x.dtype)
    if v.ndim != x.ndim and axes != (x.ndim - 1,):
        v = np.reshape(v, [x.shape[d] if d in axes else 1 for d in range(x.ndim)])
    return v


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    axes = _axes(axis, x.ndim)
    gamma, beta = _broadcast(gamma, xc, axes), _broadcast(beta, xc, axes)
    mean = np.mean(xc, axis=axes, keepdims=True)
    variance = np.var(xc, axis=axes, keepdims=True)
    inv = 1 / np.sqrt(variance + np.asarray(epsilon, xc.dtype))
    if rms_scaling:
        out = xc * inv if gamma is None else xc * inv * gamma
        return out.astype(x.dtype)
    if gamma is not None:
        inv = inv * gamma
    out = (xc - mean) * inv
    if beta is not None:
        out = out + beta
    return out.astype(x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    if xc.ndim == 0:
        xc = xc[None]
    axes = _axes(axis, xc.ndim)
    out = xc / np.sqrt(np.mean(np.square(xc), axis=axes, keepdims=True) + np.asarray(epsilon, xc.dtype))
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
    with np.errstate(divide="ignore"):
        if order == 2:
            inv = 1 / np.sqrt(np.sum(np.square(x), axis=axes, keepdims=True))
            cap = min(1.0 / epsilon, float(np.finfo(x.dtype).max))
            return (x * np.minimum(inv, np.asarray(cap, x.dtype))).astype(x.dtype)
        norm = np.sum(np.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
        return (x / np.maximum(norm, np.asarray(epsilon, x.dtype))).astype(x.dtype)
