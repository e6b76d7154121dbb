"""The grader's own metric code (NumPy, on predictions) and output selection."""

import numpy as np
import pytest

from lamina_grader.artifacts import compute_metric, confusion_matrix, select_output


def test_accuracy_variants_match_numpy():
    rng = np.random.default_rng(0)
    p = rng.random((50, 10))
    y = rng.integers(0, 10, 50)
    assert compute_metric("accuracy", p, y) == pytest.approx(np.mean(p.argmax(1) == y))
    assert compute_metric("accuracy", p, np.eye(10)[y]) == pytest.approx(np.mean(p.argmax(1) == y))
    b = rng.random((50, 1))
    yb = rng.integers(0, 2, 50)
    assert compute_metric("accuracy", b, yb) == pytest.approx(np.mean((b[:, 0] > 0.5) == yb))
    assert compute_metric("binary_accuracy", b[:, 0], yb) == pytest.approx(np.mean((b[:, 0] > 0.5) == yb))
    top2 = np.argsort(-p, 1)[:, :2]
    assert compute_metric("top_2_accuracy", p, y) == pytest.approx(np.mean((top2 == y[:, None]).any(1)))


def test_regression_metrics():
    p = np.array([[1.0], [2.0], [5.0]])
    t = np.array([1.5, 2.0, 3.0], "float32")
    assert compute_metric("mae", p, t) == pytest.approx((0.5 + 0 + 2) / 3)
    assert compute_metric("mse", p, t) == pytest.approx((0.25 + 4) / 3)
    assert compute_metric("rmse", p, t) == pytest.approx(np.sqrt((0.25 + 4) / 3))


def test_wrong_outputs_are_explained():
    with pytest.raises(ValueError, match="gave 3 predictions for 4 held-out samples"):
        compute_metric("accuracy", np.zeros((3, 10)), np.zeros(4))
    with pytest.raises(ValueError, match="outputs 5 class scores, the held-out labels go up to 9"):
        compute_metric("accuracy", np.zeros((2, 5)), np.array([9, 0]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        compute_metric("accuracy", np.full((2, 3), np.nan), np.array([1, 0]))
    with pytest.raises(ValueError, match="outputs shape \\(3,\\) per sample, the targets \\(\\)"):
        compute_metric("mae", np.zeros((2, 3)), np.zeros(2))


def test_select_output_and_confusion():
    preds = {"o:digit": np.ones((2, 10)), "o:total": np.zeros((2, 1)), "i:0": np.ones((2, 10)),
             "i:1": np.zeros((2, 1))}
    assert select_output(preds, "total").shape == (2, 1)
    assert select_output(preds, 1).shape == (2, 1)
    with pytest.raises(ValueError, match="no output named 'parity' \\(it has digit, total\\)"):
        select_output(preds, "parity")
    with pytest.raises(ValueError, match="several outputs"):
        select_output({"o:a": 1, "o:b": 2})
    m = confusion_matrix(np.array([[0.9, 0.1, 0], [0.1, 0.8, 0.1], [0, 0.7, 0.3]]), np.array([0, 1, 2]))
    assert m.tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 0]]
