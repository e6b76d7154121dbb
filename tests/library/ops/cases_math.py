"""Conformance cases: math ops (special functions, segments, top-k, FFT, framing)."""

import numpy as np
import scipy.special

from .harness import BACKEND, Case, ErrorCase, rand

CASES, ERRORS = [], []

# Keras 3 is inconsistent across backends for int/bool inputs of the special
# functions (jax raises for erf/rsqrt, tensorflow raises, numpy keeps int32);
# lamina computes them in floats everywhere, so those cases skip the oracle.

# -- special functions ----------------------------------------------------------

_SPECIAL = {
    "erf": (scipy.special.erf, -2.0, 2.0, True),
    "erfc": (scipy.special.erfc, -2.0, 2.0, False),
    "erfinv": (scipy.special.erfinv, -0.9, 0.9, False),
    "rsqrt": (lambda x: 1 / np.sqrt(x), 0.5, 3.0, True),
}
for _name, (_ref, _lo, _hi, _grad) in _SPECIAL.items():
    for _shape in [(), (0, 3), (2, 3)]:
        CASES.append(Case(_name, (rand(_shape, low=_lo, high=_hi),), ref=_ref, grad=_grad and _shape == (2, 3),
                          rtol=1e-5, atol=1e-6))
    CASES.append(Case(_name, (rand((4,), "float16", low=_lo, high=_hi),), ref=_ref, rtol=3e-3, atol=3e-3))
    _ilo = 1 if _name == "rsqrt" else 0
    CASES.append(Case(_name, (rand((4,), "int32", low=_ilo, high=3 if _name != "erfinv" else 1),),
                      ref=lambda x, r=_ref: r(x.astype(np.float64)), keras=False))


def _logsumexp(x, axis=None, keepdims=False):
    return scipy.special.logsumexp(x.astype(np.float64), axis=axis, keepdims=keepdims)


for _axis, _keep in [(None, False), (0, False), (-1, True), ((0, 1), False), ((0, 2), True)]:
    CASES.append(Case("logsumexp", (rand((2, 3, 2)),), {"axis": _axis, "keepdims": _keep}, ref=_logsumexp,
                      grad=_axis in (None, (0, 2))))
CASES += [
    Case("logsumexp", (rand((3,), low=50, high=60),), ref=_logsumexp),
    Case("logsumexp", (rand((0, 3)),), {"axis": 1}, ref=_logsumexp),
    Case("logsumexp", (rand((2, 3), "float16"),), {"axis": 1}, ref=_logsumexp, rtol=3e-3, atol=3e-3),
    Case("logsumexp", (rand((2, 3), "int32"),), {"axis": 1}, ref=_logsumexp, keras=False),
]


def _spd(n, batch=(), seed=0):
    r = rand(batch + (n, n), seed=seed)
    return (r @ np.swapaxes(r, -1, -2) + n * np.eye(n)).astype("float32")


def _logdet(x):
    sign, logabs = np.linalg.slogdet(x.astype(np.float64))
    return logabs + np.log(sign)


CASES += [
    Case("logdet", (_spd(3),), ref=_logdet, grad=True, rtol=1e-4, atol=1e-5),
    Case("logdet", (_spd(2, (2,)),), ref=_logdet, rtol=1e-4, atol=1e-5),
    # jax Keras returns log|det| for a negative determinant; lamina gives nan
    Case("logdet", (np.array([[0.0, 1.0], [1.0, 0.0]], "float32"),), ref=_logdet, keras=False),
]

# -- segment reductions ---------------------------------------------------------


def _segment_ref(ufunc, fill):
    def ref(data, ids, num_segments=None, sorted=False):
        n = int(ids.max()) + 1 if num_segments is None else num_segments
        out = np.full((n,) + data.shape[1:], fill(data.dtype) if callable(fill) else fill, data.dtype)
        keep = (ids >= 0) & (ids < n)
        ufunc.at(out, ids[keep], data[keep])
        return out

    return ref


def _low(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _high(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


_SEGMENTS = {
    "segment_sum": _segment_ref(np.add, 0),
    "segment_max": _segment_ref(np.maximum, _low),
    "segment_min": _segment_ref(np.minimum, _high),
    "segment_prod": _segment_ref(np.multiply, 1),
}
_IDS = np.array([0, 2, 1, 2, 0], "int32")
for _name, _ref in _SEGMENTS.items():
    CASES += [
        Case(_name, (rand((5,)), _IDS), {"num_segments": 3}, ref=_ref, grad=_name == "segment_sum"),
        Case(_name, (rand((5, 2)), _IDS), {"num_segments": 3}, ref=_ref, grad=_name == "segment_sum"),
        Case(_name, (rand((5, 2), "float16"), _IDS), {"num_segments": 3}, ref=_ref, rtol=2e-3, atol=2e-3),
        # Keras on numpy returns float64 for int segment_max/min
        Case(_name, (rand((5, 2), "int32", -5, 5), _IDS), {"num_segments": 3}, ref=_ref,
             check_dtype=not (BACKEND == "numpy" and _name in ("segment_max", "segment_min"))),
        # Keras on jax needs num_segments; inside jax.jit lamina does too
        # (the symbolic output has an unknown number of segments)
        Case(_name, (rand((5,)), _IDS), ref=_ref, keras=BACKEND != "jax", jit=BACKEND != "jax",
             symbolic=False),
        # empty segment (3) and dropped ids (-1, 9): Keras fills empty max/min with
        # the lowest float on tensorflow and raises for ids >= num_segments there
        Case(_name, (rand((5, 2)), np.array([0, -1, 1, 9, 0], "int32")), {"num_segments": 4}, ref=_ref,
             keras=False),
        Case(_name, (rand((0, 2)), np.zeros((0,), "int32")), {"num_segments": 2}, ref=_ref, keras=False),
        # sorted is only a hint (Keras on tensorflow refuses num_segments with sorted=True)
        Case(_name, (rand((5,)), np.array([0, 0, 1, 1, 2], "int32")), {"num_segments": 3, "sorted": True},
             ref=_ref, keras=False),
    ]

# -- top_k / in_top_k -----------------------------------------------------------


def _top_k(x, k, sorted=True):
    order = np.argsort(-x.astype(np.float64), axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


def _sort_pair(out):
    values, indices = out
    return np.sort(values, axis=-1), np.sort(indices, axis=-1)


# Keras returns int64 indices on torch and numpy; lamina returns int32 everywhere.
_IDX_DTYPE_OK = BACKEND not in ("torch", "numpy")
# Keras on tensorflow returns a TopKV2 namedtuple, which the harness's
# to_numpy_tree cannot rebuild (type(x)(generator)); compare with NumPy only there.
_TOPK_KERAS = BACKEND != "tensorflow"
_TIES = np.array([[1.0, 3.0, 3.0, 2.0, 0.0], [5.0, 5.0, 5.0, 1.0, 1.0]], "float32")
CASES += [
    Case("top_k", (rand((2, 5)), 2), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    Case("top_k", (rand((6,)), 6), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    Case("top_k", (rand((2, 3, 4)), 1), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    Case("top_k", (rand((2, 5), "float16"), 3), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    Case("top_k", (rand((2, 5), "int32", -10, 10, seed=3), 2), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    # ties: lower index first (Keras on numpy puts the higher index first, torch any)
    Case("top_k", (_TIES, 2), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS and BACKEND not in ("numpy", "torch")),
    Case("top_k", (rand((2, 5), seed=4), 3), {"sorted": False}, ref=_top_k, postprocess=_sort_pair,
         check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
    Case("top_k", (rand((0, 4)), 2), ref=_top_k, check_dtype=_IDX_DTYPE_OK, keras=_TOPK_KERAS),
]


def _in_top_k(targets, predictions, k):
    at = np.take_along_axis(predictions, targets[:, None].astype(np.int64), axis=-1)
    return (np.sum(predictions > at, axis=-1) < k) & ~np.isnan(at[:, 0])


_PRED_TIES = np.array([[0.1, 0.5, 0.5, 0.2], [0.3, 0.3, 0.3, 0.3], [0.9, 0.1, 0.0, 0.4]], "float32")
for _k in (1, 2, 3):
    CASES.append(Case("in_top_k", (np.array([2, 3, 3], "int32"), _PRED_TIES, _k), ref=_in_top_k))
CASES += [
    Case("in_top_k", (np.array([0, 4, 1, 2], "int32"), rand((4, 5)), 2), ref=_in_top_k),
    Case("in_top_k", (np.array([0, 1], "int32"), np.array([[np.nan, 1.0], [0.0, 1.0]], "float32"), 1),
         ref=_in_top_k),
    # Keras on tensorflow accepts float32 predictions only
    Case("in_top_k", (np.array([0, 1], "int32"), rand((2, 3), "float16"), 1), ref=_in_top_k,
         keras=BACKEND != "tensorflow"),
]

# -- framing ----------------------------------------------------------------------


def _frames(x, sequence_length, sequence_stride):
    num = max(0, 1 + (x.shape[-1] - sequence_length) // sequence_stride)
    index = np.arange(num)[:, None] * sequence_stride + np.arange(sequence_length)
    return x[..., index]


CASES += [
    Case("extract_sequences", (rand((10,)), 3, 2), ref=_frames, grad=True),
    Case("extract_sequences", (rand((2, 8)), 4, 4), ref=_frames),
    Case("extract_sequences", (rand((2, 3, 7)), 2, 3), ref=_frames),
    Case("extract_sequences", (rand((2, 9), "int32"), 9, 1), ref=_frames),
    Case("extract_sequences", (rand((3, 2)), 3, 1), ref=_frames, keras=False),  # no full frame
]

# -- Fourier transforms -----------------------------------------------------------


def _pair_ref(fn):
    def ref(x, *args, **kwargs):
        out = fn(x[0].astype(np.float64) + 1j * x[1], *args, **kwargs)
        return np.real(out), np.imag(out)

    return ref


# The harness cannot make KerasTensors inside a (real, imag) tuple argument, so
# the ops taking pairs are checked symbolically only through their ErrorCases.
def _pair(shape, dtype="float32", seed=0):
    return (rand(shape, dtype, seed=seed), rand(shape, dtype, seed=seed + 1))


for _shape in [(4,), (2, 5), (2, 3, 4)]:
    CASES.append(Case("fft", (_pair(_shape),), ref=_pair_ref(np.fft.fft), atol=1e-5, symbolic=False))
    if len(_shape) >= 2:
        CASES.append(Case("fft2", (_pair(_shape),), ref=_pair_ref(np.fft.fft2), atol=1e-5, symbolic=False))
        CASES.append(Case("ifft2", (_pair(_shape),), ref=_pair_ref(np.fft.ifft2), atol=1e-5, symbolic=False))
# half precision is computed in float32 (Keras raises on every backend)
CASES.append(Case("fft", (_pair((4,), "float16"),), ref=_pair_ref(np.fft.fft), keras=False, symbolic=False, rtol=1e-2, atol=1e-2))


def _rfft(x, fft_length=None):
    out = np.fft.rfft(x.astype(np.float64), n=fft_length, axis=-1)
    return np.real(out), np.imag(out)


def _irfft(x, fft_length=None):
    return np.fft.irfft(x[0].astype(np.float64) + 1j * x[1], n=fft_length, axis=-1)


CASES += [
    Case("rfft", (rand((8,)),), ref=_rfft, atol=1e-5),
    Case("rfft", (rand((2, 7)),), ref=_rfft, atol=1e-5),
    Case("rfft", (rand((2, 7)),), {"fft_length": 4}, ref=_rfft, atol=1e-5),
    Case("rfft", (rand((2, 3, 6)),), {"fft_length": 10}, ref=_rfft, atol=1e-5),
    # Keras keeps int dtypes on numpy and raises on tensorflow
    Case("rfft", (rand((6,), "int32"),), ref=_rfft, atol=1e-5, keras=False),
    Case("irfft", (_pair((5,)),), ref=_irfft, atol=1e-5, symbolic=False),
    Case("irfft", (_pair((2, 5)),), {"fft_length": 7}, ref=_irfft, atol=1e-5, symbolic=False),
    Case("irfft", (_pair((2, 3, 4)),), {"fft_length": 4}, ref=_irfft, atol=1e-5, symbolic=False),
]


def _window(window, sequence_length, fft_length):
    if window is None:
        win = np.ones(sequence_length)
    elif isinstance(window, str):
        win = scipy.signal.get_window(window, sequence_length)
    else:
        win = np.asarray(window, np.float64)
    left = (fft_length - sequence_length) // 2
    return np.pad(win, (left, fft_length - sequence_length - left))


def _stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = x.astype(np.float64)
    if center:
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2,) * 2], mode="reflect")
    frames = _frames(x, fft_length, sequence_stride) * _window(window, sequence_length, fft_length)
    out = np.fft.rfft(frames, n=fft_length, axis=-1)
    return np.real(out), np.imag(out)


def _istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    frames = np.fft.irfft(x[0].astype(np.float64) + 1j * x[1], n=fft_length, axis=-1)
    win = _window(window, sequence_length, fft_length)
    num = frames.shape[-2]
    size = fft_length + sequence_stride * (num - 1)
    signal = np.zeros(frames.shape[:-2] + (size,))
    norm = np.zeros(size)
    for i in range(num):
        signal[..., i * sequence_stride:i * sequence_stride + fft_length] += frames[..., i, :] * win
        norm[i * sequence_stride:i * sequence_stride + fft_length] += win * win
    signal = signal / np.where(norm > 1e-11, norm, 1.0)
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else size - (fft_length // 2 if center else 0)
    return signal[..., start:end]


import scipy.signal  # noqa: E402

_STFT_ARGS = [
    ((2, 32), (8, 4, 8), {}),
    ((32,), (6, 3, 8), {"window": "hamming", "center": False}),
    ((2, 20), (8, 2, 8), {"window": None}),
    ((1, 2, 24), (5, 5, 8), {"window": rand((5,), low=0.5, high=1.0, seed=7)}),
]
for _shape, _args, _kw in _STFT_ARGS:
    _x = rand(_shape)
    CASES.append(Case("stft", (_x,) + _args, _kw, ref=_stft, atol=1e-4, rtol=1e-4))
    _spec = tuple(v.astype("float32") for v in _stft(_x, *_args, **_kw))
    CASES.append(Case("istft", (_spec,) + _args, _kw, ref=_istft, atol=1e-4, rtol=1e-4, symbolic=False,
                      # Keras normalises the overlap-add differently per backend (and not at all
                      # on tensorflow without a window); lamina divides by the summed squared
                      # window everywhere, which inverts stft exactly
                      keras=False))
CASES.append(Case("istft", (tuple(v.astype("float32") for v in _stft(rand((2, 32)), 8, 4, 8)), 8, 4, 8),
                  {"length": 30}, ref=_istft, atol=1e-4, rtol=1e-4, symbolic=False))

# -- complex views --------------------------------------------------------------

_COMPLEX = (rand((3, 2)) + 1j * rand((3, 2), seed=1)).astype("complex64")
CASES += [
    Case("view_as_complex", (rand((3, 2)),), ref=lambda x: x[..., 0] + 1j * x[..., 1]),
    Case("view_as_complex", (rand((2,)),), ref=lambda x: x[..., 0] + 1j * x[..., 1]),
    Case("view_as_complex", (rand((0, 2)),), ref=lambda x: x[..., 0] + 1j * x[..., 1]),
    Case("view_as_real", (_COMPLEX,), ref=lambda x: np.stack([x.real, x.imag], -1)),
    # Keras on torch raises for real input
    Case("view_as_real", (rand((3,)),), ref=lambda x: np.stack([x, 0 * x], -1), keras=BACKEND != "torch"),
]

# -- bad input --------------------------------------------------------------------

ERRORS += [
    ErrorCase("erf", ("abc",), error=TypeError, match="expected a tensor"),
    ErrorCase("logsumexp", (rand((2, 3)),), {"axis": 2}, match="out of range"),
    ErrorCase("logdet", (rand((2, 3)),), match="square"),
    ErrorCase("segment_sum", (rand((4,)), np.zeros((4, 1), "int32")), {"num_segments": 2}, match="1-D"),
    ErrorCase("segment_max", (rand((4,)), np.zeros((3,), "int32")), {"num_segments": 2}, match="leading"),
    ErrorCase("segment_sum", (rand((4,)), rand((4,))), {"num_segments": 2}, error=TypeError, match="integer"),
    ErrorCase("top_k", (rand((2, 3)), 4), match="larger"),
    ErrorCase("top_k", (np.float32(1.0), 1), match="rank"),
    ErrorCase("in_top_k", (np.array([0, 1], "int32"), rand((3, 4)), 1), match="broadcast"),
    ErrorCase("in_top_k", (rand((2,)), rand((2, 4)), 1), error=TypeError, match="integer"),
    ErrorCase("extract_sequences", (rand((5,)), 2, 0), match="sequence_stride"),
    ErrorCase("fft", (rand((4,)),), match="tuple of two", symbolic=False),
    ErrorCase("fft", ((rand((4,)), rand((5,))),), match="same shape", symbolic=False),
    ErrorCase("fft", ((rand((4,), "int32"), rand((4,), "int32")),), error=TypeError, match="float",
              symbolic=False),
    ErrorCase("fft2", ((rand((4,)), rand((4,))),), match="rank >= 2", symbolic=False),
    ErrorCase("stft", (rand((16,)), 8, 4, 4), match="fft_length"),
    ErrorCase("stft", (rand((16,)), 8, 4, 8), {"window": "blackman"}, match="window"),
    ErrorCase("view_as_complex", (rand((3, 3)),), match="size 2"),
]


def _cdist_ref(x, y):
    return np.sqrt(((x[..., :, None, :] - y[..., None, :, :]) ** 2).sum(-1))


CASES += [
    Case("cdist", (rand((3, 2)), rand((4, 2), seed=1)), ref=_cdist_ref, grad=True, rtol=1e-5),
    Case("cdist", (rand((2, 3, 4)), rand((2, 5, 4), seed=2)), ref=_cdist_ref, rtol=1e-5),
]
ERRORS += [
    ErrorCase("cdist", (rand((3, 2)), rand((4, 3))), error=ValueError, match="same number of features"),
]
