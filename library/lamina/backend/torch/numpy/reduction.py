"""NumPy-style reductions and cumulative ops on PyTorch."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype


def _dt(x):
    return dtypes.standardize_dtype(str(x.dtype))


def sum_dtype(dtype):
    # torch lacks uint32 arithmetic: as in Keras's torch backend, small ints sum to int32.
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        return "int32"
    return dtype


def cum_dtype(dtype):
    return "int32" if dtype in ("bool", "uint16", "uint32") else dtype


def axes_of(x, axis):
    """The axes to reduce as a sorted tuple (all for None); raises for out-of-range axes."""
    if axis is None:
        return tuple(range(x.ndim))
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    for a in axes:
        if not -x.ndim <= a < x.ndim and not (x.ndim == 0 and a in (0, -1)):
            raise ValueError(f"axis {a} is out of range for a tensor of rank {x.ndim}.")
    return tuple(sorted(a % x.ndim for a in axes)) if x.ndim else ()


def reduce(fn, x, axis, keepdims, single=False):
    """Applies ``fn(x, dim, keepdim)`` over ``axis``; ``single``: fn takes one dim at a time."""
    axes = axes_of(x, axis)
    if not axes:
        return x
    if not single:
        return fn(x, dim=axes, keepdim=keepdims)
    for a in reversed(axes):
        x = fn(x, dim=a, keepdim=True)
    if not keepdims:
        x = x.reshape([d for i, d in enumerate(x.shape) if i not in axes])
    return x


def _float(x):
    x = convert_to_tensor(x)
    return x.to(to_torch_dtype(dtypes.float_result_type(_dt(x))))


def all(x, axis=None, keepdims=False):
    x = convert_to_tensor(x).bool()
    return reduce(lambda t, dim, keepdim: torch.all(t, dim=dim, keepdim=keepdim), x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    x = convert_to_tensor(x).bool()
    return reduce(lambda t, dim, keepdim: torch.any(t, dim=dim, keepdim=keepdim), x, axis, keepdims)


def _amax(t, dim, keepdim):
    if t.dtype == torch.bool:
        return torch.any(t, dim=dim, keepdim=keepdim)
    return torch.amax(t, dim=dim, keepdim=keepdim)


def _amin(t, dim, keepdim):
    if t.dtype == torch.bool:
        return torch.all(t, dim=dim, keepdim=keepdim)
    return torch.amin(t, dim=dim, keepdim=keepdim)


def amax(x, axis=None, keepdims=False):
    return reduce(_amax, convert_to_tensor(x), axis, keepdims)


def amin(x, axis=None, keepdims=False):
    return reduce(_amin, convert_to_tensor(x), axis, keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    out = reduce(_amax, x, axis, keepdims)
    if initial is not None:
        out = torch.maximum(out, torch.as_tensor(initial, dtype=x.dtype))
    return out


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    out = reduce(_amin, x, axis, keepdims)
    if initial is not None:
        out = torch.minimum(out, torch.as_tensor(initial, dtype=x.dtype))
    return out


def _arg(fn, x, axis, keepdims):
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        out = fn(x.reshape(-1), dim=0)
        if keepdims:
            out = out.reshape([1] * x.ndim)
        return out.to(torch.int32)
    if x.ndim == 0:
        return torch.zeros((), dtype=torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg(torch.argmax, convert_to_tensor(x), axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(torch.argmin, convert_to_tensor(x), axis, keepdims)


def _sum(t, dim, keepdim):
    return torch.sum(t, dim=dim, keepdim=keepdim, dtype=t.dtype)


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        return mean(x, axis=axis)
    weights = convert_to_tensor(weights)
    dtype = to_torch_dtype(dtypes.float_result_type(_dt(x), _dt(weights)))
    x, weights = x.to(dtype), weights.to(dtype)
    if axis is not None and weights.ndim == 1 and x.ndim > 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    weights = torch.broadcast_to(weights, x.shape)
    return reduce(_sum, x * weights, axis, False) / reduce(_sum, weights, axis, False)


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    axes = axes_of(x, axis)
    if not axes:
        return (x != 0).to(torch.int32)
    return torch.count_nonzero(x, dim=axes).to(torch.int32)


def _cum(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    dtype = cum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    if axis is None:
        x, axis = x.reshape(-1), 0
    elif x.ndim == 0:
        return fn(x.reshape(1), dim=0, dtype=to_torch_dtype(dtype)).reshape(())
    return fn(x, dim=axis, dtype=to_torch_dtype(dtype))


def cumsum(x, axis=None, dtype=None):
    return _cum(torch.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cum(torch.cumprod, x, axis, dtype)


def _nan_to(x, value):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating_point:
        return x
    return torch.where(torch.isnan(x), torch.tensor(value, dtype=x.dtype), x)


def nancumsum(x, axis=None, dtype=None):
    return _cum(torch.cumsum, _nan_to(x, 0.0), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cum(torch.cumprod, _nan_to(x, 1.0), axis, dtype)


def mean(x, axis=None, keepdims=False):
    x = _float(x)
    return reduce(lambda t, dim, keepdim: torch.mean(t, dim=dim, keepdim=keepdim), x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    return reduce(lambda t, dim, keepdim: torch.var(t, dim=dim, keepdim=keepdim, correction=0),
                  x, axis, keepdims) if axes_of(x, axis) else torch.zeros_like(x)


def std(x, axis=None, keepdims=False):
    return torch.sqrt(var(x, axis, keepdims))


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    x = x.to(to_torch_dtype(sum_dtype(_dt(x))))
    return reduce(_sum, x, axis, keepdims)


def _prod(t, dim, keepdim):
    return torch.prod(t, dim=dim, keepdim=keepdim, dtype=t.dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = sum_dtype(_dt(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return reduce(_prod, x.to(to_torch_dtype(dtype)), axis, keepdims, single=True)


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_to(x, 0.0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_to(x, 1.0), axis, keepdims)


def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        raise TypeError("ptp: expected a numeric tensor, received dtype bool.")
    return amax(x, axis, keepdims) - amin(x, axis, keepdims)


def _nan_extremum(x, axis, keepdims, fill, fn):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating_point:
        return reduce(fn, x, axis, keepdims)
    isnan = torch.isnan(x)
    value = reduce(fn, torch.where(isnan, torch.tensor(fill, dtype=x.dtype), x), axis, keepdims)
    allnan = all(isnan, axis, keepdims)
    return torch.where(allnan, torch.tensor(float("nan"), dtype=x.dtype), value)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(x, axis, keepdims, float("-inf"), _amax)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(x, axis, keepdims, float("inf"), _amin)


def _nanarg(fn, fill, x, axis, keepdims):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating_point:
        return _arg(fn, x, axis, keepdims)
    isnan = torch.isnan(x)
    index = _arg(fn, torch.where(isnan, torch.tensor(fill, dtype=x.dtype), x), axis, keepdims)
    allnan = all(isnan, axis, keepdims)
    return torch.where(allnan, torch.tensor(-1, dtype=torch.int32), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nanarg(torch.argmax, float("-inf"), x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nanarg(torch.argmin, float("inf"), x, axis, keepdims)


def _nancount(x, axis, keepdims):
    return reduce(_sum, (~torch.isnan(x)).to(x.dtype), axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float(x)
    total = reduce(_sum, torch.where(torch.isnan(x), torch.zeros_like(x), x), axis, keepdims)
    return total / _nancount(x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    x = _float(x)
    isnan = torch.isnan(x)
    clean = torch.where(isnan, torch.zeros_like(x), x)
    centered = torch.where(isnan, torch.zeros_like(x), clean - nanmean(x, axis, True))
    squares = centered * centered
    return reduce(_sum, squares, axis, keepdims) / _nancount(x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis, keepdims))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is None:
        return torch.trapezoid(y, dx=dx, dim=axis)
    return torch.trapezoid(y, convert_to_tensor(x).to(y.dtype), dim=axis)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_torch_dtype(dtypes.result_type(_dt(x1), _dt(x2)))
    x1, x2 = x1.to(dtype), x2.to(dtype)
    if not (dtype.is_floating_point or dtype.is_complex):
        return torch.all(x1 == x2)
    return torch.all(torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))
