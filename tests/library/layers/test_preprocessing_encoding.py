"""Normalization, CategoryEncoding, Discretization, Hashing, StringLookup and IntegerLookup
against Keras 3 (and NumPy), on every backend."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()


def _np(x):
    return x if isinstance(x, np.ndarray) else np.asarray(ops.convert_to_numpy(x))


def _knp(x):
    return x if isinstance(x, np.ndarray) else np.asarray(keras.ops.convert_to_numpy(x))


def _same(ours, theirs, atol=1e-5):
    ours, theirs = _np(ours), _knp(theirs)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    if BACKEND == "numpy" and ours.dtype.kind == theirs.dtype.kind == "i":
        pass  # Keras's numpy backend narrows int64 outputs to int32; lamina's keeps int64
    else:
        assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.astype("float64"), theirs.astype("float64"), atol=atol, rtol=1e-5)


DATA = np.random.default_rng(1).normal(3.0, 2.0, size=(64, 3, 4)).astype("float32")


@pytest.mark.parametrize("kwargs", [dict(), dict(axis=None), dict(axis=(1, 2)), dict(axis=1, invert=True)])
def test_normalization_adapt_matches_keras_and_numpy(kwargs):
    ours, theirs = layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    ours.adapt(DATA)
    theirs.adapt(DATA)
    _same(ours(DATA[:5]), theirs(DATA[:5]), atol=1e-4)
    if not kwargs:
        mean, std = DATA.mean(axis=(0, 1)), DATA.std(axis=(0, 1))
        np.testing.assert_allclose(_np(ours(DATA)).reshape(-1, 4), ((DATA - mean) / std).reshape(-1, 4),
                                   atol=1e-4)
    assert [w.name for w in ours.weights] == ["mean", "variance", "count"]


def test_normalization_adapts_from_batches_datasets_and_given_stats():
    batches = [DATA[i:i + 10] for i in range(0, 64, 10)]
    whole = layers.Normalization()
    whole.adapt(DATA)
    from lamina.utils.dataset_utils import ArrayDataset

    tf = pytest.importorskip("tensorflow")
    for source in (batches, ArrayDataset((DATA, np.zeros(64)), batch_size=10), iter((b, 0) for b in batches),
                   tf.data.Dataset.from_tensor_slices(DATA).batch(16)):
        layer = layers.Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(_np(layer.mean), _np(whole.mean), atol=1e-5)
        np.testing.assert_allclose(_np(layer.variance), _np(whole.variance), rtol=1e-4)
    given = layers.Normalization(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 4.0, 9.0, 16.0])
    _same(given(DATA[:2]), keras.layers.Normalization(mean=[1.0, 2.0, 3.0, 4.0],
                                                      variance=[1.0, 4.0, 9.0, 16.0])(DATA[:2]))
    clone = layers.Normalization.from_config(given.get_config())
    _same(clone(DATA[:2]), _np(given(DATA[:2])))
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])


@pytest.mark.training
def test_normalization_state_is_saved_with_the_model(tmp_path):
    norm = layers.Normalization()
    norm.adapt(DATA.reshape(-1, 4))
    model = lamina.Sequential([lamina.Input((4,)), norm, layers.Dense(1)])
    model.save(tmp_path / "m.keras")
    loaded = lamina.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(DATA[0], verbose=0), model.predict(DATA[0], verbose=0), atol=1e-6)


@pytest.mark.parametrize("mode", ["multi_hot", "one_hot", "count"])
@pytest.mark.parametrize("x", [np.array([[0, 1, 3], [2, 2, 0]]), np.array([3, 1]), np.array([[1], [0]])])
def test_category_encoding_matches_keras(mode, x):
    ours = layers.CategoryEncoding(4, mode)
    _same(ours(x), keras.layers.CategoryEncoding(4, mode)(x))
    assert tuple(ours.compute_output_shape(x.shape)) == _np(ours(x)).shape


def test_category_encoding_count_weights_and_errors():
    x, w = np.array([[0, 1, 1]]), np.array([[0.5, 2.0, 1.0]], "float32")
    _same(layers.CategoryEncoding(3, "count")(x, count_weights=w),
          keras.layers.CategoryEncoding(3, "count")(x, count_weights=w))
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="count_weights"):
        layers.CategoryEncoding(3, "one_hot")(x, count_weights=w)


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_matches_keras(mode):
    x = np.array([[-1.5, 0.0, 0.5], [1.0, 2.5, 0.99]], "float32")
    kwargs = dict(bin_boundaries=[0.0, 1.0, 2.0], output_mode=mode)
    _same(layers.Discretization(**kwargs)(x), keras.layers.Discretization(**kwargs)(x))
    if mode == "int":
        np.testing.assert_array_equal(_np(layers.Discretization(**kwargs)(x)), np.digitize(x, [0.0, 1.0, 2.0]))


def test_discretization_adapt_learns_keras_quantiles():
    data = np.random.default_rng(0).exponential(size=(500, 2)).astype("float32")
    ours, theirs = layers.Discretization(num_bins=5), keras.layers.Discretization(num_bins=5)
    ours.adapt(data)
    theirs.adapt(data)
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    np.testing.assert_allclose(ours.bin_boundaries, np.quantile(data, [0.2, 0.4, 0.6, 0.8]), rtol=0.05)
    clone = layers.Discretization.from_config(ours.get_config())
    assert clone.bin_boundaries == ours.bin_boundaries
    with pytest.raises(ValueError, match="not both"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=2)


STRINGS = [["a", "b", "c"], ["d", "a", "zz"]]


@pytest.mark.parametrize("kwargs", [dict(num_bins=5), dict(num_bins=5, salt=7), dict(num_bins=5, salt=(3, 9)),
                                    dict(num_bins=5, mask_value="a"), dict(num_bins=4, output_mode="multi_hot"),
                                    dict(num_bins=4, output_mode="count")])
def test_hashing_strings_match_keras(kwargs):
    _same(layers.Hashing(**kwargs)(STRINGS), keras.layers.Hashing(**kwargs)(STRINGS))


def test_hashing_integers_and_one_hot_match_keras():
    x = np.array([[1], [22], [333], [-4]])
    _same(layers.Hashing(7)(x), keras.layers.Hashing(7)(x))
    _same(layers.Hashing(7, output_mode="one_hot")(x), keras.layers.Hashing(7, output_mode="one_hot")(x))
    _same(layers.Hashing(7, mask_value=22)(x), keras.layers.Hashing(7, mask_value=22)(x))
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(0)


TEXT = [["a", "b", "b", "c"], ["c", "c", "d", "a"], ["e", "b", "c", "c"]]
QUERY = [["a", "q", "d", "b"], ["", "c", "e", "zz"]]


@pytest.mark.parametrize("kwargs", [dict(), dict(mask_token="", num_oov_indices=2), dict(output_mode="multi_hot"),
                                    dict(output_mode="tf_idf"), dict(max_tokens=4, output_mode="count"),
                                    dict(output_mode="one_hot", num_oov_indices=0, max_tokens=3,
                                         pad_to_max_tokens=True),
                                    dict(max_tokens=6, pad_to_max_tokens=True, output_mode="multi_hot")])
def test_string_lookup_adapt_matches_keras(kwargs):
    ours, theirs = layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    ours.adapt(TEXT)
    theirs.adapt(TEXT)
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]
    assert ours.vocabulary_size() == theirs.vocabulary_size()
    query = [[q[0]] for q in QUERY] if kwargs.get("output_mode") == "one_hot" else QUERY
    if kwargs.get("num_oov_indices") == 0:
        query = [["a"], ["c"]]
    _same(ours(query), theirs(query))
    if kwargs.get("output_mode") == "tf_idf":
        np.testing.assert_allclose(ours.idf_weights, _knp(theirs.idf_weights), rtol=1e-6)


def test_string_lookup_vocabulary_invert_and_inputs(tmp_path):
    vocab = ["x", "y", "z"]
    ours = layers.StringLookup(vocabulary=vocab)
    _same(ours(np.array([["x", "w"], ["z", "y"]])), keras.layers.StringLookup(vocabulary=vocab)([["x", "w"], ["z", "y"]]))
    np.testing.assert_array_equal(_np(ours(np.array([b"y", b"x"]))), [2, 1])
    inverse = layers.StringLookup(vocabulary=vocab, invert=True)
    assert inverse(np.array([[1, 3, 0]])).tolist() == [["x", "z", "[UNK]"]]
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\nz\n")
    assert layers.StringLookup(vocabulary=str(path)).get_vocabulary() == ["[UNK]"] + vocab
    assert layers.StringLookup(vocabulary=["[UNK]"] + vocab).get_vocabulary() == ["[UNK]"] + vocab
    config = ours.get_config()
    assert layers.StringLookup.from_config(config).get_vocabulary() == ours.get_vocabulary()
    with pytest.raises(ValueError, match="repeated"):
        layers.StringLookup(vocabulary=["x", "x"])
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        layers.StringLookup(vocabulary=vocab, num_oov_indices=0)([["w"]])
    tf = pytest.importorskip("tensorflow")
    np.testing.assert_array_equal(_np(ours(tf.constant([["z", "q"]]))), [[3, 0]])


@pytest.mark.parametrize("kwargs", [dict(), dict(num_oov_indices=3), dict(mask_token=0, output_mode="multi_hot"),
                                    dict(max_tokens=3, output_mode="count"), dict(oov_method="farmhash",
                                                                                 num_oov_indices=2)])
def test_integer_lookup_matches_keras(kwargs):
    data = np.array([5, 5, 7, 9, 9, 9, 0, 11])
    ours, theirs = layers.IntegerLookup(**kwargs), keras.layers.IntegerLookup(**kwargs)
    ours.adapt(data)
    theirs.adapt(data)
    assert ours.get_vocabulary() == [int(t) for t in theirs.get_vocabulary()]
    query = np.array([[5, 7, 100, 101], [9, 0, 11, -3]])
    _same(ours(query), theirs(query))


def test_integer_lookup_vocabulary_and_invert():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138])
    np.testing.assert_array_equal(_np(layer([[12, 1138], [42, 36]])), [[1, 3], [0, 2]])
    inverse = layers.IntegerLookup(vocabulary=[12, 36, 1138], invert=True)
    np.testing.assert_array_equal(_np(inverse(np.array([[1, 3], [0, 2]]))), [[12, 1138], [-1, 36]])
    symbolic = layer(lamina.KerasTensor((None, 2), dtype="int64"))
    assert symbolic.shape == (None, 2) and symbolic.dtype == "int64"
