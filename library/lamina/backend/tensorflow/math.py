"""The math ops on TensorFlow."""

import numpy as np
import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor

_HALF = ("float16", "bfloat16")


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


def _float(x):
    """``x`` as a tensor of its float result dtype (ints and bools become floats)."""
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_name(x))
    return tf.cast(x, dtype) if _name(x) != dtype else x


def erf(x):
    return tf.math.erf(_float(x))


def erfc(x):
    return tf.math.erfc(_float(x))


def erfinv(x):
    x = _float(x)
    if _name(x) in _HALF:
        return tf.cast(tf.math.erfinv(tf.cast(x, "float32")), x.dtype)
    return tf.math.erfinv(x)


def rsqrt(x):
    return tf.math.rsqrt(_float(x))


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return tf.math.reduce_logsumexp(x, axis=axis, keepdims=keepdims)


def logdet(x):
    from lamina.backend.tensorflow.linalg import slogdet

    sign, logabs = slogdet(x)
    return logabs + tf.math.log(sign)


# -- segments -------------------------------------------------------------------

def _check_ids(data, ids):
    if len(ids.shape) != 1 or len(data.shape) < 1 or dtypes.standardize_dtype(ids.dtype) not in dtypes.INT_TYPES:
        raise ValueError("ops.segment_*: `segment_ids` must be a 1-D integer tensor.")

def _segment(fn, data, segment_ids, num_segments, empty=None):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    _check_ids(data, ids)
    if num_segments is None:
        num_segments = tf.reduce_max(tf.concat([tf.cast(ids, "int64") + 1, [0]], 0))
    n = tf.cast(num_segments, ids.dtype)
    # negative ids are dropped by the unsorted_segment ops; so are ids >= n
    ids = tf.where(ids < n, ids, tf.constant(-1, ids.dtype))
    out = fn(data, ids, num_segments)
    if empty is not None and data.dtype.is_floating:
        counts = tf.math.unsorted_segment_sum(tf.ones_like(ids, "int32"), ids, num_segments)
        counts = tf.reshape(counts, tf.concat([tf.shape(counts), tf.ones([tf.rank(data) - 1], "int32")], 0))
        out = tf.where(counts > 0, out, tf.constant(empty, data.dtype))
    return out


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_sum, data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_max, data, segment_ids, num_segments, -np.inf)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_min, data, segment_ids, num_segments, np.inf)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_prod, data, segment_ids, num_segments)


# -- top k ----------------------------------------------------------------------

def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    if len(x.shape) < 1 or (x.shape[-1] is not None and k > x.shape[-1]):
        raise ValueError("ops.top_k: `k` is larger than the last dimension.")
    work = tf.cast(x, "uint8") if x.dtype == tf.bool else x
    values, indices = tf.math.top_k(work, k, sorted=sorted)
    return tf.cast(values, x.dtype), tf.cast(indices, "int32")


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets)
    if not targets.dtype.is_integer:
        raise TypeError("ops.in_top_k: `targets` must be integers.")
    targets = tf.cast(targets, "int32")
    predictions = convert_to_tensor(predictions)
    classes = tf.shape(predictions)[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = tf.clip_by_value(targets, 0, tf.maximum(classes - 1, 0))
    at_target = tf.gather(predictions, safe[:, None], axis=-1, batch_dims=1)
    higher = tf.reduce_sum(tf.cast(predictions > at_target, "int32"), axis=-1)
    ok = valid & (higher < k)
    if predictions.dtype.is_floating:
        ok = ok & ~tf.math.is_nan(at_target[:, 0])
    return ok


# -- framing and Fourier transforms ---------------------------------------------

def _frame(x, length, stride):
    n = x.shape[-1]
    if n is not None and n < length:
        return tf.zeros(tf.concat([tf.shape(x)[:-1], [0, length]], 0), x.dtype)
    return tf.signal.frame(x, length, stride, axis=-1)


def extract_sequences(x, sequence_length, sequence_stride):
    return _frame(convert_to_tensor(x), sequence_length, sequence_stride)


def _complex(x):
    real, imag = x
    real, imag = convert_to_tensor(real), convert_to_tensor(imag)
    for part in (real, imag):
        if dtypes.standardize_dtype(part.dtype) not in dtypes.FLOAT_TYPES:
            raise TypeError("ops.fft: the real and imaginary parts must be float tensors.")
    dtype = dtypes.result_type(_name(real), _name(imag))
    work = "float32" if dtype in _HALF else dtype
    return tf.complex(tf.cast(real, work), tf.cast(imag, work)), dtype


def _pair(c, dtype):
    return tf.cast(tf.math.real(c), dtype), tf.cast(tf.math.imag(c), dtype)


def fft(x):
    c, dtype = _complex(x)
    return _pair(tf.signal.fft(c), dtype)


def fft2(x):
    c, dtype = _complex(x)
    return _pair(tf.signal.fft2d(c), dtype)


def ifft2(x):
    c, dtype = _complex(x)
    return _pair(tf.signal.ifft2d(c), dtype)


def _real_work(x):
    x = _float(x)
    dtype = _name(x)
    return (tf.cast(x, "float32") if dtype in _HALF else x), dtype


def rfft(x, fft_length=None):
    x, dtype = _real_work(x)
    length = None if fft_length is None else [fft_length]
    return _pair(tf.signal.rfft(x, fft_length=length), dtype)


def irfft(x, fft_length=None):
    c, dtype = _complex(x)
    if fft_length is None:
        fft_length = 2 * (c.shape[-1] - 1) if c.shape[-1] is not None else 2 * (tf.shape(c)[-1] - 1)
    return tf.cast(tf.signal.irfft(c, fft_length=tf.reshape(fft_length, [1])), dtype)


def _window(window, sequence_length, fft_length, dtype):
    if fft_length < sequence_length:
        raise ValueError("ops.stft: `fft_length` must be >= `sequence_length`.")
    return _window_checked(window, sequence_length, fft_length, dtype)


def _window_checked(window, sequence_length, fft_length, dtype):
    if window is None:
        win = tf.ones([sequence_length], dtype)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"ops.stft: unknown window {window!r}; expected 'hann' or 'hamming'.")
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        win = tf.constant(a - (1 - a) * np.cos(2 * np.pi * n / sequence_length), dtype)
    else:
        win = tf.cast(convert_to_tensor(window), dtype)
    left = (fft_length - sequence_length) // 2
    return tf.pad(win, [[left, fft_length - sequence_length - left]])


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x, dtype = _real_work(x)
    if center:
        half = fft_length // 2
        x = tf.pad(x, [[0, 0]] * (x.shape.rank - 1) + [[half, half]], mode="REFLECT")
    win = _window(window, sequence_length, fft_length, x.dtype)
    frames = _frame(x, fft_length, sequence_stride) * win
    return _pair(tf.signal.rfft(frames, fft_length=[fft_length]), dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    c, dtype = _complex(x)
    frames = tf.signal.irfft(c, fft_length=[fft_length])
    win = _window(window, sequence_length, fft_length, frames.dtype)
    num = tf.shape(frames)[-2]
    signal = tf.signal.overlap_and_add(frames * win, sequence_stride)
    norm = tf.signal.overlap_and_add(tf.tile((win * win)[None, :], [num, 1]), sequence_stride)
    signal = signal / tf.where(norm > 1e-11, norm, tf.ones_like(norm))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
        total = tf.shape(signal)[-1]
        signal = tf.pad(signal, [[0, 0]] * (signal.shape.rank - 1) + [[0, tf.maximum(end - total, 0)]])
        signal = signal[..., start:end]
        signal = tf.ensure_shape(signal, signal.shape[:-1].concatenate([length]))
    else:
        end = tf.shape(signal)[-1] - (fft_length // 2 if center else 0)
        signal = signal[..., start:end]
    return tf.cast(signal, dtype)


def view_as_complex(x):
    x = tf.cast(convert_to_tensor(x), "float32")
    if x.shape[-1] != 2:
        raise ValueError("ops.view_as_complex: the last dimension must be 2 (real, imag).")
    return tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        return tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1)
    return tf.stack([x, tf.zeros_like(x)], axis=-1)
