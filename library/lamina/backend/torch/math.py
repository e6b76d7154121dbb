"""The math ops on PyTorch."""

import math

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype

_HALF = (torch.float16, torch.bfloat16)


def _float(x):
    """``x`` as a tensor of its float result dtype (ints and bools become floats)."""
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtypes.float_result_type(standardize_dtype(x.dtype)))
    return x.to(dtype) if x.dtype != dtype else x


def erf(x):
    return torch.erf(_float(x))


def erfc(x):
    return torch.erfc(_float(x))


def erfinv(x):
    return torch.erfinv(_float(x))


def rsqrt(x):
    return torch.rsqrt(_float(x))


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    if not axis:
        return x
    return torch.logsumexp(x, dim=tuple(axis), keepdim=keepdims)


def logdet(x):
    from lamina.backend.torch.linalg import slogdet

    sign, logabs = slogdet(x)
    return logabs + torch.log(sign)


# -- segments -------------------------------------------------------------------

def _check_ids(data, ids):
    if len(ids.shape) != 1 or len(data.shape) < 1 or dtypes.standardize_dtype(ids.dtype) not in dtypes.INT_TYPES:
        raise ValueError("ops.segment_*: `segment_ids` must be a 1-D integer tensor.")

def _fill_value(dtype, reduce):
    if reduce == "sum":
        return 0
    if reduce == "prod":
        return 1
    if dtype.is_floating_point:
        return -math.inf if reduce == "amax" else math.inf
    if dtype == torch.bool:
        return reduce == "amin"
    info = torch.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _segment(reduce, data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    _check_ids(data, ids)
    ids = ids.to(torch.int64)
    if num_segments is None:
        num_segments = int(ids.max().item()) + 1 if ids.numel() else 0
    dtype = data.dtype
    work = data.to(torch.uint8) if dtype == torch.bool else data
    # invalid ids go to an extra bucket that is dropped at the end
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    shape = (num_segments + 1,) + tuple(work.shape[1:])
    out = torch.full(shape, _fill_value(dtype, reduce), dtype=work.dtype, device=work.device)
    index = ids.reshape((-1,) + (1,) * (work.ndim - 1)).expand_as(work)
    out = out.scatter_reduce(0, index, work, reduce=reduce, include_self=True)[:num_segments]
    return out.to(dtype) if dtype == torch.bool else out


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment("sum", data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment("amax", data, segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment("amin", data, segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment("prod", data, segment_ids, num_segments)


# -- top k ----------------------------------------------------------------------

def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if len(x.shape) < 1 or (x.shape[-1] is not None and k > x.shape[-1]):
        raise ValueError("ops.top_k: `k` is larger than the last dimension.")
    work = x.to(torch.uint8) if x.dtype == torch.bool else x
    if sorted:
        # a stable descending sort keeps the lower index first among ties
        values, indices = torch.sort(work, dim=-1, descending=True, stable=True)
        values, indices = values[..., :k], indices[..., :k]
    else:
        values, indices = torch.topk(work, k, dim=-1, sorted=False)
    return values.to(x.dtype), indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets)
    if targets.dtype.is_floating_point or targets.dtype == torch.bool or targets.is_complex():
        raise TypeError("ops.in_top_k: `targets` must be integers.")
    targets = targets.to(torch.int64)
    predictions = convert_to_tensor(predictions)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = targets.clamp(0, max(classes - 1, 0))
    at_target = torch.take_along_dim(predictions, safe[:, None], dim=-1)
    higher = torch.sum(predictions > at_target, dim=-1)
    ok = valid & (higher < k)
    if predictions.dtype.is_floating_point:
        ok = ok & ~torch.isnan(at_target[:, 0])
    return ok


# -- framing and Fourier transforms ---------------------------------------------

def _frame(x, length, stride):
    n = x.shape[-1]
    if n < length:
        return x.new_zeros(tuple(x.shape[:-1]) + (0, length))
    return x.unfold(-1, length, stride)


def extract_sequences(x, sequence_length, sequence_stride):
    return _frame(convert_to_tensor(x), sequence_length, sequence_stride)


def _complex(x):
    real, imag = x
    real, imag = convert_to_tensor(real), convert_to_tensor(imag)
    for part in (real, imag):
        if dtypes.standardize_dtype(part.dtype) not in dtypes.FLOAT_TYPES:
            raise TypeError("ops.fft: the real and imaginary parts must be float tensors.")
    dtype = to_torch_dtype(dtypes.result_type(standardize_dtype(real.dtype), standardize_dtype(imag.dtype)))
    work = torch.float32 if dtype in _HALF else dtype
    return torch.complex(real.to(work), imag.to(work)), dtype


def _pair(c, dtype):
    return c.real.to(dtype), c.imag.to(dtype)


def fft(x):
    c, dtype = _complex(x)
    return _pair(torch.fft.fft(c), dtype)


def fft2(x):
    c, dtype = _complex(x)
    return _pair(torch.fft.fft2(c), dtype)


def ifft2(x):
    c, dtype = _complex(x)
    return _pair(torch.fft.ifft2(c), dtype)


def _real_work(x):
    x = _float(x)
    return (x.to(torch.float32) if x.dtype in _HALF else x), x.dtype


def rfft(x, fft_length=None):
    x, dtype = _real_work(x)
    return _pair(torch.fft.rfft(x, n=fft_length, dim=-1), dtype)


def irfft(x, fft_length=None):
    c, dtype = _complex(x)
    return torch.fft.irfft(c, n=fft_length, dim=-1).to(dtype)


def _window(window, sequence_length, fft_length, dtype, device):
    if fft_length < sequence_length:
        raise ValueError("ops.stft: `fft_length` must be >= `sequence_length`.")
    return _window_checked(window, sequence_length, fft_length, dtype, device)


def _window_checked(window, sequence_length, fft_length, dtype, device):
    if window is None:
        win = torch.ones(sequence_length, dtype=dtype, device=device)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"ops.stft: unknown window {window!r}; expected 'hann' or 'hamming'.")
        maker = torch.hann_window if window == "hann" else torch.hamming_window
        win = maker(sequence_length, periodic=True, dtype=torch.float64, device=device).to(dtype)
    else:
        win = convert_to_tensor(window).to(dtype)
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x, dtype = _real_work(x)
    if center:
        half = fft_length // 2
        shape = x.shape
        flat = x.reshape((-1, 1, shape[-1]))
        x = torch.nn.functional.pad(flat, (half, half), mode="reflect").reshape(
            tuple(shape[:-1]) + (-1,)
        )
    win = _window(window, sequence_length, fft_length, x.dtype, x.device)
    frames = _frame(x, fft_length, sequence_stride) * win
    return _pair(torch.fft.rfft(frames, n=fft_length, dim=-1), dtype)


def _overlap_add(frames, stride):
    num, width = frames.shape[-2:]
    size = width + stride * (num - 1) if num else 0
    index = (torch.arange(num, device=frames.device)[:, None] * stride
             + torch.arange(width, device=frames.device)[None, :]).reshape(-1)
    out = frames.new_zeros(tuple(frames.shape[:-2]) + (size,))
    return out.index_add(-1, index, frames.reshape(tuple(frames.shape[:-2]) + (-1,)))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    c, dtype = _complex(x)
    frames = torch.fft.irfft(c, n=fft_length, dim=-1)
    win = _window(window, sequence_length, fft_length, frames.dtype, frames.device)
    num = frames.shape[-2]
    signal = _overlap_add(frames * win, sequence_stride)
    norm = _overlap_add((win * win).expand(num, fft_length), sequence_stride)
    signal = signal / torch.where(norm > 1e-11, norm, torch.ones_like(norm))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = signal.shape[-1] - (fft_length // 2 if center else 0)
    signal = signal[..., start:end]
    if length is not None and signal.shape[-1] < length:
        signal = torch.nn.functional.pad(signal, (0, length - signal.shape[-1]))
    return signal.to(dtype)


def view_as_complex(x):
    x = convert_to_tensor(x).to(torch.float32)
    if x.shape[-1] != 2:
        raise ValueError("ops.view_as_complex: the last dimension must be 2 (real, imag).")
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if x.is_complex():
        return torch.stack([x.real, x.imag], dim=-1)
    return torch.stack([x, torch.zeros_like(x)], dim=-1)
