"""The linalg ops on PyTorch."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype, to_torch_dtype

_HALF = (torch.float16, torch.bfloat16)


def _work(x, *others):
    """Converts to the float result dtype; returns (tensors in a LAPACK dtype, result dtype)."""
    xs = [convert_to_tensor(v) for v in (x,) + others]
    dtype = to_torch_dtype(dtypes.float_result_type(*[standardize_dtype(v.dtype) for v in xs]))
    work = torch.float32 if dtype in _HALF else dtype
    xs = [v.to(work) if v.dtype != work else v for v in xs]
    return (xs[0] if not others else xs), dtype


def _out(value, dtype):
    return value.to(dtype) if value.dtype != dtype else value


def _t(x):
    return torch.transpose(x, -1, -2)


def cholesky(x, upper=False):
    x, dtype = _work(x)
    try:
        out = torch.linalg.cholesky((x + _t(x)) / 2, upper=upper)
    except RuntimeError as e:  # torch.linalg.LinAlgError
        raise ValueError(f"ops.cholesky: the input is not a positive-definite matrix ({e}).") from None
    return _out(out, dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _work(x)
    eye = torch.eye(x.shape[-1], dtype=x.dtype, device=x.device).expand(x.shape)
    inv_factor = torch.linalg.solve_triangular(x, eye, upper=upper)
    out = inv_factor @ _t(inv_factor) if upper else _t(inv_factor) @ inv_factor
    return _out(out, dtype)


def det(x):
    x, dtype = _work(x)
    return _out(torch.linalg.det(x), dtype)


def slogdet(x):
    x, dtype = _work(x)
    sign, logabs = torch.linalg.slogdet(x)
    return _out(sign, dtype), _out(logabs, dtype)


def eig(x):
    x, dtype = _work(x)
    w, v = torch.linalg.eig(x)
    target = torch.complex128 if dtype == torch.float64 else torch.complex64
    return _out(w, target), _out(v, target)


def eigh(x):
    x, dtype = _work(x)
    w, v = torch.linalg.eigh(x)
    return _out(w, dtype), _out(v, dtype)


def inv(x):
    x, dtype = _work(x)
    return _out(torch.linalg.inv(x), dtype)


def lu_factor(x):
    x, dtype = _work(x)
    lu, pivots = torch.linalg.lu_factor(x)
    return _out(lu, dtype), (pivots - 1).to(torch.int32)


def norm(x, ord=None, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtypes.float_result_type(standardize_dtype(x.dtype)))
    x = x.to(dtype)
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None and ord is None:
        out = torch.sqrt(torch.sum(x * x))
        if keepdims:
            out = out.reshape((1,) * x.ndim)
        return out
    matrix = (axis is None and x.ndim == 2) or (isinstance(axis, tuple) and len(axis) == 2)
    if matrix and ord in ("nuc", 2, -2) and dtype in _HALF:
        return _out(torch.linalg.norm(x.float(), ord=ord, dim=axis, keepdim=keepdims), dtype)
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: unsupported mode {mode!r}.")
    x, dtype = _work(x)
    q, r = torch.linalg.qr(x, mode=mode)
    return _out(q, dtype), _out(r, dtype)


def _rhs(a, b):
    vector = b.ndim == a.ndim - 1
    rhs = b[..., None] if vector else b
    return rhs, vector


def solve(a, b):
    (a, b), dtype = _work(a, b)
    rhs, vector = _rhs(a, b)
    out = torch.linalg.solve(a, rhs)
    return _out(out[..., 0] if vector else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _work(a, b)
    rhs, vector = _rhs(a, b)
    out = torch.linalg.solve_triangular(a, rhs, upper=not lower)
    return _out(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _work(x)
    if not compute_uv:
        return _out(torch.linalg.svdvals(x), dtype)
    u, s, v = torch.linalg.svd(x, full_matrices=full_matrices)
    return _out(u, dtype), _out(s, dtype), _out(v, dtype)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _work(a, b)
    if len(a.shape) != 2 or len(b.shape) not in (1, 2):
        raise ValueError("ops.lstsq: `a` must have rank 2 and `b` rank 1 or 2.")
    return _out(torch.linalg.pinv(a, rtol=rcond) @ b, dtype)


def matrix_rank(x, tol=None):
    x, _ = _work(x)
    s = torch.linalg.svdvals(x)
    if tol is None:
        top = s.amax(dim=-1, keepdim=True) if s.shape[-1] else s.new_zeros(s.shape[:-1] + (1,))
        tol = top * max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    else:
        tol = torch.as_tensor(tol, dtype=x.dtype, device=x.device)[..., None]
    return torch.sum(s > tol, dim=-1).to(torch.int32)


def pinv(x, rcond=None):
    x, dtype = _work(x)
    return _out(torch.linalg.pinv(x, rtol=rcond), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t).to(p.dtype) for t, p in zip(tangents, primals))
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
