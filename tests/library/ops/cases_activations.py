"""Conformance cases: activation functions (lamina.ops.nn)."""

import numpy as np
from scipy import special

from .harness import Case, ErrorCase, rand

# Inputs at least 0.05 away from every kink of the piecewise activations
# (0, +-0.5, +-1, +-3, 6), so finite differences are valid.
SMOOTH = np.array([[-3.4, -2.2, -1.3, -0.8, -0.3, 0.2],
                   [0.7, 1.2, 1.9, 2.6, 3.5, 6.6]], np.float32)


def _f(fn):
    """A NumPy reference computed in float64 and cast back to the input's float dtype."""

    def ref(x, *args, **kwargs):
        x = np.asarray(x)
        out_dtype = x.dtype if x.dtype.kind == "f" else np.float32
        return np.asarray(fn(x.astype(np.float64), *args, **kwargs)).astype(out_dtype)

    return ref


def _sigmoid(x):
    return special.expit(x)


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _softmax(x, axis=-1):
    return special.softmax(x, axis=axis)


def _log_softmax(x, axis=-1):
    return special.log_softmax(x, axis=axis)


def _sparsemax(x, axis=-1):
    z = np.moveaxis(x, axis, -1)
    out = np.zeros_like(z)
    for idx in np.ndindex(z.shape[:-1]):
        v = z[idx]
        s = np.sort(v)[::-1]
        cs = np.cumsum(s)
        k = np.arange(1, len(v) + 1)
        kz = k[1 + k * s > cs].max()
        tau = (cs[kz - 1] - 1) / kz
        out[idx] = np.maximum(v - tau, 0)
    return np.moveaxis(out, -1, axis)


_SELU_A, _SELU_S = 1.6732632423543772, 1.0507009873554805

UNARY = {
    "sigmoid": _sigmoid,
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "softplus": lambda x: np.logaddexp(x, 0),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "log_sigmoid": lambda x: -np.logaddexp(-x, 0),
    "hard_sigmoid": lambda x: np.clip(x + 3, 0, 6) / 6,
    "hard_silu": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "selu": lambda x: _SELU_S * _elu(x, _SELU_A),
    "relu6": lambda x: np.clip(x, 0, 6),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "elu": _elu,
    "celu": lambda x, alpha=1.0: np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0) / alpha),
    "gelu": lambda x, approximate=True: (
        0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))) if approximate
        else 0.5 * x * (1 + special.erf(x / np.sqrt(2)))),
    "leaky_relu": lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x),
    "soft_shrink": lambda x, threshold=0.5: np.where(
        x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0)),
    "hard_shrink": lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0),
    "squareplus": lambda x, b=4: (x + np.sqrt(x ** 2 + b)) / 2,
}

CASES = []
for name, fn in UNARY.items():
    ref = _f(fn)
    CASES += [
        Case(f"nn.{name}", (SMOOTH,), ref=ref, grad=True),
        Case(name, (rand((5,), "float16", seed=3),), ref=ref, rtol=2e-3, atol=2e-3),
        Case(name, (rand((0, 3)),), ref=ref),
        Case(name, (np.array(0.7, np.float32),), ref=ref),
    ]

# Hyper-parameters.
CASES += [
    Case("elu", (SMOOTH,), {"alpha": 0.5}, ref=_f(UNARY["elu"]), grad=True),
    Case("celu", (SMOOTH,), {"alpha": 2.0}, ref=_f(UNARY["celu"]), grad=True),
    Case("gelu", (SMOOTH,), {"approximate": False}, ref=_f(UNARY["gelu"]), grad=True),
    Case("gelu", (rand((5,), "float16"),), {"approximate": False}, ref=_f(UNARY["gelu"]),
         rtol=2e-3, atol=2e-3),
    Case("leaky_relu", (SMOOTH,), {"negative_slope": 0.1}, ref=_f(UNARY["leaky_relu"]), grad=True),
    Case("soft_shrink", (SMOOTH,), {"threshold": 1.5}, ref=_f(UNARY["soft_shrink"]), grad=True),
    Case("hard_shrink", (SMOOTH,), {"threshold": 1.5}, ref=_f(UNARY["hard_shrink"]), grad=True),
    Case("squareplus", (SMOOTH,), {"b": 1}, ref=_f(UNARY["squareplus"]), grad=True),
    Case("threshold", (SMOOTH, 0.5, -1.0), ref=lambda x, t, v: np.where(x > t, x, v).astype(x.dtype),
         grad=True),
    Case("threshold", (rand((2, 3), "float16"), 0.0, 0.0),
         ref=lambda x, t, v: np.where(x > t, x, v).astype(x.dtype)),
    # Integer inputs: relu6 and hard_tanh keep the dtype (Keras differs by backend here:
    # float32 on jax, an error on tensorflow).
    Case("relu6", (rand((2, 3), "int32", -8, 9),), ref=lambda x: np.clip(x, 0, 6), keras=False),
    Case("hard_tanh", (rand((2, 3), "int32", -3, 4),), ref=lambda x: np.clip(x, -1, 1),
         keras=False),
    # Float activations on ints compute in float32 (Keras itself differs by backend here).
    Case("sigmoid", (rand((2, 3), "int32"),), ref=_f(_sigmoid), keras=False),
    Case("softplus", (rand((2, 3), "int32"),), ref=_f(UNARY["softplus"]), keras=False),
    Case("softmax", (rand((2, 3), "int32"),), ref=_f(_softmax), keras=False),
]

# Softmax family.
X3 = rand((2, 3, 4), seed=5)
for axis in (-1, 0, 1, (1, 2), (0, 2), None):
    kw = {"axis": axis}
    CASES += [
        Case("softmax", (X3,), kw, ref=_f(_softmax), grad=True),
        Case("log_softmax", (X3,), kw, ref=_f(_log_softmax), grad=True),
    ]
CASES += [
    Case("nn.softmax", (rand((3, 5), "float16"),), ref=_f(_softmax), rtol=2e-3, atol=2e-3),
    Case("log_softmax", (rand((3, 5), "float16"),), ref=_f(_log_softmax), rtol=2e-3, atol=2e-3),
    Case("softmax", (rand((0, 4)),), ref=_f(_softmax)),
    Case("log_softmax", (rand((0, 3)),), ref=_f(_log_softmax)),
    Case("softmax", (np.array([1000.0, 0.0, -1000.0], np.float32),), ref=_f(_softmax)),
    Case("log_softmax", (np.array([1000.0, 0.0, -1000.0], np.float32),), ref=_f(_log_softmax)),
    # keras=False: Keras 3.15 computes the sparsemax threshold from the sum of all the
    # cumulative sums in the support instead of the last one, so its outputs do not sum
    # to 1 once the support has two or more entries (e.g. [0.1, 0.3, 0.2]).
    Case("sparsemax", (rand((3, 5), seed=7),), ref=_f(_sparsemax), keras=False),
    Case("sparsemax", (rand((3, 5), seed=8),), {"axis": 0}, ref=_f(lambda x, axis: _sparsemax(x, axis)), keras=False),
    Case("sparsemax", (rand((2, 4, 3), seed=9) * 2,), {"axis": 1},
         ref=_f(lambda x, axis: _sparsemax(x, axis)), keras=False),
    Case("sparsemax", (rand((4,), "float16", seed=2),), ref=_f(_sparsemax), rtol=2e-3, atol=2e-3, keras=False),
    Case("glu", (rand((2, 4)),), ref=_f(lambda x: x[:, :2] * _sigmoid(x[:, 2:])), grad=True),
    Case("nn.glu", (rand((4, 3)),), {"axis": 0},
         ref=_f(lambda x, axis: x[:2] * _sigmoid(x[2:])), grad=True),
    Case("glu", (rand((0, 6), "float16"),), ref=_f(lambda x: x[:, :3] * _sigmoid(x[:, 3:]))),
]

ERRORS = [
    ErrorCase("sigmoid", ("abc",), error=TypeError, match="x"),
    ErrorCase("softmax", (rand((2, 3)),), {"axis": 2}, error=ValueError, match="out of range"),
    ErrorCase("log_softmax", (rand((2, 3)),), {"axis": (0, 0)}, error=ValueError, match="repeated"),
    ErrorCase("glu", (rand((2, 3)),), error=ValueError, match="must be even"),
    ErrorCase("sparsemax", (rand((2, 3)),), {"axis": -3}, error=ValueError, match="out of range"),
    ErrorCase("leaky_relu", (rand((2, 3)),), {"negative_slope": "a"}, error=TypeError,
              match="negative_slope"),
]
