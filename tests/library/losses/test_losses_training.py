"""One short fit per loss family (and the loss-style metrics) against real Keras 3 on the
same backend: same weights, same data, same per-epoch losses and metrics."""

import numpy as np
import pytest

import lamina

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.training


def _fit_both(build, compile_kwargs, x, y, epochs=2):
    lamina.utils.set_random_seed(1)
    ours, theirs = build(lamina), build(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(**compile_kwargs(lamina))
    theirs.compile(**compile_kwargs(keras))
    kwargs = {"epochs": epochs, "batch_size": 8, "shuffle": False, "verbose": 0}
    return ours.fit(x, y, **kwargs).history, theirs.fit(x, y, **kwargs).history


def _assert_same_history(ours, theirs, rtol=1e-4):
    assert sorted(ours) == sorted(theirs), (sorted(ours), sorted(theirs))
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=rtol, atol=1e-5, err_msg=key)


def _dense_model(units, activation, in_shape=(6,)):
    def build(lib):
        return lib.Sequential([lib.Input(in_shape), lib.layers.Dense(8, activation="tanh"),
                               lib.layers.Dense(units, activation=activation)])
    return build


def _xy(kind, n=24):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 6)).astype("float32")
    scores = x @ rng.normal(size=(6, 3)).astype("float32")
    if kind == "positive":
        return x, np.abs(scores).astype("float32") + 0.1
    if kind == "binary":
        return x, (scores > 0).astype("float32")
    if kind == "onehot":
        return x, np.eye(3, dtype="float32")[scores.argmax(1)]
    if kind == "sparse":
        return x, scores.argmax(1).astype("int32")
    return x, scores.astype("float32")


# id: (loss class, kwargs, output units, activation, data kind, metrics)
FAMILIES = {
    "regression": ("LogCosh", {}, 3, "softplus", "positive",
                   ["RootMeanSquaredError", "MeanAbsolutePercentageError",
                    "MeanSquaredLogarithmicError", "LogCoshError", "CosineSimilarity",
                    "PearsonCorrelation", "ConcordanceCorrelation", "Poisson"]),
    "binary_focal": ("BinaryFocalCrossentropy", {"apply_class_balancing": True,
                                                 "from_logits": True}, 3, None, "binary",
                     [["BinaryCrossentropy", {"from_logits": True}]]),
    "categorical_focal": ("CategoricalFocalCrossentropy", {"label_smoothing": 0.1}, 3, "softmax",
                          "onehot", ["CategoricalHinge", "KLDivergence"]),
    "hinge": ("SquaredHinge", {}, 3, "tanh", "binary", ["SquaredHinge", "Hinge"]),
    "segmentation": ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": -1}, 3, "sigmoid", "binary",
                     ["BinaryCrossentropy"]),
}


def _metric(lib, spec):
    if isinstance(spec, str):
        return getattr(lib.metrics, spec)() if spec[0].isupper() else spec
    return getattr(lib.metrics, spec[0])(**spec[1])


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_loss_family_fits_like_keras(family):
    cls_name, kwargs, units, activation, kind, metrics = FAMILIES[family]
    x, y = _xy(kind)

    def compile_kwargs(lib):
        return {"optimizer": lib.optimizers.Adam(0.01),
                "loss": getattr(lib.losses, cls_name)(**kwargs),
                "metrics": [_metric(lib, m) for m in metrics]}

    ours, theirs = _fit_both(_dense_model(units, activation), compile_kwargs, x, y)
    _assert_same_history(ours, theirs)


def test_circle_loss_fits_like_keras():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(24, 6)).astype("float32")
    y = np.tile(np.arange(4), 6).astype("int32")

    def build(lib):
        inputs = lib.Input((6,))
        emb = lib.layers.Dense(5)(inputs)
        return lib.Model(inputs, lib.ops.normalize(emb, axis=-1))

    def compile_kwargs(lib):
        return {"optimizer": lib.optimizers.Adam(0.01),
                "loss": lib.losses.Circle(gamma=10.0, margin=0.25)}

    _assert_same_history(*_fit_both(build, compile_kwargs, x, y))


def test_ctc_loss_fits_like_keras():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 7, 4)).astype("float32")
    y = rng.integers(1, 5, size=(16, 3)).astype("int32")
    y[::3, 2] = 0   # shorter labels, padded with the blank 0

    def build(lib):
        return lib.Sequential([lib.Input((7, 4)), lib.layers.Dense(5)])

    def compile_kwargs(lib):
        return {"optimizer": lib.optimizers.Adam(0.01), "loss": lib.losses.CTC()}

    _assert_same_history(*_fit_both(build, compile_kwargs, x, y), rtol=2e-4)


def test_string_losses_and_metrics_fit_like_keras():
    x, y = _xy("positive")

    def compile_kwargs(lib):
        return {"optimizer": "adam", "loss": "msle",
                "metrics": ["mape", "mean_squared_logarithmic_error", "root_mean_squared_error",
                            "log_cosh_error", "poisson"]}

    _assert_same_history(*_fit_both(_dense_model(3, "softplus"), compile_kwargs, x, y))


def test_r2_score_in_fit_like_keras():
    # R2Score creates its per-output state on first use; the trainer does not run metrics
    # symbolically before the first (jitted) step, so the metric is built up front here.
    x, y = _xy("regression")

    def compile_kwargs(lib):
        metric = lib.metrics.R2Score()
        if lib is lamina:
            metric.build((None, 3), (None, 3))
        return {"optimizer": lib.optimizers.Adam(0.01), "loss": "mse", "metrics": [metric]}

    _assert_same_history(*_fit_both(_dense_model(3, None), compile_kwargs, x, y))
