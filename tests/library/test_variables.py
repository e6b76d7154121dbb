"""lamina.Variable: creation, assignment, numpy interop, arithmetic, stateless scope."""

import numpy as np
import pytest

import lamina
from lamina import ops


def test_from_value_and_from_initializer():
    v = lamina.Variable(np.ones((2, 3), "float32"), name="w")
    assert v.shape == (2, 3) and v.dtype == "float32" and v.name == "w" and v.trainable
    w = lamina.Variable(lamina.initializers.Ones(), shape=(4,), dtype="float32", trainable=False)
    np.testing.assert_array_equal(w.numpy(), np.ones(4))
    assert not w.trainable


def test_callable_initializer_needs_a_shape():
    with pytest.raises(ValueError, match="needs a shape"):
        lamina.Variable(lamina.initializers.Zeros())


def test_path_follows_name_scopes():
    with lamina.name_scope("block"):
        with lamina.name_scope("dense"):
            v = lamina.Variable(1.0, name="kernel")
    assert v.path == "block/dense/kernel"


def test_assign_family_and_shape_checks():
    v = lamina.Variable(np.zeros((2,), "float32"))
    v.assign(np.array([1.0, 2.0]))
    v.assign_add(np.array([1.0, 1.0]))
    v.assign_sub(np.array([0.5, 0.5]))
    np.testing.assert_allclose(v.numpy(), [1.5, 2.5])
    with pytest.raises(ValueError, match=r"has shape \(2,\); cannot assign a value of shape \(3,\)"):
        v.assign(np.zeros(3))


def test_numpy_interop_arithmetic_and_indexing():
    v = lamina.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    np.testing.assert_allclose(np.asarray(v), [[1, 2], [3, 4]])
    np.testing.assert_allclose(ops.convert_to_numpy(v + 1), [[2, 3], [4, 5]])
    np.testing.assert_allclose(ops.convert_to_numpy(2 * v), [[2, 4], [6, 8]])
    np.testing.assert_allclose(ops.convert_to_numpy(v @ v), np.array([[7, 10], [15, 22]]))
    np.testing.assert_allclose(ops.convert_to_numpy(-v)[0], [-1, -2])
    np.testing.assert_allclose(ops.convert_to_numpy(v[1]), [3, 4])
    assert float(lamina.Variable(2.5)) == 2.5


def test_stateless_scope_reads_and_collects_updates():
    v = lamina.Variable(np.float32(1.0))
    with lamina.StatelessScope(state_mapping=[(v, np.float32(5.0))]) as scope:
        assert float(ops.convert_to_numpy(v.value)) == 5.0
        v.assign(7.0)
    assert float(v.numpy()) == 1.0
    assert float(ops.convert_to_numpy(scope.get_current_value(v))) == 7.0


def test_autocast_reads_float_variables_in_the_compute_dtype():
    from lamina.backend.common.variables import AutocastScope

    v = lamina.Variable(np.ones(2, "float32"))
    with AutocastScope("float16"):
        assert lamina.backend.standardize_dtype(v.value.dtype) == "float16"
    assert lamina.backend.standardize_dtype(v.value.dtype) == "float32"


def test_bad_name_is_rejected():
    with pytest.raises(ValueError, match="without '/'"):
        lamina.Variable(1.0, name="a/b")
