"""ReversibleEmbedding against Keras 3 (same weights): forward lookups, reverse logits (tied and
untied, soft cap, reverse dtype), masks, symbolic shapes, config and saving."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

keras = pytest.importorskip("keras")

IDS = np.array([[1, 0, 5], [3, 9, 0]])


def _pair(**kwargs):
    ours, theirs = layers.ReversibleEmbedding(10, 4, **kwargs), keras.layers.ReversibleEmbedding(10, 4, **kwargs)
    ours.build()
    theirs.build()
    weights = [np.random.default_rng(i).normal(size=w.shape).astype("float32") for i, w in enumerate(theirs.weights)]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs, weights


@pytest.mark.parametrize("kwargs", [dict(), dict(tie_weights=False), dict(logit_soft_cap=2.0),
                                    dict(tie_weights=False, reverse_dtype="float16")])
def test_forward_and_reverse_match_keras(kwargs):
    ours, theirs, weights = _pair(**kwargs)
    assert len(ours.weights) == (1 if kwargs.get("tie_weights", True) else 2)
    forward = ops.convert_to_numpy(ours(IDS))
    np.testing.assert_array_equal(forward, weights[0][IDS])
    np.testing.assert_allclose(forward, keras.ops.convert_to_numpy(theirs(IDS)), atol=1e-6)
    hidden = np.random.default_rng(7).normal(size=(2, 3, 4)).astype("float32")
    logits = ops.convert_to_numpy(ours(hidden, reverse=True))
    expected = keras.ops.convert_to_numpy(theirs(hidden, reverse=True))
    assert logits.shape == (2, 3, 10) and logits.dtype == expected.dtype
    np.testing.assert_allclose(logits, expected, rtol=1e-3 if "reverse_dtype" in kwargs else 1e-5, atol=1e-3)
    kernel = weights[0].T if kwargs.get("tie_weights", True) else weights[1]
    reference = hidden @ kernel
    if "logit_soft_cap" in kwargs:
        reference = np.tanh(reference / 2.0) * 2.0
        assert np.abs(logits).max() < 2.0
    np.testing.assert_allclose(logits, reference, rtol=1e-2 if "reverse_dtype" in kwargs else 1e-5, atol=1e-2)
    config = ours.get_config()
    assert layers.ReversibleEmbedding.from_config(config).get_config() == config


def test_masks_and_symbolic_shapes():
    layer = layers.ReversibleEmbedding(10, 4, mask_zero=True)
    inputs = lamina.Input((3,), dtype="int32")
    hidden = layer(inputs)
    logits = layer(hidden, reverse=True)
    assert hidden.shape == (None, 3, 4) and logits.shape == (None, 3, 10)
    assert layer.compute_output_shape((None, 3, 4), reverse=True) == (None, 3, 10)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.compute_mask(ops.convert_to_tensor(IDS))), IDS != 0)
    assert layer.compute_mask(ops.convert_to_tensor(np.ones((2, 3, 4), "float32"))) is None
    model = lamina.Model(inputs, logits)
    out = model.predict(IDS, verbose=0)
    table = ops.convert_to_numpy(layer.embeddings)
    np.testing.assert_allclose(out, table[IDS] @ table.T, rtol=1e-5, atol=1e-5)


def test_bad_soft_cap_is_refused():
    with pytest.raises(ValueError, match="ReversibleEmbedding.*logit_soft_cap"):
        layers.ReversibleEmbedding(10, 4, logit_soft_cap=-1.0)


def test_save_and_load_untied(tmp_path):
    inputs = lamina.Input((3,), dtype="int32")
    layer = layers.ReversibleEmbedding(10, 4, tie_weights=False)
    model = lamina.Model(inputs, layer(layer(inputs), reverse=True))
    path = str(tmp_path / "model.keras")
    model.save(path)
    clone = lamina.saving.load_model(path)
    np.testing.assert_allclose(clone.predict(IDS, verbose=0), model.predict(IDS, verbose=0), atol=1e-6)
    theirs = keras.saving.load_model(path)  # the file is Keras 3's format
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(IDS)), model.predict(IDS, verbose=0), atol=1e-5)
