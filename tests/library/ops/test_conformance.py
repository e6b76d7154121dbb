"""Runs every op case of the ``cases_*.py`` modules on the active backend."""

import importlib
import os
import pathlib

import numpy as np
import pytest

import lamina
from lamina.backend import impl

from . import gradients
from .harness import (BACKEND, assert_close, dtype_name, flat, keras_op, lamina_op, to_numpy_tree,
                      to_tensors)

_HERE = pathlib.Path(__file__).parent
CASES, ERRORS = [], []
_ONLY = os.environ.get("LAMINA_CASES")  # e.g. "cases_reduction,cases_shape" while developing
for _path in sorted(_HERE.glob("cases_*.py")):
    if _ONLY and _path.stem not in _ONLY.split(","):
        continue
    _module = importlib.import_module(f".{_path.stem}", __package__)
    CASES += getattr(_module, "CASES", [])
    ERRORS += getattr(_module, "ERRORS", [])

ACTIVE = [c for c in CASES if BACKEND in c.backends]
ACTIVE_ERRORS = [c for c in ERRORS if BACKEND in c.backends]


def _ids(cases):
    seen = {}
    out = []
    for c in cases:
        n = seen.get(c.id, 0)
        seen[c.id] = n + 1
        out.append(c.id if n == 0 else f"{c.id}#{n}")
    return out


def _run(case, convert=impl.core.convert_to_tensor):
    fn = lamina_op(case.op)
    return fn(*to_tensors(case, case.args, convert), **case.kwargs)


def _post(case, value):
    value = to_numpy_tree(value)
    return case.postprocess(value) if case.postprocess else value


def _first_per_op(cases, limit=2):
    """Compiling is slow: the compiled check runs on the first cases of each op."""
    seen, out = {}, []
    for c in cases:
        if seen.get(c.op, 0) < limit:
            seen[c.op] = seen.get(c.op, 0) + 1
            out.append(c)
    return out


# On JAX every new shape compiles, for lamina and for Keras alike: the Keras oracle,
# the symbolic checks (shape rules are backend-free and fully checked on the other
# backends) and the gradient checks run on the first cases of each op there; the
# NumPy reference still checks every case. Other backends check every case.
_JAX_SUBSET = {id(c) for c in _first_per_op(ACTIVE, limit=3)} if BACKEND == "jax" else None


def _in_subset(case):
    return _JAX_SUBSET is None or id(case) in _JAX_SUBSET


@pytest.mark.parametrize("case", ACTIVE, ids=_ids(ACTIVE))
def test_eager(case):
    out = _run(case)
    if case.ref is not None:
        expected = case.ref(*case.args, **case.kwargs)
        assert_close(_post(case, out), _post(case, expected), case.rtol, case.atol, f"{case.id} vs NumPy")
    kop = keras_op(case.keras_op or case.op) if case.keras and _in_subset(case) else None
    if kop is not None:
        expected = kop(*to_tensors(case, case.args, impl.core.convert_to_tensor), **case.kwargs)
        assert_close(_post(case, out), _post(case, expected), case.rtol, case.atol, f"{case.id} vs Keras")
        if case.check_dtype:
            got = [dtype_name(o) for o in flat(out)]
            want = [dtype_name(o) for o in flat(expected)]
            assert got == want, f"{case.id}: dtype {got}, Keras gives {want}"
    if case.ref is None and kop is None and _in_subset(case):
        pytest.fail(f"{case.id}: no NumPy reference and no Keras oracle: the case checks nothing")


def _symbolic_args(case, none_first=False):
    def to_kt(a):
        shape = tuple(a.shape)
        if none_first and shape:
            shape = (None,) + shape[1:]
        return lamina.KerasTensor(shape, dtype=lamina.backend.standardize_dtype(a.dtype))

    return to_tensors(case, case.args, to_kt)


SYMBOLIC = [c for c in ACTIVE if c.symbolic and c.tensor_positions() and _in_subset(c)]


@pytest.mark.parametrize("case", SYMBOLIC, ids=_ids(SYMBOLIC))
def test_symbolic(case):
    eager = flat(_run(case))
    spec = flat(lamina_op(case.op)(*_symbolic_args(case), **case.kwargs))
    assert [tuple(s.shape) for s in spec] == [tuple(np.shape(e)) for e in eager], case.id
    if case.check_dtype:
        assert [dtype_name(s) for s in spec] == [dtype_name(e) for e in eager], case.id
    if not case.symbolic_none or not case.tensor_positions():
        return
    kop = keras_op(case.keras_op or case.op) if case.keras and _in_subset(case) else None
    if kop is None:
        return
    import keras

    def to_keras_kt(a):
        shape = (None,) + tuple(a.shape)[1:] if a.ndim else ()
        return keras.KerasTensor(shape, dtype=lamina.backend.standardize_dtype(a.dtype))

    want = flat(kop(*to_tensors(case, case.args, to_keras_kt), **case.kwargs))
    got = flat(lamina_op(case.op)(*_symbolic_args(case, none_first=True), **case.kwargs))
    assert [tuple(s.shape) for s in got] == [tuple(s.shape) for s in want], f"{case.id} (None first dim)"


JIT = _first_per_op([c for c in ACTIVE if c.jit and BACKEND in ("jax", "tensorflow")])


@pytest.mark.parametrize("case", JIT, ids=_ids(JIT))
def test_compiled(case):
    positions = case.tensor_positions()
    tensors = to_tensors(case, case.args, impl.core.convert_to_tensor)
    fn = lamina_op(case.op)

    def call(*values):
        full = list(tensors)
        for i, v in zip(positions, values):
            full[i] = v
        return fn(*full, **case.kwargs)

    if BACKEND == "jax":
        import jax

        compiled = jax.jit(call)
    else:
        import tensorflow as tf

        compiled = tf.function(call)
    out = compiled(*[tensors[i] for i in positions])
    assert_close(_post(case, out), _post(case, _run(case)), case.rtol, case.atol, f"{case.id} compiled")


GRAD = [c for c in ACTIVE if c.grad and BACKEND in ("jax", "torch", "tensorflow")]
if BACKEND == "jax":
    GRAD = _first_per_op(GRAD, limit=2)


@pytest.mark.parametrize("case", GRAD, ids=_ids(GRAD))
def test_gradient(case):
    fn = lamina_op(case.op)
    args = to_tensors(case, case.args, impl.core.convert_to_tensor)
    positions = [i for i in case.tensor_positions() if np.asarray(case.args[i]).dtype.kind == "f"]
    call = lambda *a: fn(*a, **case.kwargs)  # noqa: E731
    got = gradients.autodiff(call, args, positions)
    want = gradients.finite_differences(call, args, positions, case.grad_eps)
    for g, w, i in zip(got, want, positions):
        np.testing.assert_allclose(g, w, rtol=case.grad_rtol, atol=case.grad_atol,
                                   err_msg=f"{case.id}: gradient w.r.t. argument {i}")


@pytest.mark.parametrize("case", ACTIVE_ERRORS, ids=_ids(ACTIVE_ERRORS))
def test_bad_input(case):
    fn = lamina_op(case.op)
    name = case.op.split(".")[-1]
    args = tuple(impl.core.convert_to_tensor(a) if isinstance(a, np.ndarray) else a for a in case.args)
    with pytest.raises(case.error) as info:
        fn(*args, **case.kwargs)
    message = str(info.value)
    assert f"ops.{name}" in message, f"the error does not name the op: {message}"
    assert case.match in message, f"the error does not say {case.match!r}: {message}"
    if case.symbolic:
        kts = tuple(lamina.KerasTensor(a.shape, dtype=str(a.dtype)) if isinstance(a, np.ndarray) else a
                    for a in case.args)
        with pytest.raises(case.error) as info:
            fn(*kts, **case.kwargs)
        assert f"ops.{name}" in str(info.value) and case.match in str(info.value)
