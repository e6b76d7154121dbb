"""The math ops on JAX."""

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor

_HALF = ("float16", "bfloat16")


def _float(x):
    """``x`` as a tensor of its float result dtype (ints and bools become floats)."""
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(dtypes.standardize_dtype(x.dtype))
    return x.astype(dtype) if x.dtype != dtype else x


def erf(x):
    return jax.lax.erf(_float(x))


def erfc(x):
    return jax.lax.erfc(_float(x))


def erfinv(x):
    return jax.lax.erf_inv(_float(x))


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    return jax.nn.logsumexp(x, axis=axis, keepdims=keepdims).astype(x.dtype)


def logdet(x):
    from lamina.backend.jax.linalg import slogdet

    sign, logabs = slogdet(x)
    return logabs + jnp.log(sign)


# -- segments -------------------------------------------------------------------

def _check_ids(data, ids):
    if len(ids.shape) != 1 or len(data.shape) < 1 or dtypes.standardize_dtype(ids.dtype) not in dtypes.INT_TYPES:
        raise ValueError("ops.segment_*: `segment_ids` must be a 1-D integer tensor.")

def _num_segments(segment_ids, num_segments):
    if num_segments is not None:
        return int(num_segments)
    if isinstance(segment_ids, jax.core.Tracer):
        raise ValueError(
            "ops.segment_*: `num_segments` must be given inside jax.jit (the output "
            "shape cannot depend on the values of `segment_ids`)."
        )
    return int(np.max(np.asarray(segment_ids), initial=-1)) + 1


def _segment(fn, data, segment_ids, num_segments, sorted):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    _check_ids(data, segment_ids)
    n = _num_segments(segment_ids, num_segments)
    return fn(data, segment_ids, n, indices_are_sorted=bool(sorted))


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_sum, data, segment_ids, num_segments, sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_max, data, segment_ids, num_segments, sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_min, data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_prod, data, segment_ids, num_segments, sorted)


# -- top k ----------------------------------------------------------------------

def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if len(x.shape) < 1 or (x.shape[-1] is not None and k > x.shape[-1]):
        raise ValueError("ops.top_k: `k` is larger than the last dimension.")
    values, indices = jax.lax.top_k(x, k)
    return values, indices.astype("int32")


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets)
    if not jnp.issubdtype(targets.dtype, jnp.integer):
        raise TypeError("ops.in_top_k: `targets` must be integers.")
    targets = targets.astype("int32")
    predictions = convert_to_tensor(predictions)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = jnp.clip(targets, 0, max(classes - 1, 0))
    at_target = jnp.take_along_axis(predictions, safe[:, None], axis=-1)
    higher = jnp.sum(predictions > at_target, axis=-1)
    ok = valid & (higher < k)
    if jnp.issubdtype(predictions.dtype, jnp.floating):
        ok = ok & ~jnp.isnan(at_target[:, 0])
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
    dtype = dtypes.result_type(real.dtype, imag.dtype)
    work = "float32" if dtype in _HALF else dtype
    return jax.lax.complex(real.astype(work), imag.astype(work)), dtype


def _pair(c, dtype):
    return jnp.real(c).astype(dtype), jnp.imag(c).astype(dtype)


def fft(x):
    c, dtype = _complex(x)
    return _pair(jnp.fft.fft(c), dtype)


def fft2(x):
    c, dtype = _complex(x)
    return _pair(jnp.fft.fft2(c), dtype)


def ifft2(x):
    c, dtype = _complex(x)
    return _pair(jnp.fft.ifft2(c), dtype)


def _real_work(x):
    x = _float(x)
    dtype = dtypes.standardize_dtype(x.dtype)
    return (x.astype("float32") if dtype in _HALF else x), dtype


def rfft(x, fft_length=None):
    x, dtype = _real_work(x)
    return _pair(jnp.fft.rfft(x, n=fft_length, axis=-1), dtype)


def irfft(x, fft_length=None):
    c, dtype = _complex(x)
    return jnp.fft.irfft(c, n=fft_length, axis=-1).astype(dtype)


def _window(window, sequence_length, fft_length, dtype):
    if fft_length < sequence_length:
        raise ValueError("ops.stft: `fft_length` must be >= `sequence_length`.")
    return _window_checked(window, sequence_length, fft_length, dtype)


def _window_checked(window, sequence_length, fft_length, dtype):
    if window is None:
        win = np.ones(sequence_length)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"ops.stft: unknown window {window!r}; expected 'hann' or 'hamming'.")
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        win = a - (1 - a) * np.cos(2 * np.pi * n / sequence_length)
    else:
        win = convert_to_tensor(window).astype(dtype)
    left = (fft_length - sequence_length) // 2
    return jnp.pad(jnp.asarray(win, dtype), (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x, dtype = _real_work(x)
    if center:
        half = fft_length // 2
        x = jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)], mode="reflect")
    win = _window(window, sequence_length, fft_length, x.dtype)
    frames = _frame(x, fft_length, sequence_stride) * win
    return _pair(jnp.fft.rfft(frames, n=fft_length, axis=-1), dtype)


def _overlap_add(frames, stride):
    num, width = frames.shape[-2:]
    size = width + stride * (num - 1) if num else 0
    index = (np.arange(num)[:, None] * stride + np.arange(width)[None, :]).reshape(-1)
    out = jnp.zeros(frames.shape[:-2] + (size,), frames.dtype)
    return out.at[..., index].add(frames.reshape(frames.shape[:-2] + (-1,)))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    c, dtype = _complex(x)
    frames = jnp.fft.irfft(c, n=fft_length, axis=-1)
    win = _window(window, sequence_length, fft_length, frames.dtype)
    num = frames.shape[-2]
    signal = _overlap_add(frames * win, sequence_stride)
    norm = _overlap_add(jnp.broadcast_to(win * win, (num, fft_length)), sequence_stride)
    signal = signal / jnp.where(norm > 1e-11, norm, 1.0)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = signal.shape[-1] - (fft_length // 2 if center else 0)
    signal = signal[..., start:end]
    if length is not None and signal.shape[-1] < length:
        pad = [(0, 0)] * (signal.ndim - 1) + [(0, length - signal.shape[-1])]
        signal = jnp.pad(signal, pad)
    return signal.astype(dtype)


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.shape[-1] != 2:
        raise ValueError("ops.view_as_complex: the last dimension must be 2 (real, imag).")
    x = x.astype("float32")
    return jax.lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if jnp.iscomplexobj(x):
        return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
    return jnp.stack([x, jnp.zeros_like(x)], axis=-1)
