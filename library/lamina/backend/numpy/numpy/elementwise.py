"""NumPy-style element-wise ops on NumPy.

Inputs are promoted with the shared table (``dtypes.result_type``) before the
NumPy call, so the result dtype never depends on NumPy's own promotion.
"""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor

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
    return np.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == bool:
        raise TypeError("subtract does not support bool tensors.")
    return np.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.divide(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    zero = x2 == 0
    return np.where(zero, np.zeros((), x1.dtype), x1 / np.where(zero, np.ones((), x2.dtype), x2))


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return np.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return np.remainder(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return np.fmod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return np.power(x1, x2)


def negative(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        raise TypeError("negative does not support bool tensors.")
    return np.negative(x)


def reciprocal(x):
    return np.reciprocal(_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = x.astype("int32")
    return np.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    if x.dtype == bool or np.issubdtype(x.dtype, np.unsignedinteger):
        return x
    return np.abs(x)


abs = absolute


def fabs(x):
    return np.abs(_float(x))


def sign(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return x
    return np.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.minimum(x1, x2)


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.fmin(x1, x2)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = x.astype("int32")
    x, x_min, x_max = _promote(x, x_min, x_max)
    return np.clip(x, x_min, x_max)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    one, zero = np.ones((), x1.dtype), np.zeros((), x1.dtype)
    return np.where(x1 > 0, one, np.where(x1 < 0, zero, x2))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.hypot(x1, x2)


def arctan2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.arctan2(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.logaddexp2(x1, x2)


def nextafter(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return np.nextafter(x1, x2)


def ldexp(x1, x2):
    x1, x2 = _leaf(x1), _leaf(x2)
    if not isinstance(x2, int) or isinstance(x2, bool):
        x2 = convert_to_tensor(x2)
        _check_int("ldexp", x2, allow_bool=False)
    dtype = dtypes.result_type(_key(x1), _key(x2), float)
    return np.ldexp(convert_to_tensor(x1, dtype), convert_to_tensor(x2)).astype(dtype)


def gcd(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("gcd", x1, allow_bool=False)
    return np.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("lcm", x1, allow_bool=False)
    return np.lcm(x1, x2)


# -- comparisons ------------------------------------------------------------------

def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return np.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _promote(x1, x2, kind="int")
    return np.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


# -- logic ------------------------------------------------------------------------

def _bool(x):
    return convert_to_tensor(x).astype(bool)


def logical_and(x1, x2):
    return np.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    return np.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1, x2):
    return np.logical_xor(_bool(x1), _bool(x2))


def logical_not(x):
    return np.logical_not(_bool(x))


# -- bitwise ----------------------------------------------------------------------

def bitwise_and(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_and", x)
    return np.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_or", x)
    return np.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_xor", x)
    return np.bitwise_xor(x, y)


def bitwise_invert(x):
    x = convert_to_tensor(x)
    _check_int("bitwise_invert", x)
    return np.invert(x)


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_left_shift", x)
    return np.left_shift(x, y)


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_right_shift", x)
    return np.right_shift(x, y)


right_shift = bitwise_right_shift


# -- exponentials, logarithms, trigonometry ---------------------------------------

def arccos(x):
    return np.arccos(_float(x))


def arccosh(x):
    return np.arccosh(_float(x))


def arcsin(x):
    return np.arcsin(_float(x))


def arcsinh(x):
    return np.arcsinh(_float(x))


def arctan(x):
    return np.arctan(_float(x))


def arctanh(x):
    return np.arctanh(_float(x))


def cos(x):
    return np.cos(_float(x))


def cosh(x):
    return np.cosh(_float(x))


def sin(x):
    return np.sin(_float(x))


def sinh(x):
    return np.sinh(_float(x))


def tan(x):
    return np.tan(_float(x))


def tanh(x):
    return np.tanh(_float(x))


def exp(x):
    return np.exp(_float(x))


def exp2(x):
    return np.exp2(_float(x))


def expm1(x):
    return np.expm1(_float(x))


def log(x):
    return np.log(_float(x))


def log10(x):
    return np.log10(_float(x))


def log1p(x):
    return np.log1p(_float(x))


def log2(x):
    return np.log2(_float(x))


def sqrt(x):
    return np.sqrt(_float(x))


def cbrt(x):
    return np.cbrt(_float(x))


def deg2rad(x):
    return np.deg2rad(_float(x))


def rad2deg(x):
    return np.rad2deg(_float(x))


def i0(x):
    x = _float(x)
    return np.i0(x).astype(x.dtype)


def sinc(x):
    return np.sinc(_float(x))


# -- rounding ---------------------------------------------------------------------

def ceil(x):
    return np.ceil(_float(x))


def floor(x):
    return np.floor(_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    if x.dtype == bool or np.issubdtype(x.dtype, np.integer):
        return x
    return np.trunc(x)


def round(x, decimals=0):
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"round expects an int for `decimals`, received {decimals!r}.")
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return x
    if np.issubdtype(x.dtype, np.integer):
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        work = dtypes.float_result_type(x.dtype)
        return (np.round(x.astype(work) / factor) * factor).astype(x.dtype)
    return np.round(x, decimals)


# -- floating-point checks --------------------------------------------------------

def isfinite(x):
    return np.isfinite(convert_to_tensor(x))


def isinf(x):
    return np.isinf(convert_to_tensor(x))


def isnan(x):
    return np.isnan(convert_to_tensor(x))


def isneginf(x):
    x = convert_to_tensor(x)
    if not np.issubdtype(x.dtype, np.inexact):
        return np.zeros(x.shape, bool)
    return np.isneginf(x)


def isposinf(x):
    x = convert_to_tensor(x)
    if not np.issubdtype(x.dtype, np.inexact):
        return np.zeros(x.shape, bool)
    return np.isposinf(x)


def isreal(x):
    return np.isreal(convert_to_tensor(x))


def signbit(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        return np.zeros(x.shape, bool)
    return np.signbit(x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not np.issubdtype(x.dtype, np.inexact):
        return x
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# -- complex parts ----------------------------------------------------------------

def angle(x):
    x = convert_to_tensor(x)
    if _dtype(x) in _REAL_OF:
        return np.angle(x)
    x = _float(x)
    return np.arctan2(np.zeros((), x.dtype), x)


def conjugate(x):
    x = convert_to_tensor(x)
    return np.conjugate(x) if _dtype(x) in _REAL_OF else x


conj = conjugate


def real(x):
    x = convert_to_tensor(x)
    return np.real(x) if _dtype(x) in _REAL_OF else x


def imag(x):
    x = convert_to_tensor(x)
    return np.imag(x) if _dtype(x) in _REAL_OF else np.zeros_like(x)
