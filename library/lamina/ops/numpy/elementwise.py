"""NumPy-style element-wise ops: arithmetic, comparisons, logic and bitwise ops.

Binary ops broadcast their inputs and promote them with the one promotion table
(:func:`lamina.backend.common.dtypes.result_type`); Python scalars are weak, so
``int8 tensor + 3`` stays ``int8``. Divisions and the other float-valued ops
turn integers into ``floatx``; comparisons and logic give ``bool``; bitwise ops
accept only integers and bools. The unary math functions (``exp``, ``sin``,
``floor``, ``isnan``...) live in :mod:`lamina.ops.numpy.elementwise_math`.
"""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op
from lamina.ops.numpy.elementwise_math import *  # noqa: F401,F403
from lamina.ops.numpy.elementwise_math import __all__ as _MATH

__all__ = [
    "abs", "absolute", "add", "arctan2", "bitwise_and", "bitwise_invert",
    "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "clip", "divide", "divide_no_nan", "equal", "fabs", "floor_divide", "fmax", "fmin", "fmod",
    "gcd", "greater", "greater_equal", "heaviside", "hypot", "isclose", "lcm", "ldexp",
    "left_shift", "less", "less_equal", "logaddexp", "logaddexp2", "logical_and",
    "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply",
    "negative", "nextafter", "not_equal", "power", "reciprocal", "right_shift", "sign",
    "square", "subtract", "true_divide",
] + list(_MATH)


# -- rules ------------------------------------------------------------------------

def _is_int_or_bool(dtype):
    return dtype == "bool" or dtype in dtypes.INT_TYPES


def _check_int_or_bool(x, argname):
    dt = rules.tensor_dtype(x, argname)
    if not _is_int_or_bool(dt):
        raise TypeError(f"expected an integer or bool tensor for `{argname}`, received dtype {dt}.")


def _check_number(value, argname):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number for `{argname}`, received {rules.describe(value)}.")


def _abs_rule(x):
    """Same shape; complex inputs give their real dtype."""
    dt = rules.tensor_dtype(x)
    return rules.spec(rules.shape_of(x), {"complex64": "float32", "complex128": "float64"}.get(dt, dt))


def _square_rule(x):
    dt = rules.tensor_dtype(x)
    return rules.spec(rules.shape_of(x), "int32" if dt == "bool" else dt)


def _no_bool_unary(x):
    out = rules.elementwise_unary(x)
    if out.dtype == "bool":
        raise TypeError("expected a numeric tensor, received dtype bool (use logical_not).")
    return out


def _invert_rule(x):
    _check_int_or_bool(x, "x")
    return rules.elementwise_unary(x)


def _subtract_rule(x1, x2):
    out = rules.broadcast_binary(x1, x2)
    if out.dtype == "bool":
        raise TypeError("expected numeric tensors, received two bools (use logical_xor).")
    return out


def _int_arith_rule(x1, x2):
    """Broadcast, promote; two bools compute in int32 (mod, power...)."""
    out = rules.broadcast_binary(x1, x2)
    return rules.spec(out.shape, "int32") if out.dtype == "bool" else out


def _bitwise_rule(x, y):
    _check_int_or_bool(x, "x")
    _check_int_or_bool(y, "y")
    return rules.broadcast_binary(x, y)


def _shift_rule(x, y):
    """Like the bitwise rule, but two bools compute in int32."""
    out = _bitwise_rule(x, y)
    return rules.spec(out.shape, "int32") if out.dtype == "bool" else out


def _gcd_rule(x1, x2):
    _check_int_or_bool(x1, "x1")
    _check_int_or_bool(x2, "x2")
    out = rules.broadcast_binary(x1, x2)
    if out.dtype == "bool":
        raise TypeError("expected integer tensors, received two bools.")
    return out


def _ldexp_rule(x1, x2):
    dt2 = rules.tensor_dtype(x2, "x2")
    if dt2 not in dtypes.INT_TYPES:
        raise TypeError(f"expected an integer tensor for `x2`, received dtype {dt2}.")
    shape = rules.broadcast_shapes(rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2"))
    dt1 = rules.dtype_of(x1, "x1")
    if dt1 in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected a real tensor for `x1`, received dtype {dt1}.")
    return rules.spec(shape, dtypes.result_type(dt1, rules.dtype_of(x2, "x2"), float))


def _clip_rule(x, x_min, x_max):
    dt = rules.tensor_dtype(x)
    if dt == "bool":
        dt = "int32"
    shape = rules.broadcast_shapes(rules.shape_of(x), rules.shape_of(x_min, "x_min"),
                                   rules.shape_of(x_max, "x_max"))
    return rules.spec(shape, dtypes.result_type(dt, rules.dtype_of(x_min, "x_min"),
                                                rules.dtype_of(x_max, "x_max")))


def _isclose_rule(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_number(rtol, "rtol")
    _check_number(atol, "atol")
    return rules.compare_binary(x1, x2)


def _logical_binary(x1, x2):
    shape = rules.broadcast_shapes(rules.shape_of(x1, "x1"), rules.shape_of(x2, "x2"))
    return rules.spec(shape, "bool")


def _logical_unary(x):
    rules.check_tensor(x)
    return rules.bool_unary(x)


# -- arithmetic -------------------------------------------------------------------

@op(rules.broadcast_binary)
def add(x1, x2):
    """Adds tensors element-wise, with broadcasting.

    Args:
        x1: a tensor or number.
        x2: a tensor or number.

    Returns:
        The sum, in the promoted dtype of ``x1`` and ``x2``.

    Example:
        >>> lamina.ops.add(np.array([1, 2]), 3)
        # [4, 5] (int32)
    """


@op(_subtract_rule)
def subtract(x1, x2):
    """Subtracts ``x2`` from ``x1`` element-wise (bools are rejected).

    Example:
        >>> lamina.ops.subtract(np.array([5.0, 3.0]), 1.0)
        # [4.0, 2.0]
    """


@op(rules.broadcast_binary)
def multiply(x1, x2):
    """Multiplies tensors element-wise, with broadcasting.

    Example:
        >>> lamina.ops.multiply(np.array([1.5, 2.0]), 2)
        # [3.0, 4.0]
    """


@op(rules.float_binary)
def divide(x1, x2):
    """True division ``x1 / x2``; integers give ``floatx``.

    Example:
        >>> lamina.ops.divide(np.array([1, 3]), 2)
        # [0.5, 1.5] (float32)
    """


@op(rules.float_binary)
def true_divide(x1, x2):
    """Alias of :func:`divide`.

    Example:
        >>> lamina.ops.true_divide(np.array([1, 3]), 2)
    """


@op(rules.float_binary)
def divide_no_nan(x1, x2):
    """Division that returns 0 where ``x2`` is 0.

    Example:
        >>> lamina.ops.divide_no_nan(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
        # [0.0, 0.5]
    """


@op(_int_arith_rule)
def floor_divide(x1, x2):
    """Floor division ``x1 // x2``; integers stay integers.

    Example:
        >>> lamina.ops.floor_divide(np.array([7, -7]), 2)
        # [3, -4]
    """


@op(_int_arith_rule)
def mod(x1, x2):
    """Remainder of floor division: the result has the sign of ``x2``.

    Example:
        >>> lamina.ops.mod(np.array([7, -7]), 3)
        # [1, 2]
    """


@op(_int_arith_rule)
def fmod(x1, x2):
    """Remainder of truncated division: the result has the sign of ``x1``.

    Example:
        >>> lamina.ops.fmod(np.array([7, -7]), 3)
        # [1, -1]
    """


@op(_int_arith_rule)
def power(x1, x2):
    """``x1`` raised to the power ``x2``, element-wise.

    Example:
        >>> lamina.ops.power(np.array([2.0, 3.0]), 2)
        # [4.0, 9.0]
    """


@op(_no_bool_unary)
def negative(x):
    """Numerical negative ``-x``, element-wise (bools are rejected).

    Example:
        >>> lamina.ops.negative(np.array([1, -2]))
        # [-1, 2]
    """


@op(rules.float_unary)
def reciprocal(x):
    """``1 / x``, element-wise; integers give ``floatx``.

    Example:
        >>> lamina.ops.reciprocal(np.array([2.0, 4.0]))
        # [0.5, 0.25]
    """


@op(_square_rule)
def square(x):
    """``x * x``, element-wise (bools give int32).

    Example:
        >>> lamina.ops.square(np.array([-2, 3]))
        # [4, 9]
    """


@op(_abs_rule)
def absolute(x):
    """Absolute value, element-wise.

    Example:
        >>> lamina.ops.absolute(np.array([-1.5, 2.0]))
        # [1.5, 2.0]
    """


@op(_abs_rule)
def abs(x):
    """Alias of :func:`absolute`.

    Example:
        >>> lamina.ops.abs(np.array([-1.5, 2.0]))
    """


@op(rules.float_unary)
def fabs(x):
    """Absolute value, always as floats (integers give ``floatx``).

    Example:
        >>> lamina.ops.fabs(np.array([-1, 2]))
        # [1.0, 2.0]
    """


@op(rules.elementwise_unary)
def sign(x):
    """The sign of each element: -1, 0 or 1 (NaN stays NaN).

    Example:
        >>> lamina.ops.sign(np.array([-3.0, 0.0, 2.0]))
        # [-1.0, 0.0, 1.0]
    """


@op(rules.broadcast_binary)
def maximum(x1, x2):
    """Element-wise maximum; NaNs propagate.

    Example:
        >>> lamina.ops.maximum(np.array([1, 5]), np.array([3, 2]))
        # [3, 5]
    """


@op(rules.broadcast_binary)
def minimum(x1, x2):
    """Element-wise minimum; NaNs propagate.

    Example:
        >>> lamina.ops.minimum(np.array([1, 5]), np.array([3, 2]))
        # [1, 2]
    """


@op(rules.broadcast_binary)
def fmax(x1, x2):
    """Element-wise maximum that ignores NaNs (NaN only where both are NaN).

    Example:
        >>> lamina.ops.fmax(np.array([np.nan, 1.0]), np.array([2.0, np.nan]))
        # [2.0, 1.0]
    """


@op(rules.broadcast_binary)
def fmin(x1, x2):
    """Element-wise minimum that ignores NaNs (NaN only where both are NaN).

    Example:
        >>> lamina.ops.fmin(np.array([np.nan, 1.0]), np.array([2.0, np.nan]))
        # [2.0, 1.0]
    """


@op(_clip_rule)
def clip(x, x_min, x_max):
    """Limits the values of ``x`` to ``[x_min, x_max]``.

    Bools compute as int32; the bounds take part in dtype promotion.

    Args:
        x: the input tensor.
        x_min: the lower bound (number or tensor).
        x_max: the upper bound (number or tensor).

    Example:
        >>> lamina.ops.clip(np.array([-1.0, 0.5, 3.0]), 0.0, 1.0)
        # [0.0, 0.5, 1.0]
    """


@op(rules.float_binary)
def heaviside(x1, x2):
    """Heaviside step: 0 where ``x1 < 0``, 1 where ``x1 > 0``, ``x2`` where ``x1 == 0``.

    Example:
        >>> lamina.ops.heaviside(np.array([-1.0, 0.0, 2.0]), 0.5)
        # [0.0, 0.5, 1.0]
    """


@op(rules.float_binary)
def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)``, element-wise, without intermediate overflow.

    Example:
        >>> lamina.ops.hypot(np.array([3.0]), np.array([4.0]))
        # [5.0]
    """


@op(rules.float_binary)
def arctan2(x1, x2):
    """Element-wise arc tangent of ``x1 / x2``, choosing the quadrant correctly.

    Example:
        >>> lamina.ops.arctan2(np.array([1.0, -1.0]), np.array([-1.0, -1.0]))
        # [2.356, -2.356]
    """


@op(rules.float_binary)
def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))``, computed stably.

    Example:
        >>> lamina.ops.logaddexp(np.array([0.0]), np.array([0.0]))
        # [0.693]
    """


@op(rules.float_binary)
def logaddexp2(x1, x2):
    """``log2(2**x1 + 2**x2)``, computed stably.

    Example:
        >>> lamina.ops.logaddexp2(np.array([1.0]), np.array([1.0]))
        # [2.0]
    """


@op(rules.float_binary)
def nextafter(x1, x2):
    """The next representable float after ``x1`` in the direction of ``x2``.

    Example:
        >>> lamina.ops.nextafter(np.array([1.0], "float32"), 2.0)
        # [1.0000001]
    """


@op(_ldexp_rule)
def ldexp(x1, x2):
    """``x1 * 2**x2``, element-wise; ``x2`` must be an integer tensor.

    Example:
        >>> lamina.ops.ldexp(np.array([1.5, 3.0]), np.array([2, -1]))
        # [6.0, 1.5]
    """


@op(_gcd_rule)
def gcd(x1, x2):
    """Greatest common divisor of ``|x1|`` and ``|x2|`` (integer tensors).

    Example:
        >>> lamina.ops.gcd(np.array([12, 20]), np.array([18, 0]))
        # [6, 20]
    """


@op(_gcd_rule)
def lcm(x1, x2):
    """Lowest common multiple of ``|x1|`` and ``|x2|`` (integer tensors).

    Example:
        >>> lamina.ops.lcm(np.array([4, 6]), np.array([6, 0]))
        # [12, 0]
    """


# -- comparisons ------------------------------------------------------------------

@op(rules.compare_binary)
def equal(x1, x2):
    """``x1 == x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.equal(np.array([1, 2]), 2)
        # [False, True]
    """


@op(rules.compare_binary)
def not_equal(x1, x2):
    """``x1 != x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.not_equal(np.array([1, 2]), 2)
        # [True, False]
    """


@op(rules.compare_binary)
def greater(x1, x2):
    """``x1 > x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.greater(np.array([1, 3]), 2)
        # [False, True]
    """


@op(rules.compare_binary)
def greater_equal(x1, x2):
    """``x1 >= x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.greater_equal(np.array([1, 2]), 2)
        # [False, True]
    """


@op(rules.compare_binary)
def less(x1, x2):
    """``x1 < x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.less(np.array([1, 3]), 2)
        # [True, False]
    """


@op(rules.compare_binary)
def less_equal(x1, x2):
    """``x1 <= x2``, element-wise, as bools.

    Example:
        >>> lamina.ops.less_equal(np.array([2, 3]), 2)
        # [True, False]
    """


@op(_isclose_rule)
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``|x1 - x2| <= atol + rtol * |x2|``, element-wise.

    Args:
        x1: a tensor.
        x2: a tensor.
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Example:
        >>> lamina.ops.isclose(np.array([1.0, 1.1]), np.array([1.0, 1.0]))
        # [True, False]
    """


# -- logic ------------------------------------------------------------------------

@op(_logical_binary)
def logical_and(x1, x2):
    """Truth of ``x1 and x2``, element-wise (non-zero counts as True).

    Example:
        >>> lamina.ops.logical_and(np.array([True, False]), np.array([True, True]))
        # [True, False]
    """


@op(_logical_binary)
def logical_or(x1, x2):
    """Truth of ``x1 or x2``, element-wise (non-zero counts as True).

    Example:
        >>> lamina.ops.logical_or(np.array([True, False]), np.array([False, False]))
        # [True, False]
    """


@op(_logical_binary)
def logical_xor(x1, x2):
    """Truth of ``x1 xor x2``, element-wise (non-zero counts as True).

    Example:
        >>> lamina.ops.logical_xor(np.array([True, False]), np.array([True, True]))
        # [False, True]
    """


@op(_logical_unary)
def logical_not(x):
    """Truth of ``not x``, element-wise (non-zero counts as True).

    Example:
        >>> lamina.ops.logical_not(np.array([0, 2]))
        # [True, False]
    """


# -- bitwise ----------------------------------------------------------------------

@op(_bitwise_rule)
def bitwise_and(x, y):
    """Bitwise AND of integer or bool tensors.

    Example:
        >>> lamina.ops.bitwise_and(np.array([12]), np.array([10]))
        # [8]
    """


@op(_bitwise_rule)
def bitwise_or(x, y):
    """Bitwise OR of integer or bool tensors.

    Example:
        >>> lamina.ops.bitwise_or(np.array([12]), np.array([10]))
        # [14]
    """


@op(_bitwise_rule)
def bitwise_xor(x, y):
    """Bitwise XOR of integer or bool tensors.

    Example:
        >>> lamina.ops.bitwise_xor(np.array([12]), np.array([10]))
        # [6]
    """


@op(_invert_rule)
def bitwise_invert(x):
    """Bitwise NOT of an integer or bool tensor.

    Example:
        >>> lamina.ops.bitwise_invert(np.array([0, 5], "int8"))
        # [-1, -6]
    """


@op(_invert_rule)
def bitwise_not(x):
    """Alias of :func:`bitwise_invert`.

    Example:
        >>> lamina.ops.bitwise_not(np.array([0, 5], "int8"))
    """


@op(_shift_rule)
def bitwise_left_shift(x, y):
    """Shifts the bits of ``x`` left by ``y`` (bools compute as int32).

    Example:
        >>> lamina.ops.bitwise_left_shift(np.array([1, 3]), 2)
        # [4, 12]
    """


@op(_shift_rule)
def left_shift(x, y):
    """Alias of :func:`bitwise_left_shift`.

    Example:
        >>> lamina.ops.left_shift(np.array([1, 3]), 2)
    """


@op(_shift_rule)
def bitwise_right_shift(x, y):
    """Shifts the bits of ``x`` right by ``y`` (arithmetic shift for signed ints).

    Example:
        >>> lamina.ops.bitwise_right_shift(np.array([16, -8]), 2)
        # [4, -2]
    """


@op(_shift_rule)
def right_shift(x, y):
    """Alias of :func:`bitwise_right_shift`.

    Example:
        >>> lamina.ops.right_shift(np.array([16, -8]), 2)
    """
