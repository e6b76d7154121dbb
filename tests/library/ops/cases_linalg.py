"""Conformance cases: linear algebra (``lamina.ops.linalg`` and the top-level aliases)."""

import numpy as np
import scipy.linalg

from .harness import BACKEND, Case, ErrorCase, rand

CASES, ERRORS = [], []


def _spd(n, batch=(), seed=0):
    r = rand(batch + (n, n), seed=seed)
    return (r @ np.swapaxes(r, -1, -2) + n * np.eye(n)).astype("float32")


def _well(n, batch=(), seed=0):
    """A well-conditioned general matrix."""
    return (rand(batch + (n, n), seed=seed, low=-1, high=1) + 3 * np.eye(n)).astype("float32")


def _f64(fn):
    return lambda x, *a, **k: fn(np.asarray(x, np.float64), *a, **k)


def _t(x):
    return np.swapaxes(x, -1, -2)


# Keras raises for half-precision and integer matrices on most backends (and
# returns float64 for ints on numpy); lamina computes them in float32.

# -- cholesky ---------------------------------------------------------------------

def _cholesky(x, upper=False):
    low = np.linalg.cholesky(x.astype(np.float64))
    return _t(low) if upper else low


def _cholesky_inverse(x, upper=False):
    x = x.astype(np.float64)
    a = _t(x) @ x if upper else x @ _t(x)
    return np.linalg.inv(a)


_L = np.linalg.cholesky(_spd(3)).astype("float32")
CASES += [
    Case("cholesky", (_spd(3),), ref=_cholesky, grad=True, rtol=1e-4, atol=1e-5),
    Case("linalg.cholesky", (_spd(2, (2,)),), {"upper": True}, ref=_cholesky, rtol=1e-4, atol=1e-5),
    Case("cholesky", (_spd(3).astype("float16"),), ref=_cholesky, keras=False, rtol=1e-2, atol=1e-2),
    Case("cholesky_inverse", (_L,), ref=_cholesky_inverse, rtol=1e-4, atol=1e-5),
    Case("linalg.cholesky_inverse", (_t(_L).copy(),), {"upper": True}, ref=_cholesky_inverse,
         rtol=1e-4, atol=1e-5),
]

# -- det / slogdet / inv ----------------------------------------------------------

for _x in [_well(3), _well(2, (2,), seed=1), rand((3, 3), seed=2)]:
    CASES.append(Case("det", (_x,), ref=_f64(np.linalg.det), grad=True, rtol=1e-4, atol=1e-5))
    CASES.append(Case("inv", (_x,), ref=_f64(np.linalg.inv), grad=_x.ndim == 2, rtol=1e-4, atol=1e-4))
CASES += [
    Case("linalg.det", (rand((4, 4), "int32", -3, 3, seed=3),), ref=_f64(np.linalg.det), keras=False,
         rtol=1e-4, atol=1e-4),
    Case("det", (_well(3).astype("float16"),), ref=_f64(np.linalg.det), keras=False, rtol=1e-2, atol=1e-2),
    Case("inv", (_well(3).astype("float16"),), ref=_f64(np.linalg.inv), keras=False, rtol=1e-2, atol=1e-2),
    Case("det", (rand((0, 3, 3)),), ref=_f64(np.linalg.det)),
]


def _slogdet(x):
    return tuple(np.linalg.slogdet(x.astype(np.float64)))


CASES += [
    Case("slogdet", (rand((3, 3), seed=5),), ref=_slogdet, grad=True, rtol=1e-4, atol=1e-5),
    Case("slogdet", (_well(3),), ref=_slogdet, rtol=1e-4, atol=1e-5),
    # Keras's symbolic `sign` is a scalar even for batches
    Case("linalg.slogdet", (rand((2, 3, 3), seed=6),), ref=_slogdet, rtol=1e-4, atol=1e-5,
         symbolic_none=False, keras_op="slogdet"),
]

# -- eig / eigh -------------------------------------------------------------------


def _eig_post(out):
    w, v = out
    w, v = np.asarray(w, np.complex128), np.asarray(v, np.complex128)
    recon = v @ (w[..., :, None] * np.linalg.inv(v))
    return np.sort_complex(w), recon


def _eigh_post(out):
    w, v = out
    w, v = np.asarray(w, np.float64), np.asarray(v, np.float64)
    return w, (v * w[..., None, :]) @ _t(v)


# Keras returns namedtuples (EighResult, QRResult, Qr...) on jax, tensorflow and
# numpy, which the harness's to_numpy_tree cannot rebuild (type(x)(generator));
# those cases compare with NumPy only there.
_NT_OK = BACKEND == "torch"


def _eig(x):
    return tuple(np.linalg.eig(x.astype(np.float64)))


def _eigh(x):
    return tuple(np.linalg.eigh(x.astype(np.float64)))


_NONSYM = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, 1.0], [0.0, 0.2, 1.0]], "float32")
CASES += [
    # Keras on numpy returns real eigenpairs when they happen to be real
    Case("eig", (_NONSYM,), ref=_eig, postprocess=_eig_post, rtol=1e-4, atol=1e-4,
         check_dtype=BACKEND != "numpy", keras=_NT_OK),
    Case("linalg.eig", (rand((2, 3, 3), seed=7),), ref=_eig, postprocess=_eig_post,
         rtol=1e-3, atol=1e-4, keras=_NT_OK and BACKEND != "numpy"),
    Case("eigh", (_spd(3),), ref=_eigh, postprocess=_eigh_post, rtol=1e-4, atol=1e-4, keras=_NT_OK),
    Case("linalg.eigh", (_spd(2, (3,), seed=8),), ref=_eigh, postprocess=_eigh_post,
         rtol=1e-4, atol=1e-4, keras=_NT_OK),
]

# -- lu_factor --------------------------------------------------------------------


def _lu_factor(x):
    x = np.asarray(x, np.float64)
    m, n = x.shape[-2:]
    lu = np.empty(x.shape)
    piv = np.empty(x.shape[:-2] + (min(m, n),), np.int32)
    for idx in np.ndindex(x.shape[:-2]):
        lu[idx], piv[idx] = scipy.linalg.lu_factor(x[idx])
    return lu, piv


# Keras on tensorflow returns a permutation instead of LAPACK pivots.
CASES += [
    Case("lu_factor", (rand((3, 3), seed=9),), ref=_lu_factor, rtol=1e-4, atol=1e-5,
         keras=BACKEND != "tensorflow"),
    Case("linalg.lu_factor", (rand((2, 4, 4), seed=10),), ref=_lu_factor, rtol=1e-4, atol=1e-5,
         keras=BACKEND != "tensorflow"),
    Case("lu_factor", (rand((3, 4), seed=11),), ref=_lu_factor, rtol=1e-4, atol=1e-5,
         backends=("jax", "torch", "numpy")),
]

# -- norm -------------------------------------------------------------------------


def _norm(x, ord=None, axis=None, keepdims=False):
    return np.linalg.norm(x.astype(np.float64), ord=ord, axis=axis, keepdims=keepdims)


_INF = float("inf")
_V = rand((2, 3, 4), seed=12)
for _ord in [None, 1, 2, 3, _INF, -_INF, 0, 0.5]:
    CASES.append(Case("norm", (_V,), {"ord": _ord, "axis": -1}, ref=_norm,
                      grad=_ord in (None, 1, 3), rtol=1e-5, atol=1e-5))
for _ord in [None, "fro", "nuc", 1, -1, 2, -2, _INF, -_INF]:
    CASES.append(Case("norm", (_V,), {"ord": _ord, "axis": (0, 2)}, ref=_norm,
                      grad=_ord in (None, "fro"), rtol=1e-4, atol=1e-5))
CASES += [
    # Keras on tensorflow rejects axis=None for rank > 2
    Case("norm", (_V,), ref=_norm, grad=True, keras=BACKEND != "tensorflow"),
    Case("norm", (_V,), {"keepdims": True}, ref=_norm, keras=BACKEND != "tensorflow"),
    Case("norm", (_V,), {"axis": (2, 1), "ord": 1, "keepdims": True}, ref=_norm),
    Case("linalg.norm", (rand((3, 4)),), {"ord": "nuc"}, ref=_norm, rtol=1e-4),
    Case("norm", (rand((5,)),), {"ord": 3}, ref=_norm),
    Case("norm", (rand((2, 3), "float16"),), {"axis": 1}, ref=_norm, rtol=2e-3, atol=2e-3),
    Case("norm", (rand((2, 3), "int32"),), {"axis": 0}, ref=_norm),
    Case("norm", (rand((0, 3)),), {"axis": 1}, ref=_norm),
]

# -- qr / svd (unique only up to signs: compare invariants) -------------------------


def _qr_post(out):
    q, r = (np.asarray(v, np.float64) for v in out)
    k = min(r.shape[-2:])
    sign = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
    sign = np.where(sign == 0, 1, sign)
    r_fixed = r.copy()
    r_fixed[..., :k, :] *= sign[..., :, None]
    return q @ r, _t(q) @ q, r_fixed


def _svd_post(out):
    if not isinstance(out, (tuple, list)):
        return np.asarray(out, np.float64)
    u, s, v = (np.asarray(a, np.float64) for a in out)
    k = s.shape[-1]
    return s, (u[..., :, :k] * s[..., None, :]) @ v[..., :k, :], _t(u) @ u, v @ _t(v)


def _qr(x, mode="reduced"):
    return tuple(np.linalg.qr(x.astype(np.float64), mode=mode))


def _svd(x, full_matrices=True, compute_uv=True):
    out = np.linalg.svd(x.astype(np.float64), full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(out) if compute_uv else out


for _shape in [(4, 3), (3, 4), (2, 3, 3)]:
    for _mode in ["reduced", "complete"]:
        CASES.append(Case("qr", (rand(_shape, seed=13),), {"mode": _mode}, ref=_qr, postprocess=_qr_post,
                          rtol=1e-4, atol=1e-4, keras=_NT_OK))
    for _full in [True, False]:
        CASES.append(Case("svd", (rand(_shape, seed=14),), {"full_matrices": _full}, ref=_svd,
                          postprocess=_svd_post, rtol=1e-4, atol=1e-4, keras=_NT_OK))
    CASES.append(Case("linalg.svd", (rand(_shape, seed=15),), {"compute_uv": False}, ref=_svd,
                      postprocess=_svd_post, rtol=1e-4, atol=1e-4))

# -- solve / solve_triangular / lstsq / pinv / matrix_rank -------------------------


def _solve(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    if b.ndim == a.ndim - 1:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _solve_triangular(a, b, lower=False):
    tri = np.tril(a) if lower else np.triu(a)
    return _solve(tri, b)


CASES += [
    Case("solve", (_well(3), rand((3,), seed=1)), ref=_solve, grad=True, rtol=1e-4, atol=1e-5),
    Case("solve", (_well(3), rand((3, 2), seed=1)), ref=_solve, grad=True, rtol=1e-4, atol=1e-5),
    Case("solve", (_well(3, (2,)), rand((2, 3, 1), seed=1)), ref=_solve, rtol=1e-4, atol=1e-5),
    # Keras on jax and numpy rejects a batch of vectors (NumPy 2 semantics)
    Case("solve", (_well(3, (2,)), rand((2, 3), seed=3)), ref=_solve, rtol=1e-4, atol=1e-5,
         keras=BACKEND not in ("jax", "numpy")),
    Case("solve", (_well(3, (2,)).astype("float16"), rand((2, 3), "float16", seed=1)), ref=_solve,
         keras=False, rtol=2e-2, atol=2e-2),
]
for _lower in (False, True):
    CASES += [
        Case("solve_triangular", (_well(3), rand((3,), seed=2)), {"lower": _lower}, ref=_solve_triangular,
             rtol=1e-4, atol=1e-5),
        Case("linalg.solve_triangular", (_well(3, (2,)), rand((2, 3, 2), seed=2)), {"lower": _lower},
             ref=_solve_triangular, rtol=1e-4, atol=1e-5),
    ]


def _lstsq(a, b, rcond=None):
    return np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=rcond)[0]


def _pinv(x, rcond=None):
    return np.linalg.pinv(x.astype(np.float64))


_DEFICIENT = (rand((4, 2), seed=16) @ rand((2, 3), seed=17)).astype("float32")


def _rank(x, tol=None):
    return np.linalg.matrix_rank(x, tol=tol).astype(np.int32)


CASES += [
    Case("lstsq", (rand((4, 3), seed=18), rand((4,), seed=19)), ref=_lstsq, rtol=1e-3, atol=1e-4),
    Case("linalg.lstsq", (rand((4, 3), seed=18), rand((4, 2), seed=19)), ref=_lstsq, rtol=1e-3, atol=1e-4),
    Case("pinv", (rand((3, 2), seed=20),), ref=_pinv, rtol=1e-3, atol=1e-4),
    Case("linalg.pinv", (rand((2, 3, 4), seed=21),), ref=_pinv, rtol=1e-3, atol=1e-4),
    Case("matrix_rank", (_DEFICIENT,), ref=_rank),
    Case("matrix_rank", (rand((2, 3, 4), seed=22),), ref=_rank),
    Case("linalg.matrix_rank", (np.diag([1.0, 1e-3, 0.0]).astype("float32"),), {"tol": 1e-2}, ref=_rank),
]

# -- jvp --------------------------------------------------------------------------


def _fun(x, y):
    return x * y + x


def _fun_aux(x):
    return x * x, x + 1


def _jvp_ref(fun, primals, tangents, has_aux=False):
    (x, y), (tx, ty) = primals, tangents
    return x * y + x, tx * y + x * ty + tx


def _jvp_aux_ref(fun, primals, tangents, has_aux=False):
    (x,), (tx,) = primals, tangents
    return x * x, 2 * x * tx, x + 1


_AD = ("jax", "torch", "tensorflow")
CASES += [
    # Keras on torch and tensorflow cannot take NumPy primals
    Case("jvp", (_fun, (rand((3,)), rand((3,), seed=1)), (rand((3,), seed=2), rand((3,), seed=3))),
         ref=_jvp_ref, keras=BACKEND == "jax", backends=_AD, id="jvp(x*y+x)", symbolic=False),
    Case("linalg.jvp", (_fun_aux, (rand((2, 2)),), (rand((2, 2), seed=4),)), {"has_aux": True},
         ref=_jvp_aux_ref, keras=BACKEND == "jax", backends=_AD, id="jvp(has_aux)", symbolic=False),
]

# Keras's shape rules reject matrices whose row count is unknown ((None, n) is
# "not square"), so the unknown-first-dimension comparison runs on batches only.
for _case in CASES:
    _first = _case.args[0] if _case.args else None
    if isinstance(_first, np.ndarray) and _first.ndim == 2:
        _case.symbolic_none = False

# -- bad input --------------------------------------------------------------------

ERRORS += [
    ErrorCase("det", (rand((2, 3)),), match="square"),
    ErrorCase("inv", (rand((3,)),), match="rank >= 2"),
    ErrorCase("inv", ("abc",), error=TypeError, match="expected a tensor"),
    ErrorCase("solve", (_well(3), rand((4,))), match="incompatible"),
    ErrorCase("solve_triangular", (_well(3), rand((2, 2))), match="incompatible"),
    ErrorCase("qr", (rand((3, 3)),), {"mode": "r"}, match="mode"),
    ErrorCase("norm", (rand((3, 3)),), {"ord": "fro", "axis": 0}, match="vector norm"),
    ErrorCase("norm", (rand((3, 3)),), {"ord": 3, "axis": (0, 1)}, match="matrix norm"),
    ErrorCase("norm", (rand((3, 3)),), {"axis": 2}, match="out of range"),
    ErrorCase("lstsq", (rand((2, 3, 3)), rand((3,))), match="rank 2"),
    ErrorCase("lstsq", (rand((3, 3)), rand((4,))), match="b.shape[0]"),
    ErrorCase("svd", (rand((3,)),), match="rank >= 2"),
    ErrorCase("cholesky", (np.array([[1.0, 2.0], [2.0, 1.0]], "float32"),), match="positive-definite",
              symbolic=False),
    ErrorCase("matrix_rank", (rand((3,)),), match="rank >= 2"),
    ErrorCase("jvp", (lambda x: x, (rand((3,)),), (rand((4,)),)), match="same shape", symbolic=False),
    ErrorCase("jvp", (lambda x: x, (rand((3,)),), (rand((3,)),)), error=NotImplementedError,
              match="numpy backend", symbolic=False, backends=("numpy",)),
]
