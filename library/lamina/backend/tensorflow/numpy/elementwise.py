"""NumPy-style element-wise ops on TensorFlow.

Inputs are promoted with the shared table (``dtypes.result_type``) before the
TensorFlow call. TensorFlow kernels are strict about dtypes (no bool
arithmetic, few integer kernels for some ops), so those cases compute in a
supported dtype and cast back.
"""

import math

import numpy as np
import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor

_SCALARS = (bool, int, float, complex)
_UNSIGNED = (tf.uint8, tf.uint16, tf.uint32, tf.uint64)
_SIGNED_BITS = {2: tf.int16, 4: tf.int32, 8: tf.int64}


def _leaf(x):
    """Python scalars stay as they are (weakly typed); the rest become tensors."""
    return x if isinstance(x, _SCALARS) else convert_to_tensor(x)


def _key(x):
    return x if isinstance(x, _SCALARS) else x.dtype.name


def _promote(*xs, kind=None):
    """Converts ``xs`` to tensors of one dtype: the promoted one (Python scalars are weak).

    ``kind="float"`` makes it floating; ``kind="int"`` turns bool into int32.
    """
    xs = [_leaf(x) for x in xs]
    keys = [_key(x) for x in xs]
    dtype = dtypes.float_result_type(*keys) if kind == "float" else dtypes.result_type(*keys)
    if kind == "int" and dtype == "bool":
        dtype = "int32"
    return [convert_to_tensor(x, dtype) for x in xs]


def _float(x):
    x = convert_to_tensor(x)
    return convert_to_tensor(x, dtypes.float_result_type(x.dtype.name))


def _is_int(x):
    return x.dtype.is_integer


def _check_int(op_name, *xs, allow_bool=True):
    for x in xs:
        if not (_is_int(x) or (allow_bool and x.dtype == tf.bool)):
            raise TypeError(f"{op_name} expects integer tensors, received dtype {x.dtype.name}.")


def _widened(fn, *xs):
    """Runs ``fn`` on small or unsigned ints as int32 (int64 for 32-bit unsigned)."""
    dtype = xs[0].dtype
    if dtype in (tf.int8, tf.int16, tf.uint8, tf.uint16):
        return tf.cast(fn(*[tf.cast(x, tf.int32) for x in xs]), dtype)
    if dtype == tf.uint32:
        return tf.cast(fn(*[tf.cast(x, tf.int64) for x in xs]), dtype)
    return fn(*xs)


def _in_float32(fn, x):
    """Runs ``fn`` in float32 for half-precision inputs (kernels TF lacks)."""
    if x.dtype in (tf.float16, tf.bfloat16):
        return tf.cast(fn(tf.cast(x, tf.float32)), x.dtype)
    return fn(x)


# -- arithmetic -------------------------------------------------------------------

def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_or(x1, x2)
    return tf.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        raise TypeError("subtract does not support bool tensors.")
    return tf.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_and(x1, x2)
    return tf.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return tf.divide(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return tf.math.divide_no_nan(x1, x2)


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return tf.math.floordiv(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return tf.math.floormod(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    if x1.dtype in (tf.float16, tf.bfloat16):  # CPU kernels: float32, float64, int32, int64
        return tf.cast(tf.truncatemod(tf.cast(x1, tf.float32), tf.cast(x2, tf.float32)), x1.dtype)
    return _widened(tf.truncatemod, x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    if x1.dtype in _UNSIGNED:
        return _widened(tf.pow, x1, x2)
    return tf.pow(x1, x2)


def negative(x):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        raise TypeError("negative does not support bool tensors.")
    if x.dtype in _UNSIGNED:
        return tf.subtract(tf.zeros_like(x), x)
    return tf.negative(x)


def reciprocal(x):
    return tf.math.reciprocal(_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    return tf.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool or x.dtype in _UNSIGNED:
        return x
    return tf.abs(x)


abs = absolute


def fabs(x):
    return tf.abs(_float(x))


def sign(x):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        return x
    if x.dtype in _UNSIGNED:
        return tf.cast(x > 0, x.dtype)
    return tf.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_or(x1, x2)
    return tf.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_and(x1, x2)
    return tf.minimum(x1, x2)


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    if not x1.dtype.is_floating:
        return maximum(x1, x2)
    out = tf.maximum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, out))


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    if not x1.dtype.is_floating:
        return minimum(x1, x2)
    out = tf.minimum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, out))


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    x, x_min, x_max = _promote(x, x_min, x_max)
    return tf.minimum(tf.maximum(x, x_min), x_max)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    one, zero = tf.ones_like(x1), tf.zeros_like(x1)
    return tf.where(x1 > 0, one, tf.where(x1 < 0, zero, x2))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    a, b = tf.abs(x1), tf.abs(x2)
    big, small = tf.maximum(a, b), tf.minimum(a, b)
    ratio = small / tf.where(big == 0, tf.ones_like(big), big)
    out = big * tf.sqrt(1 + tf.square(ratio))
    return tf.where(tf.math.is_inf(big), big, out)


def arctan2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return tf.math.atan2(x1, x2)


def _logaddexp(x1, x2, log1p_exp):
    big = tf.maximum(x1, x2)
    delta = x1 - x2
    out = big + log1p_exp(-tf.abs(delta))
    # equal infinities give delta = nan: their sum is the answer (inf, -inf or nan)
    return tf.where(tf.math.is_nan(delta), x1 + x2, out)


def logaddexp(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return _logaddexp(x1, x2, lambda d: tf.math.log1p(tf.exp(d)))


def logaddexp2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    ln2 = math.log(2.0)
    return _logaddexp(x1, x2, lambda d: tf.math.log1p(tf.exp(d * ln2)) / ln2)


def nextafter(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    if x1.dtype in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    # half precision: step the bit pattern (no TF kernel)
    bits = tf.bitcast(x1, tf.int16)
    toward_zero = (x2 > x1) != (x1 > 0)
    stepped = tf.bitcast(tf.where(toward_zero, bits - 1, bits + 1), x1.dtype)
    tiny = tf.bitcast(tf.constant(1, tf.int16), x1.dtype)
    from_zero = tf.where(x2 > 0, tiny, -tiny)
    out = tf.where(x1 == 0, from_zero, stepped)
    out = tf.where(x1 == x2, x2, out)
    return tf.where(tf.math.is_nan(x1) | tf.math.is_nan(x2), x1 + x2, out)


def ldexp(x1, x2):
    x1, x2 = _leaf(x1), _leaf(x2)
    if not isinstance(x2, int) or isinstance(x2, bool):
        x2 = convert_to_tensor(x2)
        _check_int("ldexp", x2, allow_bool=False)
    dtype = dtypes.result_type(_key(x1), _key(x2), float)
    work = "float32" if dtype in ("float16", "bfloat16") else dtype
    x1, x2 = convert_to_tensor(x1, work), convert_to_tensor(x2, work)
    return tf.cast(x1 * tf.pow(tf.constant(2.0, x1.dtype), x2), dtype)


def _gcd(a, b):
    if a.dtype not in _UNSIGNED:
        a, b = tf.abs(a), tf.abs(b)
    a, b = a + tf.zeros_like(b), b + tf.zeros_like(a)

    def body(a, b):
        done = tf.equal(b, 0)
        safe = tf.where(done, tf.ones_like(b), b)
        return tf.where(done, a, b), tf.where(done, b, tf.math.floormod(a, safe))

    a, _ = tf.while_loop(lambda a, b: tf.reduce_any(tf.not_equal(b, 0)), body, (a, b))
    return a


def gcd(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("gcd", x1, allow_bool=False)
    return _widened(_gcd, x1, x2)


def lcm(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("lcm", x1, allow_bool=False)

    def compute(a, b):
        g = _gcd(a, b)
        if a.dtype not in _UNSIGNED:
            a, b = tf.abs(a), tf.abs(b)
        safe = tf.where(g == 0, tf.ones_like(g), g)
        return tf.where(g == 0, tf.zeros_like(g), a // safe * b)

    return _widened(compute, x1, x2)


# -- comparisons ------------------------------------------------------------------

def _ordered(x1, x2):
    """Promoted tensors that TF can order (bools compare as int8)."""
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.cast(x1, tf.int8), tf.cast(x2, tf.int8)
    return x1, x2


def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return tf.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return tf.not_equal(x1, x2)


def greater(x1, x2):
    return tf.greater(*_ordered(x1, x2))


def greater_equal(x1, x2):
    return tf.greater_equal(*_ordered(x1, x2))


def less(x1, x2):
    return tf.less(*_ordered(x1, x2))


def less_equal(x1, x2):
    return tf.less_equal(*_ordered(x1, x2))


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _promote(x1, x2, kind="int")
    if not x1.dtype.is_floating:
        x1, x2 = _promote(x1, x2, kind="float")
    finite = tf.math.is_finite(x1) & tf.math.is_finite(x2)
    close = tf.abs(x1 - x2) <= atol + rtol * tf.abs(x2)
    out = tf.equal(x1, x2) | (finite & close)
    if equal_nan:
        out = out | (tf.math.is_nan(x1) & tf.math.is_nan(x2))
    return out


# -- logic ------------------------------------------------------------------------

def _bool(x):
    x = convert_to_tensor(x)
    return x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros((), x.dtype))


def logical_and(x1, x2):
    return tf.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    return tf.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1, x2):
    return tf.math.logical_xor(_bool(x1), _bool(x2))


def logical_not(x):
    return tf.logical_not(_bool(x))


# -- bitwise ----------------------------------------------------------------------

def bitwise_and(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_and", x)
    return tf.logical_and(x, y) if x.dtype == tf.bool else tf.bitwise.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_or", x)
    return tf.logical_or(x, y) if x.dtype == tf.bool else tf.bitwise.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_xor", x)
    return tf.math.logical_xor(x, y) if x.dtype == tf.bool else tf.bitwise.bitwise_xor(x, y)


def bitwise_invert(x):
    x = convert_to_tensor(x)
    _check_int("bitwise_invert", x)
    return tf.logical_not(x) if x.dtype == tf.bool else tf.bitwise.invert(x)


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_left_shift", x)
    return tf.bitwise.left_shift(x, y)


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_right_shift", x)
    return tf.bitwise.right_shift(x, y)


right_shift = bitwise_right_shift


# -- exponentials, logarithms, trigonometry ---------------------------------------

def arccos(x):
    return tf.math.acos(_float(x))


def arccosh(x):
    return tf.math.acosh(_float(x))


def arcsin(x):
    return tf.math.asin(_float(x))


def arcsinh(x):
    return tf.math.asinh(_float(x))


def arctan(x):
    return tf.math.atan(_float(x))


def arctanh(x):
    return tf.math.atanh(_float(x))


def cos(x):
    return tf.math.cos(_float(x))


def cosh(x):
    return tf.math.cosh(_float(x))


def sin(x):
    return tf.math.sin(_float(x))


def sinh(x):
    return tf.math.sinh(_float(x))


def tan(x):
    return tf.math.tan(_float(x))


def tanh(x):
    return tf.math.tanh(_float(x))


def exp(x):
    return tf.exp(_float(x))


def exp2(x):
    x = _float(x)
    return tf.pow(tf.constant(2.0, x.dtype), x)


def expm1(x):
    return tf.math.expm1(_float(x))


def log(x):
    return tf.math.log(_float(x))


def log10(x):
    x = _float(x)
    return tf.math.log(x) / tf.constant(math.log(10.0), x.dtype)


def log1p(x):
    return tf.math.log1p(_float(x))


def log2(x):
    x = _float(x)
    return tf.math.log(x) / tf.constant(math.log(2.0), x.dtype)


def sqrt(x):
    return tf.sqrt(_float(x))


def cbrt(x):
    x = _float(x)
    return tf.sign(x) * tf.pow(tf.abs(x), tf.constant(1.0 / 3.0, x.dtype))


def deg2rad(x):
    x = _float(x)
    return x * tf.constant(math.pi / 180.0, x.dtype)


def rad2deg(x):
    x = _float(x)
    return x * tf.constant(180.0 / math.pi, x.dtype)


def i0(x):
    x = _float(x)
    if x.dtype == tf.bfloat16:
        return _in_float32(tf.math.bessel_i0, x)
    return tf.math.bessel_i0(x)


def sinc(x):
    x = _float(x)
    pix = x * tf.constant(math.pi, x.dtype)
    zero = tf.equal(x, 0)
    safe = tf.where(zero, tf.ones_like(pix), pix)
    return tf.where(zero, tf.ones_like(x), tf.sin(safe) / safe)


# -- rounding ---------------------------------------------------------------------

def ceil(x):
    return tf.math.ceil(_float(x))


def floor(x):
    return tf.math.floor(_float(x))


def _trunc_float(x):
    return tf.where(x < 0, tf.math.ceil(x), tf.math.floor(x))


def trunc(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return x
    return _trunc_float(x)


def round(x, decimals=0):
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"round expects an int for `decimals`, received {decimals!r}.")
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        return x
    if _is_int(x):
        if decimals >= 0:
            return x
        factor = 10.0 ** (-decimals)
        return tf.cast(tf.round(tf.cast(x, tf.float64) / factor) * factor, x.dtype)
    if decimals == 0:
        return tf.round(x)
    factor = tf.constant(10.0 ** decimals, x.dtype)
    return tf.round(x * factor) / factor


# -- floating-point checks --------------------------------------------------------

def _all(x, value):
    return tf.fill(tf.shape(x), value)


def isfinite(x):
    x = convert_to_tensor(x)
    return tf.math.is_finite(x) if x.dtype.is_floating else _all(x, True)


def isinf(x):
    x = convert_to_tensor(x)
    return tf.math.is_inf(x) if x.dtype.is_floating else _all(x, False)


def isnan(x):
    x = convert_to_tensor(x)
    return tf.math.is_nan(x) if x.dtype.is_floating else _all(x, False)


def isneginf(x):
    x = convert_to_tensor(x)
    return tf.equal(x, -np.inf) if x.dtype.is_floating else _all(x, False)


def isposinf(x):
    x = convert_to_tensor(x)
    return tf.equal(x, np.inf) if x.dtype.is_floating else _all(x, False)


def isreal(x):
    x = convert_to_tensor(x)
    return tf.equal(tf.math.imag(x), 0) if x.dtype.is_complex else _all(x, True)


def signbit(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating:
        return tf.bitcast(x, _SIGNED_BITS[x.dtype.size]) < 0
    if x.dtype == tf.bool or x.dtype in _UNSIGNED:
        return _all(x, False)
    return x < 0


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return x
    posinf = float(x.dtype.max) if posinf is None else posinf
    neginf = float(x.dtype.min) if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), tf.constant(nan, x.dtype), x)
    x = tf.where(tf.equal(x, np.inf), tf.constant(posinf, x.dtype), x)
    return tf.where(tf.equal(x, -np.inf), tf.constant(neginf, x.dtype), x)


# -- complex parts ----------------------------------------------------------------

def angle(x):
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    x = _float(x)
    return tf.math.atan2(tf.zeros_like(x), x)


def conjugate(x):
    x = convert_to_tensor(x)
    return tf.math.conj(x) if x.dtype.is_complex else x


conj = conjugate


def real(x):
    x = convert_to_tensor(x)
    return tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    x = convert_to_tensor(x)
    return tf.math.imag(x) if x.dtype.is_complex else tf.zeros_like(x)
