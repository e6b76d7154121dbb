"""nn ops (encoding) on PyTorch."""

import torch
import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.backend.torch.nn.activations import to_float


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("`sparse=True` is not supported on the torch backend.")
    x = convert_to_tensor(x).to(torch.long)
    dtype = to_torch_dtype(dtypes.standardize_dtype(dtype) if dtype else config.floatx())
    valid = (x >= 0) & (x < num_classes)
    out = F.one_hot(torch.where(valid, x, 0), num_classes) * valid[..., None]
    out = out.to(dtype)
    if axis != -1 and axis != x.ndim:
        out = torch.movedim(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.get("num_tokens", num_classes)
    x = convert_to_tensor(inputs)
    reduce_axis = 1 if x.ndim > 1 else 0
    out = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    if out.dtype == torch.bool:
        return torch.any(out, dim=reduce_axis)
    return torch.amax(out, dim=reduce_axis)


def polar(abs_, angle):
    abs_, angle = to_float(abs_), to_float(angle)
    dtype = torch.promote_types(abs_.dtype, angle.dtype)
    if dtype in (torch.float16, torch.bfloat16):
        dtype = torch.float32
    return torch.polar(abs_.to(dtype), angle.to(dtype))
