"""``lamina.ops.linalg``: linear algebra on (batches of) matrices.

Matrices are the last two axes; leading axes are batch axes. Ints and bools
are computed in floats; float16 and bfloat16 are computed in float32 and cast
back where the framework has no half-precision kernels.

Example:
    >>> lamina.ops.linalg.det(np.eye(3) * 2.0)
    # 8.0
"""

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
    "lu_factor", "matrix_rank", "norm", "pinv", "qr", "slogdet", "solve",
    "solve_triangular", "svd",
]


# -- rules ----------------------------------------------------------------------

def _float_dtype(x, argname="x"):
    dtype = rules.tensor_dtype(x, argname)
    if dtype in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected a real tensor for `{argname}`, received dtype {dtype}.")
    return dtypes.float_result_type(rules.dtype_of(x, argname))


def _matrix(x, argname="x", square=False):
    shape = rules.shape_of(x, argname)
    if len(shape) < 2:
        raise ValueError(f"expected `{argname}` of rank >= 2 (matrices), received shape {shape}.")
    if square and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(f"expected square matrices for `{argname}`, received shape {shape}.")
    return shape


def _same_rule(x, *args, **kwargs):
    return rules.spec(_matrix(x, square=True), _float_dtype(x))


def _det_rule(x):
    return rules.spec(_matrix(x, square=True)[:-2], _float_dtype(x))


def _slogdet_rule(x):
    shape = _matrix(x, square=True)[:-2]
    dtype = _float_dtype(x)
    return rules.spec(shape, dtype), rules.spec(shape, dtype)


def _eig_rule(x):
    shape = _matrix(x, square=True)
    dtype = "complex128" if _float_dtype(x) == "float64" else "complex64"
    return rules.spec(shape[:-1], dtype), rules.spec(shape, dtype)


def _eigh_rule(x):
    shape = _matrix(x, square=True)
    dtype = _float_dtype(x)
    return rules.spec(shape[:-1], dtype), rules.spec(shape, dtype)


def _lu_factor_rule(x):
    shape = _matrix(x)
    m, n = shape[-2:]
    k = None if m is None or n is None else min(m, n)
    return rules.spec(shape, _float_dtype(x)), rules.spec(shape[:-2] + (k,), "int32")


def _min(a, b):
    return None if a is None or b is None else min(a, b)


def _qr_rule(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"expected `mode` to be 'reduced' or 'complete', received {mode!r}.")
    shape = _matrix(x)
    batch, (m, n) = shape[:-2], shape[-2:]
    k = _min(m, n)
    dtype = _float_dtype(x)
    if mode == "reduced":
        return rules.spec(batch + (m, k), dtype), rules.spec(batch + (k, n), dtype)
    return rules.spec(batch + (m, m), dtype), rules.spec(batch + (m, n), dtype)


def _svd_rule(x, full_matrices=True, compute_uv=True):
    shape = _matrix(x)
    batch, (m, n) = shape[:-2], shape[-2:]
    k = _min(m, n)
    dtype = _float_dtype(x)
    s = rules.spec(batch + (k,), dtype)
    if not compute_uv:
        return s
    if full_matrices:
        return rules.spec(batch + (m, m), dtype), s, rules.spec(batch + (n, n), dtype)
    return rules.spec(batch + (m, k), dtype), s, rules.spec(batch + (k, n), dtype)


def _solve_rule(a, b, *args, **kwargs):
    a_shape = _matrix(a, "a", square=True)
    b_shape = rules.shape_of(b, "b")
    dtype = dtypes.float_result_type(rules.dtype_of(a, "a"), rules.dtype_of(b, "b"))
    if dtype in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected real tensors, received dtype {dtype}.")
    n = a_shape[-1]
    if len(b_shape) < 1:
        raise ValueError(f"expected `b` of rank >= 1, received shape {b_shape}.")
    vector = len(b_shape) == len(a_shape) - 1
    rows = b_shape[-1] if vector else (b_shape[-2] if len(b_shape) >= 2 else None)
    if len(b_shape) < len(a_shape) - 1 or (n is not None and rows is not None and rows != n):
        raise ValueError(
            f"incompatible shapes: `a` has shape {a_shape}, so `b` must have shape "
            f"(..., {n}) or (..., {n}, k); received {b_shape}."
        )
    b_batch = b_shape[:-1] if vector else b_shape[:-2]
    batch = rules.broadcast_shapes(a_shape[:-2], b_batch)
    out = batch + ((n,) if vector else (n, b_shape[-1]))
    return rules.spec(out, dtype)


def _lstsq_rule(a, b, rcond=None):
    a_shape = rules.shape_of(a, "a")
    b_shape = rules.shape_of(b, "b")
    if len(a_shape) != 2:
        raise ValueError(f"expected `a` of rank 2, received shape {a_shape}.")
    if len(b_shape) not in (1, 2):
        raise ValueError(f"expected `b` of rank 1 or 2, received shape {b_shape}.")
    m, n = a_shape
    if m is not None and b_shape[0] is not None and b_shape[0] != m:
        raise ValueError(f"expected b.shape[0] == a.shape[0], received a.shape={a_shape}, b.shape={b_shape}.")
    dtype = dtypes.float_result_type(rules.dtype_of(a, "a"), rules.dtype_of(b, "b"))
    return rules.spec((n,) + tuple(b_shape[1:]), dtype)


def _matrix_rank_rule(x, tol=None):
    return rules.spec(_matrix(x)[:-2], "int32")


def _pinv_rule(x, rcond=None):
    shape = _matrix(x)
    return rules.spec(shape[:-2] + (shape[-1], shape[-2]), _float_dtype(x))


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


def _norm_rule(x, ord=None, axis=None, keepdims=False):
    shape = rules.shape_of(x)
    dtype = _float_dtype(x)
    if axis is None:
        if ord is not None and len(shape) not in (1, 2):
            raise ValueError(
                f"with `axis=None` and `ord={ord!r}`, `x` must have rank 1 or 2, received shape {shape}."
            )
        axes = tuple(range(len(shape)))
    else:
        axes = rules.canonical_axes(axis, len(shape))
    if ord is not None:
        if len(axes) == 1 and isinstance(ord, str):
            raise ValueError(f"invalid `ord` for a vector norm: {ord!r}.")
        if len(axes) == 2 and ord not in _MATRIX_ORDS:
            raise ValueError(f"invalid `ord` for a matrix norm: {ord!r}; expected one of {_MATRIX_ORDS}.")
        if len(axes) > 2:
            raise ValueError(f"`ord` needs 1 or 2 axes, received axis={axis!r}.")
    return rules.spec(rules.reduced_shape(shape, axis, keepdims), dtype)


def _jvp_rule(fun, primals, tangents, has_aux=False):
    if not callable(fun):
        raise TypeError(f"expected a callable for `fun`, received {rules.describe(fun)}.")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("expected tuples for `primals` and `tangents`.")
    if len(primals) != len(tangents):
        raise ValueError(
            f"`primals` and `tangents` must have the same length, received {len(primals)} and {len(tangents)}."
        )
    for i, (p, t) in enumerate(zip(primals, tangents)):
        if tuple(rules.shape_of(p, f"primals[{i}]")) != tuple(rules.shape_of(t, f"tangents[{i}]")):
            raise ValueError(
                f"primals[{i}] and tangents[{i}] must have the same shape, received "
                f"{rules.shape_of(p)} and {rules.shape_of(t)}."
            )
    out = fun(*primals)
    aux = None
    if has_aux:
        out, aux = out
    tangents_out = tree.map_structure(
        lambda o: KerasTensor(o.shape, dtype=o.dtype) if isinstance(o, KerasTensor) else o, out
    )
    if has_aux:
        return out, tangents_out, aux
    return out, tangents_out


# -- ops ------------------------------------------------------------------------

@op(_same_rule, module="linalg")
def cholesky(x, upper=False):
    """Cholesky factor of symmetric positive-definite matrices.

    The input is symmetrized (``(x + x^T) / 2``) first. Eagerly, a matrix that
    is not positive definite raises ValueError.

    Args:
        x: a tensor of shape ``(..., n, n)``.
        upper: return the upper factor ``U`` (``x = U^T U``) instead of ``L``.

    Example:
        >>> lamina.ops.cholesky(np.array([[4.0, 2.0], [2.0, 2.0]]))
        # [[2, 0], [1, 1]]
    """


@op(_same_rule, module="linalg")
def cholesky_inverse(x, upper=False):
    """Inverse of ``A`` from its Cholesky factor (``A = L L^T`` or ``U^T U``).

    Args:
        x: the triangular factor, shape ``(..., n, n)``.
        upper: whether ``x`` is the upper factor.

    Example:
        >>> lamina.ops.cholesky_inverse(np.array([[2.0, 0.0], [1.0, 1.0]]))
        # inverse of [[4, 2], [2, 2]]
    """


@op(_det_rule, module="linalg")
def det(x):
    """Determinant of square matrices.

    Example:
        >>> lamina.ops.det(np.array([[1.0, 2.0], [3.0, 4.0]]))
        # -2.0
    """


@op(_slogdet_rule, module="linalg")
def slogdet(x):
    """Sign and natural log of the absolute value of the determinant.

    Returns:
        ``(sign, logabsdet)``, each of shape ``x.shape[:-2]``.

    Example:
        >>> lamina.ops.slogdet(np.array([[1.0, 2.0], [3.0, 4.0]]))
        # (-1.0, 0.6931)
    """


@op(_eig_rule, module="linalg")
def eig(x):
    """Eigenvalues and right eigenvectors of general square matrices.

    Returns:
        ``(w, v)``, complex (complex64, or complex128 for float64 input);
        ``x @ v[..., :, i] == w[..., i] * v[..., :, i]``.

    Example:
        >>> w, v = lamina.ops.eig(np.diag([1.0, 2.0]))
        # w: [1+0j, 2+0j]
    """


@op(_eigh_rule, module="linalg")
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices.

    Example:
        >>> w, v = lamina.ops.eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
        # w: [1.0, 3.0]
    """


@op(_same_rule, module="linalg")
def inv(x):
    """Inverse of square matrices.

    Example:
        >>> lamina.ops.inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
        # [[0.5, 0], [0, 0.25]]
    """


@op(_jvp_rule, module="linalg")
def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product of ``fun`` (forward-mode autodiff).

    Not available on the NumPy backend (it has no autodiff).

    Args:
        fun: a function of tensors, written with lamina ops.
        primals: tuple of the inputs at which to differentiate.
        tangents: tuple of the directions, shaped like ``primals``.
        has_aux: ``fun`` returns ``(output, aux)``; aux is passed through.

    Returns:
        ``(outputs, tangent_outputs)``, plus ``aux`` when ``has_aux``.

    Example:
        >>> lamina.ops.jvp(lambda x: x * x, (np.array(3.0),), (np.array(1.0),))
        # (9.0, 6.0)
    """


@op(_lstsq_rule, module="linalg")
def lstsq(a, b, rcond=None):
    """Least-squares solution ``x`` minimising ``||a @ x - b||``.

    Args:
        a: a matrix of shape ``(m, n)``.
        b: shape ``(m,)`` or ``(m, k)``.
        rcond: singular values below ``rcond * max(s)`` count as zero
            (default: machine epsilon times ``max(m, n)``).

    Example:
        >>> lamina.ops.lstsq(np.array([[1.0], [1.0]]), np.array([1.0, 3.0]))
        # [2.0]
    """


@op(_lu_factor_rule, module="linalg")
def lu_factor(x):
    """LU factorisation with partial pivoting, in LAPACK's compact form.

    Returns:
        ``(lu, pivots)``: ``lu`` holds ``U`` and the unit-diagonal ``L``
        below it; row ``i`` was swapped with row ``pivots[i]`` (0-based, int32).
        The TensorFlow backend supports square matrices only.

    Example:
        >>> lu, piv = lamina.ops.lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
        # piv: [1, 1]
    """


@op(_matrix_rank_rule, module="linalg")
def matrix_rank(x, tol=None):
    """Rank of matrices: the number of singular values above ``tol``.

    Args:
        x: a tensor of shape ``(..., m, n)``.
        tol: threshold (default: ``max(s) * max(m, n) * eps``).

    Returns:
        int32 ranks.

    Example:
        >>> lamina.ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]]))
        # 1
    """


@op(_norm_rule, module="linalg")
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm.

    Args:
        x: a tensor.
        ord: vector norms: None (2-norm), inf, -inf, 0, or any p; matrix norms
            (two axes): None or ``"fro"``, ``"nuc"``, 1, -1, 2, -2, inf, -inf.
        axis: an int (vector norm), a pair (matrix norm), or None: the whole
            tensor flattened when ``ord`` is None, else a rank-1 or rank-2 ``x``.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> lamina.ops.norm(np.array([3.0, 4.0]))
        # 5.0
    """


@op(_pinv_rule, module="linalg")
def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse.

    Args:
        x: a tensor of shape ``(..., m, n)``.
        rcond: relative cutoff for small singular values.

    Example:
        >>> lamina.ops.pinv(np.array([[2.0, 0.0]]))
        # [[0.5], [0.0]]
    """


@op(_qr_rule, module="linalg")
def qr(x, mode="reduced"):
    """QR decomposition ``x = q @ r``.

    Args:
        x: a tensor of shape ``(..., m, n)``.
        mode: ``"reduced"`` (``q``: (m, k), ``r``: (k, n), ``k = min(m, n)``)
            or ``"complete"`` (``q``: (m, m), ``r``: (m, n)).

    Example:
        >>> q, r = lamina.ops.qr(np.eye(2))
    """


@op(_solve_rule, module="linalg")
def solve(a, b):
    """Solves ``a @ x = b``.

    Args:
        a: square matrices, shape ``(..., n, n)``.
        b: right-hand sides, ``(..., n)`` (one rank less than ``a``: vectors)
            or ``(..., n, k)``.

    Example:
        >>> lamina.ops.solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 4.0]))
        # [1.0, 1.0]
    """


@op(_solve_rule, module="linalg")
def solve_triangular(a, b, lower=False):
    """Solves ``a @ x = b`` for triangular ``a`` (only that triangle is read).

    Args:
        a: triangular matrices, shape ``(..., n, n)``.
        b: ``(..., n)`` or ``(..., n, k)``, as in :func:`solve`.
        lower: use the lower triangle of ``a`` (default: upper).

    Example:
        >>> lamina.ops.solve_triangular(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([1.0, 2.0]), lower=True)
        # [1.0, 1.0]
    """


@op(_svd_rule, module="linalg")
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition ``x = u @ diag(s) @ v``.

    Args:
        x: a tensor of shape ``(..., m, n)``.
        full_matrices: square ``u`` and ``v`` (else ``(m, k)`` and ``(k, n)``).
        compute_uv: when False, return only ``s``.

    Returns:
        ``(u, s, v)`` with ``s`` descending, or ``s``.

    Example:
        >>> lamina.ops.svd(np.diag([1.0, 3.0]), compute_uv=False)
        # [3.0, 1.0]
    """
