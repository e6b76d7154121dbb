"""Conformance cases: array creation ops."""

import numpy as np
import scipy.signal  # noqa: F401  (windows agree with NumPy's)

from .harness import Case, ErrorCase, rand

F = "float32"


def _f(fn):
    """A NumPy reference cast to float32 (floatx)."""
    return lambda *a, **k: np.asarray(fn(*a, **k)).astype(F)


CASES = []

# arange: ints -> int32, floats -> floatx
for args, kw in [((5,), {}), ((1, 7, 2), {}), ((0, 5, 1.5), {}), ((5, 0, -1), {}), ((0,), {}),
                 ((2, 8), {"dtype": "float16"}), ((0.5, 3.0), {}), ((3,), {"dtype": "int32"})]:
    CASES.append(Case("arange", args, kw, ref=lambda *a, dtype=None: np.arange(*a, dtype=dtype)))

# array / copy / *_like
for x in [rand((2, 3)), rand((0, 2)), rand((), "int32"), rand((3,), "bool"), rand((2,), "float16")]:
    CASES.append(Case("array", (x,), ref=np.array, tensor_args=(), symbolic=False))
    CASES.append(Case("copy", (x,), ref=np.copy))
    for name, fn in [("zeros_like", np.zeros_like), ("ones_like", np.ones_like)]:
        CASES.append(Case(name, (x,), ref=fn))
    CASES.append(Case("empty_like", (x,), ref=lambda a: np.zeros_like(a), keras=False))  # values unspecified
    CASES.append(Case("full_like", (x, 2), ref=lambda a, v: np.full_like(a, v)))
CASES += [
    Case("array", ([1, 2, 3],), ref=lambda x: np.array(x, "int32"), symbolic=False),
    Case("array", ([[1.0, 2.0]],), ref=lambda x: np.array(x, F), symbolic=False),
    Case("array", (rand((2,)),), {"dtype": "int32"}, ref=lambda x, dtype: x.astype(dtype)),
    Case("copy", (rand((2, 2)),), ref=np.copy, grad=True),
    Case("zeros_like", (rand((2, 2)),), {"dtype": "int32"}, ref=lambda x, dtype: np.zeros_like(x, dtype)),
    Case("ones_like", (rand((2,), "int32"),), {"dtype": "bool"}, ref=lambda x, dtype: np.ones_like(x, dtype)),
    Case("full_like", (rand((2, 3), "int32"), 2.5), ref=lambda a, v: np.full_like(a, v)),
    Case("full_like", (rand((2, 3)), rand((3,), seed=1)), ref=lambda a, v: np.broadcast_to(v, a.shape)),
    Case("full_like", (rand((2,)), 1), {"dtype": "float16"}, ref=lambda a, v, dtype: np.full_like(a, v, dtype)),
]

# zeros / ones / empty / full / eye / identity / tri
for shape in [(2, 3), (0,), (), 4]:
    for name, fn in [("zeros", np.zeros), ("ones", np.ones)]:
        CASES.append(Case(name, (shape,), ref=lambda s, fn=fn: fn(s, F)))
        CASES.append(Case(name, (shape,), {"dtype": "int32"}, ref=lambda s, dtype, fn=fn: fn(s, dtype)))
    CASES.append(Case("empty", (shape,), ref=lambda s: np.zeros(s, F), keras=False))  # values unspecified
    # Keras's torch and tensorflow full() reject an int shape
    CASES.append(Case("full", (shape, 3), ref=lambda s, v: np.full(s, v, F), keras=shape != 4))
CASES += [
    Case("empty", ((2,),), {"dtype": "int32"}, ref=lambda s, dtype: np.zeros(s, dtype), keras=False),
    Case("full", ((2, 2), 1.5), {"dtype": "float16"}, ref=lambda s, v, dtype: np.full(s, v, dtype)),
    Case("full", ((2, 3), rand((3,))), ref=lambda s, v: np.broadcast_to(v, s), tensor_args=(1,)),
    Case("full", ((3,), True), {"dtype": "bool"}, ref=lambda s, v, dtype: np.full(s, v, dtype)),
]
for args, kw in [((3,), {}), ((2, 4), {}), ((3, 3, 1), {}), ((3, 2, -1), {}), ((4,), {"k": 5}),
                 ((3,), {"dtype": "int32"}), ((0,), {})]:
    CASES.append(Case("eye", args, kw, keras="k" not in kw or kw["k"] < 4, ref=lambda *a, dtype=F, **k: np.eye(*a, dtype=dtype, **k)))
    CASES.append(Case("tri", args, kw, ref=lambda *a, dtype=F, **k: np.tri(*a, dtype=dtype, **k)))
for n, kw in [(3, {}), (1, {}), (0, {}), (2, {"dtype": "int32"}), (2, {"dtype": "bool"})]:
    CASES.append(Case("identity", (n,), kw, ref=lambda n, dtype=F: np.identity(n, dtype)))

# linspace / logspace / geomspace
for name, fn in [("linspace", np.linspace), ("logspace", np.logspace), ("geomspace", np.geomspace)]:
    lo, hi = (1.0, 100.0) if name == "geomspace" else (0.0, 2.0)
    CASES += [
        Case(name, (lo, hi, 5), ref=_f(fn), rtol=1e-5),
        Case(name, (lo, hi, 4), {"endpoint": False}, ref=_f(fn)),
        Case(name, (int(lo), int(hi), 3), ref=_f(fn)),
        Case(name, (lo, hi, 1), ref=_f(fn), keras=name != "geomspace"),  # Keras torch: wrong value
        Case(name, (lo, hi, 0), ref=_f(fn)),
        Case(name, (lo, hi, 4), {"dtype": "float16"}, ref=lambda *a, dtype, fn=fn: fn(*a).astype(dtype),
             rtol=5e-3),
    ]
    start = np.array([lo, lo + 1.0], F)
    stop = np.array([hi, hi * 2], F)
    if name != "geomspace":  # Keras's torch and tensorflow geomspace fail with array bounds
        for axis in (0, 1, -1):
            # Keras's torch linspace/logspace reject axis != 0
            CASES.append(Case(name, (start, stop, 3), {"axis": axis}, ref=_f(fn), rtol=1e-5,
                              symbolic_none=False, keras=axis == 0))
    else:
        CASES.append(Case(name, (start, stop, 3), {"axis": 1}, ref=_f(fn), backends=("jax", "numpy"),
                          rtol=1e-5, symbolic_none=False))
CASES += [
    Case("linspace", (0.0, 10.0, 5), {"dtype": "int32"}, ref=lambda *a, dtype: np.linspace(*a).astype(dtype)),
    Case("linspace", (rand((2,)), rand((2,), seed=1), 4), ref=_f(np.linspace), grad=True,
         symbolic_none=False),
    Case("linspace", (0.0, 1.0, 5), {"retstep": True},
         ref=lambda *a, retstep: tuple(np.asarray(v, F) for v in np.linspace(*a, retstep=True)),
         # Keras's torch linspace(retstep=True) fails; its numpy step is float64
         backends=("jax", "tensorflow")),
    Case("linspace", (0.0, 1.0, 5), {"retstep": True},
         ref=lambda *a, retstep: tuple(np.asarray(v, F) for v in np.linspace(*a, retstep=True)),
         backends=("torch", "numpy"), keras=False),
    Case("logspace", (0.0, 3.0, 4), {"base": 2}, ref=_f(np.logspace)),
    Case("geomspace", (-1.0, -1000.0, 4), ref=_f(np.geomspace), rtol=1e-5),
]

# windows: floatx
for n in (0, 1, 2, 5, 8):
    for name, fn in [("bartlett", np.bartlett), ("blackman", np.blackman), ("hamming", np.hamming),
                     ("hanning", np.hanning)]:
        CASES.append(Case(name, (n,), ref=_f(fn), atol=1e-6))
    CASES.append(Case("kaiser", (n, 5.0), ref=_f(np.kaiser), atol=1e-6, keras=n > 0))  # Keras tf fails on 0
CASES.append(Case("kaiser", (6, 0.0), ref=_f(np.kaiser), atol=1e-6))

# vander / diag / diagflat
for x, kw in [(rand((3,)), {}), (rand((4,), "int32", -3, 3), {}), (rand((3,)), {"N": 2}),
              (rand((3,)), {"N": 4, "increasing": True}), (rand((0,)), {}),
              (rand((3,), "float16"), {"N": 2})]:
    CASES.append(Case("vander", (x,), kw, ref=lambda x, **k: np.vander(x, **k).astype(x.dtype),
                      rtol=1e-3 if x.dtype == np.float16 else 1e-5, symbolic_none=False))
CASES += [
    Case("vander", (rand((3,)),), ref=np.vander, grad=True, symbolic_none=False),
    # Keras's jax vander rejects bool
    Case("vander", (rand((3,), "bool"),), ref=lambda x: np.vander(x.astype(int)).astype(bool),
         backends=("torch", "tensorflow", "numpy"), symbolic_none=False),
]
for x in [rand((3,)), rand((3,), "bool"), rand((2, 4), "int32"), rand((4, 2)), rand((0,))]:
    for k in (0, 1, -1):
        CASES.append(Case("diag", (x,), {"k": k}, ref=lambda x, k: np.diag(x, k), symbolic_none=x.ndim == 1))
# Keras's tensorflow diag fails for an out-of-range k on a matrix
CASES.append(Case("diag", (rand((3, 3)),), {"k": 3}, ref=lambda x, k: np.diag(x, k), keras=False))
CASES.append(Case("diag", (rand((3,), "int32"),), {"k": 3}, ref=lambda x, k: np.diag(x, k)))
CASES.append(Case("diag", (rand((3, 3)),), ref=np.diag, grad=True, symbolic_none=False))
CASES.append(Case("diag", (rand((3,)),), {"k": 1}, ref=lambda x, k: np.diag(x, k), grad=True))
for x in [rand((3,)), rand((2, 2), "int32"), rand(()), rand((0,))]:
    for k in ((0, 2, -1) if x.ndim == 1 and x.size else (1,)):
        CASES.append(Case("diagflat", (x,), {"k": k}, ref=lambda x, k: np.diagflat(x, k),
                          symbolic_none=False))
CASES.append(Case("diagflat", (rand((2, 2)),), ref=np.diagflat, grad=True, symbolic_none=False))

# cases with no tensor argument run eagerly in test_symbolic: their rules are
# checked in test_core_control_flow.py instead
for _c in CASES:
    if not _c.tensor_positions():
        _c.symbolic = False

ERRORS = [
    ErrorCase("zeros", ((2, -1),), error=ValueError, match="non-negative"),
    ErrorCase("ones", ("abc",), error=TypeError, match="shape"),
    ErrorCase("full", ((2, 3), rand((4,))), error=ValueError, match="broadcast"),
    ErrorCase("eye", (2.5,), error=TypeError, match="`N`"),
    ErrorCase("eye", (3,), {"k": 1.5}, error=TypeError, match="`k`"),
    ErrorCase("identity", (-1,), error=ValueError, match="non-negative"),
    ErrorCase("zeros", ((2,),), {"dtype": "nope"}, error=TypeError, match="dtype"),
    ErrorCase("linspace", (0.0, 1.0, 5), {"axis": 2}, error=ValueError, match="out of range"),
    ErrorCase("linspace", (rand((2,)), rand((3,)), 5), error=ValueError, match="broadcast"),
    ErrorCase("arange", (0, 5, 0), error=ValueError, match="step", symbolic=False),
    ErrorCase("arange", (rand((2,)),), error=ValueError, match="scalar"),
    ErrorCase("vander", (rand((2, 2)),), error=ValueError, match="1-D"),
    ErrorCase("diag", (rand((2, 2, 2)),), error=ValueError, match="1-D or 2-D"),
    ErrorCase("copy", ("abc",), error=TypeError, match="x"),
    ErrorCase("zeros_like", ("abc",), error=TypeError, match="x"),
    ErrorCase("bartlett", (-3,), error=ValueError, match="non-negative"),
]
