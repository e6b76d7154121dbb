"""Conformance cases: products (matmul, dot, einsum, tensordot...), trace and cross."""

import numpy as np

from .harness import BACKEND, Case, ErrorCase, rand


def _as(dtype, fn):
    """A NumPy reference computed in float64 (or int64) and returned as ``dtype``."""
    return lambda *a, **k: np.asarray(fn(*a, **k)).astype(dtype)


CASES = []

# -- matmul ----------------------------------------------------------------------------------
for s1, s2 in [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)), ((3,), (3,)),
               ((2, 1, 2, 3), (4, 3, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3))]:
    CASES.append(Case("matmul", (rand(s1), rand(s2, seed=1)), ref=np.matmul,
                      grad=len(s1) + len(s2) in (3, 4) and 0 not in s1 + s2, rtol=1e-5,
                      atol=1e-5))
CASES += [
    Case("matmul", (rand((2, 3), "float16"), rand((3, 2), "float16", seed=1)), ref=np.matmul,
         rtol=1e-2, atol=1e-2),
    Case("matmul", (rand((2, 3), "int32"), rand((3, 2), "int32", seed=1)), ref=np.matmul),
    Case("matmul", (rand((2, 3), "int8", -5, 5), rand((3, 2), "int8", -5, 5, seed=1)),
         ref=_as("int32", lambda a, b: a.astype(np.int32) @ b.astype(np.int32))),
    Case("matmul", (rand((2, 3), "int32"), rand((3, 2), "float32", seed=1)), ref=np.matmul,
         atol=1e-5),
    Case("matmul", (rand((2, 3), "float16"), rand((3, 2), "float32", seed=1)), ref=np.matmul,
         rtol=1e-3, atol=1e-3),
    Case("matmul", (rand((2, 3), "int8", -5, 5), rand((3, 2), "int16", -5, 5, seed=1)),
         ref=_as("int16", lambda a, b: a.astype(np.int64) @ b.astype(np.int64))),
]

# -- dot, inner, outer, vdot, kron, tensordot ------------------------------------------------
for fn, pairs in [
    ("dot", [((3,), (3,)), ((2, 3), (3, 4)), ((2, 3), (3,)), ((2, 2, 3), (1, 3, 2)), ((), (2, 3)),
             ((2, 3), ())]),
    ("inner", [((3,), (3,)), ((2, 3), (4, 3)), ((2, 2, 3), (3,)), ((), (2,))]),
    ("outer", [((3,), (2,)), ((2, 2), (3,)), ((), (2,))]),
    ("vdot", [((3,), (3,)), ((2, 3), (6,))]),
    ("kron", [((2,), (3,)), ((2, 2), (2, 3)), ((2,), (2, 2)), ((), (2,))]),
]:
    for i, (s1, s2) in enumerate(pairs):
        CASES.append(Case(fn, (rand(s1), rand(s2, seed=1)), ref=getattr(np, fn), grad=i == 1,
                          atol=1e-5))
    CASES.append(Case(fn, (rand(pairs[0][0], "int32"), rand(pairs[0][1], "int32", seed=1)),
                      ref=getattr(np, fn)))
    CASES.append(Case(fn, (rand(pairs[0][0], "int32"), rand(pairs[0][1], "float32", seed=1)),
                      ref=getattr(np, fn), atol=1e-5))
    CASES.append(Case(fn, (rand(pairs[1][0], "float16"), rand(pairs[1][1], "float16", seed=1)),
                      ref=getattr(np, fn), rtol=1e-2, atol=1e-2))

for axes, s1, s2 in [(2, (2, 3, 4), (3, 4, 2)), (1, (2, 3), (3, 4)), (0, (2,), (3,)),
                     (([0, 2], [1, 0]), (2, 3, 4), (4, 2)), ((1, 0), (2, 3), (3, 2))]:
    CASES.append(Case("tensordot", (rand(s1), rand(s2, seed=1)), {"axes": axes},
                      ref=np.tensordot, grad=axes in (1, (1, 0)), atol=1e-5))
CASES += [
    Case("tensordot", (rand((2, 3), "int32"), rand((3, 2), "int32", seed=1)), {"axes": 1},
         ref=np.tensordot),
    Case("tensordot", (rand((2, 3), "float16"), rand((2, 3), "float32", seed=1)),
         ref=np.tensordot, rtol=1e-3, atol=1e-3),
]

# -- einsum ----------------------------------------------------------------------------------
for sub, shapes in [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (1, 3, 2)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("bhqd,bhkd->bhqk", [(1, 2, 3, 2), (1, 2, 4, 2)]),
    ("abc->", [(2, 3, 2)]),
    ("ij...,j->i...", [(2, 3, 2), (3,)]),
]:
    args = tuple(rand(s, seed=i) for i, s in enumerate(shapes))
    CASES.append(Case("einsum", (sub,) + args, ref=np.einsum, atol=1e-5,
                      grad=sub in ("ij,jk->ik", "...ij,...jk->...ik", "ii->i", "i,j->ij")))
CASES += [
    Case("einsum", ("ij,jk->ik", rand((2, 3), "int32"), rand((3, 2), "int32", seed=1)),
         ref=np.einsum),
    Case("einsum", ("ij,jk->ik", rand((2, 3), "int8", -5, 5), rand((3, 2), "int8", -5, 5, seed=1)),
         ref=_as("int32", lambda s, a, b: np.einsum(s, a.astype(np.int32), b.astype(np.int32)))),
    Case("einsum", ("ij,j->i", rand((2, 3), "float16"), rand((3,), "float32", seed=1)),
         ref=np.einsum, rtol=1e-3, atol=1e-3),
]

# -- trace, cross ----------------------------------------------------------------------------
for dt in ("float32", "float16", "int32", "int8", "bool", "uint8"):
    CASES.append(Case("trace", (rand((3, 4), dt),),
                      ref=lambda x: np.trace(x.astype(np.float64) if x.dtype.kind == "f"
                                             else x.astype(np.int64)),
                      rtol=1e-3 if dt == "float16" else 1e-5))
CASES += [
    Case("trace", (rand((3, 3)),), {"offset": 1}, ref=np.trace, grad=True),
    Case("trace", (rand((2, 3, 4)),), {"offset": -1, "axis1": 1, "axis2": 2}, ref=np.trace,
         grad=True),
    Case("trace", (rand((2, 3, 4)),), {"axis1": -1, "axis2": 0}, ref=np.trace),
    Case("trace", (rand((0, 2)),), ref=np.trace),
]
_AXES_OK = BACKEND != "torch"  # Keras's torch cross rejects axisa/axisb/axisc
for s1, s2, kw in [((3,), (3,), {}), ((2, 3), (2, 3), {}), ((2, 3), (3,), {}),
                   ((2,), (2,), {}), ((2, 2), (2, 3), {}), ((3, 2), (3, 2), {"axis": 0}),
                   ((3, 2), (2, 3), {"axisa": 0, "axisb": 1, "axisc": 0})]:
    CASES.append(Case("cross", (rand(s1), rand(s2, seed=1)), kw, ref=np.cross,
                      grad=s1 in ((3,), (2,)),
                      atol=1e-5, keras=_AXES_OK or "axisa" not in kw))
CASES += [
    Case("cross", (rand((3,), "int32"), rand((3,), "int32", seed=1)), ref=np.cross),
    Case("cross", (rand((3,), "float16"), rand((3,), "float32", seed=1)), ref=np.cross,
         rtol=1e-3, atol=1e-3),
]

# -- where Keras itself falls short -----------------------------------------------------------


def _keras_symbolic_ok(case):
    """Keras's symbolic rules fail or differ (wrongly) with a None first dimension for:
    kron and cross (shapes), dot with a 1-D x2, tensordot with explicit axes, einsum with a
    repeated label (lamina keeps the known size)."""
    if case.op in ("kron", "cross"):
        return False
    if case.op == "dot" and case.args[1].ndim == 1:
        return False
    if case.op == "tensordot" and isinstance(case.kwargs.get("axes"), tuple):
        return False
    if case.op == "einsum" and "ii" in case.args[0]:
        return False
    return True


def _keras_eager_ok(case):
    """Keras's torch backend gets N-d dot wrong (it uses matmul), cannot vdot N-d tensors,
    mix dtypes in einsum, or broadcast / use 2-vectors in cross."""
    if BACKEND != "torch" or len(case.args) < 2:
        return True
    a, b = case.args[-2], case.args[-1]
    if case.op == "dot" and a.ndim > 2:
        return False
    if case.op == "vdot" and a.ndim > 1:
        return False
    if case.op == "einsum" and len({x.dtype for x in case.args[1:]}) > 1:
        return False
    if case.op == "cross" and (a.shape != b.shape or a.shape[-1] == 2):
        return False
    return True


for _case in CASES:
    _case.symbolic_none = _case.symbolic_none and _keras_symbolic_ok(_case)
    _case.keras = _case.keras and _keras_eager_ok(_case)

# -- errors ----------------------------------------------------------------------------------
ERRORS = [
    ErrorCase("matmul", (rand((2, 3)), rand((4, 2))), match="must match"),
    ErrorCase("matmul", (rand(()), rand((2,))), match="rank >= 1"),
    ErrorCase("matmul", (rand((2, 2, 3)), rand((3, 3, 2))), match="cannot be broadcast"),
    ErrorCase("matmul", (rand((2, 3)), "abc"), error=TypeError, match="x2"),
    ErrorCase("dot", (rand((2, 3)), rand((2, 3))), match="not aligned"),
    ErrorCase("inner", (rand((2, 3)), rand((2,))), match="must match"),
    ErrorCase("vdot", (rand((2, 3)), rand((5,))), match="same number"),
    ErrorCase("tensordot", (rand((2, 3)), rand((2, 3))), {"axes": 1}, match="differ"),
    ErrorCase("tensordot", (rand((2, 3)), rand((3, 2))), {"axes": 3}, match="axes"),
    ErrorCase("einsum", ("ij,jk->ik", rand((2, 3)), rand((4, 2))), match="sizes"),
    ErrorCase("einsum", ("ij,jk->ik", rand((2, 3))), match="operands"),
    ErrorCase("einsum", ("ij->ik", rand((2, 3))), match="output label"),
    ErrorCase("trace", (rand((3,)),), match="rank >= 2"),
    ErrorCase("cross", (rand((4,)), rand((3,))), match="2 or 3"),
]
