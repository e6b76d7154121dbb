"""TextVectorization against Keras 3 (same vocabulary, same outputs) on every backend."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")

TEXTS = ["The cat sat on the mat.", "The dog, the CAT!", "Émile's café -- naïve", "a  b\tc"]
QUERY = np.array(["the cat and the dog", "Unknown words here!", ""])


@pytest.mark.parametrize("kwargs", [
    dict(), dict(output_sequence_length=4), dict(max_tokens=6, output_mode="multi_hot"),
    dict(ngrams=2, output_mode="count"), dict(output_mode="tf_idf"),
    dict(split="character", output_sequence_length=6, standardize="lower"),
    dict(standardize=None, split=None), dict(max_tokens=8, pad_to_max_tokens=True, output_mode="multi_hot"),
    dict(ngrams=(1, 3), standardize="strip_punctuation", output_sequence_length=10),
])
def test_text_vectorization_matches_keras(kwargs):
    ours, theirs = layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)
    ours.adapt(TEXTS)
    theirs.adapt(TEXTS)
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]
    out, expected = np.asarray(ops.convert_to_numpy(ours(QUERY))), keras.ops.convert_to_numpy(theirs(QUERY.tolist()))
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.astype("float64"), expected.astype("float64"), rtol=1e-6)
    config = ours.get_config()
    clone = layers.TextVectorization.from_config({**config, "vocabulary": ours.get_vocabulary(),
                                                  "idf_weights": None if kwargs.get("output_mode") != "tf_idf"
                                                  else ours._lookup_layer.idf_weights})
    np.testing.assert_allclose(np.asarray(ops.convert_to_numpy(clone(QUERY))), out, rtol=1e-6)


def test_text_vectorization_inputs_and_errors():
    layer = layers.TextVectorization(vocabulary=["cat", "dog"], output_sequence_length=3)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer([["Dog cat bird"]])), [[3, 2, 1]])
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(np.array([b"cat"]))), [[2, 0, 0]])
    assert layer.get_vocabulary() == ["", "[UNK]", "cat", "dog"]
    layer_fn = layers.TextVectorization(vocabulary=["X"], standardize=lambda t: np.char.upper(t.astype(str)),
                                        split=lambda t: [s.split("-") for s in t])
    np.testing.assert_array_equal(ops.convert_to_numpy(layer_fn(["x-y"])), [[2, 1]])
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="multi_hot", output_sequence_length=3)
    with pytest.raises(ValueError, match="standardize"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(TypeError, match="expected strings"):
        layer(np.array([1, 2]))
    symbolic = layer(lamina.KerasTensor((None, 1), dtype="string"))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "int64"


@pytest.mark.training
def test_vectorized_text_trains_a_classifier():
    vectorize = layers.TextVectorization(output_mode="multi_hot")
    texts = ["good movie", "great film", "bad movie", "awful film"] * 4
    labels = np.array([1, 1, 0, 0] * 4, "float32")
    vectorize.adapt(texts)
    x = vectorize(texts)
    model = lamina.Sequential([lamina.Input((vectorize.vocabulary_size(),)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    first = model.evaluate(x, labels, verbose=0)
    model.fit(x, labels, epochs=20, verbose=0)
    assert model.evaluate(x, labels, verbose=0) < first


@pytest.mark.parametrize("mode", ["int", "tf_idf"])
def test_adapted_vocabulary_survives_config_and_saving(mode, tmp_path):
    for cls, data in ((lamina.layers.StringLookup, np.array(["a", "b", "b", "c", "c", "c"])),
                      (lamina.layers.IntegerLookup, np.array([5, 7, 7, 9, 9, 9]))):
        layer = cls(output_mode=mode)
        layer.adapt(data)
        clone = cls.from_config(layer.get_config())
        assert clone.get_vocabulary() == layer.get_vocabulary()
        np.testing.assert_allclose(lamina.ops.convert_to_numpy(clone(data[:3])),
                                   lamina.ops.convert_to_numpy(layer(data[:3])))
    lookup = lamina.layers.IntegerLookup()
    lookup.adapt(np.array([5, 7, 7, 9, 9, 9]))
    model = lamina.Sequential([lamina.Input((3,), dtype="int64"), lookup])
    model.save(tmp_path / "lookup.keras")
    loaded = lamina.saving.load_model(tmp_path / "lookup.keras")
    x = np.array([[5, 9, 4]])
    np.testing.assert_array_equal(lamina.ops.convert_to_numpy(loaded(x)),
                                  lamina.ops.convert_to_numpy(model(x)))
