"""Every ``lamina.losses`` name against real Keras 3 on the same backend: values (functions and
classes, every reduction, sample weights, masks), configs and get/serialize/deserialize."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import ops

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
B = 4


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _data(kind):
    rng = np.random.default_rng(abs(hash(kind)) % 1000)
    f32 = lambda a: np.asarray(a, "float32")  # noqa: E731
    if kind == "reg":
        return f32(rng.normal(size=(B, 3))), f32(rng.normal(size=(B, 3)))
    if kind == "pos":
        return f32(rng.uniform(0, 2, size=(B, 3))), f32(rng.uniform(0.1, 2, size=(B, 3)))
    if kind == "binary":
        return f32(rng.integers(0, 2, size=(B, 3))), f32(rng.uniform(0.05, 0.95, size=(B, 3)))
    if kind == "binary_logits":
        return f32(rng.integers(0, 2, size=(B, 3))), f32(rng.normal(size=(B, 3)) * 2)
    if kind == "onehot":
        return f32(np.eye(4)[rng.integers(0, 4, size=B)]), f32(_softmax(rng.normal(size=(B, 4))))
    if kind == "onehot_logits":
        return f32(np.eye(4)[rng.integers(0, 4, size=B)]), f32(rng.normal(size=(B, 4)) * 2)
    if kind == "soft":
        return f32(_softmax(rng.normal(size=(B, 4)))), f32(_softmax(rng.normal(size=(B, 4))))
    if kind == "sparse":
        return rng.integers(0, 4, size=(B,)).astype("int32"), f32(_softmax(rng.normal(size=(B, 4))))
    if kind == "sparse_logits":
        return rng.integers(0, 4, size=(B, 1)).astype("int32"), f32(rng.normal(size=(B, 4)) * 2)
    if kind == "seq_sparse":   # (batch, time) labels with class 0 to be ignored
        return rng.integers(0, 4, size=(B, 5)).astype("int32"), f32(rng.normal(size=(B, 5, 4)))
    if kind == "signed":
        return f32(rng.choice([-1.0, 1.0], size=(B, 3))), f32(rng.normal(size=(B, 3)))
    if kind == "seg":
        return (f32(rng.integers(0, 2, size=(B, 3, 3, 1))),
                f32(rng.uniform(0, 1, size=(B, 3, 3, 1))))
    if kind == "circle":
        emb = rng.normal(size=(6, 5))
        emb /= np.linalg.norm(emb, axis=1, keepdims=True)
        return np.array([0, 0, 1, 1, 2, 2], "int32"), f32(emb)
    if kind == "ctc":
        labels = np.array([[1, 2, 0], [3, 1, 2], [2, 0, 0], [1, 1, 3]], "int32")
        return labels, f32(rng.normal(size=(B, 7, 4)))
    raise KeyError(kind)


# case id: (class name, class kwargs, function name, data kind)
CASES = {
    "mse": ("MeanSquaredError", {}, "mean_squared_error", "reg"),
    "mae": ("MeanAbsoluteError", {}, "mean_absolute_error", "reg"),
    "mape": ("MeanAbsolutePercentageError", {}, "mean_absolute_percentage_error", "reg"),
    "msle": ("MeanSquaredLogarithmicError", {}, "mean_squared_logarithmic_error", "pos"),
    "cosine": ("CosineSimilarity", {}, "cosine_similarity", "reg"),
    "cosine_axis0": ("CosineSimilarity", {"axis": 0}, "cosine_similarity", "reg"),
    "huber": ("Huber", {}, "huber", "reg"),
    "huber_delta": ("Huber", {"delta": 0.3}, "huber", "reg"),
    "log_cosh": ("LogCosh", {}, "log_cosh", "reg"),
    "kld": ("KLDivergence", {}, "kl_divergence", "soft"),
    "poisson": ("Poisson", {}, "poisson", "pos"),
    "bce": ("BinaryCrossentropy", {}, "binary_crossentropy", "binary"),
    "bce_smooth": ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary_crossentropy",
                   "binary"),
    "bce_logits": ("BinaryCrossentropy", {"from_logits": True}, "binary_crossentropy",
                   "binary_logits"),
    "bce_axis0": ("BinaryCrossentropy", {"axis": 0}, "binary_crossentropy", "binary"),
    "bfce": ("BinaryFocalCrossentropy", {}, "binary_focal_crossentropy", "binary"),
    "bfce_all": ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3,
                                             "gamma": 1.5, "from_logits": True,
                                             "label_smoothing": 0.1},
                 "binary_focal_crossentropy", "binary_logits"),
    "cce": ("CategoricalCrossentropy", {}, "categorical_crossentropy", "onehot"),
    "cce_smooth_logits": ("CategoricalCrossentropy", {"from_logits": True,
                                                      "label_smoothing": 0.1},
                          "categorical_crossentropy", "onehot_logits"),
    "cfce": ("CategoricalFocalCrossentropy", {}, "categorical_focal_crossentropy", "onehot"),
    "cfce_all": ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0,
                                                  "from_logits": True, "label_smoothing": 0.1},
                 "categorical_focal_crossentropy", "onehot_logits"),
    "cgce": ("CategoricalGeneralizedCrossEntropy", {}, "categorical_generalized_cross_entropy",
             "sparse"),
    "cgce_q": ("CategoricalGeneralizedCrossEntropy", {"q": 0.2},
               "categorical_generalized_cross_entropy", "sparse"),
    "scce": ("SparseCategoricalCrossentropy", {}, "sparse_categorical_crossentropy", "sparse"),
    "scce_logits": ("SparseCategoricalCrossentropy", {"from_logits": True},
                    "sparse_categorical_crossentropy", "sparse_logits"),
    "scce_ignore": ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0},
                    "sparse_categorical_crossentropy", "seq_sparse"),
    "hinge": ("Hinge", {}, "hinge", "binary_logits"),
    "hinge_signed": ("Hinge", {}, "hinge", "signed"),
    "squared_hinge": ("SquaredHinge", {}, "squared_hinge", "binary_logits"),
    "categorical_hinge": ("CategoricalHinge", {}, "categorical_hinge", "onehot_logits"),
    "dice": ("Dice", {}, "dice", "seg"),
    "dice_axis": ("Dice", {"axis": (1, 2, 3)}, "dice", "seg"),
    "tversky": ("Tversky", {}, "tversky", "seg"),
    "tversky_axis": ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, "tversky", "seg"),
    "circle": ("Circle", {}, "circle", "circle"),
    "circle_args": ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False},
                    "circle", "circle"),
    "ctc": ("CTC", {}, "ctc", "ctc"),
}
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
# Constructor arguments Keras 3.15 drops from get_config (so they are lost on reload); lamina
# keeps them.
EXTRA_CONFIG_KEYS = {"Huber": {"delta"}, "CosineSimilarity": {"axis"},
                     "SparseCategoricalCrossentropy": {"axis"}}
_FN_KWARGS = {"CosineSimilarity": ("axis",), "Huber": ("delta",), "CTC": (),
              "CategoricalGeneralizedCrossEntropy": ("q",)}


def _np(x, lib=lamina):
    return np.asarray(lib.ops.convert_to_numpy(x))


def _close(ours, theirs, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(_np(ours), _np(theirs, keras), rtol=rtol, atol=atol)


def _skip_keras_numpy_bugs(case):
    if case == "cosine_axis0" and keras.backend.backend() == "numpy":
        pytest.skip("Keras's normalize() on NumPy arrays ignores axis=0 (a Keras bug)")


def _fn_kwargs(cls_name, kwargs):
    keys = _FN_KWARGS.get(cls_name)
    return dict(kwargs) if keys is None else {k: v for k, v in kwargs.items() if k in keys}


@pytest.mark.parametrize("case", sorted(CASES))
def test_function_matches_keras(case):
    cls_name, kwargs, fn_name, kind = CASES[case]
    y_true, y_pred = _data(kind)
    fn_kwargs = _fn_kwargs(cls_name, kwargs)
    if fn_name == "categorical_generalized_cross_entropy":
        fn_kwargs.setdefault("q", 0.5)
    if fn_name == "circle":
        fn_kwargs = {k: v for k, v in kwargs.items()}
    _skip_keras_numpy_bugs(case)
    ours = getattr(lamina.losses, fn_name)(y_true, y_pred, **fn_kwargs)
    # Keras's functions expect backend tensors (its cgce fails on NumPy input with torch).
    theirs = getattr(keras.losses, fn_name)(keras.ops.convert_to_tensor(y_true),
                                            keras.ops.convert_to_tensor(y_pred), **fn_kwargs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    _close(ours, theirs, rtol=1e-4 if case.startswith("ctc") else 1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_class_matches_keras(case, reduction):
    cls_name, kwargs, _, kind = CASES[case]
    _skip_keras_numpy_bugs(case)
    y_true, y_pred = _data(kind)
    ours = getattr(lamina.losses, cls_name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, cls_name)(reduction=reduction, **kwargs)
    rtol = 1e-4 if case.startswith("ctc") else 1e-5
    _close(ours(y_true, y_pred), theirs(y_true, y_pred), rtol=rtol)
    if case.startswith(("dice", "tversky")) and "axis" not in kwargs or case.endswith("axis0"):
        return  # not one value per sample: a per-sample weight does not apply
    n = y_true.shape[0]
    weights = np.linspace(0.0, 2.0, n).astype("float32")
    if kind == "seq_sparse":   # one weight per time step
        weights = np.linspace(0.0, 2.0, y_true.size).reshape(y_true.shape).astype("float32")
    _close(ours(y_true, y_pred, sample_weight=weights),
           theirs(y_true, y_pred, sample_weight=weights), rtol=rtol)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    cls_name, kwargs, fn_name, _ = CASES[case]
    ours = getattr(lamina.losses, cls_name)(name="my_loss", reduction="sum", **kwargs)
    theirs = getattr(keras.losses, cls_name)(name="my_loss", reduction="sum", **kwargs)
    config, expected = ours.get_config(), theirs.get_config()
    extra = EXTRA_CONFIG_KEYS.get(cls_name, set())
    assert set(config) == set(expected) | extra
    for key in expected:
        assert config[key] == expected[key] or (
            isinstance(expected[key], tuple) and list(expected[key]) == list(config[key])), key
    for key in extra:
        assert config[key] == kwargs.get(key, config[key])
    clone = type(ours).from_config(config)
    assert clone.get_config() == config
    restored = lamina.losses.deserialize(lamina.losses.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == config
    # A config written by Keras loads in lamina.
    from_keras = lamina.losses.deserialize(keras.losses.serialize(theirs))
    assert type(from_keras) is type(ours)
    assert lamina.losses.get(cls_name).name == theirs.__class__().name
    assert lamina.losses.get(fn_name) is getattr(lamina.losses, fn_name)
    fn = lamina.losses.deserialize(lamina.losses.serialize(getattr(lamina.losses, fn_name)))
    assert fn is getattr(lamina.losses, fn_name)


def test_namespace_matches_keras():
    public = {n for n in dir(keras.losses) if not n.startswith("_")}
    assert set(lamina.losses.__all__) == public
    for name in lamina.losses.__all__:
        assert hasattr(lamina.losses, name), name
    assert not hasattr(lamina.losses, "ops")


@pytest.mark.parametrize("alias", ["mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE",
                                   "kld", "KLD", "bce", "BCE"])
def test_aliases_match_keras(alias):
    assert lamina.losses.get(alias).__name__ == keras.losses.get(alias).__name__


def test_get_identifiers():
    assert lamina.losses.get(None) is None
    assert isinstance(lamina.losses.get("Huber"), lamina.losses.Huber)
    assert isinstance(lamina.losses.get(lamina.losses.Dice), lamina.losses.Dice)
    loss = lamina.losses.get({"class_name": "Huber", "config": {"delta": 0.5}})
    assert loss.delta == 0.5 and loss.get_config()["delta"] == 0.5
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert lamina.losses.get(fn) is fn
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        lamina.losses.get("not_a_loss")
    with pytest.raises(ValueError, match="huber_loss"):
        lamina.losses.get("huber_loss")  # a loss *name*, not a catalog key (as in Keras)
    with pytest.raises(ValueError, match="Could not interpret"):
        lamina.losses.get(3)


def test_bad_arguments():
    with pytest.raises(ValueError, match="reduction"):
        lamina.losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match="q must be"):
        lamina.losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="axis"):
        lamina.losses.categorical_crossentropy(np.eye(2), np.eye(2), axis=True)
    with pytest.raises(ValueError, match="y_true"):
        lamina.losses.ctc(np.zeros((2,), "int32"), np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="y_pred"):
        lamina.losses.ctc(np.zeros((2, 3), "int32"), np.zeros((2, 3), "float32"))
    with pytest.raises(Exception):
        lamina.losses.MeanSquaredError()(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        lamina.losses.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1)))


def test_loss_function_wrapper_config_and_numpy_reference():
    wrapper = lamina.losses.losses.LossFunctionWrapper(lamina.losses.huber, name="h", delta=2.0)
    config = wrapper.get_config()
    from keras.src.losses.losses import LossFunctionWrapper

    theirs = LossFunctionWrapper(keras.losses.huber, name="h", delta=2.0)
    assert set(config) == set(theirs.get_config())
    clone = type(wrapper).from_config(config)
    assert clone.fn is lamina.losses.huber and clone._fn_kwargs == {"delta": 2.0}
    y_true, y_pred = _data("reg")
    err = np.abs(y_pred - y_true)
    expected = np.where(err <= 2.0, 0.5 * err ** 2, 2.0 * err - 2.0).mean(-1).mean()
    np.testing.assert_allclose(_np(clone(y_true, y_pred)), expected, rtol=1e-5)


def test_numpy_references():
    y_true, y_pred = _data("reg")
    np.testing.assert_allclose(_np(lamina.losses.log_cosh(y_true, y_pred)),
                               np.log(np.cosh(y_pred - y_true)).mean(-1), rtol=1e-5)
    np.testing.assert_allclose(_np(lamina.losses.mean_absolute_percentage_error(y_true, y_pred)),
                               100 * np.abs((y_true - y_pred) / np.abs(y_true)).mean(-1),
                               rtol=1e-4)
    y, p = _data("binary_logits")
    s = np.where(y == 1, 1.0, -1.0)
    np.testing.assert_allclose(_np(lamina.losses.hinge(y, p)),
                               np.maximum(1 - s * p, 0).mean(-1), rtol=1e-5)
    y, p = _data("seg")
    dice = 1 - 2 * (y * p).sum() / (y.sum() + p.sum() + 1e-7)
    np.testing.assert_allclose(_np(lamina.losses.dice(y, p)), dice, rtol=1e-5)


def test_sparse_ignore_class_masks_the_average():
    y_true, logits = _data("seq_sparse")
    values = lamina.losses.sparse_categorical_crossentropy(y_true, logits, from_logits=True,
                                                           ignore_class=0)
    assert np.all(_np(values)[y_true == 0] == 0)
    mean = lamina.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(
        y_true, logits)
    np.testing.assert_allclose(_np(mean), _np(values).sum() / (y_true != 0).sum(), rtol=1e-5)


@pytest.mark.backends("jax", "torch", "tensorflow")  # Keras cannot attach masks to NumPy arrays
def test_mask_on_predictions_matches_keras():
    y_true, y_pred = _data("reg")
    mask = np.array([True, False, True, True])
    ours_pred = ops.convert_to_tensor(y_pred)
    lamina.backend.common.masking.set_keras_mask(ours_pred, ops.convert_to_tensor(mask))
    theirs_pred = keras.ops.convert_to_tensor(y_pred)
    theirs_pred._keras_mask = keras.ops.convert_to_tensor(mask)
    for reduction in ("sum_over_batch_size", "sum"):
        ours = lamina.losses.MeanSquaredError(reduction=reduction)(y_true, ours_pred)
        theirs = keras.losses.MeanSquaredError(reduction=reduction)(y_true, theirs_pred)
        _close(ours, theirs)


def test_mixed_precision_dtype():
    y_true, y_pred = _data("reg")
    loss = lamina.losses.MeanSquaredError(dtype="float16")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = loss(y_true, y_pred)
    assert lamina.backend.standardize_dtype(value.dtype) == "float16"
    _close(value, keras.losses.MeanSquaredError(dtype="float16")(y_true, y_pred), rtol=1e-3)
