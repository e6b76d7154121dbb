"""F1Score and FBetaScore against real Keras 3 on the same backend: every ``average``, with
and without threshold and sample weights, two updates then result, reset, configs,
get/serialize, tracing, and a NumPy reference."""

import numpy as np
import pytest

import lamina
from lamina.saving.object_registry import find_builtin

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()


def _np(x, lib=lamina):
    return np.asarray(lib.ops.convert_to_numpy(x))


def _data(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, size=(6, 4)).astype("float32")
    y_pred = rng.uniform(size=(6, 4)).astype("float32")
    y_pred[0] = 0.0  # a row with no prediction at all (the arg-max rule needs |y| > 1e-9)
    return y_true, y_pred


CASES = {
    "f1": ("F1Score", {}),
    "f1_micro": ("F1Score", {"average": "micro"}),
    "f1_macro_threshold": ("F1Score", {"average": "macro", "threshold": 0.5}),
    "f1_weighted": ("F1Score", {"average": "weighted", "threshold": 0.3}),
    "fbeta": ("FBetaScore", {"beta": 2.0}),
    "fbeta_micro_threshold": ("FBetaScore", {"average": "micro", "beta": 0.5,
                                             "threshold": 0.6}),
    "fbeta_macro": ("FBetaScore", {"average": "macro", "beta": 1.5}),
    "fbeta_weighted": ("FBetaScore", {"average": "weighted", "beta": 3.0}),
}


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_matches_keras(case, weighted):
    cls_name, kwargs = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    for seed in (1, 2):
        y_true, y_pred = _data(seed)
        sw = np.linspace(0.0, 2.0, 6).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(ours.result()), _np(theirs.result(), keras),
                               rtol=1e-5, atol=1e-6)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = _data(3)
    np.testing.assert_allclose(_np(ours(y_true, y_pred)), _np(theirs(y_true, y_pred), keras),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    cls_name, kwargs = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(name="m", **kwargs)
    theirs = getattr(keras.metrics, cls_name)(name="m", **kwargs)
    config = ours.get_config()
    assert config == theirs.get_config()
    assert type(ours).from_config(config).get_config() == config
    restored = lamina.metrics.deserialize(lamina.metrics.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == config
    from_keras = lamina.metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(from_keras) is type(ours) and from_keras.get_config() == config
    assert getattr(lamina.metrics, cls_name)().name == getattr(keras.metrics, cls_name)().name


def test_get_by_name():
    for identifier in ("f1_score", "F1Score", "FBetaScore"):
        ours, theirs = lamina.metrics.get(identifier), keras.metrics.get(identifier)
        assert type(ours).__name__ == type(theirs).__name__
        assert ours.get_config() == theirs.get_config()
    for name in ("F1Score", "FBetaScore"):
        assert find_builtin(name, "keras.metrics") is getattr(lamina.metrics, name)


def test_numpy_reference():
    y_true, y_pred = _data(4)
    pred = (y_pred > 0.5).astype("float32")
    tp = (pred * y_true).sum(0)
    fp = (pred * (1 - y_true)).sum(0)
    fn = ((1 - pred) * y_true).sum(0)
    precision, recall = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
    beta2 = 4.0
    f = (1 + beta2) * precision * recall / (beta2 * precision + recall + 1e-7)
    m = lamina.metrics.FBetaScore(beta=2.0, threshold=0.5)
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(m.result()), f, rtol=1e-5, atol=1e-6)
    m = lamina.metrics.FBetaScore(beta=2.0, threshold=0.5, average="macro")
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(m.result()), f.mean(), rtol=1e-5, atol=1e-6)


@pytest.mark.backends("jax", "tensorflow")
def test_update_state_traces():
    if BACKEND == "jax":
        import jax

        compile_fn = jax.jit
    else:
        import tensorflow as tf

        compile_fn = tf.function
    eager = lamina.metrics.F1Score(average="weighted")
    traced = lamina.metrics.F1Score(average="weighted")
    y_true, y_pred = _data(5)
    traced.update_state(y_true, y_pred)  # builds the state (its shape comes from the inputs)
    traced.reset_state()

    @compile_fn
    def step(values, y_true, y_pred):
        values = traced.stateless_update_state(values, y_true, y_pred)
        return values, traced.stateless_result(values)

    values = [v.value for v in traced.variables]
    for _ in range(2):
        values, result = step(values, y_true, y_pred)
        eager.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(result), _np(eager.result()), rtol=1e-6)


def test_bad_arguments_give_clear_errors():
    m = lamina.metrics
    with pytest.raises(ValueError, match="Invalid `average`"):
        m.F1Score(average="samples")
    with pytest.raises(ValueError, match="Python float"):
        m.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="should be > 0"):
        m.FBetaScore(beta=-1.0)
    with pytest.raises(ValueError, match="Python float"):
        m.F1Score(threshold=1)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        m.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="2D inputs"):
        m.F1Score().update_state(np.zeros((4,), "float32"), np.zeros((4,), "float32"))
    with pytest.raises(ValueError, match="update_state"):
        m.F1Score().result()
