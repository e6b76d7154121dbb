"""The linalg ops on JAX."""

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor

_HALF = ("float16", "bfloat16")


def _work(x, *others):
    """Converts to the float result dtype; returns (tensors in a LAPACK dtype, result dtype)."""
    xs = [convert_to_tensor(v) for v in (x,) + others]
    dtype = dtypes.float_result_type(*[dtypes.standardize_dtype(v.dtype) for v in xs])
    work = "float32" if dtype in _HALF else dtype
    xs = [v.astype(work) if v.dtype != work else v for v in xs]
    return (xs[0] if not others else xs), dtype


def _out(value, dtype):
    return value.astype(dtype) if value.dtype != dtype else value


def _sym(x):
    return (x + jnp.swapaxes(x, -1, -2)) / 2


def cholesky(x, upper=False):
    x, dtype = _work(x)
    out = jnp.linalg.cholesky(_sym(x))
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError("ops.cholesky: the input is not a positive-definite matrix.")
    if upper:
        out = jnp.swapaxes(out, -1, -2)
    return _out(out, dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _work(x)
    eye = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inv_factor = jax.lax.linalg.triangular_solve(x, eye, left_side=True, lower=not upper)
    t = jnp.swapaxes(inv_factor, -1, -2)
    out = inv_factor @ t if upper else t @ inv_factor
    return _out(out, dtype)


def det(x):
    x, dtype = _work(x)
    return _out(jnp.linalg.det(x), dtype)


def slogdet(x):
    x, dtype = _work(x)
    sign, logabs = jnp.linalg.slogdet(x)
    return _out(sign, dtype), _out(logabs, dtype)


def eig(x):
    x, dtype = _work(x)
    w, v = jnp.linalg.eig(x)
    target = "complex128" if dtype == "float64" else "complex64"
    return _out(w, target), _out(v, target)


def eigh(x):
    x, dtype = _work(x)
    w, v = jnp.linalg.eigh(x)
    return _out(w, dtype), _out(v, dtype)


def inv(x):
    x, dtype = _work(x)
    return _out(jnp.linalg.inv(x), dtype)


def lu_factor(x):
    x, dtype = _work(x)
    lu, pivots, _ = jax.lax.linalg.lu(x)
    return _out(lu, dtype), pivots.astype("int32")


def norm(x, ord=None, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(dtypes.standardize_dtype(x.dtype))
    x = x.astype(dtype)
    if isinstance(axis, list):
        axis = tuple(axis)
    if ord in ("nuc", 2, -2) and (axis is None and x.ndim == 2 or isinstance(axis, tuple) and len(axis) == 2):
        x32 = x.astype("float32") if dtype in _HALF else x
        return _out(jnp.linalg.norm(x32, ord=ord, axis=axis, keepdims=keepdims), dtype)
    return _out(jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), dtype)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: unsupported mode {mode!r}.")
    x, dtype = _work(x)
    q, r = jnp.linalg.qr(x, mode=mode)
    return _out(q, dtype), _out(r, dtype)


def _vector_rhs(a, b):
    return b.ndim == a.ndim - 1


def _broadcast_batch(a, b, vector):
    b_batch = b.shape[:-1] if vector else b.shape[:-2]
    batch = jnp.broadcast_shapes(a.shape[:-2], b_batch)
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    b = jnp.broadcast_to(b, batch + (b.shape[-1:] if vector else b.shape[-2:]))
    return a, b


def solve(a, b):
    (a, b), dtype = _work(a, b)
    vector = _vector_rhs(a, b)
    a, b = _broadcast_batch(a, b, vector)
    if vector:
        return _out(jnp.linalg.solve(a, b[..., None])[..., 0], dtype)
    return _out(jnp.linalg.solve(a, b), dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _work(a, b)
    vector = _vector_rhs(a, b)
    a, b = _broadcast_batch(a, b, vector)
    rhs = b[..., None] if vector else b
    out = jax.lax.linalg.triangular_solve(a, rhs, left_side=True, lower=lower)
    return _out(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _work(x)
    if not compute_uv:
        return _out(jnp.linalg.svd(x, compute_uv=False), dtype)
    u, s, v = jnp.linalg.svd(x, full_matrices=full_matrices)
    return _out(u, dtype), _out(s, dtype), _out(v, dtype)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _work(a, b)
    if len(a.shape) != 2 or len(b.shape) not in (1, 2):
        raise ValueError("ops.lstsq: `a` must have rank 2 and `b` rank 1 or 2.")
    return _out(jnp.linalg.lstsq(a, b, rcond=rcond)[0], dtype)


def matrix_rank(x, tol=None):
    x, _ = _work(x)
    s = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = jnp.max(s, axis=-1, keepdims=True, initial=0.0) * max(x.shape[-2:]) * jnp.finfo(x.dtype).eps
    else:
        tol = jnp.expand_dims(jnp.asarray(tol, x.dtype), -1)
    return jnp.sum(s > tol, axis=-1).astype("int32")


def pinv(x, rcond=None):
    x, dtype = _work(x)
    return _out(jnp.linalg.pinv(x, rtol=rcond), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t, dtype=p.dtype) for t, p in zip(tangents, primals))
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)
