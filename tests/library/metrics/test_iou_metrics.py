"""IoU metrics (IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU) against real Keras 3 on
the same backend: two updates then result, integer sample weights, reset, ignore_class,
out-of-range labels, configs, get/serialize and a NumPy reference."""

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
    if kind == "sparse":  # class ids, with an out-of-range label and prediction
        y_true = rng.integers(0, 3, size=(8,)).astype("int32")
        y_pred = rng.integers(0, 3, size=(8,)).astype("int32")
        y_true[0], y_pred[1] = 3, -1
        return y_true, y_pred
    if kind == "image":  # (batch, h, w) segmentation maps
        return (rng.integers(0, 3, size=(2, 3, 3)).astype("int32"),
                rng.integers(0, 3, size=(2, 3, 3)).astype("int32"))
    if kind == "binary":
        return (rng.integers(0, 2, size=(4, 3)).astype("float32"),
                rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], size=(4, 3)).astype("float32"))
    if kind == "onehot":
        return (np.eye(3, dtype="float32")[rng.integers(0, 3, size=8)],
                rng.uniform(size=(8, 3)).astype("float32"))
    if kind == "onehot_sparse_pred":
        return (np.eye(3, dtype="float32")[rng.integers(0, 3, size=8)],
                rng.integers(0, 3, size=(8,)).astype("int32"))
    if kind == "dense_both":
        return (rng.uniform(size=(8, 3)).astype("float32"),
                rng.uniform(size=(8, 3)).astype("float32"))
    raise KeyError(kind)


def _weights(kind, seed):
    rng = np.random.default_rng(50 + seed)
    shapes = {"sparse": (8,), "image": (2, 3, 3), "binary": (4, 3), "onehot": (8,),
              "onehot_sparse_pred": (8,), "dense_both": (8,)}
    return rng.integers(0, 3, size=shapes[kind]).astype("int32")


CASES = {
    "iou": ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "sparse"),
    "iou_single": ("IoU", {"num_classes": 3, "target_class_ids": [1]}, "image"),
    "iou_ignore": ("IoU", {"num_classes": 3, "target_class_ids": [0, 1, 2], "ignore_class": 1},
                   "sparse"),
    "iou_dense": ("IoU", {"num_classes": 3, "target_class_ids": [0, 1], "sparse_y_true": False,
                          "sparse_y_pred": False}, "dense_both"),
    "iou_float": ("IoU", {"num_classes": 3, "target_class_ids": [0, 2], "dtype": "float32"},
                  "sparse"),
    "binary_iou": ("BinaryIoU", {}, "binary"),
    "binary_iou_one": ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary"),
    "binary_iou_zero": ("BinaryIoU", {"target_class_ids": [0], "threshold": 0.7}, "binary"),
    "mean_iou": ("MeanIoU", {"num_classes": 3}, "sparse"),
    "mean_iou_image": ("MeanIoU", {"num_classes": 3, "ignore_class": 0}, "image"),
    "mean_iou_dense_pred": ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False},
                            "onehot_sparse_pred"),
    "one_hot_iou": ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "onehot"),
    "one_hot_iou_sparse_pred": ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1],
                                              "sparse_y_pred": True}, "onehot_sparse_pred"),
    "one_hot_mean_iou": ("OneHotMeanIoU", {"num_classes": 3}, "onehot"),
    "one_hot_mean_iou_ignore": ("OneHotMeanIoU", {"num_classes": 3, "ignore_class": 2},
                                "onehot"),
}


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_metric_matches_keras(case, weighted):
    cls_name, kwargs, kind = CASES[case]
    if case == "mean_iou_dense_pred":
        kind = "onehot"  # scores as predictions, class ids as labels
    ours = getattr(lamina.metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    for seed in (1, 2):
        y_true, y_pred = _data(kind, seed)
        if case == "mean_iou_dense_pred":
            y_true = y_true.argmax(-1).astype("int32")
        sw = _weights(kind, seed) if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_array_equal(_np(ours.total_cm.value), _np(theirs.total_cm.value, keras))
    np.testing.assert_allclose(_np(ours.result()), _np(theirs.result(), keras),
                               rtol=1e-6, atol=1e-7)
    ours.reset_state()
    theirs.reset_state()
    assert float(_np(ours.total_cm.value).sum()) == 0.0
    y_true, y_pred = _data(kind, 3)
    if case == "mean_iou_dense_pred":
        y_true = y_true.argmax(-1).astype("int32")
    np.testing.assert_allclose(_np(ours(y_true, y_pred)), _np(theirs(y_true, y_pred), keras),
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    cls_name, kwargs, _ = CASES[case]
    ours = getattr(lamina.metrics, cls_name)(name="m", **kwargs)
    theirs = getattr(keras.metrics, cls_name)(name="m", **kwargs)
    config = ours.get_config()
    keras_config = theirs.get_config()
    if BACKEND == "tensorflow" and keras_config["dtype"] == "int64":
        keras_config["dtype"] = "int32"  # Keras's "int" is int64 on TensorFlow, lamina's int32
    assert config == keras_config
    assert type(ours).from_config(config).get_config() == config
    restored = lamina.metrics.deserialize(lamina.metrics.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == config
    from_keras = lamina.metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(from_keras) is type(ours)
    assert getattr(lamina.metrics, cls_name)(**kwargs).name == \
        _unnumbered(getattr(keras.metrics, cls_name)(**kwargs).name)


def test_get_by_name():
    for identifier in ("binary_io_u", "BinaryIoU"):
        ours, theirs = lamina.metrics.get(identifier), keras.metrics.get(identifier)
        assert type(ours).__name__ == type(theirs).__name__ == "BinaryIoU"
    for name in ("IoU", "BinaryIoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU"):
        assert find_builtin(name, "keras.metrics") is getattr(lamina.metrics, name)
        assert hasattr(keras.metrics, name)


def test_numpy_reference():
    y_true, y_pred = _data("sparse", 9)
    sw = _weights("sparse", 9)
    valid = (y_true >= 0) & (y_true < 3) & (y_pred >= 0) & (y_pred < 3)
    cm = np.zeros((3, 3))
    for t, p, w in zip(y_true[valid], y_pred[valid], sw[valid]):
        cm[t, p] += w
    tp = np.diag(cm)
    union = cm.sum(0) + cm.sum(1) - tp
    expected = np.mean([tp[i] / union[i] for i in range(3) if union[i] > 0])
    m = lamina.metrics.MeanIoU(num_classes=3)
    m.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_array_equal(_np(m.total_cm.value), cm)
    np.testing.assert_allclose(_np(m.result()), expected, rtol=1e-5)
    assert str(_np(m.total_cm.value).dtype) == "int32"


def test_float_weights_with_int_dtype_warn():
    m = lamina.metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="integer weights"):
        m.update_state(np.array([0, 1]), np.array([0, 1]),
                       sample_weight=np.array([0.5, 1.0], "float32"))


def test_bad_arguments_give_clear_errors():
    with pytest.raises(ValueError, match="Target class id 3 is out of range"):
        lamina.metrics.IoU(num_classes=3, target_class_ids=[0, 3])
    with pytest.raises(ValueError, match="out of range"):
        lamina.metrics.BinaryIoU(target_class_ids=[2])
    with pytest.raises(TypeError):
        lamina.metrics.MeanIoU()
