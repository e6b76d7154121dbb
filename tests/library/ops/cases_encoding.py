"""Conformance cases: one_hot, multi_hot, polar."""

import numpy as np

from .harness import Case, ErrorCase, rand


def _one_hot(x, num_classes, axis=-1, dtype="float32"):
    out = (np.asarray(x)[..., None] == np.arange(num_classes)).astype(dtype or "float32")
    return np.moveaxis(out, -1, axis) if axis != -1 else out


def _multi_hot(x, num_classes, axis=-1, dtype="float32"):
    oh = _one_hot(x, num_classes, axis, dtype)
    return oh.max(axis=1 if np.ndim(x) > 1 else 0)


def _polar(r, theta):
    dtype = np.complex128 if np.result_type(r, theta) == np.float64 else np.complex64
    return (r.astype(np.float64) * np.exp(1j * theta.astype(np.float64))).astype(dtype)


IDS = np.array([[0, 2, -1], [3, 1, 1]], np.int32)
CASES = [
    Case("one_hot", (IDS, 4), ref=_one_hot),
    Case("nn.one_hot", (IDS, 4), {"axis": 0}, ref=_one_hot),
    Case("one_hot", (IDS, 4), {"axis": 1}, ref=_one_hot),
    Case("one_hot", (IDS, 5), {"dtype": "int32"}, ref=_one_hot),
    Case("one_hot", (IDS, 4), {"dtype": "bool"}, ref=_one_hot),
    # Ids >= num_classes give zeros (keras=False: Keras fails on torch and numpy).
    Case("one_hot", (IDS, 3), ref=_one_hot, keras=False),
    Case("one_hot", (IDS, 4), {"dtype": "float16"}, ref=_one_hot),
    Case("one_hot", (np.array(2, np.int32), 3), ref=_one_hot),
    Case("one_hot", (np.zeros((0,), np.int32), 3), ref=_one_hot),
    Case("one_hot", (np.array([0, 2], np.int64), 3), ref=_one_hot),
    Case("multi_hot", (np.array([0, 3, 3], np.int32), 5), ref=_multi_hot),
    Case("nn.multi_hot", (IDS, 4), ref=_multi_hot),
    Case("multi_hot", (IDS, 4), {"dtype": "int32"}, ref=_multi_hot),
    Case("multi_hot", (rand((2, 3, 2), "int32", 0, 4), 4), ref=_multi_hot),
    Case("multi_hot", (IDS,), {"num_classes": 4, "dtype": "bool"}, ref=_multi_hot),
    Case("polar", (rand((2, 3), low=0, high=2), rand((2, 3), seed=1)), ref=_polar),
    Case("nn.polar", (rand((4,), low=0, high=2), rand((4,), seed=2)), ref=_polar),
    Case("polar", (rand((0, 2)), rand((0, 2))), ref=_polar),
]

ERRORS = [
    ErrorCase("one_hot", (IDS, 4), {"axis": 5}, match="axis"),
    ErrorCase("one_hot", (IDS, 4), {"sparse": True}, match="sparse"),
    ErrorCase("one_hot", ("a", 4), error=TypeError, match="x"),
    ErrorCase("multi_hot", (IDS,), match="num_classes"),
    ErrorCase("polar", (rand((2, 3)), rand((4,))), match="broadcast"),
]
