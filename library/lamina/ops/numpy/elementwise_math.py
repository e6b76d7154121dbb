"""NumPy-style element-wise math: exponentials, logarithms, trigonometry,
rounding, floating-point checks and complex parts.

Functions that are not closed over the integers (``exp``, ``sin``, ``ceil``...)
turn integers and bools into ``floatx`` (``int64`` included); float16 and
bfloat16 stay as they are. The checks (``isnan``, ``signbit``...) give bools.
The arithmetic, comparison and bitwise ops are in
:mod:`lamina.ops.numpy.elementwise`.
"""

from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "angle", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cbrt", "ceil",
    "conj", "conjugate", "cos", "cosh", "deg2rad", "exp", "exp2", "expm1", "floor", "i0",
    "imag", "isfinite", "isinf", "isnan", "isneginf", "isposinf", "isreal", "log", "log10",
    "log1p", "log2", "nan_to_num", "rad2deg", "real", "round", "signbit", "sin", "sinc",
    "sinh", "sqrt", "tan", "tanh", "trunc",
]


def _real_dtype_rule(x):
    """Same shape; complex inputs give their real dtype, others keep theirs."""
    dt = rules.tensor_dtype(x)
    return rules.spec(rules.shape_of(x), {"complex64": "float32", "complex128": "float64"}.get(dt, dt))


def _angle_rule(x):
    dt = rules.tensor_dtype(x)
    if dt in ("complex64", "complex128"):
        return _real_dtype_rule(x)
    return rules.float_unary(x)


def _round_rule(x, decimals=0):
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"expected an int for `decimals`, received {rules.describe(decimals)}.")
    return rules.elementwise_unary(x)


def _nan_to_num_rule(x, nan=0.0, posinf=None, neginf=None):
    for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TypeError(f"expected a number or None for `{name}`, received {rules.describe(value)}.")
    return rules.elementwise_unary(x)


# -- exponentials, logarithms, trigonometry ------------------------------------

@op(rules.float_unary)
def arccos(x):
    """Inverse cosine, element-wise.

    Example:
        >>> lamina.ops.arccos(np.array([1.0, 0.0]))
        # [0.0, 1.571]
    """


@op(rules.float_unary)
def arccosh(x):
    """Inverse hyperbolic cosine, element-wise.

    Example:
        >>> lamina.ops.arccosh(np.array([1.0, 2.0]))
        # [0.0, 1.317]
    """


@op(rules.float_unary)
def arcsin(x):
    """Inverse sine, element-wise.

    Example:
        >>> lamina.ops.arcsin(np.array([0.0, 1.0]))
        # [0.0, 1.571]
    """


@op(rules.float_unary)
def arcsinh(x):
    """Inverse hyperbolic sine, element-wise.

    Example:
        >>> lamina.ops.arcsinh(np.array([0.0, 1.0]))
        # [0.0, 0.881]
    """


@op(rules.float_unary)
def arctan(x):
    """Inverse tangent, element-wise.

    Example:
        >>> lamina.ops.arctan(np.array([0.0, 1.0]))
        # [0.0, 0.785]
    """


@op(rules.float_unary)
def arctanh(x):
    """Inverse hyperbolic tangent, element-wise.

    Example:
        >>> lamina.ops.arctanh(np.array([0.0, 0.5]))
        # [0.0, 0.549]
    """


@op(rules.float_unary)
def cos(x):
    """Cosine, element-wise.

    Example:
        >>> lamina.ops.cos(np.array([0.0, 3.1416]))
        # [1.0, -1.0]
    """


@op(rules.float_unary)
def cosh(x):
    """Hyperbolic cosine, element-wise.

    Example:
        >>> lamina.ops.cosh(np.array([0.0, 1.0]))
        # [1.0, 1.543]
    """


@op(rules.float_unary)
def sin(x):
    """Sine, element-wise.

    Example:
        >>> lamina.ops.sin(np.array([0.0, 1.5708]))
        # [0.0, 1.0]
    """


@op(rules.float_unary)
def sinh(x):
    """Hyperbolic sine, element-wise.

    Example:
        >>> lamina.ops.sinh(np.array([0.0, 1.0]))
        # [0.0, 1.175]
    """


@op(rules.float_unary)
def tan(x):
    """Tangent, element-wise.

    Example:
        >>> lamina.ops.tan(np.array([0.0, 0.7854]))
        # [0.0, 1.0]
    """


@op(rules.float_unary)
def tanh(x):
    """Hyperbolic tangent, element-wise.

    Example:
        >>> lamina.ops.tanh(np.array([0.0, 1.0]))
        # [0.0, 0.762]
    """


@op(rules.float_unary)
def exp(x):
    """``e**x``, element-wise.

    Example:
        >>> lamina.ops.exp(np.array([0.0, 1.0]))
        # [1.0, 2.718]
    """


@op(rules.float_unary)
def exp2(x):
    """``2**x``, element-wise.

    Example:
        >>> lamina.ops.exp2(np.array([0, 3]))
        # [1.0, 8.0] (float32)
    """


@op(rules.float_unary)
def expm1(x):
    """``exp(x) - 1``, accurate for small ``x``.

    Example:
        >>> lamina.ops.expm1(np.array([0.0, 1e-5]))
        # [0.0, 1e-5]
    """


@op(rules.float_unary)
def log(x):
    """Natural logarithm, element-wise.

    Example:
        >>> lamina.ops.log(np.array([1.0, np.e]))
        # [0.0, 1.0]
    """


@op(rules.float_unary)
def log10(x):
    """Base-10 logarithm, element-wise.

    Example:
        >>> lamina.ops.log10(np.array([1.0, 100.0]))
        # [0.0, 2.0]
    """


@op(rules.float_unary)
def log1p(x):
    """``log(1 + x)``, accurate for small ``x``.

    Example:
        >>> lamina.ops.log1p(np.array([0.0, 1e-5]))
        # [0.0, 1e-5]
    """


@op(rules.float_unary)
def log2(x):
    """Base-2 logarithm, element-wise.

    Example:
        >>> lamina.ops.log2(np.array([1, 8]))
        # [0.0, 3.0] (float32)
    """


@op(rules.float_unary)
def sqrt(x):
    """Non-negative square root, element-wise.

    Example:
        >>> lamina.ops.sqrt(np.array([4.0, 9.0]))
        # [2.0, 3.0]
    """


@op(rules.float_unary)
def cbrt(x):
    """Real cube root, element-wise (negative inputs give negative roots).

    Example:
        >>> lamina.ops.cbrt(np.array([-8.0, 27.0]))
        # [-2.0, 3.0]
    """


@op(rules.float_unary)
def deg2rad(x):
    """Converts angles from degrees to radians.

    Example:
        >>> lamina.ops.deg2rad(np.array([180.0]))
        # [3.1416]
    """


@op(rules.float_unary)
def rad2deg(x):
    """Converts angles from radians to degrees.

    Example:
        >>> lamina.ops.rad2deg(np.array([np.pi]))
        # [180.0]
    """


@op(rules.float_unary)
def i0(x):
    """Modified Bessel function of the first kind, order 0.

    Example:
        >>> lamina.ops.i0(np.array([0.0, 1.0]))
        # [1.0, 1.266]
    """


@op(rules.float_unary)
def sinc(x):
    """Normalized sinc ``sin(pi x) / (pi x)`` (1 at 0).

    Example:
        >>> lamina.ops.sinc(np.array([0.0, 0.5]))
        # [1.0, 0.637]
    """


# -- rounding -------------------------------------------------------------------

@op(rules.float_unary)
def ceil(x):
    """Smallest integer-valued float ``>= x``; integers give ``floatx``.

    Example:
        >>> lamina.ops.ceil(np.array([1.2, -1.5]))
        # [2.0, -1.0]
    """


@op(rules.float_unary)
def floor(x):
    """Largest integer-valued float ``<= x``; integers give ``floatx``.

    Example:
        >>> lamina.ops.floor(np.array([1.7, -1.5]))
        # [1.0, -2.0]
    """


@op(rules.elementwise_unary)
def trunc(x):
    """Rounds towards zero, element-wise; integers are returned unchanged.

    Example:
        >>> lamina.ops.trunc(np.array([-1.7, 1.7]))
        # [-1.0, 1.0]
    """


@op(_round_rule)
def round(x, decimals=0):
    """Rounds half to even, to ``decimals`` places (negative: tens, hundreds...).

    Integer tensors stay integers.

    Args:
        x: the input tensor.
        decimals: the number of decimal places.

    Example:
        >>> lamina.ops.round(np.array([0.5, 1.5, 2.25]), 1)
        # [0.5, 1.5, 2.2]
    """


# -- floating-point checks -------------------------------------------------------

@op(rules.bool_unary)
def isfinite(x):
    """Whether each element is finite (not infinite, not NaN).

    Example:
        >>> lamina.ops.isfinite(np.array([1.0, np.inf, np.nan]))
        # [True, False, False]
    """


@op(rules.bool_unary)
def isinf(x):
    """Whether each element is positive or negative infinity.

    Example:
        >>> lamina.ops.isinf(np.array([1.0, -np.inf]))
        # [False, True]
    """


@op(rules.bool_unary)
def isnan(x):
    """Whether each element is NaN.

    Example:
        >>> lamina.ops.isnan(np.array([1.0, np.nan]))
        # [False, True]
    """


@op(rules.bool_unary)
def isneginf(x):
    """Whether each element is negative infinity.

    Example:
        >>> lamina.ops.isneginf(np.array([np.inf, -np.inf]))
        # [False, True]
    """


@op(rules.bool_unary)
def isposinf(x):
    """Whether each element is positive infinity.

    Example:
        >>> lamina.ops.isposinf(np.array([np.inf, -np.inf]))
        # [True, False]
    """


@op(rules.bool_unary)
def isreal(x):
    """Whether each element has a zero imaginary part (always True for real tensors).

    Example:
        >>> lamina.ops.isreal(np.array([1 + 0j, 1j]))
        # [True, False]
    """


@op(rules.bool_unary)
def signbit(x):
    """Whether the sign bit is set (True for -0.0).

    Example:
        >>> lamina.ops.signbit(np.array([-1.0, -0.0, 2.0]))
        # [True, True, False]
    """


@op(_nan_to_num_rule)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN and infinities with finite numbers.

    Args:
        x: the input tensor.
        nan: the value for NaNs.
        posinf: the value for +inf (default: the dtype's largest finite value).
        neginf: the value for -inf (default: the dtype's lowest finite value).

    Example:
        >>> lamina.ops.nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=9.0)
        # [0.0, 9.0, 1.0]
    """


# -- complex parts ----------------------------------------------------------------

@op(_angle_rule)
def angle(x):
    """The angle (argument) of each element, in radians; real inputs give 0 or pi.

    Example:
        >>> lamina.ops.angle(np.array([1.0, -2.0]))
        # [0.0, 3.1416]
    """


@op(rules.elementwise_unary)
def conjugate(x):
    """Complex conjugate, element-wise (real tensors are returned unchanged).

    Example:
        >>> lamina.ops.conjugate(np.array([1 + 2j]))
        # [1 - 2j]
    """


@op(rules.elementwise_unary)
def conj(x):
    """Alias of :func:`conjugate`.

    Example:
        >>> lamina.ops.conj(np.array([1 + 2j]))
    """


@op(_real_dtype_rule)
def real(x):
    """The real part, element-wise (real tensors are returned unchanged).

    Example:
        >>> lamina.ops.real(np.array([1 + 2j]))
        # [1.0]
    """


@op(_real_dtype_rule)
def imag(x):
    """The imaginary part, element-wise (zeros for real tensors).

    Example:
        >>> lamina.ops.imag(np.array([1 + 2j]))
        # [2.0]
    """
