"""The promotion table against Keras 3's, pair by pair."""

import itertools

import pytest

from lamina.backend.common import dtypes

ALL = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64",
       "bfloat16", "float16", "float32", "float64"]


def _keras_result_type():
    keras = pytest.importorskip("keras")
    return keras.backend.result_type


@pytest.mark.parametrize("a", ALL)
def test_pairwise_promotion_matches_keras(a):
    keras_result_type = _keras_result_type()
    for b in ALL:
        assert dtypes.result_type(a, b) == keras_result_type(a, b), (a, b)


@pytest.mark.parametrize("a", ALL)
def test_weak_python_scalars_match_keras(a):
    keras_result_type = _keras_result_type()
    for weak in (int, float, bool):
        assert dtypes.result_type(a, weak) == keras_result_type(a, weak), (a, weak)


def test_examples():
    assert dtypes.result_type("int32", float) == "float32"
    assert dtypes.result_type("uint8", "int8") == "int16"
    assert dtypes.result_type("int8", int) == "int8"
    assert dtypes.result_type(int, float) == "float32"
    assert dtypes.float_result_type("int32") == "float32"
    assert dtypes.float_result_type("int64") == "float32"
    assert dtypes.result_type() == "float32"


@pytest.mark.parametrize("spec", ["float32", "int8", "bool", "bfloat16"])
def test_standardize_dtype_accepts_framework_dtypes(spec):
    import numpy as np

    assert dtypes.standardize_dtype(spec) == spec
    if spec != "bfloat16":
        assert dtypes.standardize_dtype(np.dtype(spec)) == spec


def test_standardize_dtype_rejects_unknown_names():
    with pytest.raises(ValueError, match="Invalid dtype"):
        dtypes.standardize_dtype("float33")


def test_three_way_promotion_is_associative_enough():
    for a, b, c in itertools.product(["int8", "uint8", "float16", "int32"], repeat=3):
        assert dtypes.result_type(a, b, c) == dtypes.result_type(dtypes.result_type(a, b), c)
