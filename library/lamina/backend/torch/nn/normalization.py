"""nn ops (normalization) on PyTorch."""

import torch
import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.nn.activations import to_float

_HALF = (torch.float16, torch.bfloat16)


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
    return x, (x.float() if x.dtype in _HALF else x)


def _trailing(axes, ndim):
    return axes == tuple(range(ndim - len(axes), ndim))


def moments(x, axes, keepdims=False, synchronized=False):
    x, xc = _compute(x)
    axes = _axes(axes, x.ndim)
    if axes and xc.numel():
        variance, mean = torch.var_mean(xc, dim=axes, correction=0, keepdim=keepdims)
    else:
        mean = torch.mean(xc, dim=axes, keepdim=keepdims) if axes else xc
        variance = torch.zeros_like(mean)
    if x.dtype in _HALF:
        info = torch.finfo(x.dtype)
        mean = torch.clamp(mean, info.min, info.max).to(x.dtype)
        variance = torch.clamp(variance, info.min, info.max).to(x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = to_float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def vec(v):
        return None if v is None else torch.reshape(convert_to_tensor(v), shape)

    mean, variance, offset, scale = vec(mean), vec(variance), vec(offset), vec(scale)
    inv = torch.rsqrt(variance + epsilon)
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    if offset is not None:
        out = out + offset
    return out.to(x.dtype)


def _broadcast(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(v, dtype=x.dtype)
    if v.ndim != x.ndim and axes != (x.ndim - 1,):
        v = torch.reshape(v, [x.shape[d] if d in axes else 1 for d in range(x.ndim)])
    return v


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    axes = _axes(axis, x.ndim)
    if not rms_scaling and _trailing(axes, x.ndim):
        # The fused kernel, when gamma and beta have the normalized shape.
        norm_shape = tuple(xc.shape[d] for d in axes)
        g = None if gamma is None else convert_to_tensor(gamma, dtype=xc.dtype)
        b = None if beta is None else convert_to_tensor(beta, dtype=xc.dtype)
        if all(v is None or tuple(v.shape) == norm_shape for v in (g, b)):
            return F.layer_norm(xc, norm_shape, g, b, epsilon).to(x.dtype)
    gamma, beta = _broadcast(gamma, xc, axes), _broadcast(beta, xc, axes)
    variance, mean = torch.var_mean(xc, dim=axes, correction=0, keepdim=True)
    inv = torch.rsqrt(variance + epsilon)
    if rms_scaling:
        out = xc * inv if gamma is None else xc * inv * gamma
        return out.to(x.dtype)
    if gamma is not None:
        inv = inv * gamma
    out = (xc - mean) * inv
    if beta is not None:
        out = out + beta
    return out.to(x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, xc = _compute(x)
    if xc.ndim == 0:
        xc = xc.reshape(1)
    axes = _axes(axis, xc.ndim)
    s = None if scale is None else convert_to_tensor(scale, dtype=xc.dtype)
    norm_shape = tuple(xc.shape[d] for d in axes)
    if _trailing(axes, xc.ndim) and (s is None or tuple(s.shape) == norm_shape):
        return F.rms_norm(xc, norm_shape, s, epsilon).to(x.dtype)
    out = xc * torch.rsqrt(torch.mean(torch.square(xc), dim=axes, keepdim=True) + epsilon)
    if s is not None:
        out = out * s
    return out.to(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1, received {order!r}.")
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = to_float(x)
    if x.ndim == 0:
        x = x.reshape(1)
    axes = _axes(axis, x.ndim)
    if order == 2:
        inv = torch.rsqrt(torch.sum(torch.square(x), dim=axes, keepdim=True))
        return x * torch.clamp(inv, max=min(1.0 / epsilon, torch.finfo(x.dtype).max))
    norm = torch.sum(torch.abs(x) ** order, dim=axes, keepdim=True) ** (1.0 / order)
    return x / torch.clamp(norm, min=epsilon)
