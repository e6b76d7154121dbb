"""NumPy-style statistics on PyTorch (quantiles written with sort and gather)."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.backend.torch.numpy.reduction import axes_of


def _dt(x):
    return dtypes.standardize_dtype(str(x.dtype))


def _quantile(x, q, axis, method, keepdims, ignore_nan, scale=1.0):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtypes.float_result_type(_dt(x)))
    x = x.to(dtype)
    q = convert_to_tensor(q).to(torch.float64 if dtype == torch.float64 else torch.float32) / scale
    if q.ndim > 1:
        raise ValueError("quantile: q must be a scalar or 1-D.")
    axes = axes_of(x, axis)
    rest = [i for i in range(x.ndim) if i not in axes]
    y = x.permute(rest + list(axes)).reshape([x.shape[i] for i in rest] + [-1])
    isnan = torch.isnan(y)
    if ignore_nan:
        y = torch.where(isnan, torch.tensor(float("inf"), dtype=dtype), y)
        n = (~isnan).sum(-1, keepdim=True).to(q.dtype)
    else:
        n = torch.full(y.shape[:-1] + (1,), y.shape[-1], dtype=q.dtype)
    y = torch.sort(y, dim=-1, stable=True).values
    qf = q.reshape(-1)
    pos = qf * (n - 1).clamp(min=0)  # (..., Q)
    last = (n - 1).clamp(min=0)
    lo = torch.floor(pos).clamp(max=last)
    hi = torch.ceil(pos).clamp(max=last)

    def take(i):
        return torch.gather(y, -1, i.to(torch.int64))

    if method == "lower":
        out = take(lo)
    elif method == "higher":
        out = take(hi)
    elif method == "nearest":
        out = take(torch.round(pos).clamp(max=last))
    elif method == "midpoint":
        out = (take(lo) + take(hi)) / 2
    elif method == "linear":
        frac = (pos - lo).to(dtype)
        a, b = take(lo), take(hi)
        out = a + (b - a) * frac
    else:
        raise ValueError(f"quantile: unknown method {method!r}.")
    bad = (n == 0) if ignore_nan else isnan.any(-1, keepdim=True)
    out = torch.where(bad, torch.tensor(float("nan"), dtype=dtype), out)
    # (rest..., Q) -> (Q, rest...) with reduced axes restored when keepdims.
    out = out.movedim(-1, 0)
    if keepdims:
        shape = [1 if i in axes else d for i, d in enumerate(x.shape)]
        out = out.reshape([out.shape[0]] + shape)
    return out.reshape(tuple(q.shape) + tuple(out.shape[1:]))


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, True)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, False, 100.0)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, True, 100.0)


def median(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, False)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, True)


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtypes.float_result_type(_dt(x)))
    if x.ndim != 1:
        raise ValueError("histogram: x must be 1-D.")
    x = x.to(dtype)
    if range is None:
        lo, hi = torch.amin(x).detach(), torch.amax(x).detach()
    else:
        lo, hi = torch.tensor(range[0], dtype=dtype), torch.tensor(range[1], dtype=dtype)
    same = lo == hi
    lo, hi = torch.where(same, lo - 0.5, lo), torch.where(same, hi + 0.5, hi)
    edges = lo + (hi - lo) * torch.linspace(0, 1, bins + 1, dtype=torch.float32).to(dtype)
    inside = (x >= lo) & (x <= hi)
    index = torch.searchsorted(edges.contiguous(), x.detach().contiguous(), right=True) - 1
    index = index.clamp(0, bins - 1)
    counts = torch.zeros(bins, dtype=dtype).scatter_add(0, index, inside.to(dtype))
    return counts, edges


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported on the torch backend.")
    x = convert_to_tensor(x)
    if dtypes.standardize_dtype(x.dtype) not in dtypes.INT_TYPES + ("bool",):
        raise TypeError("bincount: x must be an integer tensor.")
    dtype = "int32"
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(_dt(x), _dt(weights))
    x = x.to(torch.int64)
    if x.ndim == 1:
        out = torch.bincount(x, weights, minlength)
    else:
        # The length depends on the values (a host sync, as in numpy.bincount).
        length = int(max(minlength, int(x.max()) + 1 if x.numel() else 0))
        rows = x.shape[0]
        flat = (x + length * torch.arange(rows)[:, None]).reshape(-1)
        w = None if weights is None else weights.reshape(-1)
        out = torch.bincount(flat, w, rows * length).reshape(rows, length)
    return out.to(to_torch_dtype(dtype))


def corrcoef(x):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtypes.float_result_type(_dt(x)))
    return torch.corrcoef(x.to(dtype))


def correlate(x1, x2, mode="valid"):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_torch_dtype(dtypes.float_result_type(_dt(x1), _dt(x2)))
    x1, x2 = x1.to(dtype), x2.to(dtype)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError("correlate: x1 and x2 must be 1-D.")
    n, m = x1.shape[0], x2.shape[0]
    padded = torch.nn.functional.pad(x1, (m - 1, m - 1))
    full = (padded.unfold(0, m, 1) * x2).sum(-1)
    if mode == "full":
        return full
    if mode == "valid":
        return full[min(n, m) - 1: max(n, m)]
    if mode == "same":
        start = (min(n, m) - 1) // 2
        return full[start: start + max(n, m)]
    raise ValueError(f"correlate: unknown mode {mode!r}.")


def digitize(x, bins):
    x, bins = convert_to_tensor(x), convert_to_tensor(bins)
    dtype = to_torch_dtype(dtypes.result_type(_dt(x), _dt(bins)))
    if dtype == torch.bool:
        dtype = torch.int32
    return torch.bucketize(x.to(dtype), bins.to(dtype), right=True, out_int32=True)
