"""to_categorical, normalize, Config and get_source_inputs against NumPy and Keras 3."""

import json

import numpy as np
import pytest

import lamina
from lamina import ops

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("labels,num_classes", [([0, 2, 1, 2], None), ([[1], [0], [3]], 5),
                                                (np.array([[0, 1], [2, 0]]), 3), ([], 2)])
def test_to_categorical_matches_keras(labels, num_classes):
    ours = lamina.utils.to_categorical(labels, num_classes)
    theirs = keras.utils.to_categorical(labels, num_classes)
    assert ours.dtype == np.float64  # Keras's numpy backend takes arrays for tensors (float32)
    np.testing.assert_array_equal(ours, theirs)


def test_to_categorical_on_tensors_and_bad_input():
    out = lamina.utils.to_categorical(ops.convert_to_tensor(np.array([[2], [0]], "int32")), 3)
    assert ops.is_tensor(out)
    np.testing.assert_array_equal(ops.convert_to_numpy(out), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"labels in \[0, 2\)"):
        lamina.utils.to_categorical([0, 3], num_classes=2)
    with pytest.raises(ValueError, match="non-integer"):
        lamina.utils.to_categorical([0.5, 1.0])


@pytest.mark.parametrize("axis,order", [(-1, 2), (0, 1), (1, np.inf)])
def test_normalize_matches_keras(axis, order):
    x = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -2.0, 2.0]], "float32")
    ours = lamina.utils.normalize(x, axis=axis, order=order)
    if axis != 0:  # Keras expands the norm at axis -1 when axis=0 (`axis or -1`): a Keras bug
        np.testing.assert_allclose(ours, keras.utils.normalize(x, axis=axis, order=order), rtol=1e-6)
    norms = np.linalg.norm(x, order, axis, keepdims=True)
    np.testing.assert_allclose(ours, x / np.where(norms == 0, 1, norms), rtol=1e-6)


def test_normalize_tensor_stays_a_tensor():
    x = np.array([[3.0, 4.0], [6.0, 8.0]], "float32")
    out = lamina.utils.normalize(ops.convert_to_tensor(x))
    assert ops.is_tensor(out)
    np.testing.assert_allclose(ops.convert_to_numpy(out), [[0.6, 0.8], [0.6, 0.8]], rtol=1e-6)


def test_config_behaves_like_keras():
    ours, theirs = lamina.utils.Config(lr=0.1), keras.utils.Config(lr=0.1)
    for c in (ours, theirs):
        c.momentum = 0.9
        c["decay"] = 1e-3
        c.update(nesterov=True)
    assert ours.as_dict() == theirs.as_dict() == {"lr": 0.1, "momentum": 0.9, "decay": 1e-3, "nesterov": True}
    assert json.loads(ours.to_json()) == ours.as_dict()
    assert list(ours) == sorted(ours.as_dict()) and len(ours) == 4 and "lr" in ours
    assert ours.pop("decay") == 1e-3 and ours.get("decay", "gone") == "gone"
    with pytest.raises(AttributeError, match="Did you mean 'momentum'"):
        ours.momentun
    ours.freeze()
    assert ours.frozen
    with pytest.raises(ValueError, match="frozen"):
        ours.lr = 0.2
    with pytest.raises(ValueError, match="frozen"):
        del ours["lr"]
    ours.unfreeze()
    ours.lr = 0.2
    assert ours.lr == 0.2 and repr(ours).startswith("<Config {")


def test_get_source_inputs():
    a, b = lamina.Input((2,), name="a"), lamina.Input((2,), name="b")
    hidden = lamina.layers.Dense(3)(a)
    out = lamina.layers.Concatenate()([hidden, lamina.layers.Dense(3)(b), hidden])
    sources = lamina.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert lamina.utils.get_source_inputs(a) == [a]
    with pytest.raises(TypeError, match="expected a KerasTensor"):
        lamina.utils.get_source_inputs(np.zeros(2))
