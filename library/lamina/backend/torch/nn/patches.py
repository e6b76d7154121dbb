"""nn ops (patches) on PyTorch."""

import torch.nn.functional as F

from lamina.backend.common import conv_utils as cu
from lamina.backend.torch.core import convert_to_tensor

__all__ = ["depth_to_space", "space_to_depth", "unfold", "fold"]


def depth_to_space(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_first":
        return F.pixel_shuffle(x, r)
    n, h, w, c = x.shape
    x = x.reshape(n, h, w, r, r, c // (r * r)).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(n, h * r, w * r, c // (r * r))


def space_to_depth(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_first":
        return F.pixel_unshuffle(x, r)
    n, h, w, c = x.shape
    x = x.reshape(n, h // r, r, w // r, r, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(n, h // r, w // r, c * r * r)


def _args(kernel_size, dilation, padding, stride):
    return tuple(cu.normalize_tuple(v, 2, name) for v, name in (
        (kernel_size, "kernel_size"), (dilation, "dilation"), (padding, "padding"),
        (stride, "stride")))


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    x = convert_to_tensor(x)
    cu.check_rank(x.ndim, (4,))
    if not x.dtype.is_floating_point:  # torch's im2col is float-only
        return F.unfold(x.double(), k, d, p, s).to(x.dtype)
    return F.unfold(x, k, d, p, s)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    size = cu.normalize_tuple(output_size, 2, "output_size")
    return F.fold(convert_to_tensor(x), size, k, d, p, s)
