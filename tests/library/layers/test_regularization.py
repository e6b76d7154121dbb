"""SpatialDropout1D/2D/3D, GaussianDropout, GaussianNoise, AlphaDropout and
ActivityRegularization: identity at inference (harness, Keras), the right noise
statistics and patterns in training, seeded reproducibility."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops


from .test_core_extra import check_layer  # noqa: E402

keras = pytest.importorskip("keras")


def _np(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("cls,kwargs,shape", [
    (layers.SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
    (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4)),
    (layers.SpatialDropout2D, {"rate": 0.3, "data_format": "channels_first"}, (2, 4, 3, 3)),
    (layers.SpatialDropout3D, {"rate": 0.5}, (1, 2, 2, 2, 3)),
    (layers.SpatialDropout3D, {"rate": 0.2, "data_format": "channels_first"}, (1, 3, 2, 2, 2)),
    (layers.GaussianDropout, {"rate": 0.3}, (2, 5)),
    (layers.GaussianNoise, {"stddev": 0.2}, (2, 5)),
    (layers.AlphaDropout, {"rate": 0.2}, (2, 5)),
    (layers.AlphaDropout, {"rate": 0.2, "noise_shape": (None, 1)}, (2, 5)),
    (layers.ActivityRegularization, {"l1": 0.1, "l2": 0.01}, (2, 5)),
])
def test_identity_at_inference(cls, kwargs, shape):
    check_layer(cls, kwargs, shape, reference=lambda x, w: x)


def test_spatial_dropout_config_matches_keras():
    for cls in ("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"):
        ours = getattr(layers, cls)(0.25, seed=3, name="sd").get_config()
        theirs = getattr(keras.layers, cls)(0.25, seed=3, name="sd").get_config()
        assert ours == theirs


@pytest.mark.parametrize("cls,shape,channel_axis,data_format", [
    (layers.SpatialDropout1D, (8, 5, 6), 2, None),
    (layers.SpatialDropout2D, (8, 3, 3, 6), 3, "channels_last"),
    (layers.SpatialDropout2D, (8, 6, 3, 3), 1, "channels_first"),
    (layers.SpatialDropout3D, (4, 2, 2, 2, 6), 4, "channels_last"),
    (layers.SpatialDropout3D, (4, 6, 2, 2, 2), 1, "channels_first"),
])
def test_spatial_dropout_drops_whole_channels(cls, shape, channel_axis, data_format):
    kwargs = {} if data_format is None else {"data_format": data_format}
    layer = cls(0.5, seed=1, **kwargs)
    out = _np(layer(np.ones(shape, "float32"), training=True))
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert 0 < (out == 0).mean() < 1
    # Within a (sample, channel) pair, every position has the same value.
    moved = np.moveaxis(out, channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    assert (moved.min(axis=-1) == moved.max(axis=-1)).all()


def test_spatial_dropout_rejects_wrong_rank():
    with pytest.raises(ValueError, match="sd2"):
        layers.SpatialDropout2D(0.5, name="sd2")(np.ones((2, 3, 4), "float32"))


def test_gaussian_noise_statistics_and_seeds():
    x = np.zeros((200, 50), "float32")
    out = _np(layers.GaussianNoise(0.5, seed=2)(x, training=True))
    assert abs(out.mean()) < 0.02 and abs(out.std() - 0.5) < 0.02
    again = _np(layers.GaussianNoise(0.5, seed=2)(x, training=True))
    np.testing.assert_array_equal(out, again)


def test_gaussian_dropout_statistics():
    x = np.ones((200, 50), "float32")
    out = _np(layers.GaussianDropout(0.2, seed=2)(x, training=True))
    assert abs(out.mean() - 1) < 0.02 and abs(out.std() - np.sqrt(0.2 / 0.8)) < 0.02


def test_alpha_dropout_keeps_mean_and_variance():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 50)).astype("float32")
    out = _np(layers.AlphaDropout(0.2, seed=3)(x, training=True))
    assert abs(out.mean()) < 0.05 and abs(out.std() - 1) < 0.05
    # Dropped entries all take the same value a * alpha_p + b.
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.2
    assert np.isclose(out, a * alpha_p + b, atol=1e-5).mean() > 0.15
    shared = _np(layers.AlphaDropout(0.5, noise_shape=(None, 1), seed=1)(x[:20], training=True))
    a5 = ((1 - 0.5) * (1 + 0.5 * alpha_p ** 2)) ** -0.5
    dropped = np.isclose(shared, a5 * alpha_p - a5 * alpha_p * 0.5, atol=1e-5)
    assert all(row.all() or not row.any() for row in dropped)
    assert dropped.any() and not dropped.all()


@pytest.mark.parametrize("cls,kwargs", [
    (layers.GaussianDropout, {"rate": 1.5}), (layers.GaussianNoise, {"stddev": -1}),
    (layers.AlphaDropout, {"rate": 2}),
])
def test_bad_rates(cls, kwargs):
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        cls(**kwargs)


def test_activity_regularization_loss_matches_keras():
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    ours = layers.ActivityRegularization(l1=0.1, l2=0.01)
    ours(x)
    theirs = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    theirs(x)
    assert len(ours.losses) == 1
    np.testing.assert_allclose(float(_np(ours.losses[0])),
                               float(keras.ops.convert_to_numpy(theirs.losses[0])), rtol=1e-5)
    assert ours.get_config().keys() == theirs.get_config().keys()
    assert "activity_regularizer" not in ours.get_config()


@pytest.mark.training
def test_noise_layers_train_in_a_model():
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    model = lamina.Sequential([lamina.Input((4,)), layers.GaussianNoise(0.1, seed=1),
                               layers.Dense(3), layers.AlphaDropout(0.1, seed=2),
                               layers.GaussianDropout(0.1, seed=3), layers.Dense(1),
                               layers.ActivityRegularization(l2=0.01)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, x[:, :1], epochs=2, batch_size=8, verbose=0)
    assert all(np.isfinite(history.history["loss"]))
