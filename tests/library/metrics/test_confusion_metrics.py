"""Confusion-matrix metrics (counts, Precision, Recall, X-at-Y, AUC) against real Keras 3 on
the same backend: two updates then result, sample weights, reset, configs, get/serialize,
tracing under jit / tf.function, and training with them compiled in."""

import re

import numpy as np
import pytest

import lamina
from lamina.saving.object_registry import find_builtin

keras = pytest.importorskip("keras")
BACKEND = lamina.backend.backend()


def _unnumbered(name):
    """Keras numbers default metric names within a session (auc, auc_1, ...)."""
    return re.sub(r"_\d+$", "", name)


def _np(x, lib=lamina):
    return np.asarray(lib.ops.convert_to_numpy(x))


def _data(kind, seed):
    rng = np.random.default_rng(seed)
    f32 = lambda a: np.asarray(a, "float32")  # noqa: E731
    labels = f32(rng.integers(0, 2, size=(6, 3)))
    if kind == "probs":
        return labels, f32(rng.uniform(size=(6, 3)))
    if kind == "edges":  # predictions exactly on thresholds, 0 and 1
        return labels, f32(rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(6, 3)))
    if kind == "logits":
        return labels, f32(rng.normal(scale=2.0, size=(6, 3)))
    if kind == "column":  # (6,) labels with (6, 1) predictions
        return labels[:, 0], f32(rng.uniform(size=(6, 1)))
    raise KeyError(kind)


def _weights(kind, seed):
    rng = np.random.default_rng(100 + seed)
    if kind == "none":
        return None
    if kind == "sample":
        return np.asarray(rng.uniform(0, 2, size=(6,)), "float32")
    return np.asarray(rng.uniform(0, 2, size=(6, 3)), "float32")


# case id: (class name, kwargs, data kind)
CASES = {
    "tp": ("TruePositives", {}, "probs"),
    "tp_list": ("TruePositives", {"thresholds": [0.1, 0.5, 0.9]}, "probs"),
    "tn_even": ("TrueNegatives", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "edges"),
    "tn": ("TrueNegatives", {"thresholds": 0.3}, "probs"),
    "fp": ("FalsePositives", {}, "edges"),
    "fp_list": ("FalsePositives", {"thresholds": [0.2, 0.75]}, "probs"),
    "fn": ("FalseNegatives", {}, "column"),
    "fn_even": ("FalseNegatives", {"thresholds": [0.0, 0.5, 1.0]}, "edges"),
    "precision": ("Precision", {}, "probs"),
    "precision_list": ("Precision", {"thresholds": [0.25, 0.5, 0.8]}, "edges"),
    "precision_even": ("Precision", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "edges"),
    "precision_top_k": ("Precision", {"top_k": 2}, "probs"),
    "precision_class_id": ("Precision", {"class_id": 1, "thresholds": 0.3}, "probs"),
    "precision_top_k_class": ("Precision", {"top_k": 1, "class_id": 2}, "probs"),
    "precision_column": ("Precision", {}, "column"),
    "recall": ("Recall", {}, "probs"),
    "recall_list": ("Recall", {"thresholds": [0.0, 0.6]}, "edges"),
    "recall_top_k": ("Recall", {"top_k": 1}, "probs"),
    "recall_class_id": ("Recall", {"class_id": 0}, "probs"),
    "recall_top_k_even": ("Recall", {"top_k": 2, "thresholds": [0.0, 0.5, 1.0]}, "probs"),
    "precision_at_recall": ("PrecisionAtRecall", {"recall": 0.5}, "probs"),
    "precision_at_recall_1": ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 1}, "probs"),
    "precision_at_recall_class": ("PrecisionAtRecall", {"recall": 0.4, "class_id": 1}, "probs"),
    "recall_at_precision": ("RecallAtPrecision", {"precision": 0.6}, "probs"),
    "recall_at_precision_11": ("RecallAtPrecision", {"precision": 0.4, "num_thresholds": 11},
                               "edges"),
    "sens_at_spec": ("SensitivityAtSpecificity", {"specificity": 0.5}, "probs"),
    "sens_at_spec_class": ("SensitivityAtSpecificity",
                           {"specificity": 0.9, "num_thresholds": 50, "class_id": 2}, "probs"),
    "spec_at_sens": ("SpecificityAtSensitivity", {"sensitivity": 0.5}, "probs"),
    "spec_at_sens_3": ("SpecificityAtSensitivity", {"sensitivity": 0.2, "num_thresholds": 3},
                       "edges"),
    "auc": ("AUC", {}, "probs"),
    "auc_7_edges": ("AUC", {"num_thresholds": 7}, "edges"),
    "auc_roc_minoring": ("AUC", {"summation_method": "minoring", "num_thresholds": 13}, "probs"),
    "auc_roc_majoring": ("AUC", {"summation_method": "majoring"}, "probs"),
    "auc_pr": ("AUC", {"curve": "PR"}, "probs"),
    "auc_pr_minoring": ("AUC", {"curve": "PR", "summation_method": "minoring"}, "probs"),
    "auc_pr_majoring": ("AUC", {"curve": "PR", "summation_method": "majoring"}, "probs"),
    "auc_prgain": ("AUC", {"curve": "PRGAIN", "num_thresholds": 20}, "probs"),
    "auc_thresholds": ("AUC", {"thresholds": [0.7, 0.2, 0.5]}, "edges"),
    "auc_thresholds_even": ("AUC", {"thresholds": [0.25, 0.5, 0.75], "curve": "PR"}, "edges"),
    "auc_multi_label": ("AUC", {"multi_label": True}, "probs"),
    "auc_multi_label_weights": ("AUC", {"multi_label": True, "num_labels": 3,
                                        "label_weights": [1.0, 0.5, 2.0], "curve": "PR"},
                                "probs"),
    "auc_multi_label_thresholds": ("AUC", {"multi_label": True, "num_labels": 3,
                                           "thresholds": [0.3, 0.6]}, "probs"),
    "auc_label_weights": ("AUC", {"label_weights": [1.0, 0.0, 3.0]}, "probs"),
    "auc_from_logits": ("AUC", {"from_logits": True, "num_thresholds": 50}, "logits"),
    "auc_column": ("AUC", {"curve": "PR", "summation_method": "majoring"}, "column"),
}


def _compatible(case, weights):
    _, kwargs, kind = CASES[case]
    if weights == "element" and (kind == "column" or "class_id" in kwargs):
        return False  # Keras slices the predictions but not per-element weights: shapes clash
    return True


def _pair(case):
    cls_name, kwargs, kind = CASES[case]
    return getattr(lamina.metrics, cls_name)(**kwargs), getattr(keras.metrics, cls_name)(**kwargs)


@pytest.mark.parametrize("weights", ["none", "sample", "element"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_matches_keras(case, weights):
    if not _compatible(case, weights):
        pytest.skip("per-element weights with class_id / (n, 1) predictions: Keras errors too")
    kind = CASES[case][2]
    ours, theirs = _pair(case)
    for seed in (1, 2):
        y_true, y_pred = _data(kind, seed)
        sw = _weights(weights, seed)
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(ours.result()), _np(theirs.result(), keras),
                               rtol=1e-5, atol=1e-6)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = _data(kind, 3)
    sw = _weights(weights, 3)
    expected = _np(theirs(y_true, y_pred, sample_weight=sw), keras)
    np.testing.assert_allclose(_np(ours(y_true, y_pred, sample_weight=sw)), expected,
                               rtol=1e-5, atol=1e-6)


def _plain(value):
    if hasattr(value, "shape") and not isinstance(value, (list, tuple)):
        return np.asarray(keras.ops.convert_to_numpy(value)).tolist()
    return value


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    cls_name, kwargs, _ = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(name="m", **kwargs)
    theirs = getattr(keras.metrics, cls_name)(name="m", **kwargs)
    ours_config = ours.get_config()
    theirs_config = {k: _plain(v) for k, v in theirs.get_config().items()}
    assert sorted(ours_config) == sorted(theirs_config)
    for key, value in theirs_config.items():
        if isinstance(value, list) and value and isinstance(value[0], float):
            np.testing.assert_allclose(ours_config[key], value, rtol=1e-7, err_msg=key)
        else:
            assert ours_config[key] == value, key
    assert type(ours).from_config(ours_config).get_config() == ours_config
    restored = lamina.metrics.deserialize(lamina.metrics.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == ours_config
    # Keras keeps label_weights as a tensor in its config (and cannot load it back itself).
    from_keras = lamina.metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(from_keras) is type(ours) and from_keras.get_config() == ours_config
    assert getattr(lamina.metrics, cls_name)(**kwargs).name == \
        _unnumbered(getattr(keras.metrics, cls_name)(**kwargs).name)


@pytest.mark.parametrize("identifier", ["auc", "AUC", "precision", "Precision", "recall",
                                        "true_positives", "TrueNegatives", "false_positives",
                                        "false_negatives"])
def test_get_matches_keras(identifier):
    ours, theirs = lamina.metrics.get(identifier), keras.metrics.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    theirs_config = theirs.get_config()
    theirs_config["name"] = _unnumbered(theirs_config["name"])
    assert ours.get_config() == theirs_config


def test_numpy_reference():
    y_true, y_pred = _data("probs", 7)
    sw = _weights("sample", 7)
    w = np.broadcast_to(sw[:, None], y_true.shape)
    pos, lab = y_pred > 0.4, y_true > 0
    tp, fp, fn = (w * (pos & lab)).sum(), (w * (pos & ~lab)).sum(), (w * (~pos & lab)).sum()
    m = lamina.metrics.Precision(thresholds=0.4)
    m.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(m.result()), tp / (tp + fp), rtol=1e-6)
    m = lamina.metrics.Recall(thresholds=0.4)
    m.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(m.result()), tp / (tp + fn), rtol=1e-6)
    # ROC AUC with explicit thresholds: a trapezoid sum over the (fpr, tpr) points.
    thresholds = [-1e-7, 0.2, 0.4, 0.6, 0.8, 1 + 1e-7]
    tpr = [(lab & (y_pred > t)).sum() / lab.sum() for t in thresholds]
    fpr = [(~lab & (y_pred > t)).sum() / (~lab).sum() for t in thresholds]
    area = sum((fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1]) / 2 for i in range(5))
    m = lamina.metrics.AUC(thresholds=[0.2, 0.4, 0.6, 0.8])
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(m.result()), area, rtol=1e-6)
    m = lamina.metrics.TruePositives(thresholds=[0.2, 0.6])
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(_np(m.result()), [(lab & (y_pred > 0.2)).sum(),
                                                 (lab & (y_pred > 0.6)).sum()])


def test_state_is_variables_and_stateless_update_matches():
    y_true, y_pred = _data("probs", 4)
    for m in (lamina.metrics.AUC(num_thresholds=11), lamina.metrics.Precision(),
              lamina.metrics.Recall(thresholds=[0.2, 0.7]), lamina.metrics.FalseNegatives()):
        names = [v.name for v in m.variables]
        assert names and all(isinstance(v, lamina.Variable) for v in m.variables)
        new = m.stateless_update_state([v.value for v in m.variables], y_true, y_pred)
        stateless = _np(m.stateless_result(new))
        assert all(float(np.abs(_np(v.value)).sum()) == 0.0 for v in m.variables)
        m.update_state(y_true, y_pred)
        np.testing.assert_allclose(stateless, _np(m.result()), rtol=1e-6)
        zeros = m.stateless_reset_state()
        assert all(float(np.abs(_np(z)).sum()) == 0.0 for z in zeros)


def _compile_fn(fn):
    if BACKEND == "jax":
        import jax

        return jax.jit(fn)
    import tensorflow as tf

    return tf.function(fn)


@pytest.mark.backends("jax", "tensorflow")
@pytest.mark.parametrize("case", ["auc", "auc_pr", "auc_multi_label_weights",
                                  "auc_multi_label_thresholds", "auc_thresholds",
                                  "precision_top_k_class", "recall_list", "tp_list",
                                  "spec_at_sens", "precision_at_recall_1"])
def test_update_state_traces(case):
    """update_state has no Python branches on tensor values: it traces under jit and
    tf.function and gives the eager values."""
    cls_name, kwargs, kind = CASES[case]
    eager, traced = _pair(case)[0], getattr(lamina.metrics, cls_name)(**kwargs)
    y_true, y_pred = _data(kind, 5)
    sw = _weights("sample", 5)

    def step(values, y_true, y_pred, sw):
        values = traced.stateless_update_state(values, y_true, y_pred, sample_weight=sw)
        return values, traced.stateless_result(values)

    step = _compile_fn(step)
    values = [v.value for v in traced.variables]
    for _ in range(2):
        values, result = step(values, y_true, y_pred, sw)
        eager.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(_np(result), _np(eager.result()), rtol=1e-5, atol=1e-6)


def _fit_data(n=48, features=6, labels=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    w = rng.normal(size=(features, labels)).astype("float32")
    return x, ((x @ w + rng.normal(size=(n, labels))) > 0).astype("float32")


def _fit_both(metrics, x, y, epochs=2):
    def build(lib):
        return lib.Sequential([lib.Input((x.shape[1],)), lib.layers.Dense(8, activation="relu"),
                               lib.layers.Dense(y.shape[1], activation="sigmoid")])

    lamina.utils.set_random_seed(1)
    keras.backend.clear_session()  # so that Keras's default metric names are not numbered
    ours, theirs = build(lamina), build(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer=lamina.optimizers.Adam(0.01), loss="binary_crossentropy",
                 metrics=metrics(lamina))
    theirs.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy",
                   metrics=metrics(keras))
    kwargs = dict(epochs=epochs, batch_size=16, shuffle=False, verbose=0)
    h1, h2 = ours.fit(x, y, **kwargs).history, theirs.fit(x, y, **kwargs).history
    assert sorted(h1) == sorted(h2)
    for key in h2:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-4, atol=1e-6, err_msg=key)


@pytest.mark.training
def test_fit_with_classification_metrics_matches_keras():
    """AUC, Precision and Recall (and lazily built metrics: multi-label AUC without
    num_labels, F1Score) inside the compiled train and test steps, epoch by epoch."""
    x, y = _fit_data()

    def metrics(lib):
        m = lib.metrics
        return [m.AUC(), m.Precision(), m.Recall(), m.AUC(curve="PR", name="pr_auc"),
                m.Precision(top_k=1, class_id=0, name="p_top"),
                m.AUC(multi_label=True, name="ml_auc"), m.F1Score(average="macro")]

    _fit_both(metrics, x, y)


def test_bad_arguments_give_clear_errors():
    m = lamina.metrics
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        m.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="Threshold values"):
        m.TruePositives(thresholds=-0.1)
    with pytest.raises(ValueError, match="num_thresholds"):
        m.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="Invalid AUC curve"):
        m.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="Invalid AUC summation method"):
        m.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_labels"):
        m.AUC(num_labels=3)
    with pytest.raises(ValueError, match="num_thresholds"):
        m.SensitivityAtSpecificity(0.5, num_thresholds=0)
    for cls, arg in ((m.SensitivityAtSpecificity, "specificity"),
                     (m.SpecificityAtSensitivity, "sensitivity"),
                     (m.PrecisionAtRecall, "recall"), (m.RecallAtPrecision, "precision")):
        with pytest.raises(ValueError, match=f"`{arg}` must be in the range"):
            cls(1.5)
    with pytest.raises(ValueError, match="class_id"):
        m.Precision(class_id=0).update_state(np.array([0.0, 1.0]), np.array([0.2, 0.8]))
    with pytest.raises(ValueError, match="rank 2"):
        m.AUC(multi_label=True).update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unknown metric"):
        lamina.metrics.get("area_under_curve")


def test_namespace_has_the_keras_names():
    names = ["AUC", "Precision", "Recall", "TruePositives", "TrueNegatives", "FalsePositives",
             "FalseNegatives", "PrecisionAtRecall", "RecallAtPrecision",
             "SensitivityAtSpecificity", "SpecificityAtSensitivity"]
    for name in names:
        assert hasattr(keras.metrics, name)
        assert issubclass(getattr(lamina.metrics, name), lamina.metrics.Metric)
        assert find_builtin(name, "keras.metrics") is getattr(lamina.metrics, name)
