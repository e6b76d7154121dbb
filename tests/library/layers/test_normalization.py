"""BatchNormalization, LayerNormalization, GroupNormalization, RMSNormalization,
UnitNormalization and SpectralNormalization: harness (config, shapes, NumPy,
Keras, one training step, mixed precision), state updates and gradients against
Keras, and a BatchNormalization fit against Keras on each training backend."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

from .harness import BACKEND
from .test_core_extra import check_layer, compare_gradients

keras = pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(x):
    return ops.convert_to_numpy(x)


# -- BatchNormalization ----------------------------------------------------------------------
def _bn_ref(axis, training, epsilon=1e-3, center=True, scale=True):
    def ref(x, weights):
        w = list(weights)
        gamma = w.pop(0) if scale else 1.0
        beta = w.pop(0) if center else 0.0
        moving_mean, moving_var = w
        ax = axis % x.ndim
        red = tuple(i for i in range(x.ndim) if i != ax)
        shape = [1] * x.ndim
        shape[ax] = x.shape[ax]
        if training:
            mean, var = x.mean(axis=red), x.var(axis=red)
        else:
            mean, var = moving_mean, moving_var
        r = lambda v: np.reshape(v, shape) if np.ndim(v) else v  # noqa: E731
        return (x - r(mean)) / np.sqrt(r(var) + epsilon) * r(gamma) + r(beta)

    return ref


BN_CASES = [
    ({}, (4, 3), False),
    ({}, (4, 3), True),
    ({"axis": 1}, (2, 3, 4), True),
    ({"scale": False, "epsilon": 1e-5, "beta_initializer": "ones"}, (3, 2, 4), True),
    ({"momentum": 0.5, "moving_variance_initializer": {
        "class_name": "RandomUniform", "config": {"minval": 0.5, "maxval": 2.0, "seed": 1}},
      "moving_mean_initializer": "random_normal"}, (4, 3), False),
]


@pytest.mark.parametrize("kwargs,shape,training", BN_CASES)
def test_batch_normalization(kwargs, shape, training):
    ref = _bn_ref(kwargs.get("axis", -1), training, kwargs.get("epsilon", 1e-3),
                  kwargs.get("center", True), kwargs.get("scale", True))
    check_layer(layers.BatchNormalization, kwargs, shape, call_kwargs={"training": training},
                reference=ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kwargs,shape", [({}, (5, 3)), ({"axis": 1, "momentum": 0.8}, (2, 3, 4)),
                                          ({"center": False, "scale": False}, (4, 2))])
def test_batch_normalization_moving_statistics_match_keras(kwargs, shape):
    ours = layers.BatchNormalization(**kwargs)
    theirs = keras.layers.BatchNormalization(**kwargs)
    ours.build(shape)
    theirs.build(shape)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    for step in range(3):
        x = _x(shape, seed=step)
        out1, out2 = ours(x, training=True), theirs(x, training=True)
        np.testing.assert_allclose(_np(out1), keras.ops.convert_to_numpy(out2), rtol=1e-4,
                                   atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    x = _x(shape, seed=9)
    np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-4,
                               atol=1e-5)


def test_batch_normalization_frozen_runs_in_inference_mode():
    layer = layers.BatchNormalization(trainable=False)
    x = _x((6, 3)) * 3 + 2
    out = layer(x, training=True)
    np.testing.assert_allclose(_np(out), x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.0)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 1.0)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_batch_normalization_mask_matches_keras():
    x = _x((2, 4, 3))
    mask = np.array([[True, True, False, False], [True, False, True, True]])
    ours, theirs = layers.BatchNormalization(), keras.layers.BatchNormalization()
    out1 = ours(x, training=True, mask=mask)
    out2 = theirs(x, training=True, mask=mask)
    np.testing.assert_allclose(_np(out1), keras.ops.convert_to_numpy(out2), rtol=1e-4, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="one dimension less"):
        ours(x, training=True, mask=np.ones((2, 4, 3), bool))


@pytest.mark.parametrize("clipping", [None, {"rmax": 1.5, "rmin": 0.5, "dmax": 0.5}])
def test_batch_renormalization_matches_keras(clipping):
    kwargs = {"renorm": True, "renorm_clipping": clipping, "renorm_momentum": 0.9, "momentum": 0.8}
    ours, theirs = layers.BatchNormalization(**kwargs), keras.layers.BatchNormalization(**kwargs)
    ours.build((6, 3))
    theirs.build((6, 3))
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    for step in range(3):
        x = _x((6, 3), seed=step) * (step + 1)
        np.testing.assert_allclose(_np(ours(x, training=True)),
                                   keras.ops.convert_to_numpy(theirs(x, training=True)),
                                   rtol=1e-4, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="invalid keys"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmaxx": 1})
    with pytest.raises(ValueError, match="rmax should be greater"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 0.5, "rmin": 1.0})


def test_batch_normalization_errors_name_layer_and_shapes():
    layer = layers.BatchNormalization(name="bn")
    layer(_x((2, 3)))
    with pytest.raises(ValueError, match="bn"):
        layer(_x((2, 4)))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.BatchNormalization(axis=3, name="bn2")(_x((2, 3)))


@pytest.mark.parametrize("kwargs,shape,training", [({"axis": 1}, (2, 3, 4), True),
                                                    ({}, (4, 3), False)])
def test_batch_normalization_gradients_match_keras(kwargs, shape, training):
    compare_gradients(layers.BatchNormalization, {**kwargs, "gamma_initializer": "random_normal",
                                                  "beta_initializer": "random_normal"},
                      _x(shape), call_kwargs={"training": training}, rtol=1e-3, atol=1e-4)


def test_batch_normalization_stateless_call_returns_new_statistics():
    layer = layers.BatchNormalization(momentum=0.5)
    x = _x((8, 2)) + 4
    layer.build(x.shape)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    _, new = layer.stateless_call(trainable, non_trainable, x, training=True)
    np.testing.assert_allclose(_np(new[0]), 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(_np(new[1]), 0.5 + 0.5 * x.var(0), rtol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.0)  # the layer itself is unchanged


def _bn_model(lib, seed_init):
    return lib.Sequential([
        lib.Input((5,)),
        lib.layers.Dense(6, kernel_initializer=lib.initializers.GlorotUniform(seed_init)),
        lib.layers.BatchNormalization(momentum=0.8),
        lib.layers.Dense(4, activation="relu"),
        lib.layers.BatchNormalization(axis=-1, center=False, epsilon=1e-4),
        lib.layers.Dense(1),
    ])


@pytest.mark.training
def test_fit_with_batch_normalization_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(48, 5)).astype("float32") * 2 + 1
    y = (x @ rng.normal(size=(5, 1))).astype("float32")
    ours, theirs = _bn_model(lamina, 3), _bn_model(keras, 3)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer=lamina.optimizers.SGD(0.05, momentum=0.9), loss="mse", metrics=["mae"])
    theirs.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse", metrics=["mae"])
    h1 = ours.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0).history
    h2 = theirs.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-4)
    np.testing.assert_allclose(h1["mae"], h2["mae"], rtol=1e-4)
    for layer_ours, layer_theirs in zip(ours.layers, theirs.layers):
        if isinstance(layer_ours, layers.BatchNormalization):
            np.testing.assert_allclose(layer_ours.moving_mean.numpy(),
                                       keras.ops.convert_to_numpy(layer_theirs.moving_mean),
                                       rtol=1e-4, atol=1e-5)
            np.testing.assert_allclose(layer_ours.moving_variance.numpy(),
                                       keras.ops.convert_to_numpy(layer_theirs.moving_variance),
                                       rtol=1e-4, atol=1e-5)
    # Inference uses the moving statistics.
    np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-3,
                               atol=1e-4)


@pytest.mark.training
def test_fit_with_frozen_batch_normalization_keeps_statistics():
    x = _x((32, 3)) * 2 + 3
    bn = layers.BatchNormalization(trainable=False)
    model = lamina.Sequential([lamina.Input((3,)), bn, layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.0)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 1.0)


# -- LayerNormalization ----------------------------------------------------------------------
def _ln_ref(axis, epsilon=1e-3, center=True, scale=True):
    def ref(x, weights):
        axes = tuple(a % x.ndim for a in (axis if isinstance(axis, list) else [axis]))
        shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
        w = list(weights)
        gamma = np.reshape(w.pop(0), shape) if scale else 1.0
        beta = np.reshape(w.pop(0), shape) if center else 0.0
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        return (x - mean) / np.sqrt(var + epsilon) * gamma + beta

    return ref


@pytest.mark.parametrize("kwargs,shape", [
    ({}, (2, 5)),
    ({"axis": 1}, (2, 3, 4)),
    ({"axis": [1, 2]}, (2, 3, 4)),
    ({"center": False, "gamma_initializer": "random_normal"}, (3, 4)),
    ({"scale": False, "beta_initializer": "random_normal"}, (3, 4)),
])
def test_layer_normalization(kwargs, shape):
    # Keras's torch backend fails on a single non-trailing axis (axis=1 of a 3D input).
    keras_fails = BACKEND == "torch" and kwargs.get("axis") == 1
    check_layer(layers.LayerNormalization, kwargs, shape,
                keras_name="__no_keras__" if keras_fails else None,
                reference=_ln_ref(kwargs.get("axis", -1), kwargs.get("epsilon", 1e-3),
                                  kwargs.get("center", True), kwargs.get("scale", True)),
                rtol=1e-4, atol=1e-5)


def test_layer_normalization_rms_scaling_matches_keras():
    with pytest.warns(UserWarning, match="deprecated"):
        layer = check_layer(layers.LayerNormalization, {"rms_scaling": True}, (3, 4), rtol=1e-4,
                            atol=1e-5, mixed_precision=False)
    assert [w.name for w in layer.weights] == ["gamma"]
    assert layer.get_config()["rms_scaling"] is True


@pytest.mark.parametrize("kwargs,shape", [({"axis": [1, 2]}, (2, 3, 4))])
def test_layer_normalization_gradients_match_keras(kwargs, shape):
    compare_gradients(layers.LayerNormalization, {**kwargs, "gamma_initializer": "random_normal",
                                                  "beta_initializer": "random_normal"}, _x(shape))


def test_layer_normalization_bad_axis():
    with pytest.raises(TypeError, match="axis"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="out of bounds"):
        layers.LayerNormalization(axis=4, name="ln")(_x((2, 3)))


# -- GroupNormalization ----------------------------------------------------------------------
def _gn_ref(groups, axis=-1, epsilon=1e-3):
    def ref(x, weights):
        gamma, beta = weights
        xm = np.moveaxis(x, axis, -1)
        c = xm.shape[-1]
        g = c if groups == -1 else groups
        grouped = xm.reshape(xm.shape[:-1] + (g, c // g))
        red = tuple(range(1, grouped.ndim - 2)) + (grouped.ndim - 1,)
        mean = grouped.mean(axis=red, keepdims=True)
        var = grouped.var(axis=red, keepdims=True)
        normed = ((grouped - mean) / np.sqrt(var + epsilon)).reshape(xm.shape) * gamma + beta
        return np.moveaxis(normed, -1, axis)

    return ref


@pytest.mark.parametrize("kwargs,shape", [
    ({"groups": 2}, (2, 3, 4)),
    ({"groups": 1}, (2, 3, 4)),
    ({"groups": -1}, (2, 3, 4)),
    ({"groups": 3, "axis": 1}, (2, 6, 2, 2)),
    ({"groups": 2, "gamma_initializer": "random_normal", "beta_initializer": "random_normal",
      "epsilon": 1e-5}, (2, 2, 2, 4)),
])
def test_group_normalization(kwargs, shape):
    check_layer(layers.GroupNormalization, kwargs, shape,
                reference=_gn_ref(kwargs["groups"], kwargs.get("axis", -1),
                                  kwargs.get("epsilon", 1e-3)), rtol=1e-4, atol=1e-5)


def test_group_normalization_gradients_match_keras():
    compare_gradients(layers.GroupNormalization,
                      {"groups": 2, "gamma_initializer": "random_normal"}, _x((2, 3, 4)))


@pytest.mark.parametrize("groups,match", [(3, "must divide"), (8, "cannot be more")])
def test_group_normalization_bad_groups(groups, match):
    with pytest.raises(ValueError, match=match):
        layers.GroupNormalization(groups=groups, name="gn")(_x((2, 4)))
    with pytest.raises(ValueError, match="groups"):
        layers.GroupNormalization(groups=0)


# -- RMSNormalization and UnitNormalization --------------------------------------------------
@pytest.mark.parametrize("kwargs,shape", [({}, (2, 5)), ({"axis": [1, 2]}, (2, 3, 4)),
                                          ({"axis": 1, "epsilon": 1e-3}, (2, 3, 4))])
def test_rms_normalization(kwargs, shape):
    def ref(x, w):
        axis = kwargs.get("axis", -1)
        axes = tuple(axis) if isinstance(axis, list) else (axis,)
        shp = [x.shape[i] if i in [a % x.ndim for a in axes] else 1 for i in range(x.ndim)]
        ms = np.mean(x ** 2, axis=axes, keepdims=True)
        return x / np.sqrt(ms + kwargs.get("epsilon", 1e-6)) * np.reshape(w[0], shp)

    # Keras fails on a non-trailing axis (axis=1 of a 3D input): compare with it only elsewhere.
    trailing = kwargs.get("axis", -1) != 1
    check_layer(layers.RMSNormalization, kwargs, shape, reference=ref, rtol=1e-4, atol=1e-5,
                keras_name=None if trailing else "__no_keras__")
    if BACKEND != "numpy" and isinstance(kwargs.get("axis"), list):
        compare_gradients(layers.RMSNormalization, kwargs, _x(shape))


@pytest.mark.parametrize("axis,shape", [(-1, (2, 5)), (1, (2, 3, 4)), ([1, 2], (2, 3, 4))])
def test_unit_normalization(axis, shape):
    ax = tuple(axis) if isinstance(axis, list) else axis
    check_layer(layers.UnitNormalization, {"axis": axis}, shape,
                reference=lambda x, w: x / np.sqrt((x ** 2).sum(axis=ax, keepdims=True)),
                rtol=1e-5, atol=1e-6)


def test_unit_normalization_errors():
    with pytest.raises(TypeError, match="axis"):
        layers.UnitNormalization(axis=1.5)
    with pytest.raises(ValueError, match="out of bounds"):
        layers.UnitNormalization(axis=3).compute_output_shape((None, 2))


# -- SpectralNormalization -------------------------------------------------------------------
@pytest.mark.parametrize("inner,shape,iterations", [
    ("dense", (3, 4), 1), ("dense", (3, 4), 3), ("conv", (2, 5, 5, 2), 2),
])
def test_spectral_normalization_matches_keras(inner, shape, iterations):
    def make(lib):
        if inner == "dense":
            layer = lib.layers.Dense(3)
        else:
            layer = lib.layers.Conv2D(3, 3)
        return lib.layers.SpectralNormalization(layer, power_iterations=iterations)

    x = _x(shape)
    ours, theirs = make(lamina), make(keras)
    ours(x)
    theirs(x)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    for _ in range(2):
        np.testing.assert_allclose(_np(ours(x, training=True)),
                                   keras.ops.convert_to_numpy(theirs(x, training=True)),
                                   rtol=1e-4, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # The kernel's largest singular value is now close to 1.
    # Power iteration under-estimates sigma, so the top singular value is now >= 1.
    kernel = ours.layer.kernel.numpy().reshape(-1, 3)
    assert np.linalg.svd(kernel, compute_uv=False)[0] >= 1 - 1e-4
    np.testing.assert_allclose(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-4,
                               atol=1e-5)


def test_spectral_normalization_config_and_errors():
    layer = layers.SpectralNormalization(layers.Dense(2), power_iterations=2)
    layer(_x((2, 3)))
    config = layers.serialize(layer)
    clone = layers.deserialize(config)
    assert clone.power_iterations == 2 and isinstance(clone.layer, layers.Dense)
    assert layer.compute_output_shape((None, 3)) == (None, 2)
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="kernel"):
        layers.SpectralNormalization(layers.ReLU())(_x((2, 3)))


@pytest.mark.training
def test_spectral_normalization_trains_in_a_model():
    x = _x((16, 3))
    sn = layers.SpectralNormalization(layers.Dense(2))
    model = lamina.Sequential([lamina.Input((3,)), sn, layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    before = sn.vector_u.numpy().copy()
    history = model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.allclose(sn.vector_u.numpy(), before)
