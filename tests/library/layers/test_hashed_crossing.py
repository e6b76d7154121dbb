"""HashedCrossing against Keras 3 (same features -> same bins), on every backend."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")
pytest.importorskip("tensorflow")  # the hash kernels, as in Keras
BACKEND = lamina.backend.backend()

LETTERS = np.array(["A", "B", "A", "B", "A", "zz", "", "é"])
NUMBERS = np.array([101, 101, 101, 102, 102, -7, 0, 2 ** 40])
WORDS = np.array(["red", "red", "blue", "blue", "green", "red", "x", "y"])


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _knp(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def _same(ours, theirs):
    ours, theirs = _np(ours), _knp(theirs)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    assert ours.dtype.kind == theirs.dtype.kind, (ours.dtype, theirs.dtype)
    if not (BACKEND == "numpy" and ours.dtype.kind == "i"):  # Keras's numpy backend narrows int64
        assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    np.testing.assert_array_equal(ours, theirs)


def test_keras_docstring_example():
    layer = layers.HashedCrossing(num_bins=5)
    out = layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
    np.testing.assert_array_equal(_np(out), [1, 4, 1, 1, 3])
    one_hot = layers.HashedCrossing(num_bins=5, output_mode="one_hot")(
        (np.array(["A", "B"]), np.array([101, 101])))
    np.testing.assert_array_equal(_np(one_hot), [[0, 1, 0, 0, 0], [0, 0, 0, 0, 1]])


@pytest.mark.parametrize("output_mode", ["int", "one_hot"])
@pytest.mark.parametrize("shape", ["batch", "batch_1", "scalar"])
@pytest.mark.parametrize("features", ["str_int", "int_str_str", "int_int"])
def test_hashed_crossing_matches_keras(output_mode, shape, features):
    columns = {"str_int": (LETTERS, NUMBERS), "int_str_str": (NUMBERS, LETTERS, WORDS),
               "int_int": (NUMBERS, NUMBERS[::-1].copy())}[features]
    if shape == "batch_1":
        columns = tuple(c.reshape(-1, 1) for c in columns)
    elif shape == "scalar":
        columns = tuple(c[1] for c in columns)
    for num_bins in (1, 7, 1000):
        ours = layers.HashedCrossing(num_bins, output_mode=output_mode)
        theirs = keras.layers.HashedCrossing(num_bins, output_mode=output_mode)
        _same(ours(columns), theirs(columns))


def test_hashed_crossing_accepts_lists_bytes_and_tensors():
    expected = _knp(keras.layers.HashedCrossing(11)((LETTERS, NUMBERS)))
    layer = layers.HashedCrossing(11)
    np.testing.assert_array_equal(_np(layer([list(LETTERS), list(NUMBERS)])), expected)
    np.testing.assert_array_equal(_np(layer((np.array([s.encode() for s in LETTERS]), NUMBERS))), expected)
    np.testing.assert_array_equal(_np(layer((LETTERS, ops.convert_to_tensor(NUMBERS % 1000, "int32")))),
                                  _knp(keras.layers.HashedCrossing(11)((LETTERS, NUMBERS % 1000))))
    tf = pytest.importorskip("tensorflow")
    np.testing.assert_array_equal(_np(layer((tf.constant(LETTERS), tf.constant(NUMBERS)))), expected)
    assert _np(layers.HashedCrossing(5, dtype="int32")((LETTERS, NUMBERS))).dtype == np.int32


def test_hashed_crossing_symbolic_shapes_and_config():
    a, b = lamina.KerasTensor((None, 1), dtype="string"), lamina.KerasTensor((None, 1), dtype="int64")
    assert layers.HashedCrossing(5)([a, b]).shape == (None, 1)
    spec = layers.HashedCrossing(5, output_mode="one_hot")([a, b])
    assert spec.shape == (None, 5) and spec.dtype == "float32"
    assert layers.HashedCrossing(5, output_mode="one_hot").compute_output_shape([(None,), (None,)]) == (None, 5)
    assert layers.HashedCrossing(5).compute_output_shape([(), ()]) == ()

    layer = layers.HashedCrossing(9, output_mode="one_hot", name="cross")
    config = layer.get_config()
    assert config["num_bins"] == 9 and config["output_mode"] == "one_hot" and config["sparse"] is False
    clone = layers.HashedCrossing.from_config(config)
    assert clone.get_config() == config
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert type(rebuilt) is layers.HashedCrossing and rebuilt.get_config() == config
    _same(rebuilt((LETTERS, NUMBERS)), keras.layers.HashedCrossing(9, output_mode="one_hot")((LETTERS, NUMBERS)))
    # A config written by Keras 3 loads.
    keras_config = keras.layers.HashedCrossing(9, output_mode="one_hot", name="cross").get_config()
    from_keras = layers.HashedCrossing.from_config(keras_config)
    assert from_keras.num_bins == 9 and from_keras.output_mode == "one_hot" and from_keras.name == "cross"


@pytest.mark.parametrize("kwargs,error,pattern", [
    (dict(num_bins=0), ValueError, r"HashedCrossing.*num_bins.*positive integer.*Received: num_bins=0"),
    (dict(num_bins=2.5), ValueError, r"HashedCrossing.*num_bins.*Received: num_bins=2.5"),
    (dict(num_bins=4, output_mode="multi_hot"), ValueError,
     r"HashedCrossing.*output_mode.*\('int', 'one_hot'\).*Received: output_mode='multi_hot'"),
    (dict(num_bins=4, dtype="float32"), TypeError, r"HashedCrossing.*integer.*Received: dtype='float32'"),
])
def test_hashed_crossing_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        layers.HashedCrossing(**kwargs)


@pytest.mark.parametrize("inputs,pattern", [
    (LETTERS, r"HashedCrossing.*list or tuple.*Received: inputs of type ndarray"),
    ((LETTERS,), r"HashedCrossing.*at least two.*Received: 1 input"),
    ((LETTERS, NUMBERS[:3]), r"HashedCrossing.*same shape.*Received: shapes \[\(8,\), \(3,\)\]"),
    ((LETTERS.reshape(4, 2), NUMBERS.reshape(4, 2)), r"HashedCrossing.*\(batch_size, 1\).*Received: shape \(4, 2\)"),
    ((LETTERS, NUMBERS.astype("float32")), r"HashedCrossing.*integer or string.*Received: dtypes"),
])
def test_hashed_crossing_bad_inputs(inputs, pattern):
    with pytest.raises(ValueError, match=pattern):
        layers.HashedCrossing(4)(inputs)
