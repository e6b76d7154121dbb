"""The math ops on NumPy (and SciPy)."""

import numpy as np
import scipy.special

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype

_HALF = ("float16", "bfloat16")


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


def _float(x):
    """``x`` as an array of its float result dtype (ints and bools become floats)."""
    x = convert_to_tensor(x)
    return x.astype(to_numpy_dtype(dtypes.float_result_type(_name(x))), copy=False)


def _as(value, like):
    return np.asarray(value).astype(like.dtype, copy=False)


def erf(x):
    x = _float(x)
    return _as(scipy.special.erf(x), x)


def erfc(x):
    x = _float(x)
    return _as(scipy.special.erfc(x), x)


def erfinv(x):
    x = _float(x)
    return _as(scipy.special.erfinv(x), x)


def rsqrt(x):
    x = _float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _as(1 / np.sqrt(x), x)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return _as(scipy.special.logsumexp(x, axis=axis, keepdims=keepdims), x)


def logdet(x):
    from lamina.backend.numpy.linalg import slogdet

    sign, logabs = slogdet(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _as(logabs + np.log(sign), logabs)


# -- segments -------------------------------------------------------------------

def _check_ids(data, ids):
    if len(ids.shape) != 1 or len(data.shape) < 1 or dtypes.standardize_dtype(ids.dtype) not in dtypes.INT_TYPES:
        raise ValueError("ops.segment_*: `segment_ids` must be a 1-D integer tensor.")

def _segment(ufunc, data, segment_ids, num_segments, fill):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    _check_ids(data, ids)
    ids = ids.astype(np.int64)
    if num_segments is None:
        num_segments = int(np.max(ids, initial=-1)) + 1
    if callable(fill):
        fill = fill(data.dtype)
    out = np.full((num_segments,) + data.shape[1:], fill, dtype=data.dtype)
    keep = (ids >= 0) & (ids < num_segments)
    ufunc.at(out, ids[keep], data[keep])
    return out


def _lowest(dtype):
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind == "b":
        return False
    return np.iinfo(dtype).min


def _highest(dtype):
    if dtype.kind == "f":
        return np.inf
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).max


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(np.add, data, segment_ids, num_segments, 0)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(np.maximum, data, segment_ids, num_segments, _lowest)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(np.minimum, data, segment_ids, num_segments, _highest)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(np.multiply, data, segment_ids, num_segments, 1)


# -- top k ----------------------------------------------------------------------

def _descending_order(x):
    key = x.astype(np.int8) if x.dtype == bool else x
    if key.dtype.kind == "u":
        key = key.astype(np.int64)
    # a stable sort of the negated values keeps the lower index first among ties
    return np.argsort(-key, axis=-1, kind="stable")


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if len(x.shape) < 1 or (x.shape[-1] is not None and k > x.shape[-1]):
        raise ValueError("ops.top_k: `k` is larger than the last dimension.")
    indices = _descending_order(x)[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets)
    if targets.dtype.kind not in "iu":
        raise TypeError("ops.in_top_k: `targets` must be integers.")
    targets = targets.astype(np.int64)
    predictions = convert_to_tensor(predictions)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = np.clip(targets, 0, max(classes - 1, 0))
    at_target = np.take_along_axis(predictions, safe[:, None], axis=-1)
    higher = np.sum(predictions > at_target, axis=-1)
    ok = valid & (higher < k)
    if predictions.dtype.kind == "f":
        ok = ok & ~np.isnan(at_target[:, 0])
    return ok


# -- framing and Fourier transforms ---------------------------------------------

def _frame(x, length, stride):
    n = x.shape[-1]
    num = max(0, 1 + (n - length) // stride)
    index = np.arange(num)[:, None] * stride + np.arange(length)[None, :]
    return x[..., index]


def extract_sequences(x, sequence_length, sequence_stride):
    return _frame(convert_to_tensor(x), sequence_length, sequence_stride)


def _complex(x):
    real, imag = x
    real, imag = convert_to_tensor(real), convert_to_tensor(imag)
    for part in (real, imag):
        if dtypes.standardize_dtype(part.dtype) not in dtypes.FLOAT_TYPES:
            raise TypeError("ops.fft: the real and imaginary parts must be float tensors.")
    dtype = to_numpy_dtype(dtypes.result_type(_name(real), _name(imag)))
    work = np.float64 if dtype == np.float64 else np.float32
    return real.astype(work) + 1j * imag.astype(work), dtype


def _pair(c, dtype):
    return np.real(c).astype(dtype), np.imag(c).astype(dtype)


def fft(x):
    c, dtype = _complex(x)
    return _pair(np.fft.fft(c), dtype)


def fft2(x):
    c, dtype = _complex(x)
    return _pair(np.fft.fft2(c), dtype)


def ifft2(x):
    c, dtype = _complex(x)
    return _pair(np.fft.ifft2(c), dtype)


def rfft(x, fft_length=None):
    x = _float(x)
    return _pair(np.fft.rfft(x, n=fft_length, axis=-1), x.dtype)


def irfft(x, fft_length=None):
    c, dtype = _complex(x)
    return np.fft.irfft(c, n=fft_length, axis=-1).astype(dtype)


def _window(window, sequence_length, fft_length):
    if fft_length < sequence_length:
        raise ValueError("ops.stft: `fft_length` must be >= `sequence_length`.")
    return _window_checked(window, sequence_length, fft_length)


def _window_checked(window, sequence_length, fft_length):
    if window is None:
        win = np.ones(sequence_length)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"ops.stft: unknown window {window!r}; expected 'hann' or 'hamming'.")
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        win = a - (1 - a) * np.cos(2 * np.pi * n / sequence_length)
    else:
        win = np.asarray(convert_to_tensor(window), np.float64)
    left = (fft_length - sequence_length) // 2
    return np.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = _float(x)
    dtype = x.dtype
    work = x.astype(np.float32) if _name(x) in _HALF else x
    if center:
        half = fft_length // 2
        work = np.pad(work, [(0, 0)] * (work.ndim - 1) + [(half, half)], mode="reflect")
    win = _window(window, sequence_length, fft_length).astype(work.dtype)
    frames = _frame(work, fft_length, sequence_stride) * win
    return _pair(np.fft.rfft(frames, n=fft_length, axis=-1), dtype)


def _overlap_add(frames, stride):
    num, width = frames.shape[-2:]
    size = width + stride * (num - 1) if num else 0
    out = np.zeros(frames.shape[:-2] + (size,), frames.dtype)
    for i in range(num):
        out[..., i * stride:i * stride + width] += frames[..., i, :]
    return out


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    c, dtype = _complex(x)
    frames = np.fft.irfft(c, n=fft_length, axis=-1)
    win = _window(window, sequence_length, fft_length).astype(frames.dtype)
    num = frames.shape[-2]
    signal = _overlap_add(frames * win, sequence_stride)
    norm = _overlap_add(np.broadcast_to(win * win, (num, fft_length)), sequence_stride)
    signal = signal / np.where(norm > 1e-11, norm, 1.0)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = signal.shape[-1] - (fft_length // 2 if center else 0)
    signal = signal[..., start:end]
    if length is not None and signal.shape[-1] < length:
        signal = np.pad(signal, [(0, 0)] * (signal.ndim - 1) + [(0, length - signal.shape[-1])])
    return signal.astype(dtype)


def view_as_complex(x):
    x = convert_to_tensor(x).astype(np.float32)
    if x.shape[-1] != 2:
        raise ValueError("ops.view_as_complex: the last dimension must be 2 (real, imag).")
    return (x[..., 0] + 1j * x[..., 1]).astype(np.complex64)


def view_as_real(x):
    x = convert_to_tensor(x)
    if np.iscomplexobj(x):
        return np.stack([np.real(x), np.imag(x)], axis=-1)
    return np.stack([x, np.zeros_like(x)], axis=-1)
