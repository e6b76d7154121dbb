"""The linalg ops on TensorFlow."""

import numpy as np
import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor

_HALF = ("float16", "bfloat16")


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


def _work(x, *others):
    """Converts to the float result dtype; returns (tensors in a LAPACK dtype, result dtype)."""
    xs = [convert_to_tensor(v) for v in (x,) + others]
    dtype = dtypes.float_result_type(*[_name(v) for v in xs])
    work = "float32" if dtype in _HALF else dtype
    xs = [tf.cast(v, work) if _name(v) != work else v for v in xs]
    return (xs[0] if not others else xs), dtype


def _out(value, dtype):
    return tf.cast(value, dtype) if _name(value) != dtype else value


def _t(x):
    return tf.linalg.matrix_transpose(x)


def cholesky(x, upper=False):
    x, dtype = _work(x)
    out = tf.linalg.cholesky((x + _t(x)) / 2)
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(out))):
        raise ValueError("ops.cholesky: the input is not a positive-definite matrix.")
    if upper:
        out = _t(out)
    return _out(out, dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _work(x)
    eye = tf.eye(tf.shape(x)[-1], batch_shape=tf.shape(x)[:-2], dtype=x.dtype)
    inv_factor = tf.linalg.triangular_solve(x, eye, lower=not upper)
    if upper:
        out = tf.matmul(inv_factor, inv_factor, transpose_b=True)
    else:
        out = tf.matmul(inv_factor, inv_factor, transpose_a=True)
    return _out(out, dtype)


def det(x):
    x, dtype = _work(x)
    return _out(tf.linalg.det(x), dtype)


def slogdet(x):
    x, dtype = _work(x)
    sign, logabs = tf.linalg.slogdet(x)
    return _out(sign, dtype), _out(logabs, dtype)


def eig(x):
    x, dtype = _work(x)
    w, v = tf.linalg.eig(x)
    target = "complex128" if dtype == "float64" else "complex64"
    return _out(w, target), _out(v, target)


def eigh(x):
    x, dtype = _work(x)
    w, v = tf.linalg.eigh(x)
    return _out(w, dtype), _out(v, dtype)


def inv(x):
    x, dtype = _work(x)
    return _out(tf.linalg.inv(x), dtype)


def lu_factor(x):
    x, dtype = _work(x)
    m, n = x.shape[-2], x.shape[-1]
    if m is None or n is None or m != n:
        raise ValueError(
            f"ops.lu_factor: the TensorFlow backend supports square matrices of known size only, "
            f"received shape {tuple(x.shape)}."
        )
    lu, perm = tf.linalg.lu(x)
    # row i of P @ x is row perm[i] of x; turn the permutation into LAPACK's
    # sequence of row swaps (row i swapped with row pivots[i]).
    perm = tf.cast(perm, "int32")
    current = tf.broadcast_to(tf.range(n, dtype="int32"), tf.shape(perm))
    pivots = []
    for i in range(n):
        j = tf.argmax(tf.cast(tf.equal(current, perm[..., i:i + 1]), "int32"), axis=-1,
                      output_type="int32")
        pivots.append(j)
        at_i, at_j = current[..., i:i + 1], tf.gather(current, j[..., None], axis=-1, batch_dims=j.shape.rank)
        cols = tf.range(n, dtype="int32")
        current = tf.where(cols == i, at_j, tf.where(cols == j[..., None], at_i, current))
    pivots = tf.stack(pivots, axis=-1) if pivots else tf.zeros(tf.shape(perm), "int32")
    return _out(lu, dtype), pivots


def _svdvals(x):
    return tf.linalg.svd(x, compute_uv=False)


def norm(x, ord=None, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = dtypes.float_result_type(_name(x))
    x = tf.cast(x, dtype)
    ndim = x.shape.rank
    if axis is None:
        if ord is None:
            out = tf.sqrt(tf.reduce_sum(x * x))
            return tf.reshape(out, [1] * ndim) if keepdims else out
        axis = tuple(range(ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    if any(not -ndim <= a < ndim for a in axis):
        raise ValueError(f"ops.norm: axis {axis} is out of range for rank {ndim}.")
    axis = tuple(a % ndim for a in axis)
    inf = float("inf")
    if len(axis) == 1:
        ax = axis[0]
        if ord is None or ord == 2:
            return tf.sqrt(tf.reduce_sum(x * x, axis=ax, keepdims=keepdims))
        if ord == inf:
            return tf.reduce_max(tf.abs(x), axis=ax, keepdims=keepdims)
        if ord == -inf:
            return tf.reduce_min(tf.abs(x), axis=ax, keepdims=keepdims)
        if ord == 0:
            return tf.reduce_sum(tf.cast(tf.not_equal(x, 0), dtype), axis=ax, keepdims=keepdims)
        p = tf.constant(ord, dtype)
        return tf.pow(tf.reduce_sum(tf.pow(tf.abs(x), p), axis=ax, keepdims=keepdims), 1 / p)
    row, col = axis
    if ord is None or ord == "fro":
        return tf.sqrt(tf.reduce_sum(x * x, axis=axis, keepdims=keepdims))
    if ord in (1, -1, inf, -inf):
        # 1: max column sum (sum over rows); inf: max row sum (sum over columns)
        summed, other = (row, col) if ord in (1, -1) else (col, row)
        sums = tf.reduce_sum(tf.abs(x), axis=summed, keepdims=keepdims)
        if not keepdims and other > summed:
            other -= 1
        reduce = tf.reduce_max if ord in (1, inf) else tf.reduce_min
        return reduce(sums, axis=other, keepdims=keepdims)
    # "nuc", 2, -2: from the singular values
    rest = [i for i in range(ndim) if i not in axis]
    moved = tf.transpose(x, rest + [row, col])
    work = tf.cast(moved, "float32") if dtype in _HALF else moved
    s = _svdvals(work)
    out = {"nuc": tf.reduce_sum, 2: tf.reduce_max, -2: tf.reduce_min}[ord](s, axis=-1)
    out = tf.cast(out, dtype)
    if keepdims:
        for a in sorted(axis):
            out = tf.expand_dims(out, a)
    return out


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: unsupported mode {mode!r}.")
    x, dtype = _work(x)
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return _out(q, dtype), _out(r, dtype)


def _rhs(a, b):
    vector = b.shape.rank == a.shape.rank - 1
    rhs = b[..., None] if vector else b
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(rhs)[:-2])
    a = tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0))
    rhs = tf.broadcast_to(rhs, tf.concat([batch, tf.shape(rhs)[-2:]], 0))
    return a, rhs, vector


def solve(a, b):
    (a, b), dtype = _work(a, b)
    a, rhs, vector = _rhs(a, b)
    out = tf.linalg.solve(a, rhs)
    return _out(out[..., 0] if vector else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _work(a, b)
    a, rhs, vector = _rhs(a, b)
    out = tf.linalg.triangular_solve(a, rhs, lower=lower)
    return _out(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _work(x)
    if not compute_uv:
        return _out(_svdvals(x), dtype)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return _out(u, dtype), _out(s, dtype), _out(_t(v), dtype)


def _pinv(x, rcond):
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    if rcond is None:
        rcond = max(x.shape[-2:]) * np.finfo(x.dtype.as_numpy_dtype).eps
    top = tf.reduce_max(s, axis=-1, keepdims=True) if s.shape[-1] else tf.zeros_like(s[..., :1])
    keep = s > tf.cast(rcond, s.dtype) * top
    s_inv = tf.where(keep, 1 / tf.where(keep, s, tf.ones_like(s)), tf.zeros_like(s))
    return tf.matmul(v * s_inv[..., None, :], u, transpose_b=True)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _work(a, b)
    if len(a.shape) != 2 or len(b.shape) not in (1, 2):
        raise ValueError("ops.lstsq: `a` must have rank 2 and `b` rank 1 or 2.")
    vector = b.shape.rank == 1
    rhs = b[:, None] if vector else b
    out = tf.matmul(_pinv(a, rcond), rhs)
    return _out(out[:, 0] if vector else out, dtype)


def matrix_rank(x, tol=None):
    x, _ = _work(x)
    s = _svdvals(x)
    if tol is None:
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        top = tf.reduce_max(s, axis=-1, keepdims=True) if s.shape[-1] else tf.zeros_like(s[..., :1])
        tol = top * max(x.shape[-2:]) * eps
    else:
        tol = tf.cast(tol, s.dtype)[..., None]
    return tf.reduce_sum(tf.cast(s > tol, "int32"), axis=-1)


def pinv(x, rcond=None):
    x, dtype = _work(x)
    return _out(_pinv(x, rcond), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(tf.cast(convert_to_tensor(t), p.dtype) for t, p in zip(tangents, primals))
    if len(primals) != len(tangents) or any(p.shape != t.shape for p, t in zip(primals, tangents)):
        raise ValueError("ops.jvp: primals and tangents must have the same structure and shapes.")
    with tf.autodiff.ForwardAccumulator(primals, tangents) as acc:
        out = fun(*primals)
        if has_aux:
            out, aux = out
        flat = tf.nest.flatten(out)
        flat_tangents = [
            acc.jvp(o, unconnected_gradients=tf.UnconnectedGradients.ZERO) for o in flat
        ]
    tangents_out = tf.nest.pack_sequence_as(out, flat_tangents)
    if has_aux:
        return out, tangents_out, aux
    return out, tangents_out
