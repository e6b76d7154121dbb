"""Conformance cases: element-wise NumPy-style ops."""

import numpy as np

from .harness import Case, ErrorCase, rand

CASES = [
    Case("add", (rand((2, 3)), rand((3,), seed=1)), ref=np.add, grad=True),
    Case("add", (rand((2, 3), "int32"), 2), ref=lambda a, b: np.add(a, b)),
    Case("add", (rand((0, 3)), rand((1, 3))), ref=np.add),
    Case("add", (rand((2, 1), "float16"), rand((3,), "float32")), ref=np.add, rtol=1e-3),
    Case("absolute", (rand((4,)),), ref=np.abs, grad=True),
    Case("absolute", (rand((2, 2), "int32"),), ref=np.abs),
]

ERRORS = [
    ErrorCase("add", (rand((2, 3)), rand((4,))), error=ValueError, match="cannot be broadcast"),
    ErrorCase("add", (rand((2, 3)), "abc"), error=TypeError, match="x2"),
]

CASES += [
    Case("nn.relu", (rand((2, 3)),), ref=lambda x: np.maximum(x, 0), grad=True),
    Case("relu", (rand((5,), "float16"),), ref=lambda x: np.maximum(x, 0)),
]
