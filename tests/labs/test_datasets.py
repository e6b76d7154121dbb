"""Lab data: deterministic, disjoint training and held-out splits."""

import numpy as np
import pytest

from lamina_grader import datasets


def test_digits_splits_are_stratified_disjoint_and_fixed():
    x, y = datasets.load_lab_data("digits")
    xh, yh = datasets.load_heldout("digits")
    assert x.shape == (1347, 64) and y.shape == (1347,) and xh.shape == (450, 64) and yh.shape == (450,)
    assert x.dtype == np.float32 and y.dtype == np.int64 and 0.0 <= x.min() and x.max() <= 1.0
    assert np.bincount(yh).min() >= 44 and np.bincount(yh).max() <= 46
    assert not {r.tobytes() for r in x} & {r.tobytes() for r in xh}
    # The same arrays on every call, and copies: the learner cannot change the next call's data.
    x[:] = 0
    x2, y2 = datasets.load_lab_data("digits")
    assert x2.max() == 1.0 and np.array_equal(y2, y)
    assert int(y2[:10].sum()) == int(datasets.load_lab_data("digits")[1][:10].sum())


def test_digit_pairs_are_built_from_their_own_split():
    x, y = datasets.load_lab_data("digit_pairs")
    xh, yh = datasets.load_heldout("digit_pairs")
    assert x["left"].shape == (2694, 64) and xh["right"].shape == (900, 64)
    digits_x, digits_y = datasets.load_lab_data("digits")
    lookup = {row.tobytes(): label for row, label in zip(digits_x, digits_y)}
    left = np.array([lookup[r.tobytes()] for r in x["left"]])
    right = np.array([lookup[r.tobytes()] for r in x["right"]])
    np.testing.assert_array_equal(left, y["digit"])
    np.testing.assert_array_equal(left + right, y["total"])
    assert y["total"].dtype == np.float32
    held_rows = {r.tobytes() for r in datasets.load_heldout("digits")[0]}
    assert all(r.tobytes() in held_rows for r in xh["left"][:50])
    np.testing.assert_array_equal(datasets.load_heldout("digit_pairs")[1]["total"], yh["total"])


def test_unknown_dataset_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown lab dataset 'digitz'.*'digits'"):
        datasets.load_lab_data("digitz")
    assert datasets.describe("digits").startswith("8x8")
