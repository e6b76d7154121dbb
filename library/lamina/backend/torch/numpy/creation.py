"""NumPy-style ops (creation) on PyTorch."""

import math
import operator

import torch

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype


def _dtype_of(x):
    if isinstance(x, torch.Tensor):
        return standardize_dtype(x.dtype)
    return getattr(x, "dtype", type(x))


def _std(dtype, default=None):
    if dtype is None:
        dtype = default if default is not None else config.floatx()
    return to_torch_dtype(dtype)


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


def _scalar(v):
    return v.item() if isinstance(v, torch.Tensor) else v


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(*[_dtype_of(v) for v in (start, stop, step) if v is not None])
    start, stop, step = _scalar(start), _scalar(stop), _scalar(step)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    target = _std(dtype)
    if target.is_floating_point or isinstance(start + stop + step, float):
        # compute in float64 for exact sizes, then cast
        return torch.arange(start, stop, step, dtype=torch.float64).to(target)
    return torch.arange(start, stop, step, dtype=target)


def array(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype).clone()


def empty(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=_std(dtype))


def empty_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=_std(dtype, x.dtype))


def zeros(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=_std(dtype))


def ones(shape, dtype=None):
    return torch.ones(_shape(shape), dtype=_std(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=_std(dtype, x.dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.ones_like(x, dtype=_std(dtype, x.dtype))


def full(shape, fill_value, dtype=None):
    fill = convert_to_tensor(fill_value, dtype=dtype or config.floatx())
    return fill.expand(_shape(shape)).clone()


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    fill = convert_to_tensor(fill_value, dtype=_std(dtype, x.dtype))
    return fill.expand(x.shape).clone()


def eye(N, M=None, k=0, dtype=None):
    n, k = operator.index(N), operator.index(k)
    m = n if M is None else operator.index(M)
    rows = torch.arange(n).unsqueeze(1)
    cols = torch.arange(m).unsqueeze(0)
    return (cols - rows == k).to(_std(dtype))


def identity(n, dtype=None):
    return torch.eye(int(n), dtype=_std(dtype))


def tri(N, M=None, k=0, dtype=None):
    n, k = operator.index(N), operator.index(k)
    m = n if M is None else operator.index(M)
    rows = torch.arange(n).unsqueeze(1)
    cols = torch.arange(m).unsqueeze(0)
    return (cols - rows <= k).to(_std(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    return dtypes.float_result_type(_dtype_of(start), _dtype_of(stop))


def _finish(x, dtype):
    if dtypes.is_int_dtype(dtype):
        x = torch.floor(x)
    return x.to(to_torch_dtype(dtype))


def _linspace(start, stop, num, endpoint, axis, compute):
    """Values in float ``compute`` dtype, shaped with the new axis at ``axis``."""
    start = convert_to_tensor(start, compute)
    stop = convert_to_tensor(stop, compute)
    start, stop = torch.broadcast_tensors(start, stop)
    num = int(num)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else torch.full_like(start, math.nan)
    shape = (num,) + (1,) * start.ndim
    index = torch.arange(num, dtype=start.dtype).reshape(shape)
    values = start.unsqueeze(0) + index * (step.unsqueeze(0) if div > 0 else torch.zeros_like(start))
    if endpoint and num > 1:
        values = torch.cat([values[:-1], stop.unsqueeze(0)], dim=0)
    if not -(start.ndim + 1) <= axis <= start.ndim:
        raise ValueError(f"axis {axis} is out of range.")
    axis = axis % (start.ndim + 1)
    return torch.movedim(values, 0, axis), step


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    values, step = _linspace(start, stop, num, endpoint, axis, compute)
    values = _finish(values, dtype)
    return (values, step) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    values, _ = _linspace(start, stop, num, endpoint, axis, compute)
    base = convert_to_tensor(base, compute)
    return _finish(torch.pow(base, values), dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = dtype if dtypes.is_float_dtype(dtype) else config.floatx()
    start = convert_to_tensor(start, compute)
    stop = convert_to_tensor(stop, compute)
    start, stop = torch.broadcast_tensors(start, stop)
    sign = torch.sign(start)
    logs, _ = _linspace(torch.log(torch.abs(start)), torch.log(torch.abs(stop)), num, endpoint,
                        0, compute)
    values = sign * torch.exp(logs)
    num = int(num)
    if num > 0:
        values = torch.cat([start.unsqueeze(0), values[1:]], dim=0)
    if endpoint and num > 1:
        values = torch.cat([values[:-1], stop.unsqueeze(0)], dim=0)
    values = torch.movedim(values, 0, axis % (start.ndim + 1))
    return _finish(values, dtype)


def _size(x):
    m = operator.index(x)
    if m < 0:
        raise ValueError(f"expected a non-negative window size, received {m}.")
    return m


def _window(values):
    return values.to(_std(config.floatx()))


def bartlett(x):
    return _window(torch.bartlett_window(_size(x), periodic=False, dtype=torch.float64))


def blackman(x):
    return _window(torch.blackman_window(_size(x), periodic=False, dtype=torch.float64))


def hamming(x):
    return _window(torch.hamming_window(_size(x), periodic=False, dtype=torch.float64))


def hanning(x):
    return _window(torch.hann_window(_size(x), periodic=False, dtype=torch.float64))


def kaiser(x, beta):
    return _window(torch.kaiser_window(_size(x), periodic=False, beta=float(beta),
                                       dtype=torch.float64))


def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"`x` must be 1-D, received shape {tuple(x.shape)}.")
    n = x.shape[0] if N is None else int(N)
    if x.dtype == torch.bool:
        powers = torch.arange(n)
        if not increasing:
            powers = powers.flip(0)
        return torch.where(powers == 0, torch.ones((), dtype=torch.bool), x.unsqueeze(1))
    powers = torch.arange(n) if increasing else torch.arange(n - 1, -1, -1)
    return torch.pow(x.unsqueeze(1), powers.to(x.dtype).unsqueeze(0)).to(x.dtype)


def diag(x, k=0):
    return torch.diag(convert_to_tensor(x), diagonal=k)


def diagflat(x, k=0):
    return torch.diagflat(convert_to_tensor(x), offset=k)


def copy(x):
    return convert_to_tensor(x).clone()
