"""nn ops (activations) on PyTorch."""

import torch
import torch.nn.functional as F

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype


def to_float(x):
    """Converts ``x`` to a tensor; ints and bools become floats (int64: floatx)."""
    x = convert_to_tensor(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(to_torch_dtype(dtypes.float_result_type(dtypes.standardize_dtype(x.dtype))))
    return x


def _scalar(value, x):
    return torch.as_tensor(value, dtype=x.dtype, device=x.device)


def relu(x):
    return torch.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating_point:
        return F.relu6(x)
    return torch.clamp(x, 0, 6)


def sigmoid(x):
    return torch.sigmoid(to_float(x))


def sparse_sigmoid(x):
    x = to_float(x)
    return torch.clamp((x + 1) * 0.5, 0.0, 1.0)


def tanh_shrink(x):
    return F.tanhshrink(to_float(x))


def softplus(x):
    return F.softplus(to_float(x))


def softsign(x):
    return F.softsign(to_float(x))


def soft_shrink(x, threshold=0.5):
    return F.softshrink(to_float(x), lambd=threshold)


def sparse_plus(x):
    x = to_float(x)
    zero = torch.zeros((), dtype=x.dtype, device=x.device)
    return torch.where(x <= -1, zero, torch.where(x < 1, 0.25 * torch.square(x + 1), x))


def silu(x):
    return F.silu(to_float(x))


swish = silu


def squareplus(x, b=4):
    x = to_float(x)
    return (x + torch.sqrt(torch.square(x) + b)) / 2


def log_sigmoid(x):
    return F.logsigmoid(to_float(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(to_float(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    return F.hardsigmoid(to_float(x))


def hard_silu(x):
    return F.hardswish(to_float(x))


hard_swish = hard_silu


def elu(x, alpha=1.0):
    return F.elu(to_float(x), alpha=alpha)


def selu(x):
    return F.selu(to_float(x))


def gelu(x, approximate=True):
    return F.gelu(to_float(x), approximate="tanh" if approximate else "none")


def celu(x, alpha=1.0):
    return F.celu(to_float(x), alpha=alpha)


def glu(x, axis=-1):
    x = to_float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"the size of axis {axis} must be even, received shape {tuple(x.shape)}.")
    return F.glu(x, dim=axis)


def hard_tanh(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating_point:
        return F.hardtanh(x, -1.0, 1.0)
    return torch.clamp(x, -1, 1)


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(to_float(x), lambd=threshold)


def threshold(x, threshold, default_value):
    x = convert_to_tensor(x)
    return torch.where(x > threshold, x, _scalar(default_value, x))


def _softmax_like(fn, x, axis):
    x = to_float(x)
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16) and x.device.type == "cpu":
        x = x.float()
    if axis is None:
        out = fn(x.reshape(-1), dim=0).reshape(x.shape)
    elif isinstance(axis, (list, tuple)):
        axes = sorted(a % x.ndim for a in axis) if x.ndim else []
        keep = [d for d in range(x.ndim) if d not in axes]
        moved = x.permute(*keep, *axes)
        out = fn(moved.reshape(*moved.shape[:len(keep)], -1), dim=-1).reshape(moved.shape)
        inverse = [0] * x.ndim
        for i, d in enumerate(keep + axes):
            inverse[d] = i
        out = out.permute(*inverse)
    else:
        out = fn(x, dim=axis) if x.ndim else fn(x.reshape(1), dim=0).reshape(())
    return out.to(dtype)


def softmax(x, axis=-1):
    return _softmax_like(F.softmax, x, axis)


def log_softmax(x, axis=-1):
    return _softmax_like(F.log_softmax, x, axis)


def sparsemax(x, axis=-1):
    x = to_float(x)
    z = torch.movedim(x, axis, -1)
    n = z.shape[-1]
    z_sorted = torch.sort(z, dim=-1, descending=True).values
    cumsum = torch.cumsum(z_sorted, dim=-1)
    k = torch.arange(1, n + 1, dtype=x.dtype, device=x.device)
    support = (1 + k * z_sorted) > cumsum
    k_z = torch.sum(support, dim=-1, keepdim=True)
    tau = (torch.gather(cumsum, -1, torch.clamp(k_z - 1, min=0)) - 1) / k_z.to(x.dtype)
    return torch.movedim(torch.clamp(z - tau, min=0), -1, axis)
