"""Loss-style metrics (regression, correlation, probabilistic, hinge) against real Keras 3 on the
same backend: accumulated results over two batches, sample weights, configs, get/serialize."""

import numpy as np
import pytest

import lamina

keras = pytest.importorskip("keras")


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _data(kind, seed):
    rng = np.random.default_rng(seed)
    f32 = lambda a: np.asarray(a, "float32")  # noqa: E731
    if kind == "reg":
        return f32(rng.normal(size=(4, 3))), f32(rng.normal(size=(4, 3)))
    if kind == "pos":
        return f32(rng.uniform(0, 2, size=(4, 3))), f32(rng.uniform(0.1, 2, size=(4, 3)))
    if kind == "binary":
        return f32(rng.integers(0, 2, size=(4, 3))), f32(rng.uniform(0.05, 0.95, size=(4, 3)))
    if kind == "logits":
        return f32(rng.integers(0, 2, size=(4, 3))), f32(rng.normal(size=(4, 3)))
    if kind == "onehot":
        return f32(np.eye(3)[rng.integers(0, 3, size=4)]), f32(_softmax(rng.normal(size=(4, 3))))
    if kind == "soft":
        return f32(_softmax(rng.normal(size=(4, 3)))), f32(_softmax(rng.normal(size=(4, 3))))
    if kind == "sparse_probs":
        return rng.integers(0, 3, size=(4, 1)).astype("int32"), f32(_softmax(rng.normal(size=(4, 3))))
    if kind == "sparse":
        return rng.integers(0, 3, size=(4, 1)).astype("int32"), f32(rng.normal(size=(4, 3)))
    raise KeyError(kind)


# case id: (class name, kwargs, data kind)
CASES = {
    "mse": ("MeanSquaredError", {}, "reg"),
    "mae": ("MeanAbsoluteError", {}, "reg"),
    "mape": ("MeanAbsolutePercentageError", {}, "reg"),
    "msle": ("MeanSquaredLogarithmicError", {}, "pos"),
    "rmse": ("RootMeanSquaredError", {}, "reg"),
    "cosine": ("CosineSimilarity", {}, "reg"),
    "cosine_axis0": ("CosineSimilarity", {"axis": 0}, "reg"),
    "logcosh": ("LogCoshError", {}, "reg"),
    "r2": ("R2Score", {}, "reg"),
    "r2_weighted": ("R2Score", {"class_aggregation": "variance_weighted_average"}, "reg"),
    "r2_none": ("R2Score", {"class_aggregation": None}, "reg"),
    "r2_adjusted": ("R2Score", {"num_regressors": 2}, "reg"),
    "r2_adjusted_fallback": ("R2Score", {"num_regressors": 30}, "reg"),
    "pearson": ("PearsonCorrelation", {}, "reg"),
    "pearson_axis0": ("PearsonCorrelation", {"axis": 0}, "reg"),
    "concordance": ("ConcordanceCorrelation", {}, "reg"),
    "kld": ("KLDivergence", {}, "soft"),
    "poisson": ("Poisson", {}, "pos"),
    "bce": ("BinaryCrossentropy", {}, "binary"),
    "bce_logits_smooth": ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
                          "logits"),
    "cce": ("CategoricalCrossentropy", {}, "onehot"),
    "cce_smooth": ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "onehot"),
    "scce": ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    "scce_ignore": ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1},
                    "sparse"),
    "hinge": ("Hinge", {}, "logits"),
    "squared_hinge": ("SquaredHinge", {}, "logits"),
    "categorical_hinge": ("CategoricalHinge", {}, "onehot"),
}
FUNCTIONS = ["binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
             "categorical_focal_crossentropy", "categorical_hinge", "hinge", "huber",
             "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_error", "mean_squared_logarithmic_error", "poisson",
             "sparse_categorical_crossentropy", "squared_hinge", "pearson_correlation",
             "concordance_correlation"]
FUNCTION_DATA = {"binary_crossentropy": "binary", "binary_focal_crossentropy": "binary",
                 "categorical_crossentropy": "onehot", "categorical_focal_crossentropy": "onehot",
                 "categorical_hinge": "onehot", "hinge": "logits", "squared_hinge": "logits",
                 "kl_divergence": "soft", "poisson": "pos", "mean_squared_logarithmic_error": "pos",
                 "sparse_categorical_crossentropy": "sparse_probs"}


def _np(x, lib=lamina):
    return np.asarray(lib.ops.convert_to_numpy(x))


@pytest.mark.filterwarnings("ignore:More independent predictors")  # Keras's adjusted R2
@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_matches_keras(case, weighted):
    cls_name, kwargs, kind = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    if weighted and case.endswith("axis0"):
        pytest.skip("values are per feature, not per sample")
    if case == "cosine_axis0" and keras.backend.backend() == "numpy":
        pytest.skip("Keras's normalize() on NumPy arrays ignores axis=0 (a Keras bug)")
    for seed in (1, 2):
        y_true, y_pred = _data(kind, seed)
        sw = np.array([0.5, 1.0, 0.0, 2.0], "float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(ours.result()), _np(theirs.result(), keras),
                               rtol=1e-5, atol=1e-6)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = _data(kind, 3)
    np.testing.assert_allclose(_np(ours(y_true, y_pred)),
                               _np(theirs(y_true, y_pred), keras), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_config_round_trip(case):
    cls_name, kwargs, _ = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(name="m", **kwargs)
    theirs = getattr(keras.metrics, cls_name)(name="m", **kwargs)
    assert ours.get_config() == theirs.get_config()
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()
    restored = lamina.metrics.deserialize(lamina.metrics.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == ours.get_config()
    from_keras = lamina.metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(from_keras) is type(ours)
    assert getattr(lamina.metrics, cls_name)().name == getattr(keras.metrics, cls_name)().name


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_matches_keras(name):
    y_true, y_pred = _data(FUNCTION_DATA.get(name, "reg"), 5)
    ours = getattr(lamina.metrics, name)(y_true, y_pred)
    theirs = getattr(keras.metrics, name)(y_true, y_pred)
    np.testing.assert_allclose(_np(ours), _np(theirs, keras), rtol=1e-5, atol=1e-6)


IDENTIFIERS = ["mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "bce", "BCE",
               "mean_squared_error", "root_mean_squared_error", "r2_score", "log_cosh_error",
               "pearson_correlation", "concordance_correlation", "cosine_similarity",
               "kl_divergence", "poisson", "binary_crossentropy", "categorical_crossentropy",
               "sparse_categorical_crossentropy", "hinge", "squared_hinge", "categorical_hinge",
               "RootMeanSquaredError", "R2Score", "LogCoshError"]


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_get_matches_keras(identifier):
    ours, theirs = lamina.metrics.get(identifier), keras.metrics.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert isinstance(ours, lamina.metrics.Metric) and ours.name == theirs.name


def test_namespace_has_the_keras_names():
    names = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
             "MeanSquaredLogarithmicError", "RootMeanSquaredError", "CosineSimilarity",
             "LogCoshError", "R2Score", "PearsonCorrelation", "ConcordanceCorrelation",
             "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
             "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge"] + FUNCTIONS
    for name in names:
        assert hasattr(keras.metrics, name), name
        assert hasattr(lamina.metrics, name), name
    assert lamina.metrics.mean_squared_error is lamina.losses.mean_squared_error


def test_numpy_references():
    y_true, y_pred = _data("reg", 7)
    m = lamina.metrics.RootMeanSquaredError()
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(m.result()), np.sqrt(((y_true - y_pred) ** 2).mean()),
                               rtol=1e-5)
    r2 = lamina.metrics.R2Score(class_aggregation=None)
    r2.update_state(y_true, y_pred)
    ss_res = ((y_true - y_pred) ** 2).sum(0)
    ss_tot = ((y_true - y_true.mean(0)) ** 2).sum(0)
    np.testing.assert_allclose(_np(r2.result()), 1 - ss_res / ss_tot, rtol=1e-4)
    np.testing.assert_allclose(_np(lamina.metrics.pearson_correlation(y_true, y_pred)),
                               [np.corrcoef(a, b)[0, 1] for a, b in zip(y_true, y_pred)],
                               rtol=1e-4)


def test_stateless_api():
    m = lamina.metrics.RootMeanSquaredError()
    y_true, y_pred = _data("reg", 8)
    state = m.stateless_update_state([v.value for v in m.variables], y_true, y_pred)
    np.testing.assert_allclose(_np(m.stateless_result(state)),
                               np.sqrt(((y_true - y_pred) ** 2).mean()), rtol=1e-5)
    assert float(_np(m.result())) == 0.0


def test_bad_arguments():
    with pytest.raises(ValueError, match="class_aggregation"):
        lamina.metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="num_regressors"):
        lamina.metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="2D inputs"):
        lamina.metrics.R2Score().update_state(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="Unknown metric"):
        lamina.metrics.get("root_mean_squared")
