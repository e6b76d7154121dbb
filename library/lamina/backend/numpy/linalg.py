"""The linalg ops on NumPy (and SciPy)."""

import numpy as np
import scipy.linalg

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype

_HALF = ("float16", "bfloat16")


def _work(x, *others):
    """Converts to the float result dtype; returns (arrays in a LAPACK dtype, result dtype)."""
    xs = [convert_to_tensor(v) for v in (x,) + others]
    name = dtypes.float_result_type(*[dtypes.standardize_dtype(v.dtype) for v in xs])
    work = np.float32 if name in _HALF else to_numpy_dtype(name)
    xs = [v.astype(work, copy=False) for v in xs]
    return (xs[0] if not others else xs), to_numpy_dtype(name)


def _out(value, dtype):
    return np.asarray(value).astype(dtype, copy=False)


def _t(x):
    return np.swapaxes(x, -1, -2)


def cholesky(x, upper=False):
    x, dtype = _work(x)
    try:
        out = np.linalg.cholesky((x + _t(x)) / 2)
    except np.linalg.LinAlgError as e:
        raise ValueError(f"ops.cholesky: the input is not a positive-definite matrix ({e}).") from None
    return _out(_t(out) if upper else out, dtype)


def _triangular_solve(a, b, lower):
    """Solves ``a @ x = b`` (b: (..., n, k)) reading one triangle of ``a``."""
    tri = np.tril(a) if lower else np.triu(a)
    batch = np.broadcast_shapes(tri.shape[:-2], b.shape[:-2])
    tri = np.broadcast_to(tri, batch + tri.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    out = np.empty(batch + b.shape[-2:], np.result_type(tri, b))
    for idx in np.ndindex(batch):
        out[idx] = scipy.linalg.solve_triangular(tri[idx], b[idx], lower=lower)
    return out


def cholesky_inverse(x, upper=False):
    x, dtype = _work(x)
    eye = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inv_factor = _triangular_solve(x, eye, lower=not upper)
    out = inv_factor @ _t(inv_factor) if upper else _t(inv_factor) @ inv_factor
    return _out(out, dtype)


def det(x):
    x, dtype = _work(x)
    return _out(np.linalg.det(x), dtype)


def slogdet(x):
    x, dtype = _work(x)
    sign, logabs = np.linalg.slogdet(x)
    return _out(sign, dtype), _out(logabs, dtype)


def eig(x):
    x, dtype = _work(x)
    w, v = np.linalg.eig(x)
    target = np.complex128 if dtype == np.float64 else np.complex64
    return _out(w, target), _out(v, target)


def eigh(x):
    x, dtype = _work(x)
    w, v = np.linalg.eigh(x)
    return _out(w, dtype), _out(v, dtype)


def inv(x):
    x, dtype = _work(x)
    return _out(np.linalg.inv(x), dtype)


def lu_factor(x):
    x, dtype = _work(x)
    m, n = x.shape[-2:]
    lu = np.empty(x.shape, x.dtype)
    pivots = np.empty(x.shape[:-2] + (min(m, n),), np.int32)
    for idx in np.ndindex(x.shape[:-2]):
        lu[idx], pivots[idx] = scipy.linalg.lu_factor(x[idx], check_finite=False)
    return _out(lu, dtype), pivots


def norm(x, ord=None, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_numpy_dtype(dtypes.float_result_type(dtypes.standardize_dtype(x.dtype)))
    x = x.astype(dtype, copy=False)
    if isinstance(axis, list):
        axis = tuple(axis)
    matrix = (axis is None and x.ndim == 2) or (isinstance(axis, tuple) and len(axis) == 2)
    if matrix and ord in ("nuc", 2, -2) and x.dtype == np.float16:
        x = x.astype(np.float32)
    return _out(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), dtype)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: unsupported mode {mode!r}.")
    x, dtype = _work(x)
    q, r = np.linalg.qr(x, mode=mode)
    return _out(q, dtype), _out(r, dtype)


def _rhs(a, b):
    vector = b.ndim == a.ndim - 1
    return (b[..., None] if vector else b), vector


def solve(a, b):
    (a, b), dtype = _work(a, b)
    rhs, vector = _rhs(a, b)
    batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    out = np.linalg.solve(np.broadcast_to(a, batch + a.shape[-2:]),
                          np.broadcast_to(rhs, batch + rhs.shape[-2:]))
    return _out(out[..., 0] if vector else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _work(a, b)
    rhs, vector = _rhs(a, b)
    out = _triangular_solve(a, rhs, lower)
    return _out(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _work(x)
    if not compute_uv:
        return _out(np.linalg.svd(x, compute_uv=False), dtype)
    u, s, v = np.linalg.svd(x, full_matrices=full_matrices)
    return _out(u, dtype), _out(s, dtype), _out(v, dtype)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _work(a, b)
    if len(a.shape) != 2 or len(b.shape) not in (1, 2):
        raise ValueError("ops.lstsq: `a` must have rank 2 and `b` rank 1 or 2.")
    return _out(np.linalg.lstsq(a, b, rcond=rcond)[0], dtype)


def matrix_rank(x, tol=None):
    x, _ = _work(x)
    s = np.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = np.max(s, axis=-1, keepdims=True, initial=0.0) * max(x.shape[-2:]) * np.finfo(x.dtype).eps
    else:
        tol = np.asarray(tol)[..., None]
    return np.sum(s > tol, axis=-1).astype(np.int32)


def pinv(x, rcond=None):
    x, dtype = _work(x)
    if rcond is None:
        return _out(np.linalg.pinv(x), dtype)
    return _out(np.linalg.pinv(x, rtol=rcond), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    raise NotImplementedError(
        "ops.jvp: forward-mode differentiation is not supported on the numpy backend "
        "(it has no autodiff); use the jax, torch or tensorflow backend."
    )
