"""Conformance cases: element-wise NumPy-style ops (arithmetic, comparisons,
logic, bitwise, unary math)."""

import numpy as np
import scipy.special

from .harness import ALL, Case, ErrorCase, rand

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


def _cases(op, args, kwargs=None, bad=(), **kw):
    """The same case everywhere, without the Keras oracle on the ``bad`` backends
    (where Keras itself rejects the input or returns another dtype)."""
    good = tuple(b for b in ALL if b not in bad)
    out = [Case(op, args, kwargs or {}, backends=good, **kw)] if good else []
    if bad:
        out.append(Case(op, args, kwargs or {}, backends=tuple(bad), keras=False, **kw))
    return out


def _away(x, gap=0.25):
    """Moves values away from zero (kinks, poles)."""
    return np.where(np.abs(x) < gap, np.where(x < 0, x - gap, x + gap), x).astype(x.dtype)


def _f16(rtol=2e-3, atol=2e-3):
    return dict(rtol=rtol, atol=atol)


# -- unary ops that compute in floating point ----------------------------------------
# name: (NumPy reference, low, high) -- the domain where the function is smooth.
FLOAT_UNARY = {
    "arccos": (np.arccos, -0.9, 0.9),
    "arccosh": (np.arccosh, 1.2, 3.0),
    "arcsin": (np.arcsin, -0.9, 0.9),
    "arcsinh": (np.arcsinh, -2.0, 2.0),
    "arctan": (np.arctan, -2.0, 2.0),
    "arctanh": (np.arctanh, -0.9, 0.9),
    "cos": (np.cos, -2.0, 2.0),
    "cosh": (np.cosh, -2.0, 2.0),
    "sin": (np.sin, -2.0, 2.0),
    "sinh": (np.sinh, -2.0, 2.0),
    "tan": (np.tan, -1.2, 1.2),
    "tanh": (np.tanh, -2.0, 2.0),
    "exp": (np.exp, -2.0, 2.0),
    "exp2": (np.exp2, -2.0, 2.0),
    "expm1": (np.expm1, -2.0, 2.0),
    "log": (np.log, 0.2, 3.0),
    "log10": (np.log10, 0.2, 3.0),
    "log1p": (np.log1p, -0.5, 3.0),
    "log2": (np.log2, 0.2, 3.0),
    "sqrt": (np.sqrt, 0.2, 3.0),
    "cbrt": (np.cbrt, 0.2, 3.0),
    "deg2rad": (np.deg2rad, -90.0, 90.0),
    "rad2deg": (np.rad2deg, -2.0, 2.0),
    "i0": (scipy.special.i0, -2.0, 2.0),
    "sinc": (np.sinc, -2.0, 2.0),
    "reciprocal": (np.reciprocal, 0.3, 3.0),
    "fabs": (np.fabs, -2.0, 2.0),
    "angle": (np.angle, -2.0, 2.0),
    "ceil": (np.ceil, -2.0, 2.0),
    "floor": (np.floor, -2.0, 2.0),
}
_NO_GRAD = {"ceil", "floor", "angle"}
_INT_LOW = {"arccosh": 1, "log": 1, "log10": 1, "log2": 1, "sqrt": 0, "cbrt": -3,
            "reciprocal": 1, "log1p": 0, "arccos": -1, "arcsin": -1, "arctanh": 0}
_INT_HIGH = {"arccos": 2, "arcsin": 2, "arctanh": 1}


def _float_ref(f):
    return lambda x: np.asarray(f(x.astype(np.float64) if x.dtype.kind in "iub" else x))


for _i, (_name, (_f, _lo, _hi)) in enumerate(FLOAT_UNARY.items()):
    _x = rand((2, 3), low=_lo, high=_hi, seed=_i)
    if _name in ("fabs", "cbrt", "sinc", "angle"):
        _x = _away(_x) if _name != "cbrt" else _x
    CASES.append(Case(_name, (_x,), ref=_float_ref(_f), grad=_name not in _NO_GRAD, rtol=1e-5, atol=1e-5))
    CASES.append(Case(_name, (rand((4,), "float16", _lo, _hi, seed=_i),), ref=_float_ref(_f),
                      **_f16(rtol=1e-2, atol=1e-2)))
    _ints = rand((2, 2), "int32", _INT_LOW.get(_name, -2), _INT_HIGH.get(_name, 3), seed=_i)
    # Keras's reciprocal rejects ints on TensorFlow and keeps them on NumPy
    _bad = ("tensorflow", "numpy") if _name == "reciprocal" else ()
    CASES += _cases(_name, (_ints,), ref=_float_ref(_f), rtol=1e-5, atol=1e-5, bad=_bad)
    # scalars and empty tensors, rotating through the ops
    if _i % 3 == 0:
        CASES.append(Case(_name, (np.asarray(rand((), low=_lo, high=_hi, seed=_i)),), ref=_float_ref(_f)))
    elif _i % 3 == 1:
        CASES.append(Case(_name, (rand((0, 3)),), ref=_float_ref(_f)))
    else:
        CASES += _cases(_name, (rand((3,), "bool", seed=_i),), ref=lambda x, f=_f: f(x.astype("float32")),
                        bad=_bad)

CASES += [
    Case("exp", (rand((2, 3), "uint8", 0, 4),), ref=_float_ref(np.exp), rtol=1e-5),
    Case("sqrt", (rand((2, 3), "int8", 0, 9),), ref=_float_ref(np.sqrt)),
    Case("log", (np.array([0.0, 1.0, -1.0], "float32"),), ref=np.log),
    Case("sqrt", (np.array([-1.0, 0.0, np.inf], "float32"),), ref=np.sqrt),
    Case("cbrt", (np.array([-8.0, -1.0, 27.0], "float32"),), ref=np.cbrt),
    Case("sinc", (np.array([0.0, 0.5, -1.5], "float32"),), ref=np.sinc, grad=True),
    # Keras's TensorFlow backend gives angle(nan) = 0
    *_cases("angle", (np.array([-2.0, 3.0, np.nan], "float32"),), ref=np.angle, bad=("tensorflow",)),
    Case("i0", (rand((3,), "float16", -2, 2),), ref=scipy.special.i0, rtol=1e-2, atol=1e-2),
]

# -- rounding and unary ops that keep the dtype ------------------------------------
_frac = np.array([[-2.5, -1.5, -0.6, 0.4], [0.5, 1.5, 2.5, 3.7]], "float32")
CASES += [
    Case("trunc", (_frac,), ref=np.trunc),
    Case("trunc", (rand((2, 3), "int32"),), ref=np.trunc),
    Case("trunc", (rand((4,), "float16"),), ref=np.trunc),
    Case("round", (_frac,), ref=np.round),
    Case("round", (np.array([1.25, 2.35, -0.125], "float32"),), dict(decimals=1), ref=np.round),
    Case("round", (np.array([15, 25, -35, 144], "int32"),), dict(decimals=-1),
         ref=lambda x, decimals: np.round(x, decimals)),
    Case("round", (rand((2, 2), "int32"),), dict(decimals=2), ref=lambda x, decimals: x),
    Case("round", (_frac.astype("float16"),), ref=np.round),
    Case("round", (rand((0, 2)),), ref=np.round),
    # Keras's torch backend gives sign(nan) = 0
    *_cases("sign", (np.array([-2.0, 0.0, 3.5, np.nan], "float32"),), ref=np.sign, bad=("torch",)),
    Case("sign", (rand((2, 3), "int32"),), ref=np.sign),
    Case("sign", (rand((3,), "float16"),), ref=np.sign),
    Case("sign", (rand((3,), "uint8", 0, 3),), ref=np.sign),
    Case("negative", (rand((2, 3)),), ref=np.negative, grad=True),
    Case("negative", (rand((2, 3), "int32"),), ref=np.negative),
    Case("negative", (rand((3,), "float16"),), ref=np.negative),
    Case("negative", (np.asarray(rand(())),), ref=np.negative),
    Case("square", (rand((2, 3)),), ref=np.square, grad=True),
    Case("square", (rand((2, 3), "int32"),), ref=np.square),
    Case("square", (rand((3,), "bool"),), ref=lambda x: np.square(x.astype("int32"))),
    Case("square", (rand((3,), "float16"),), ref=np.square, rtol=1e-3),
    Case("absolute", (rand((3,), "float16"),), ref=np.abs),
    Case("absolute", (rand((3,), "bool"),), ref=lambda x: x),
    Case("absolute", (rand((3,), "uint8", 0, 9),), ref=np.abs),
    Case("abs", (np.asarray(rand((), "int8")),), ref=np.abs),
    Case("abs", (rand((0,)),), ref=np.abs),
    Case("fabs", (rand((3,), "int8"),), ref=np.fabs),
    Case("conjugate", (rand((2, 3)),), ref=np.conjugate, grad=True),
    Case("conj", (rand((2, 3), "int32"),), ref=np.conj),
    Case("conj", (rand((3,), "float16"),), ref=np.conj),
    Case("real", (rand((2, 3)),), ref=np.real, grad=True),
    Case("real", (rand((2, 3), "int32"),), ref=np.real),
    # Keras torch's imag rejects real tensors; the NumPy reference covers it there.
    *_cases("imag", (rand((2, 3)),), ref=np.imag, bad=("torch",)),
    *_cases("imag", (rand((2, 2), "int32"),), ref=np.imag, bad=("torch",)),
    Case("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.5], "float32"),), ref=np.nan_to_num),
    Case("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.5], "float16"),), ref=np.nan_to_num),
    Case("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.5], "float32"),),
         dict(nan=1.5, posinf=2.0, neginf=-3.0), ref=np.nan_to_num),
    Case("nan_to_num", (rand((2, 3), "int32"),), ref=np.nan_to_num),
    Case("nan_to_num", (rand((2, 3)),), ref=np.nan_to_num, grad=True),
]

# -- floating-point checks -----------------------------------------------------------
_special = np.array([[1.0, -np.inf, np.inf], [np.nan, -0.0, -2.0]], "float32")
for _name, _f in {"isfinite": np.isfinite, "isinf": np.isinf, "isnan": np.isnan,
                  "isneginf": np.isneginf, "isposinf": np.isposinf, "isreal": np.isreal,
                  "signbit": np.signbit, "logical_not": np.logical_not}.items():
    CASES += [
        Case(_name, (_special,), ref=_f),
        Case(_name, (_special.astype("float16"),), ref=_f),
        Case(_name, (rand((2, 2), "int32"),), ref=_f),
        Case(_name, (rand((3,), "bool"),), ref=_f),
    ]
CASES += [
    Case("isnan", (rand((0, 2)),), ref=np.isnan),
    Case("signbit", (np.asarray(np.float32(-1.0)),), ref=np.signbit),
    Case("signbit", (rand((4,), "uint8", 0, 9),), ref=np.signbit),
    Case("logical_not", (rand((2, 3)),), ref=np.logical_not),
]

# -- binary arithmetic ---------------------------------------------------------------
_a, _b = rand((2, 3)), _away(rand((3,), seed=1))
_ia, _ib = rand((2, 3), "int32", -9, 9), rand((3,), "int32", 1, 5, seed=1)
ARITH = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
    "true_divide": np.true_divide, "maximum": np.maximum, "minimum": np.minimum,
    "fmax": np.fmax, "fmin": np.fmin, "mod": np.mod, "fmod": np.fmod,
    "floor_divide": np.floor_divide, "power": np.power, "arctan2": np.arctan2,
    "hypot": np.hypot, "logaddexp": np.logaddexp, "logaddexp2": np.logaddexp2,
    "divide_no_nan": lambda a, b: np.where(b == 0, 0, a / np.where(b == 0, 1, b)),
    "heaviside": np.heaviside,
}
# where Keras rejects two bools or gives another dtype than its other backends
BOOL_BAD = {
    "add": ("tensorflow",), "multiply": ("tensorflow",), "maximum": ("tensorflow",),
    "minimum": ("tensorflow",), "fmax": ("tensorflow",), "fmin": ("tensorflow",),
    "mod": ("torch", "tensorflow"), "fmod": ("torch", "tensorflow"),
    "floor_divide": ("torch", "tensorflow", "numpy"), "power": ("torch", "tensorflow", "numpy"),
    "hypot": ("torch", "tensorflow", "numpy"), "heaviside": ("torch", "tensorflow", "numpy"),
}
_GRAD2 = {"add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum",
          "fmax", "fmin", "arctan2", "hypot", "logaddexp", "logaddexp2", "divide_no_nan", "power"}
_FLOATY = {"divide", "true_divide", "divide_no_nan", "arctan2", "hypot", "logaddexp",
           "logaddexp2", "heaviside"}


def _f64(f):
    """Reference computing in float64 (NumPy would use float16 for small ints)."""
    return lambda *a: f(*[x.astype(np.float64) if isinstance(x, np.ndarray) and x.dtype.kind in "iub"
                          else x for x in a])


for _i, (_name, _f) in enumerate(ARITH.items()):
    if _name in _FLOATY:
        _f = _f64(_f)
    a = np.abs(_a) + 0.5 if _name == "power" else _a
    CASES += [
        Case(_name, (a, _b), ref=_f, grad=_name in _GRAD2, rtol=1e-5, atol=1e-5),
        Case(_name, (_ia, _ib), ref=_f, rtol=1e-5, atol=1e-5),
        # Keras's symbolic path fails on Python scalars for some ops: no None-dim oracle
        Case(_name, (_ia, 2), ref=_f, rtol=1e-5, atol=1e-5, symbolic_none=False),
        Case(_name, (np.abs(a).astype("float16") + 0.5, _ib), ref=_f, rtol=1e-2, atol=1e-2),
    ]
    if _i % 2 == 0:
        CASES.append(Case(_name, (rand((0, 3)), _b), ref=_f))
    else:
        CASES.append(Case(_name, (np.asarray(np.float32(1.5)), _b), ref=_f))
    # Keras: torch/TF reject small ints in these three; NumPy computes two of these in float16
    CASES += _cases(_name, (_ia.astype("int8"), rand((3,), "uint8", 1, 4)), ref=_f, rtol=1e-5,
                    bad={"mod": ("torch", "tensorflow"), "fmod": ("torch", "tensorflow"),
                         "floor_divide": ("torch", "tensorflow"), "hypot": ("numpy",),
                         "logaddexp2": ("numpy",)}.get(_name, ()))
    if _name != "subtract":
        _int_like = _name in ("mod", "fmod", "floor_divide", "power")
        _ref = (lambda a, b, f=_f, t="int32" if _int_like else "float32": f(a.astype(t), b.astype(t)))
        if _name in ("add", "multiply", "maximum", "minimum", "fmax", "fmin"):
            _ref = _f
        _bb = rand((3,), "bool", seed=2) if _ref is _f else np.array([True, True, True])
        CASES += _cases(_name, (rand((2, 3), "bool"), _bb), ref=_ref, bad=BOOL_BAD.get(_name, ()))

CASES += [
    Case("add", (rand((2, 3), "int8"), 3), ref=np.add),
    Case("multiply", (rand((2, 3), "float16"), 2.5), ref=np.multiply, rtol=1e-3),
    Case("divide", (rand((2, 3), "int32"), np.array([0, 1, -2], "int32")), ref=np.divide),
    Case("divide_no_nan", (rand((2, 3)), np.array([0.0, 1.0, -2.0], "float32")),
         ref=lambda a, b: np.where(b == 0, 0, a / np.where(b == 0, 1, b))),
    Case("maximum", (np.array([np.nan, 1.0, 2.0], "float32"), np.array([1.0, np.nan, 1.0], "float32")),
         ref=np.maximum),
    Case("fmin", (np.array([np.nan, 1.0, 2.0], "float32"), np.array([1.0, np.nan, 1.0], "float32")),
         ref=np.fmin),
    Case("mod", (np.array([-7.5, 7.5, 3.0], "float32"), np.array([2.0, -2.0, 1.5], "float32")), ref=np.mod),
    Case("fmod", (np.array([-7.5, 7.5, 3.0], "float32"), np.array([2.0, -2.0, 1.5], "float32")), ref=np.fmod),
    Case("floor_divide", (np.array([-7, 7, -8], "int32"), np.array([2, -2, 3], "int32")), ref=np.floor_divide),
    Case("power", (rand((2, 3), "int32", 0, 4), np.array([0, 1, 3], "int32")), ref=np.power),
    Case("power", (rand((2, 3), "float32", 0.5, 2), 0.5), ref=np.power, grad=True),
    Case("heaviside", (np.array([-1.0, 0.0, 2.0], "float32"), 0.5), ref=np.heaviside, symbolic_none=False),
    Case("hypot", (np.array([3.0, 1e30, 0.0], "float32"), np.array([4.0, 1e30, 0.0], "float32")),
         ref=np.hypot),
    Case("logaddexp", (np.array([-np.inf, 100.0, 1.0], "float32"), np.array([-np.inf, 100.0, -1.0], "float32")),
         ref=np.logaddexp),
    Case("logaddexp2", (np.array([-np.inf, 100.0, np.inf], "float32"), np.array([-np.inf, 100.0, 1.0], "float32")),
         ref=np.logaddexp2),
    Case("arctan2", (np.array([1.0, -1.0, 0.0], "float32"), np.array([-1.0, -1.0, 2.0], "float32")), ref=np.arctan2),
]

# clip
CASES += [
    Case("clip", (rand((2, 3)), -0.5, 0.5), ref=np.clip, grad=True),
    Case("clip", (rand((2, 3), "int32"), -1, 1), ref=np.clip),
    Case("clip", (rand((2, 3), "int8"), -1, 1), ref=np.clip),
    *_cases("clip", (rand((2, 3), "int32"), -0.5, 1.5), bad=("tensorflow", "numpy"),
            ref=lambda x, lo, hi: np.clip(x.astype("float32"), lo, hi)),
    Case("clip", (rand((4,), "float16"), -0.5, 0.5), ref=np.clip),
    Case("clip", (rand((3,), "bool"), 0, 1), ref=lambda x, lo, hi: np.clip(x.astype("int32"), lo, hi)),
    Case("clip", (rand((2, 3)), rand((3,), low=-1, high=0, seed=1), rand((3,), low=0, high=1, seed=2)),
         ref=np.clip, grad=True),
    Case("clip", (rand((0, 3)), 0.0, 1.0), ref=np.clip),
    Case("clip", (np.asarray(np.float32(3.0)), 0.0, 1.0), ref=np.clip),
]

# nextafter: Keras's torch and TensorFlow backends round through float64 and lose the step.
_next_kw = dict(ref=np.nextafter)
CASES += [
    Case("nextafter", (np.array([1.0, 2.0, 0.0, -1.0], "float32"), np.array([2.0, 0.0, -1.0, -1.0], "float32")),
         **_next_kw, rtol=0, atol=0, keras=False),
    Case("nextafter", (np.array([1.0, 2.0, 0.0, -1.0], "float16"), np.array([2.0, 0.0, 1.0, -3.0], "float16")),
         **_next_kw, rtol=0, atol=0, keras=False),
    Case("nextafter", (np.array([1.0, 2.0], "float32"), np.array([2.0, 0.0], "float32")), **_next_kw,
         rtol=0, atol=0, backends=("jax", "numpy")),
    Case("nextafter", (rand((2, 2), "int32"), rand((2,), "int32", seed=1)), **_next_kw, rtol=1e-6,
         keras=False),
    Case("nextafter", (rand((0, 2)), rand((2,), seed=1)), **_next_kw),
]

# ldexp, gcd, lcm
CASES += [
    Case("ldexp", (rand((2, 3)), np.array([2, -1, 0], "int32")), ref=np.ldexp, grad=True),
    Case("ldexp", (rand((2, 3), "int32"), np.array([2, 1, 0], "int32")), ref=lambda a, b: np.ldexp(a, b)),
    Case("ldexp", (rand((3,), "float16"), 2), ref=np.ldexp, rtol=1e-3),
    Case("ldexp", (rand((0, 3)), np.array([2, 1, 0], "int32")), ref=np.ldexp),
    Case("gcd", (np.array([-8, 0, 9, 12], "int32"), np.array([12, 5, 0, 18], "int32")), ref=np.gcd),
    Case("gcd", (rand((2, 3), "int32", -20, 20), rand((3,), "int32", -9, 9, seed=1)), ref=np.gcd),
    *_cases("gcd", (rand((2, 3), "int8", 0, 20), 4), ref=np.gcd, bad=("tensorflow", "numpy")),
    Case("gcd", (rand((0, 3), "int32"), rand((3,), "int32")), ref=np.gcd),
    Case("lcm", (np.array([-4, 0, 9, 6], "int32"), np.array([6, 5, 6, 0], "int32")), ref=np.lcm),
    Case("lcm", (rand((2, 3), "int32", -9, 9), rand((3,), "int32", 1, 7, seed=1)), ref=np.lcm),
    *_cases("lcm", (rand((2, 3), "int16", 0, 9), 4), ref=np.lcm, bad=("tensorflow", "numpy")),
]

# -- comparisons and logic ---------------------------------------------------------------
_ca, _cb = rand((2, 3), "int32", -2, 2), rand((3,), "int32", -2, 2, seed=1)
for _name, _f in {"equal": np.equal, "not_equal": np.not_equal, "greater": np.greater,
                  "greater_equal": np.greater_equal, "less": np.less, "less_equal": np.less_equal,
                  "logical_and": np.logical_and, "logical_or": np.logical_or,
                  "logical_xor": np.logical_xor}.items():
    if _name in ("equal", "less", "logical_and"):
        CASES += [Case(_name, (_ca.astype("float32"), _cb.astype("float16")), ref=_f),
                  Case(_name, (np.asarray(np.int32(1)), _cb), ref=_f),
                  Case(_name, (rand((0, 3)), rand((3,))), ref=_f)]
    CASES += [
        Case(_name, (_ca, _cb), ref=_f),
        Case(_name, (_ca, 1), ref=_f),
        Case(_name, (_ca.astype("float32"), 0.5), ref=_f),
        *_cases(_name, (rand((2, 3), "bool"), rand((3,), "bool", seed=1)), ref=_f,
                bad=("tensorflow",) if _name.startswith(("greater", "less")) else ()),
        Case(_name, (np.array([np.nan, 1.0, 0.0], "float32"), np.array([np.nan, 1.0, -0.0], "float32")), ref=_f),
    ]
CASES += [
    # Keras's TensorFlow backend gets infinities wrong: isclose(inf, inf) is False there
    *_cases("isclose", (np.array([1.0, 1.0, np.nan, np.inf, 1.0], "float32"),
                        np.array([1.0 + 1e-7, 1.1, np.nan, np.inf, np.inf], "float32")), ref=np.isclose,
            bad=("tensorflow",)),
    Case("isclose", (np.array([1.0, 1.05, np.nan], "float32"), np.array([1.1, 1.0, np.nan], "float32")),
         dict(rtol=0.1, atol=0.0, equal_nan=True), ref=np.isclose),
    Case("isclose", (rand((2, 3), "int32"), rand((3,), "int32", seed=1)), ref=np.isclose),
    Case("isclose", (rand((2, 3), "float16"), rand((3,), "float16", seed=1)), dict(atol=0.5),
         ref=lambda a, b, atol: np.isclose(a, b, atol=atol)),
    Case("isclose", (rand((0, 3)), 1.0), ref=np.isclose),
]

# -- bitwise ---------------------------------------------------------------------------
_xa, _xb = rand((2, 3), "int32", -50, 50), rand((3,), "int32", 0, 50, seed=1)
for _name, _f in {"bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or,
                  "bitwise_xor": np.bitwise_xor}.items():
    CASES += [
        Case(_name, (_xa, _xb), ref=_f),
        Case(_name, (_xa.astype("int8"), _xb.astype("uint8")), ref=_f),
        Case(_name, (_xa, 6), ref=_f, symbolic_none=False),
        *_cases(_name, (rand((2, 3), "bool"), rand((3,), "bool", seed=1)), ref=_f, bad=("tensorflow",)),
        Case(_name, (rand((0, 3), "int32"), _xb), ref=_f),
    ]
for _name, _f in {"bitwise_left_shift": np.left_shift, "left_shift": np.left_shift,
                  "bitwise_right_shift": np.right_shift, "right_shift": np.right_shift}.items():
    CASES += [
        Case(_name, (_xa, rand((3,), "int32", 0, 5, seed=1)), ref=_f),
        Case(_name, (_xa.astype("int16"), 2), ref=_f),
        Case(_name, (rand((3,), "uint8", 0, 30), rand((3,), "uint8", 0, 3, seed=1)), ref=_f),
    ]
CASES += [
    Case("bitwise_left_shift", (rand((3,), "bool"), rand((3,), "int32", 0, 4)),
         ref=lambda a, b: np.left_shift(a.astype("int32"), b)),
    Case("bitwise_invert", (_xa,), ref=np.invert),
    Case("bitwise_not", (_xa.astype("int8"),), ref=np.invert),
    Case("bitwise_invert", (rand((3,), "uint8", 0, 200),), ref=np.invert),
    *_cases("bitwise_invert", (rand((3,), "bool"),), ref=np.invert, bad=("tensorflow",)),
    Case("bitwise_invert", (np.asarray(np.int32(5)),), ref=np.invert),
]

ERRORS += [
    ErrorCase("sin", ("abc",), error=TypeError, match="x"),
    ErrorCase("maximum", (rand((2, 3)), rand((2,))), error=ValueError, match="cannot be broadcast"),
    ErrorCase("divide", (rand((2, 3)), rand((4,))), error=ValueError, match="cannot be broadcast"),
    ErrorCase("logical_and", (rand((2, 3)), rand((4,))), error=ValueError, match="cannot be broadcast"),
    ErrorCase("isclose", (rand((2,)), rand((3,))), error=ValueError, match="cannot be broadcast"),
    ErrorCase("bitwise_and", (rand((2,)), rand((2,), "int32")), error=TypeError, match="integer"),
    ErrorCase("bitwise_or", (rand((2,), "int32"), rand((2,))), error=TypeError, match="integer"),
    ErrorCase("left_shift", (rand((2,)), 1), error=TypeError, match="integer"),
    ErrorCase("bitwise_invert", (rand((2,)),), error=TypeError, match="integer"),
    ErrorCase("gcd", (rand((2,)), rand((2,), "int32")), error=TypeError, match="integer"),
    ErrorCase("lcm", (rand((2,), "bool"), rand((2,), "bool")), error=TypeError, match="bool"),
    ErrorCase("ldexp", (rand((2,)), rand((2,))), error=TypeError, match="x2"),
    ErrorCase("subtract", (rand((2,), "bool"), rand((2,), "bool")), error=TypeError, match="bool"),
    ErrorCase("negative", (rand((2,), "bool"),), error=TypeError, match="bool"),
    ErrorCase("round", (rand((2,)),), dict(decimals=1.5), error=TypeError, match="decimals"),
    ErrorCase("clip", (rand((2,)), "a", 1.0), error=TypeError, match="x_min"),
    ErrorCase("power", (rand((2, 3)), rand((4,))), error=ValueError, match="cannot be broadcast"),
]

# Python lists and scalars are accepted wherever tensors are (no tensor: no symbolic check;
# Keras's symbolic path rejects lists)
CASES += [
    Case("add", ([1.0, 2.0], 3), ref=lambda a, b: np.add(a, b), symbolic=False),
    Case("sin", ([0.5, 1.0],), ref=lambda x: np.sin(x), symbolic=False),
    Case("greater", ([1, 3], 2), ref=lambda a, b: np.greater(a, b), symbolic=False),
    # not on TensorFlow: rules.dtype_of says int64 for a list of ints there, while
    # convert_to_tensor (like Keras) makes int32 (reported to the lead)
    Case("maximum", (np.array([1, 5], "int32"), [3, 2]), ref=lambda a, b: np.maximum(a, b),
         symbolic_none=False, backends=("jax", "torch", "numpy")),
]

# Compile (jax.jit / tf.function) each op once per combination of input kinds, not per case:
# tracing dominates the run time and repeats nothing new for the other shapes.
_compiled = set()
for _case in CASES:
    _kinds = tuple(a.dtype.kind if isinstance(a, np.ndarray) else type(a).__name__ for a in _case.args)
    if (_case.op, _kinds) in _compiled:
        _case.jit = False
    _compiled.add((_case.op, _kinds))
