"""Conformance cases: sorting, searching and unique values."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand

_TIES = np.array([[3, 1, 2, 1, 3], [0, 0, 0, 1, 0]], "int32")

CASES = []
for x in (rand((3, 4)), rand((3, 4), "int32", low=-3, high=3), rand((5,), "float16"), _TIES,
          rand((4,), "bool"), rand((0, 3))):
    for kw in ({}, {"axis": 0}, {"axis": None}):
        CASES.append(Case("sort", (x,), kw, ref=lambda a, **k: np.sort(a, kind="stable", **k),
                          grad=x.dtype == np.float32 and x.size > 0))
        CASES.append(Case("argsort", (x,), kw, ref=lambda a, **k: np.argsort(a, kind="stable", **k),
                          # Keras's NumPy argsort is not stable (ties differ).
                          keras=BACKEND != "numpy" or x.dtype.kind == "f"))
CASES += [
    Case("sort", (np.array([2.0, np.nan, -1.0, np.inf], "float32"),), ref=np.sort,
         keras=BACKEND != "tensorflow"),  # tf.sort does not order NaNs
    Case("sort", (rand((2, 3, 4)),), {"axis": 1}, ref=lambda a, axis: np.sort(a, axis=axis), grad=True),
    Case("argsort", (rand((2, 3, 4)),), {"axis": 1}, ref=lambda a, axis: np.argsort(a, axis=axis)),
]


def _partitioned(x, kth, axis):
    """Canonical form of an argpartition result: sorted values on each side of kth."""
    def post(idx):
        values = np.take_along_axis(x, idx.astype(np.int64), axis=axis)
        values = np.moveaxis(values, axis, -1)
        left = np.sort(values[..., :kth], axis=-1)
        right = np.sort(values[..., kth + 1:], axis=-1)
        return np.concatenate([left, values[..., kth:kth + 1], right], axis=-1)
    return post


for x, kth, axis in ((rand((6,), "int32", low=0, high=4), 2, -1), (rand((3, 5)), 1, -1),
                     (rand((3, 5)), 0, 0), (rand((4,)), 3, -1)):
    CASES.append(Case("argpartition", (x, kth), {"axis": axis},
                      ref=lambda a, k, axis: np.argpartition(a, k, axis=axis),
                      postprocess=_partitioned(x, kth, axis), tensor_args=(0,),
                      # Keras's torch and TensorFlow argpartition do not partition correctly.
                      keras=BACKEND in ("jax", "numpy")))

_SEQ = np.array([-1.0, 0.0, 0.0, 2.0, 5.0], "float32")
for values in (rand((3, 4)), np.array([0.0, -5.0, 5.0, 9.0], "float32")):
    for side in ("left", "right"):
        # Keras's TensorFlow searchsorted fails on N-D values.
        CASES.append(Case("searchsorted", (_SEQ, values), {"side": side},
                          ref=lambda s, v, side: np.searchsorted(s, v, side=side),
                          keras=values.ndim == 1 or BACKEND != "tensorflow"))
CASES.append(Case("searchsorted", (np.array([1, 3, 5], "int32"), np.array([[0, 3], [4, 6]], "int32")),
                  ref=np.searchsorted, keras=BACKEND != "tensorflow"))


def _unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
            axis=None, size=None, fill_value=None):
    out = np.unique(x, return_index=return_index, return_inverse=return_inverse,
                    return_counts=return_counts, axis=axis)
    return out


_U = np.array([3, 1, 3, 2, 1, 1], "int32")
_UF = np.array([[0.5, -1.0], [2.0, 0.5]], "float32")
_ROWS = np.array([[1, 2], [0, 5], [1, 2], [0, 1]], "int32")
# The number of unique values depends on the data: eager only (symbolic length is None).
# Keras's index/inverse/counts dtypes differ per backend (int64 on torch and NumPy);
# lamina returns int32 everywhere.
_EXTRA_DTYPE_OK = BACKEND in ("jax", "tensorflow")
CASES += [
    Case("unique", (_U,), ref=_unique, symbolic=False, jit=False),
    Case("unique", (_UF,), ref=_unique, symbolic=False, jit=False),
    Case("unique", (_U,), {"return_counts": True}, ref=_unique, symbolic=False, jit=False,
         check_dtype=_EXTRA_DTYPE_OK),
    Case("unique", (_U,), {"return_index": True, "return_inverse": True, "return_counts": True},
         ref=_unique, symbolic=False, jit=False, check_dtype=_EXTRA_DTYPE_OK),
    Case("unique", (_UF,), {"return_inverse": True}, ref=_unique, symbolic=False, jit=False,
         check_dtype=_EXTRA_DTYPE_OK),
    Case("unique", (_ROWS,), {"axis": 0, "return_counts": True}, ref=_unique, symbolic=False,
         jit=False, check_dtype=_EXTRA_DTYPE_OK),
    # With `size` the shape is static: symbolic checks and jax.jit apply.
    # jnp.unique (Keras's jax backend) pads with the minimum instead of 0.
    Case("unique", (_U,), {"size": 5}, ref=lambda x, size: np.pad(np.unique(x), (0, 2)),
         symbolic_none=False, keras=BACKEND != "jax"),
    Case("unique", (_U,), {"size": 2}, ref=lambda x, size: np.unique(x)[:2], symbolic_none=False),
    Case("unique", (_U,), {"size": 4, "fill_value": -1},
         ref=lambda x, size, fill_value: np.pad(np.unique(x), (0, 1), constant_values=-1),
         symbolic_none=False),
]

ERRORS = [
    ErrorCase("sort", (rand((2, 3)),), {"axis": 2}, error=ValueError, match="out of range"),
    ErrorCase("argsort", (rand((2, 3)),), {"axis": -3}, error=ValueError, match="out of range"),
    ErrorCase("searchsorted", (rand((2, 3)), rand((3,))), error=ValueError, match="1-D"),
    ErrorCase("searchsorted", (rand((3,)), rand((3,))), {"side": "middle"}, error=ValueError, match="side"),
    ErrorCase("argpartition", (rand((4,)), 7), error=ValueError, match="kth"),
    ErrorCase("sort", ("abc",), error=TypeError, match="x"),
    ErrorCase("unique", (rand((2, 3)),), {"axis": 3}, error=ValueError, match="out of range"),
]
