"""NumPy-style element-wise ops on JAX.

Inputs are promoted with the shared table (``dtypes.result_type``) before the
``jax.numpy`` call, so the result dtype never depends on JAX's own rules.
"""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor

_SCALARS = (bool, int, float, complex)
_REAL_OF = {"complex64": "float32", "complex128": "float64"}


def _dtype(x):
    return dtypes.standardize_dtype(x.dtype)


def _leaf(x):
    """Python scalars stay as they are (weakly typed); the rest become tensors."""
    return x if isinstance(x, _SCALARS) else convert_to_tensor(x)


def _key(x):
    return x if isinstance(x, _SCALARS) else x.dtype


def _promote(*xs, kind=None):
    """Converts ``xs`` to one dtype: the promoted one (Python scalars are weak).

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
    return convert_to_tensor(x, dtypes.float_result_type(x.dtype))


def _check_int(op_name, *xs, allow_bool=True):
    for x in xs:
        dt = _dtype(x)
        if not (dt in dtypes.INT_TYPES or (allow_bool and dt == "bool")):
            raise TypeError(f"{op_name} expects integer tensors, received dtype {dt}.")


# -- arithmetic -------------------------------------------------------------------

def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == bool:
        raise TypeError("subtract does not support bool tensors.")
    return jnp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.divide(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    zero = x2 == 0
    return jnp.where(zero, jnp.zeros((), x1.dtype), x1 / jnp.where(zero, jnp.ones((), x2.dtype), x2))


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return jnp.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return jnp.remainder(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return jnp.fmod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return jnp.power(x1, x2)


def negative(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        raise TypeError("negative does not support bool tensors.")
    return jnp.negative(x)


def reciprocal(x):
    return jnp.reciprocal(_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = x.astype("int32")
    return jnp.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    if x.dtype == bool or jnp.issubdtype(x.dtype, jnp.unsignedinteger):
        return x
    return jnp.abs(x)


abs = absolute


def fabs(x):
    return jnp.abs(_float(x))


def sign(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return x
    return jnp.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.minimum(x1, x2)


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.fmin(x1, x2)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = x.astype("int32")
    x, x_min, x_max = _promote(x, x_min, x_max)
    return jnp.clip(x, x_min, x_max)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    one, zero = jnp.ones((), x1.dtype), jnp.zeros((), x1.dtype)
    return jnp.where(x1 > 0, one, jnp.where(x1 < 0, zero, x2))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.hypot(x1, x2)


def arctan2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.arctan2(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.logaddexp2(x1, x2)


def nextafter(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return jnp.nextafter(x1, x2)


def ldexp(x1, x2):
    x1, x2 = _leaf(x1), _leaf(x2)
    if not isinstance(x2, int) or isinstance(x2, bool):
        x2 = convert_to_tensor(x2)
        _check_int("ldexp", x2, allow_bool=False)
    dtype = dtypes.result_type(_key(x1), _key(x2), float)
    return jnp.ldexp(convert_to_tensor(x1, dtype), convert_to_tensor(x2)).astype(dtype)


def gcd(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("gcd", x1, allow_bool=False)
    return jnp.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("lcm", x1, allow_bool=False)
    return jnp.lcm(x1, x2)


# -- comparisons ------------------------------------------------------------------

def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return jnp.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _promote(x1, x2, kind="int")
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


# -- logic ------------------------------------------------------------------------

def _bool(x):
    return convert_to_tensor(x).astype(bool)


def logical_and(x1, x2):
    return jnp.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    return jnp.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1, x2):
    return jnp.logical_xor(_bool(x1), _bool(x2))


def logical_not(x):
    return jnp.logical_not(_bool(x))


# -- bitwise ----------------------------------------------------------------------

def bitwise_and(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_and", x)
    return jnp.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_or", x)
    return jnp.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_xor", x)
    return jnp.bitwise_xor(x, y)


def bitwise_invert(x):
    x = convert_to_tensor(x)
    _check_int("bitwise_invert", x)
    return jnp.invert(x)


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_left_shift", x)
    return jnp.left_shift(x, y)


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_right_shift", x)
    return jnp.right_shift(x, y)


right_shift = bitwise_right_shift


# -- exponentials, logarithms, trigonometry ---------------------------------------

def arccos(x):
    return jnp.arccos(_float(x))


def arccosh(x):
    return jnp.arccosh(_float(x))


def arcsin(x):
    return jnp.arcsin(_float(x))


def arcsinh(x):
    return jnp.arcsinh(_float(x))


def arctan(x):
    return jnp.arctan(_float(x))


def arctanh(x):
    return jnp.arctanh(_float(x))


def cos(x):
    return jnp.cos(_float(x))


def cosh(x):
    return jnp.cosh(_float(x))


def sin(x):
    return jnp.sin(_float(x))


def sinh(x):
    return jnp.sinh(_float(x))


def tan(x):
    return jnp.tan(_float(x))


def tanh(x):
    return jnp.tanh(_float(x))


def exp(x):
    return jnp.exp(_float(x))


def exp2(x):
    return jnp.exp2(_float(x))


def expm1(x):
    return jnp.expm1(_float(x))


def log(x):
    return jnp.log(_float(x))


def log10(x):
    return jnp.log10(_float(x))


def log1p(x):
    return jnp.log1p(_float(x))


def log2(x):
    return jnp.log2(_float(x))


def sqrt(x):
    return jnp.sqrt(_float(x))


def cbrt(x):
    return jnp.cbrt(_float(x))


def deg2rad(x):
    return jnp.deg2rad(_float(x))


def rad2deg(x):
    return jnp.rad2deg(_float(x))


def i0(x):
    x = _float(x)
    return jnp.i0(x).astype(x.dtype)


def sinc(x):
    return jnp.sinc(_float(x))


# -- rounding ---------------------------------------------------------------------

def ceil(x):
    return jnp.ceil(_float(x))


def floor(x):
    return jnp.floor(_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    if x.dtype == bool or jnp.issubdtype(x.dtype, jnp.integer):
        return x
    return jnp.trunc(x)


def round(x, decimals=0):
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"round expects an int for `decimals`, received {decimals!r}.")
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return x
    if jnp.issubdtype(x.dtype, jnp.integer):
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        work = dtypes.float_result_type(x.dtype)
        return (jnp.round(x.astype(work) / factor) * factor).astype(x.dtype)
    return jnp.round(x, decimals)


# -- floating-point checks --------------------------------------------------------

def isfinite(x):
    return jnp.isfinite(convert_to_tensor(x))


def isinf(x):
    return jnp.isinf(convert_to_tensor(x))


def isnan(x):
    return jnp.isnan(convert_to_tensor(x))


def isneginf(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.zeros(x.shape, bool)
    return jnp.isneginf(x)


def isposinf(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.zeros(x.shape, bool)
    return jnp.isposinf(x)


def isreal(x):
    return jnp.isreal(convert_to_tensor(x))


def signbit(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return jnp.zeros(x.shape, bool)
    return jnp.signbit(x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# -- complex parts ----------------------------------------------------------------

def angle(x):
    x = convert_to_tensor(x)
    if _dtype(x) in _REAL_OF:
        return jnp.angle(x)
    x = _float(x)
    return jnp.arctan2(jnp.zeros((), x.dtype), x)


def conjugate(x):
    x = convert_to_tensor(x)
    return jnp.conjugate(x) if _dtype(x) in _REAL_OF else x


conj = conjugate


def real(x):
    x = convert_to_tensor(x)
    return jnp.real(x) if _dtype(x) in _REAL_OF else x


def imag(x):
    x = convert_to_tensor(x)
    return jnp.imag(x) if _dtype(x) in _REAL_OF else jnp.zeros_like(x)
