"""Conformance cases: quantiles, histograms, correlation and binning."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand

NOT_NUMPY = ("jax", "torch", "tensorflow")
NOT_JAX = ("torch", "tensorflow", "numpy")
NOT_TORCH = ("jax", "tensorflow", "numpy")
ALL = ("jax", "torch", "tensorflow", "numpy")


def _q(fn, scale=1.0):
    def ref(x, q, axis=None, method="linear", keepdims=False):
        return fn(x.astype(np.float64), np.asarray(q, np.float64) / scale, axis=axis,
                  method=method, keepdims=keepdims)
    return ref


_X = rand((3, 5), seed=4)
_NAN = _X.copy()
_NAN[0, 2] = np.nan
_NAN[2, 0] = np.nan

CASES = []
for name, fn, scale, data in (
    ("quantile", np.quantile, 1.0, _X),
    ("nanquantile", np.nanquantile, 1.0, _NAN),
    ("percentile", np.quantile, 100.0, _X),
    ("nanpercentile", np.nanquantile, 100.0, _NAN),
):
    ref = _q(fn, scale)
    q1, qs = 0.3 * scale, np.array([0.1, 0.45, 0.9], "float32") * scale
    for args, kw in (
        ((data, q1), {}),
        ((data, q1), {"axis": 1}),
        ((data, qs), {"axis": 0}),
        ((data, qs), {"axis": -1, "keepdims": True}),
        ((data, q1), {"axis": (0, 1)}),
        ((data, qs), {"keepdims": True}),
    ):
        CASES.append(Case(name, args, kw, ref=ref, grad=True, tensor_args=(0,) if np.ndim(args[1]) == 0 else None))
    for method in ("lower", "higher", "midpoint", "nearest"):
        CASES.append(Case(name, (data, qs), {"axis": 1, "method": method}, ref=ref,
                          backends=NOT_JAX if method == "nearest" and name.startswith("nan") else ALL))
    # jnp.nanquantile (Keras's jax backend) is wrong for "nearest"; lamina follows NumPy.
    CASES.append(Case(name, (data, qs), {"axis": 1, "method": "nearest"}, ref=ref, keras=False,
                      backends=("jax",) if name.startswith("nan") else ()))
    # Keras's TensorFlow nanquantile fails on integer input.
    CASES.append(Case(name, (rand((4, 3), "int32", low=-5, high=5), qs), {"axis": 0}, ref=ref,
                      keras=not name.startswith("nan") or BACKEND != "tensorflow"))
    CASES.append(Case(name, (rand((6,), "float16"), qs), ref=ref, rtol=2e-3, atol=2e-3))

# NaN propagates through quantile, is skipped by nanquantile.
CASES.append(Case("quantile", (_NAN, 0.5), {"axis": 1}, ref=_q(np.quantile), tensor_args=(0,)))

for name, fn, data in (("median", np.median, _X), ("nanmedian", np.nanmedian, _NAN)):
    ref = lambda x, fn=fn, **k: fn(x.astype(np.float64), **k)  # noqa: E731
    for kw in ({}, {"axis": 0}, {"axis": 1}, {"axis": -1, "keepdims": True}, {"keepdims": True},
               {"axis": (0, 1)}):
        CASES.append(Case(name, (data,), kw, ref=ref, grad=True))
    CASES.append(Case(name, (rand((4, 4)),), {"axis": 1}, ref=ref, grad=True))  # even: mean of middle two
    CASES.append(Case(name, (rand((3, 4), "int32"),), {"axis": 0}, ref=ref,
                      keras=name == "median" or BACKEND != "tensorflow"))
    CASES.append(Case(name, (rand((5,), "bool"),), ref=ref,
                      keras=name == "median" or BACKEND != "tensorflow"))
    CASES.append(Case(name, (rand((7,), "float16"),), ref=ref, rtol=2e-3))


# histogram: counts and edges in the float dtype of x (Keras's NumPy backend
# returns int64 counts and float64 edges: compare values only there).
def _hist(x, bins=10, range=None):
    counts, edges = np.histogram(x, bins=bins, range=range)
    return counts.astype(np.float32), edges


for args, kw in (((rand((20,), seed=5),), {}), ((rand((20,), seed=5),), {"bins": 4}),
                 ((rand((20,), seed=5),), {"bins": 3, "range": (-1.0, 1.0)})):
    CASES.append(Case("histogram", args, kw, ref=_hist, backends=NOT_NUMPY))
    CASES.append(Case("histogram", args, kw, ref=_hist, check_dtype=False, backends=("numpy",)))
# Keras's torch backend has no integer histogram; TensorFlow's keeps int counts.
CASES.append(Case("histogram", (rand((10,), "int32", low=0, high=5),), {"bins": 5}, ref=_hist,
                  keras=False))

# bincount: the output length depends on the values (symbolic length is None).
_bc = lambda x, weights=None, minlength=0: np.bincount(x, weights=weights, minlength=minlength)  # noqa: E731
_IDX = np.array([0, 3, 1, 3, 3], "int32")
CASES += [
    Case("bincount", (_IDX,), ref=_bc, symbolic=False, jit=False),
    Case("bincount", (_IDX,), {"minlength": 7}, ref=_bc, symbolic=False, jit=False),
    Case("bincount", (_IDX, rand((5,), low=0.5, high=1.5)), ref=_bc, symbolic=False, jit=False),
    Case("bincount", (np.array([[0, 1, 1], [2, 0, 2]], "int32"),), {"minlength": 3},
         ref=lambda x, minlength: np.stack([np.bincount(r, minlength=minlength) for r in x]),
         symbolic=False, jit=False),
]

# corrcoef.
CASES += [
    # Keras's symbolic corrcoef gives (rows, samples) instead of (rows, rows): no None-dim check.
    Case("corrcoef", (rand((3, 6), seed=6),), ref=np.corrcoef, grad=True, symbolic_none=False),
    Case("corrcoef", (rand((2, 4), "int32", low=-5, high=5, seed=7),), ref=np.corrcoef,
         symbolic_none=False),
    Case("corrcoef", (rand((2, 8), "float16", seed=6),), ref=np.corrcoef, rtol=5e-3, atol=5e-3,
         symbolic_none=False),
]

# correlate.
# Keras's symbolic correlate fails on None lengths; its torch backend gets some
# lengths wrong ("same" with a longer x2, "valid" with equal lengths).
for n, m in ((5, 3), (3, 5), (4, 4), (6, 2)):
    for mode in ("valid", "same", "full"):
        # Keras's TensorFlow correlate fails in "valid" mode when x2 is longer.
        tf_ok = not (mode == "valid" and m > n)
        for backends, keras in ((NOT_TORCH, tf_ok or BACKEND != "tensorflow"), (("torch",), False)):
            CASES.append(Case("correlate", (rand((n,), seed=n), rand((m,), seed=m + 10)), {"mode": mode},
                              ref=lambda a, v, mode: np.correlate(a, v, mode=mode),
                              grad=(n, m) == (5, 3), symbolic_none=False, backends=backends,
                              keras=keras))
CASES.append(Case("correlate", (rand((4,), "int32"), rand((2,), "int32", seed=1)),
                  ref=lambda a, v: np.correlate(a, v), symbolic_none=False))

# digitize.
_BINS = np.array([-1.0, 0.0, 0.5, 1.5], "float32")
CASES += [
    Case("digitize", (rand((3, 4)), _BINS), ref=np.digitize),
    Case("digitize", (np.array([-1.0, 0.0, 0.25, 1.5, 9.0], "float32"), _BINS), ref=np.digitize),
    Case("digitize", (rand((6,), "int32", low=-3, high=3), np.array([-1, 0, 2], "int32")), ref=np.digitize),
    # Keras's symbolic digitize fails on list bins.
    Case("digitize", (rand((4,)), [-1.0, 0.0, 1.0]), ref=np.digitize, tensor_args=(0,),
         symbolic_none=False),
]

ERRORS = [
    ErrorCase("quantile", (rand((3, 4)), np.array([[0.5]], "float32")), error=ValueError, match="1-D"),
    ErrorCase("quantile", (rand((3, 4)), 0.5), {"method": "cubic"}, error=ValueError, match="method"),
    ErrorCase("median", (rand((3, 4)),), {"axis": 3}, error=ValueError, match="out of range"),
    ErrorCase("histogram", (rand((3, 4)),), error=ValueError, match="1-D"),
    ErrorCase("bincount", (rand((4,)),), error=TypeError, match="integer"),
    ErrorCase("correlate", (rand((3, 4)), rand((3,))), error=ValueError, match="1-D"),
    ErrorCase("correlate", (rand((3,)), rand((3,))), {"mode": "middle"}, error=ValueError, match="mode"),
    ErrorCase("corrcoef", (rand((2, 3, 4)),), error=ValueError, match="1-D or 2-D"),
    ErrorCase("digitize", (rand((3,)), rand((2, 2))), error=ValueError, match="bins"),
]
