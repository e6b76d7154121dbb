"""TimeDistributed: the layer harness, outputs and gradients against Keras 3 with the
same weights (Dense, Conv2D, a nested Sequential, BatchNormalization statistics per
step), masks, symbolic shapes with unknown time, config round trip and errors."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import BACKEND
from .test_attention import compare_with_keras
from .test_core_extra import check_layer

keras = pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(x):
    return ops.convert_to_numpy(x)


def test_time_distributed_dense_harness_and_numpy():
    def reference(x, weights):
        kernel, bias = weights
        return x @ kernel + bias

    check_layer(layers.TimeDistributed, {"layer": layers.Dense(4)}, input_shape=(2, 3, 5),
                reference=reference, keras_name="-",  # Keras: test_..._matches_keras
                mixed_precision=False)  # the wrapped layer keeps its own dtype policy


@pytest.mark.parametrize("inner,shape", [
    (lambda lib: lib.layers.Dense(4, activation="tanh"), (2, 3, 5)),
    (lambda lib: lib.layers.Conv2D(2, 3, padding="same"), (2, 3, 5, 5, 2)),
    (lambda lib: lib.Sequential([lib.layers.Dense(3, activation="relu"), lib.layers.Dense(2)]),
     (2, 4, 3)),
])
def test_time_distributed_matches_keras(inner, shape):
    compare_with_keras(lambda lib: lib.layers.TimeDistributed(inner(lib)), [_x(shape)],
                       lambda layer, x: layer(x))


@pytest.mark.training
def test_time_distributed_batch_normalization_is_per_step_like_keras():
    x = _x((4, 3, 2)) * 2 + 1
    ours = layers.TimeDistributed(layers.BatchNormalization(momentum=0.5))
    theirs = keras.layers.TimeDistributed(keras.layers.BatchNormalization(momentum=0.5))
    a, b = ours(x, training=True), theirs(x, training=True)
    np.testing.assert_allclose(_np(a), keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.layer.moving_mean.numpy(),
                               keras.ops.convert_to_numpy(theirs.layer.moving_mean), rtol=1e-5)
    # Each step normalizes with its own statistics.
    np.testing.assert_allclose(_np(a).mean(axis=0), 0.0, atol=1e-5)


def test_time_distributed_passes_and_keeps_the_mask():
    from lamina.backend.common.masking import get_keras_mask

    ids = np.array([[1, 2, 0], [3, 0, 0]], "int32")

    def model(lib):
        inputs = lib.Input((3,), dtype="int32")
        x = lib.layers.Embedding(5, 4, mask_zero=True)(inputs)
        x = lib.layers.TimeDistributed(lib.layers.Dense(3))(x)
        return lib.Model(inputs, lib.layers.GlobalAveragePooling1D()(x))  # mask-aware

    ours, theirs = model(lamina), model(keras)
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(_np(ours(ids)), keras.ops.convert_to_numpy(theirs(ids)),
                               rtol=1e-5, atol=1e-6)
    emb = layers.Embedding(5, 4, mask_zero=True)
    out = layers.TimeDistributed(layers.Dense(3))(emb(ids))
    np.testing.assert_array_equal(_np(get_keras_mask(out)), ids != 0)


def test_time_distributed_symbolic_unknown_time_and_config():
    layer = layers.TimeDistributed(layers.Dense(4), name="td")
    spec = layer(lamina.KerasTensor((None, None, 5)))
    assert spec.shape == (None, None, 4)
    out = layer(_x((2, 7, 5)))
    assert tuple(out.shape) == (2, 7, 4)
    clone = layers.TimeDistributed.from_config(layer.get_config())
    assert clone.layer.get_config()["units"] == 4
    model = lamina.Sequential([lamina.Input((6, 5)), layers.TimeDistributed(layers.Dense(2))])
    assert model.output_shape == (None, 6, 2)
    assert model.count_params() == 12


def test_time_distributed_errors():
    with pytest.raises(ValueError, match=r"TimeDistributed must wrap a lamina layer.*'dense'"):
        layers.TimeDistributed("dense")
    layer = layers.TimeDistributed(layers.Dense(2), name="td")
    with pytest.raises(ValueError, match=r"'td' expects an input of rank >= 3.*\(2, 5\)"):
        layer(_x((2, 5)))
    with pytest.raises(ValueError, match=r"'td'.*mask must start with.*\(2, 3\).*\(2, 4\)"):
        layer(_x((2, 3, 5)), mask=np.ones((2, 4), bool))


@pytest.mark.training
def test_time_distributed_trains_in_a_model():
    if BACKEND not in ("jax", "torch", "tensorflow"):
        pytest.skip("training backends only")
    x = _x((8, 3, 4))
    y = x.sum(-1, keepdims=True)
    model = lamina.Sequential([lamina.Input((3, 4)), layers.TimeDistributed(layers.Dense(1))])
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0).history["loss"]
    assert history[-1] < history[0] / 2
