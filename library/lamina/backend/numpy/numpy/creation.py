"""NumPy-style ops (creation) on NumPy."""

import operator

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype


def _dtype_of(x):
    return getattr(x, "dtype", type(x))


def _std(dtype, default=None):
    if dtype is None:
        dtype = default if default is not None else config.floatx()
    return to_numpy_dtype(dtype)


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(*[_dtype_of(v) for v in (start, stop, step) if v is not None])
    if stop is None:
        start, stop = 0, start
    return np.arange(start, stop, 1 if step is None else step, dtype=_std(dtype))


def array(x, dtype=None):
    return np.array(convert_to_tensor(x, dtype=dtype), copy=True)


def empty(shape, dtype=None):
    return np.zeros(_shape(shape), dtype=_std(dtype))


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return np.zeros(x.shape, dtype=_std(dtype, x.dtype))


def zeros(shape, dtype=None):
    return np.zeros(_shape(shape), dtype=_std(dtype))


def ones(shape, dtype=None):
    return np.ones(_shape(shape), dtype=_std(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return np.zeros(x.shape, dtype=_std(dtype, x.dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return np.ones(x.shape, dtype=_std(dtype, x.dtype))


def full(shape, fill_value, dtype=None):
    fill = convert_to_tensor(fill_value, dtype=_std(dtype))
    return np.array(np.broadcast_to(fill, _shape(shape)))


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    fill = convert_to_tensor(fill_value, dtype=_std(dtype, x.dtype))
    return np.array(np.broadcast_to(fill, x.shape))


def eye(N, M=None, k=0, dtype=None):
    return np.eye(operator.index(N), None if M is None else operator.index(M), k=operator.index(k), dtype=_std(dtype))


def identity(n, dtype=None):
    return np.eye(operator.index(n), dtype=_std(dtype))


def tri(N, M=None, k=0, dtype=None):
    return np.tri(operator.index(N), None if M is None else operator.index(M), k=operator.index(k), dtype=_std(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    return dtypes.float_result_type(_dtype_of(start), _dtype_of(stop))


def _finish(x, dtype):
    if dtypes.is_int_dtype(dtype):
        x = np.floor(x)
    return x.astype(_std(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    values, step = np.linspace(convert_to_tensor(start, compute), convert_to_tensor(stop, compute),
                               num=int(num), endpoint=endpoint, retstep=True, axis=axis)
    values = _finish(values, dtype)
    if retstep:
        return values, np.asarray(step).astype(_std(compute))
    return values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    out = np.logspace(convert_to_tensor(start, compute), convert_to_tensor(stop, compute),
                      num=int(num), endpoint=endpoint, base=base, axis=axis)
    return _finish(out, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    out = np.geomspace(convert_to_tensor(start, compute), convert_to_tensor(stop, compute),
                       num=int(num), endpoint=endpoint, axis=axis)
    return _finish(out, dtype)


def _size(x):
    m = operator.index(x)
    if m < 0:
        raise ValueError(f"expected a non-negative window size, received {m}.")
    return m


def _window(values):
    return values.astype(_std(config.floatx()))


def bartlett(x):
    return _window(np.bartlett(_size(x)))


def blackman(x):
    return _window(np.blackman(_size(x)))


def hamming(x):
    return _window(np.hamming(_size(x)))


def hanning(x):
    return _window(np.hanning(_size(x)))


def kaiser(x, beta):
    return _window(np.kaiser(_size(x), float(beta)))


def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"`x` must be 1-D, received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    if x.dtype == np.bool_:
        powers = np.arange(n)
        if not increasing:
            powers = powers[::-1]
        return np.where(powers == 0, True, x[:, None])
    return np.vander(x, N=n, increasing=increasing).astype(x.dtype)


def diag(x, k=0):
    return np.diag(convert_to_tensor(x), k=k).copy()


def diagflat(x, k=0):
    return np.diagflat(convert_to_tensor(x), k=k)


def copy(x):
    return np.array(convert_to_tensor(x), copy=True)
