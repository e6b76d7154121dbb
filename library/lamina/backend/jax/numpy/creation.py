"""NumPy-style ops (creation) on JAX."""

import operator

import jax.numpy as jnp

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.jax.core import cast, convert_to_tensor


def _dtype_of(x):
    return getattr(x, "dtype", type(x))


def _std(dtype, default=None):
    if dtype is None:
        return default if default is not None else config.floatx()
    return dtypes.standardize_dtype(dtype)


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(shape)


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(*[_dtype_of(v) for v in (start, stop, step) if v is not None])
    return jnp.arange(start, stop, step, dtype=_std(dtype))


def array(x, dtype=None):
    return jnp.array(convert_to_tensor(x, dtype=dtype))


def empty(shape, dtype=None):
    return jnp.zeros(_shape(shape), dtype=_std(dtype))


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return jnp.zeros(x.shape, dtype=_std(dtype, x.dtype))


def zeros(shape, dtype=None):
    return jnp.zeros(_shape(shape), dtype=_std(dtype))


def ones(shape, dtype=None):
    return jnp.ones(_shape(shape), dtype=_std(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return jnp.zeros(x.shape, dtype=_std(dtype, x.dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return jnp.ones(x.shape, dtype=_std(dtype, x.dtype))


def full(shape, fill_value, dtype=None):
    dtype = _std(dtype)
    return jnp.broadcast_to(convert_to_tensor(fill_value, dtype=dtype), _shape(shape))


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    dtype = _std(dtype, x.dtype)
    return jnp.broadcast_to(convert_to_tensor(fill_value, dtype=dtype), x.shape)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M=M, k=k, dtype=_std(dtype))


def identity(n, dtype=None):
    return jnp.eye(n, dtype=_std(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M=M, k=k, dtype=_std(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    return dtypes.float_result_type(_dtype_of(start), _dtype_of(stop))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    start = convert_to_tensor(start, compute)
    stop = convert_to_tensor(stop, compute)
    out = jnp.linspace(start, stop, num=num, endpoint=endpoint, retstep=retstep,
                       dtype=compute, axis=axis)
    if retstep:
        values, step = out
        return _to_dtype(values, dtype), step.astype(compute)
    return _to_dtype(out, dtype)


def _to_dtype(x, dtype):
    if dtypes.is_int_dtype(dtype):
        x = jnp.floor(x)
    return x.astype(dtype)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    out = jnp.logspace(convert_to_tensor(start, compute), convert_to_tensor(stop, compute),
                       num=num, endpoint=endpoint, base=base, dtype=compute, axis=axis)
    return _to_dtype(out, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    out = jnp.geomspace(convert_to_tensor(start, compute), convert_to_tensor(stop, compute),
                        num=num, endpoint=endpoint, dtype=compute, axis=axis)
    return _to_dtype(out, dtype)


def _window(fn, x, *args):
    if operator.index(x) < 0:
        raise ValueError(f"expected a non-negative window size, received {x}.")
    return cast(fn(int(x), *args), config.floatx())


def bartlett(x):
    return _window(jnp.bartlett, x)


def blackman(x):
    return _window(jnp.blackman, x)


def hamming(x):
    return _window(jnp.hamming, x)


def hanning(x):
    return _window(jnp.hanning, x)


def kaiser(x, beta):
    return _window(jnp.kaiser, x, beta)


def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"`x` must be 1-D, received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    if x.dtype == jnp.bool_:
        powers = jnp.arange(n)
        if not increasing:
            powers = powers[::-1]
        return jnp.where(powers == 0, True, x[:, None])
    return jnp.vander(x, N=n, increasing=increasing)


def diag(x, k=0):
    return jnp.diag(convert_to_tensor(x), k=k)


def diagflat(x, k=0):
    return jnp.diagflat(convert_to_tensor(x), k=k)


def copy(x):
    return jnp.copy(convert_to_tensor(x))
