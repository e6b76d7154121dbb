"""Conformance cases: NumPy-style reductions and cumulative ops."""

import numpy as np

from .harness import Case, ErrorCase, rand

ALL = ("jax", "torch", "tensorflow", "numpy")
NOT_TORCH = ("jax", "tensorflow", "numpy")


def _np(fn, **fixed):
    """A NumPy reference that converts tuple-valued axes and drops unknown kwargs."""
    def ref(x, **kw):
        kw = {**kw, **fixed}
        return fn(x, **kw)
    return ref


def _tol(dtype):
    return dict(rtol=2e-3, atol=2e-3) if dtype == "float16" else {}


AXES = [
    ((2, 3, 4), {}),
    ((2, 3, 4), {"axis": 1}),
    ((2, 3, 4), {"axis": -1, "keepdims": True}),
    ((2, 3, 4), {"axis": (0, 2)}),
    ((2, 3, 4), {"axis": None, "keepdims": True}),
    ((), {}),
    ((5,), {"axis": 0}),
]

CASES = []

# Sum-like and extrema over an axis grid, several dtypes.
_REDUCERS = {
    "sum": lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
    "prod": lambda x, axis=None, keepdims=False: np.prod(x, axis=axis, keepdims=keepdims),
    "amax": lambda x, axis=None, keepdims=False: np.amax(x, axis=axis, keepdims=keepdims),
    "amin": lambda x, axis=None, keepdims=False: np.amin(x, axis=axis, keepdims=keepdims),
    "max": lambda x, axis=None, keepdims=False, **k: np.max(x, axis=axis, keepdims=keepdims, **k),
    "min": lambda x, axis=None, keepdims=False, **k: np.min(x, axis=axis, keepdims=keepdims, **k),
    "all": lambda x, axis=None, keepdims=False: np.all(x, axis=axis, keepdims=keepdims),
    "any": lambda x, axis=None, keepdims=False: np.any(x, axis=axis, keepdims=keepdims),
    "mean": lambda x, axis=None, keepdims=False: np.mean(x.astype(np.float64), axis=axis, keepdims=keepdims),
    "std": lambda x, axis=None, keepdims=False: np.std(x.astype(np.float64), axis=axis, keepdims=keepdims),
    "var": lambda x, axis=None, keepdims=False: np.var(x.astype(np.float64), axis=axis, keepdims=keepdims),
    "ptp": lambda x, axis=None, keepdims=False: np.ptp(x, axis=axis, keepdims=keepdims),
}
_GRAD = {"sum", "prod", "amax", "amin", "max", "min", "mean", "std", "var", "ptp"}

for name, ref in _REDUCERS.items():
    for shape, kw in AXES:
        low, high = (0.5, 1.5) if name == "prod" else (-2.0, 2.0)
        # Keras's torch backend drops keepdims when axis is None.
        keras_ok = kw != {"axis": None, "keepdims": True} or name in ("all", "any", "mean", "std", "var")
        CASES.append(Case(name, (rand(shape, low=low, high=high),), kw, ref=ref,
                          grad=name in _GRAD and shape != (), keras=keras_ok))
    for dtype in ("float16", "int32", "int8", "uint8", "bool"):
        if name == "ptp" and dtype == "bool":
            continue
        backends = NOT_TORCH if dtype == "uint8" and name in ("sum", "prod") else ALL
        low, high = (0, 4) if dtype == "uint8" else (-3, 3)
        CASES.append(Case(name, (rand((3, 4), dtype, low=low, high=high),), {"axis": 0}, ref=ref,
                          backends=backends, **_tol(dtype)))

# torch has no uint32: Keras's torch backend sums uint8 to int32.
CASES += [
    Case("sum", (rand((3, 4), "uint8", low=0, high=4),), ref=lambda x: np.sum(x), backends=("torch",)),
    Case("prod", (rand((3,), "uint8", low=1, high=4),), ref=lambda x: np.prod(x), backends=("torch",)),
]

# Empty inputs where NumPy defines the result.
for name in ("sum", "prod", "all", "any"):
    CASES.append(Case(name, (rand((0, 3)),), {"axis": 0}, ref=_REDUCERS[name]))
CASES.append(Case("sum", (rand((2, 0)),), {"axis": 1}, ref=_REDUCERS["sum"]))

# max/min with `initial`.
CASES += [
    Case("max", (rand((2, 3)),), {"axis": 1, "initial": 1.0}, ref=_REDUCERS["max"]),
    Case("min", (rand((2, 3)),), {"initial": -1.0}, ref=_REDUCERS["min"]),
    Case("max", (rand((4,), "int32"),), {"initial": 5}, ref=_REDUCERS["max"]),
]

# prod with an explicit dtype.
CASES.append(Case("prod", (rand((3,), "int8", low=1, high=4),), {"dtype": "float32"},
                  ref=lambda x, dtype: np.prod(x, dtype=dtype),
                  keras=False))  # Keras's TensorFlow backend ignores `dtype`

# argmax / argmin (+ nan versions).
for name, fn in (("argmax", np.argmax), ("argmin", np.argmin)):
    for kw in ({}, {"axis": 0}, {"axis": -1, "keepdims": True}, {"axis": None, "keepdims": True}):
        CASES.append(Case(name, (rand((3, 4)),), kw, ref=lambda x, fn=fn, **k: fn(x, **k)))
    CASES.append(Case(name, (rand((3, 4), "int32"),), {"axis": 1}, ref=lambda x, fn=fn, **k: fn(x, **k)))
    CASES.append(Case(name, (np.array([1, 3, 3, 0], "int32"),), ref=lambda x, fn=fn: fn(x)))  # ties: first
    CASES.append(Case(name, (rand((3,), "float16"),), ref=lambda x, fn=fn: fn(x)))

_WITH_NAN = rand((3, 4), seed=3)
_WITH_NAN[0, 1] = np.nan
_WITH_NAN[2, 3] = np.nan
_WITH_NAN[1, 0] = np.nan

_NAN_OPS = {
    "nanargmax": np.nanargmax, "nanargmin": np.nanargmin, "nanmax": np.nanmax, "nanmin": np.nanmin,
    "nansum": np.nansum, "nanprod": np.nanprod, "nanmean": np.nanmean, "nanstd": np.nanstd,
    "nanvar": np.nanvar,
}
for name, fn in _NAN_OPS.items():
    argop = name.startswith("nanarg")
    for kw in ({}, {"axis": 0}, {"axis": -1, "keepdims": True}):
        CASES.append(Case(name, (_WITH_NAN,), kw, ref=lambda x, fn=fn, **k: fn(x, **k),
                          grad=not argop and name not in ("nanmax", "nanmin") and kw != {}))
    if not argop:
        CASES.append(Case(name, (_WITH_NAN,), {"axis": (0, 1)}, ref=lambda x, fn=fn, **k: fn(x, **k)))
    CASES.append(Case(name, (rand((2, 3), "int32"),), {"axis": 1}, ref=lambda x, fn=fn, **k: fn(x, **k)))
    CASES.append(Case(name, (rand((5,), "float32"),), ref=lambda x, fn=fn: fn(x),
                      grad=not argop and name not in ("nanmax", "nanmin")))

# All-NaN slices: NaN for nanmax/nanmin (NumPy warns), -1 for nanargmax (NumPy raises).
_ALL_NAN = np.array([[np.nan, np.nan], [1.0, 2.0]], "float32")
CASES += [
    Case("nanmax", (_ALL_NAN,), {"axis": 1}, ref=lambda x, axis: np.array([np.nan, 2.0])),
    Case("nanargmax", (_ALL_NAN,), {"axis": 1}, ref=lambda x, axis: np.array([-1, 1]),
         keras=False),  # Keras's NumPy backend raises like numpy.nanargmax
]

# Cumulative ops.
_CUM = {"cumsum": np.cumsum, "cumprod": np.cumprod, "nancumsum": np.nancumsum, "nancumprod": np.nancumprod}
for name, fn in _CUM.items():
    ref = lambda x, fn=fn, **k: fn(x, **k)  # noqa: E731
    for shape, kw in (((2, 3), {}), ((2, 3), {"axis": 0}), ((2, 3), {"axis": -1}), ((4,), {"axis": 0})):
        CASES.append(Case(name, (rand(shape, low=0.5, high=1.5),), kw, ref=ref, grad=True))
    CASES.append(Case(name, (rand((2, 3), "int32"),), {"axis": 1}, ref=ref))
    CASES.append(Case(name, (rand((2, 3), "bool"),), {"axis": 1},
                      ref=lambda x, fn=fn, **k: fn(x.astype(np.int32), **k)))
    CASES.append(Case(name, (rand((2, 3), "float16", low=0.5, high=1.5),), {"axis": 0}, ref=ref, rtol=2e-3))
    CASES.append(Case(name, (rand((0,)),), {"axis": 0}, ref=ref))
    CASES.append(Case(name, (rand((2, 3), "int32"),), {"axis": 1, "dtype": "float32"},
                      ref=lambda x, fn=fn, **k: fn(x, axis=k["axis"]).astype(k["dtype"])))
    nan_in = rand((2, 3), low=0.5, high=1.5)
    nan_in[0, 1] = np.nan
    if name.startswith("nan"):
        CASES.append(Case(name, (nan_in,), {"axis": 1}, ref=ref))

# count_nonzero.
_CNZ = rand((3, 4), "int32", low=-1, high=2)
for kw in ({}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)}):
    CASES.append(Case("count_nonzero", (_CNZ,), kw, ref=lambda x, **k: np.count_nonzero(x, **k)))
CASES.append(Case("count_nonzero", (rand((2, 3), "bool"),), {"axis": 1},
                  ref=lambda x, axis: np.count_nonzero(x, axis=axis)))
CASES.append(Case("count_nonzero", (np.array([0.0, 1.5, -0.0], "float32"),),
                  ref=lambda x: np.count_nonzero(x)))

# average.
_avg = lambda x, axis=None, weights=None: np.average(x.astype(np.float64), axis=axis, weights=weights)  # noqa: E731
CASES += [
    Case("average", (rand((3, 4)),), ref=_avg, grad=True),
    Case("average", (rand((3, 4)),), {"axis": 1}, ref=_avg, grad=True),
    Case("average", (rand((3, 4)), -1), ref=_avg, tensor_args=(0,)),
    Case("average", (rand((3, 4)), 0, rand((3, 4), low=0.5, high=1.5, seed=1)), ref=_avg, grad=True,
         backends=NOT_TORCH),
    Case("average", (rand((3, 4)), 1, rand((4,), low=0.5, high=1.5, seed=1)), ref=_avg, grad=True),
    Case("average", (rand((3, 4)), None, rand((3, 4), low=0.5, high=1.5, seed=1)), ref=_avg,
         backends=NOT_TORCH),
]
# Keras's torch backend mishandles weights of the shape of x (wrong shape or an error).
CASES += [
    Case("average", (rand((3, 4)), 0, rand((3, 4), low=0.5, high=1.5, seed=1)), ref=_avg, grad=True,
         keras=False, backends=("torch",)),
    Case("average", (rand((3, 4)), None, rand((3, 4), low=0.5, high=1.5, seed=1)), ref=_avg,
         keras=False, backends=("torch",)),
    Case("average", (rand((3, 4), "int32"),), {"axis": 0}, ref=_avg),
    Case("average", (rand((4,), "float16"),), ref=_avg, rtol=2e-3, atol=2e-3),
]

# trapezoid.
_trap = lambda y, x=None, dx=1.0, axis=-1: np.trapezoid(y, x=x, dx=dx, axis=axis)  # noqa: E731
CASES += [
    Case("trapezoid", (rand((5,)),), ref=_trap, grad=True),
    Case("trapezoid", (rand((3, 4)),), {"axis": 0}, ref=_trap, grad=True),
    Case("trapezoid", (rand((3, 4)),), {"dx": 0.5}, ref=_trap),
    Case("trapezoid", (rand((3, 4)), np.sort(rand((4,), seed=1))), ref=_trap, grad=True),
    Case("trapezoid", (rand((3, 4), "int32"),), ref=_trap),
]

# allclose.
_ac = lambda a, b, **k: np.allclose(a, b, **k)  # noqa: E731
_A = rand((2, 3))
CASES += [
    Case("allclose", (_A, _A + 1e-7), ref=_ac),
    Case("allclose", (_A, _A + 1e-3), ref=_ac),
    Case("allclose", (_A, _A + 1e-3), {"atol": 1e-2}, ref=_ac),
    Case("allclose", (_A, _A[0]), ref=_ac),
    Case("allclose", (np.array([1, 2], "int32"), np.array([1, 2], "int32")), ref=_ac),
    Case("allclose", (np.array([np.nan, 1.0], "float32"), np.array([np.nan, 1.0], "float32")), ref=_ac),
    Case("allclose", (np.array([np.nan, 1.0], "float32"), np.array([np.nan, 1.0], "float32")),
         {"equal_nan": True}, ref=_ac),
]

ERRORS = [
    ErrorCase("sum", (rand((2, 3)),), {"axis": 2}, error=ValueError, match="out of range"),
    ErrorCase("mean", (rand((2, 3)),), {"axis": -3}, error=ValueError, match="out of range"),
    ErrorCase("max", (rand((2, 3)),), {"axis": (0, 0)}, error=ValueError, match="repeated"),
    ErrorCase("argmax", (rand((2, 3)),), {"axis": (0, 1)}, error=TypeError, match="axis"),
    ErrorCase("cumsum", (rand((2, 3)),), {"axis": 5}, error=ValueError, match="out of range"),
    ErrorCase("sum", ("abc",), error=TypeError, match="x"),
    ErrorCase("ptp", (rand((3,), "bool"),), error=TypeError, match="numeric"),
    ErrorCase("average", (rand((3, 4)), 1, rand((3,))), error=ValueError, match="weights"),
    ErrorCase("allclose", (rand((2, 3)), rand((4,))), error=ValueError, match="broadcast"),
    ErrorCase("trapezoid", (rand((3, 4)), rand((5,))), error=ValueError, match="length"),
]
