"""Conformance cases: indexing, selection, triangles and diagonals."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand

CASES = []
for dt in ("float32", "float16", "int32", "bool"):
    CASES += [
        Case("tril", (rand((3, 4), dt),), ref=np.tril),
        Case("triu", (rand((2, 3, 3), dt),), {"k": 1}, ref=np.triu),
        Case("diagonal", (rand((3, 4), dt),), ref=np.diagonal),
        Case("take", (rand((3, 4), dt), np.array([2, 0, -1], "int32")), {"axis": 1}, ref=np.take),
        Case("where", (rand((2, 3), "bool"), rand((2, 3), dt), rand((3,), dt, seed=1)),
             ref=np.where),
    ]
CASES += [
    Case("tril", (rand((3, 4)),), {"k": -1}, ref=np.tril, grad=True),
    Case("triu", (rand((4, 3)),), {"k": -1}, ref=np.triu, grad=True),
    Case("tril", (rand((0, 2)),), ref=np.tril),
    Case("diagonal", (rand((3, 4)),), {"offset": 1}, ref=np.diagonal, grad=True),
    Case("diagonal", (rand((2, 3, 4)),), {"offset": -1, "axis1": 1, "axis2": 2}, ref=np.diagonal),
    Case("diagonal", (rand((2, 3, 4)),), {"axis1": -1, "axis2": 0}, ref=np.diagonal),
    Case("diff", (rand((5,)),), ref=np.diff, grad=True),
    Case("diff", (rand((3, 4)),), {"n": 2, "axis": 0}, ref=np.diff),
    Case("diff", (rand((3, 4), "int32"),), {"axis": -1}, ref=np.diff),
    Case("diff", (rand((2, 4), "float16"),), ref=np.diff, rtol=1e-3),
    Case("take", (rand((3, 4)), np.array([[0, 1], [2, 2]], "int32")), {"axis": 0}, ref=np.take,
         grad=True),
    Case("take", (rand((3, 4)), np.array([5, 0, 11], "int32")), ref=np.take),
    Case("take", (rand((3, 4)), np.array(1, "int32")), {"axis": -1}, ref=np.take),
    Case("take", (rand((3, 4)), np.array([], "int32")), {"axis": 0}, ref=np.take),
    Case("take_along_axis", (rand((3, 4)), np.array([[0], [3], [1]], "int32")), {"axis": 1},
         ref=np.take_along_axis, grad=True),
    Case("take_along_axis", (rand((3, 4), "int32"), np.array([[2, 0, 1, 1]], "int32")),
         {"axis": 0}, ref=np.take_along_axis),
    Case("take_along_axis", (rand((2, 3, 2)), np.array([[[1, 0]], [[0, -1]]], "int32")),
         {"axis": -1}, ref=np.take_along_axis),
    Case("take_along_axis", (rand((6,)), np.array([5, 0, 1], "int32")), ref=np.take_along_axis),
    Case("where", (rand((2, 3), "bool"), rand((2, 3)), rand((2, 3), seed=1)), ref=np.where,
         grad=True),
    Case("where", (rand((2, 3), "bool"), 1.5, rand((2, 3), "int32")), ref=np.where),
    Case("where", (rand((3,), "bool"), rand((2, 3), "int32"), rand((3,), "float32", seed=1)),
         ref=np.where),
    Case("where", (rand((), "bool"), rand((2,)), rand((2,), seed=1)), ref=np.where),
    # With one argument, where is nonzero: its output has a data-dependent shape.
    # Keras's torch backend returns nonzero as one (ndim, n) tensor, and its numpy
    # backend's where gives int64 indices: compare with Keras on jax and tensorflow.
    Case("where", (np.array([[0, 1], [2, 0]], "int32"),),
         ref=lambda x: tuple(i.astype("int32") for i in np.where(x)), symbolic=False, jit=False,
         keras=BACKEND in ("jax", "tensorflow")),
    Case("nonzero", (np.array([0, 3, 0, 4], "int32"),),
         ref=lambda x: tuple(i.astype("int32") for i in np.nonzero(x)), symbolic=False, jit=False,
         keras=BACKEND != "torch"),
    Case("nonzero", (rand((2, 3), "bool"),),
         ref=lambda x: tuple(i.astype("int32") for i in np.nonzero(x)), symbolic=False, jit=False,
         keras=BACKEND != "torch"),
    Case("nonzero", (np.zeros((2, 2), "float32"),),
         ref=lambda x: tuple(i.astype("int32") for i in np.nonzero(x)), symbolic=False, jit=False,
         keras=BACKEND != "torch"),
    Case("isin", (rand((2, 3), "int32"), np.array([0, 1], "int32")), ref=np.isin),
    Case("isin", (rand((2, 3), "int32"), np.array([0, 1], "int32")), {"invert": True},
         ref=np.isin),
    Case("isin", (np.array([1.5, 2.0, 3.0], "float32"), np.array([2.0], "float32")), ref=np.isin),
    Case("isin", (np.array([1, 2, 3], "int32"), np.array([2.0, 3.5], "float32")), ref=np.isin),
    Case("unravel_index", (np.array([5, 0, 7], "int32"), (2, 4)),
         ref=lambda i, s: tuple(a.astype("int32") for a in np.unravel_index(i, s))),
    Case("unravel_index", (np.array([[5, 0], [3, 23]], "int32"), (2, 3, 4)),
         ref=lambda i, s: tuple(a.astype("int32") for a in np.unravel_index(i, s)),
         keras=BACKEND != "tensorflow"),  # Keras's tensorflow backend is wrong beyond 1-D
    Case("unravel_index", (np.array(4, "int32"), (3, 2)),
         ref=lambda i, s: tuple(a.astype("int32") for a in np.unravel_index(i, s)),
         keras=BACKEND != "tensorflow"),
]


def _select_ref(condlist, choicelist, default=0):
    return np.select(condlist, choicelist, default)


_x = np.arange(6, dtype="float32").reshape(2, 3)
CASES += [
    Case("select", ([_x < 2, _x > 3], [_x, -_x]), ref=_select_ref, tensor_args=(),
         symbolic=False),
    Case("select", ([_x < 2, _x > 3], [_x.astype("int32"), _x.astype("int32") * 2], 7),
         ref=_select_ref, tensor_args=(), symbolic=False),
    Case("select", ([_x > 10], [_x]), {"default": 1.5}, ref=_select_ref, tensor_args=(),
         symbolic=False),
]



def _negative_step(key):
    """Keras's torch backend cannot slice with a negative step."""
    parts = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, slice) and (k.step or 1) < 0 for k in parts)


# -- get_item ------------------------------------------------------------------------------
KEYS = [
    1, -1, slice(None), slice(1, None), slice(None, None, -1), slice(0, 3, 2),
    (1, 2), (slice(None), 0), (Ellipsis, 1), (None, 1), (1, None, slice(None)),
    (Ellipsis, None), (slice(1, 2), Ellipsis, slice(None, 2)), (0, Ellipsis, 1, slice(None)),
    (slice(5, 10),),
]
for key in KEYS:
    # Keras's symbolic get_item rejects a bare slice key.
    CASES.append(Case("get_item", (rand((3, 4, 2)), key), ref=lambda x, k: x[k],
                      id=f"get_item[{key!r}]", grad=key == (slice(None), 0),
                      symbolic_none=not isinstance(key, slice),
                      keras=not (BACKEND == "torch" and _negative_step(key))))
CASES += [
    # Keras cannot index with tensors symbolically, nor eagerly on tensorflow.
    Case("get_item", (rand((3, 4)), np.array([2, 0], "int32")), ref=lambda x, k: x[k],
         id="get_item[int-tensor]", symbolic_none=False, keras=BACKEND != "tensorflow"),
    Case("get_item", (rand((3, 4)), (slice(None), np.array([[1, 3]], "int32"))),
         ref=lambda x, k: x[k], id="get_item[:, int-tensor]", tensor_args=(0,),
         symbolic_none=False, keras=BACKEND != "tensorflow"),
    Case("get_item", (rand((3, 4)), np.array([True, False, True])), ref=lambda x, k: x[k],
         id="get_item[bool-mask]", jit=False, symbolic=False, keras=False),
    Case("get_item", (rand((3, 4), "int32"), (Ellipsis, -1)), ref=lambda x, k: x[k],
         id="get_item[int32 ..., -1]"),
    Case("get_item", (rand((2, 3), "bool"), (0,)), ref=lambda x, k: x[k], id="get_item[bool (0,)]"),
]

# -- errors --------------------------------------------------------------------------------
ERRORS = [
    ErrorCase("tril", (rand((3,)),), match="rank >= 2"),
    ErrorCase("diagonal", (rand((3,)),), match="rank >= 2"),
    ErrorCase("diagonal", (rand((3, 3)),), {"axis1": 1, "axis2": 1}, match="must differ"),
    ErrorCase("diff", (rand((3,)),), {"axis": 2}, match="out of range"),
    ErrorCase("take", (rand((3, 4)), np.array([0], "int32")), {"axis": 2}, match="out of range"),
    ErrorCase("take_along_axis", (rand((3, 4)), np.array([0], "int32")), {"axis": 1},
              match="same rank"),
    ErrorCase("where", (rand((2, 3), "bool"), rand((2, 3)), rand((4,))),
              match="cannot be broadcast"),
    ErrorCase("get_item", (rand((3, 4)), (0, 0, 0)), match="too many indices"),
    ErrorCase("get_item", (rand((3, 4)), 5), match="out of bounds",
              backends=("numpy", "torch", "tensorflow")),
    ErrorCase("unravel_index", (rand((3,)), (2, 3)), error=TypeError, match="integer"),
    ErrorCase("select", ([rand((2,), "bool")], [rand((2,)), rand((2,))]), match="same length"),
    ErrorCase("isin", ("abc", rand((2,))), error=TypeError, match="x1"),
]
