"""NumPy-style element-wise ops on PyTorch.

Inputs are promoted with the shared table (``dtypes.result_type``) before the
torch call, so the result dtype never depends on torch's own promotion.
"""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, standardize_dtype

_SCALARS = (bool, int, float, complex)
_UNSIGNED = (torch.uint8, torch.uint16, torch.uint32, torch.uint64)


def _leaf(x):
    """Python scalars stay as they are (weakly typed); the rest become tensors."""
    return x if isinstance(x, _SCALARS) else convert_to_tensor(x)


def _key(x):
    return x if isinstance(x, _SCALARS) else standardize_dtype(x.dtype)


def _unpromoted_pair(xs, kind):
    """Two operands that need no promotion (one dtype, or a float tensor and a Python number)."""
    if len(xs) != 2 or kind == "int" or not isinstance(xs[0], torch.Tensor):
        return None
    a, b = xs
    if kind == "float" and not a.dtype.is_floating_point:
        return None
    if isinstance(b, torch.Tensor):
        return [a, b] if a.dtype == b.dtype else None
    if type(b) in (int, float) and a.dtype.is_floating_point:
        return [a, torch.tensor(b, dtype=a.dtype)]
    return None


def _promote(*xs, kind=None):
    """Converts ``xs`` to tensors of one dtype: the promoted one (Python scalars are weak).

    ``kind="float"`` makes it floating; ``kind="int"`` turns bool into int32.
    """
    pair = _unpromoted_pair(xs, kind)
    if pair is not None:
        return pair
    xs = [_leaf(x) for x in xs]
    keys = [_key(x) for x in xs]
    dtype = dtypes.float_result_type(*keys) if kind == "float" else dtypes.result_type(*keys)
    if kind == "int" and dtype == "bool":
        dtype = "int32"
    return [convert_to_tensor(x, dtype) for x in xs]


def _float(x):
    x = convert_to_tensor(x)
    return convert_to_tensor(x, dtypes.float_result_type(standardize_dtype(x.dtype)))


def _is_int(x):
    return not (x.is_floating_point() or x.is_complex() or x.dtype == torch.bool)


def _check_int(op_name, *xs, allow_bool=True):
    for x in xs:
        if not (_is_int(x) or (allow_bool and x.dtype == torch.bool)):
            raise TypeError(f"{op_name} expects integer tensors, received dtype "
                            f"{standardize_dtype(x.dtype)}.")


# -- arithmetic -------------------------------------------------------------------

def add(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == torch.bool:
        raise TypeError("subtract does not support bool tensors.")
    return torch.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.divide(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, torch.zeros_like(x1), x1 / safe)


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return torch.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return torch.remainder(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return torch.fmod(x1, x2)


def power(x1, x2):
    x1, x2 = _promote(x1, x2, kind="int")
    return torch.pow(x1, x2)


def negative(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        raise TypeError("negative does not support bool tensors.")
    return torch.neg(x)


def reciprocal(x):
    return torch.reciprocal(_float(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def absolute(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool or x.dtype in _UNSIGNED:
        return x
    return torch.abs(x)


abs = absolute


def fabs(x):
    return torch.abs(_float(x))


def sign(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        return x
    if x.is_floating_point():
        return torch.where(torch.isnan(x), x, torch.sign(x))
    return torch.sign(x)


def maximum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.minimum(x1, x2)


def fmax(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.fmin(x1, x2)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    x, x_min, x_max = _promote(x, x_min, x_max)
    return torch.clamp(x, x_min, x_max)


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    one, zero = torch.ones_like(x1), torch.zeros_like(x1)
    return torch.where(x1 > 0, one, torch.where(x1 < 0, zero, x2))


def hypot(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.hypot(x1, x2)


def arctan2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.atan2(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.logaddexp2(x1, x2)


def nextafter(x1, x2):
    x1, x2 = _promote(x1, x2, kind="float")
    return torch.nextafter(x1, x2)


def ldexp(x1, x2):
    x1, x2 = _leaf(x1), _leaf(x2)
    if not isinstance(x2, int) or isinstance(x2, bool):
        x2 = convert_to_tensor(x2)
        _check_int("ldexp", x2, allow_bool=False)
    dtype = dtypes.result_type(_key(x1), _key(x2), float)
    # x1 * 2**x2 in at least float32 (torch.ldexp has no gradient for negative x2)
    work = "float32" if dtype in ("float16", "bfloat16") else dtype
    x1, x2 = convert_to_tensor(x1, work), convert_to_tensor(x2, work)
    return convert_to_tensor(x1 * torch.pow(2.0, x2), dtype)


def gcd(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("gcd", x1, allow_bool=False)
    return torch.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2 = _promote(x1, x2)
    _check_int("lcm", x1, allow_bool=False)
    return torch.lcm(x1, x2)


# -- comparisons ------------------------------------------------------------------

def equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.eq(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.ne(x1, x2)


def greater(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.gt(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.ge(x1, x2)


def less(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.lt(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _promote(x1, x2)
    return torch.le(x1, x2)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _promote(x1, x2, kind="int")
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


# -- logic ------------------------------------------------------------------------

def logical_and(x1, x2):
    return torch.logical_and(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_or(x1, x2):
    return torch.logical_or(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_xor(x1, x2):
    return torch.logical_xor(convert_to_tensor(x1), convert_to_tensor(x2))


def logical_not(x):
    return torch.logical_not(convert_to_tensor(x))


# -- bitwise ----------------------------------------------------------------------

def bitwise_and(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_and", x)
    return torch.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_or", x)
    return torch.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _promote(x, y)
    _check_int("bitwise_xor", x)
    return torch.bitwise_xor(x, y)


def bitwise_invert(x):
    x = convert_to_tensor(x)
    _check_int("bitwise_invert", x)
    return torch.bitwise_not(x)


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_left_shift", x)
    return torch.bitwise_left_shift(x, y)


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    x, y = _promote(x, y, kind="int")
    _check_int("bitwise_right_shift", x)
    return torch.bitwise_right_shift(x, y)


right_shift = bitwise_right_shift


# -- exponentials, logarithms, trigonometry ---------------------------------------

def arccos(x):
    return torch.acos(_float(x))


def arccosh(x):
    return torch.acosh(_float(x))


def arcsin(x):
    return torch.asin(_float(x))


def arcsinh(x):
    return torch.asinh(_float(x))


def arctan(x):
    return torch.atan(_float(x))


def arctanh(x):
    return torch.atanh(_float(x))


def cos(x):
    return torch.cos(_float(x))


def cosh(x):
    return torch.cosh(_float(x))


def sin(x):
    return torch.sin(_float(x))


def sinh(x):
    return torch.sinh(_float(x))


def tan(x):
    return torch.tan(_float(x))


def tanh(x):
    return torch.tanh(_float(x))


def exp(x):
    return torch.exp(_float(x))


def exp2(x):
    return torch.exp2(_float(x))


def expm1(x):
    return torch.expm1(_float(x))


def log(x):
    return torch.log(_float(x))


def log10(x):
    return torch.log10(_float(x))


def log1p(x):
    return torch.log1p(_float(x))


def log2(x):
    return torch.log2(_float(x))


def sqrt(x):
    return torch.sqrt(_float(x))


def cbrt(x):
    x = _float(x)
    return torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0)


def deg2rad(x):
    return torch.deg2rad(_float(x))


def rad2deg(x):
    return torch.rad2deg(_float(x))


def i0(x):
    return torch.special.i0(_float(x))


def sinc(x):
    return torch.sinc(_float(x))


# -- rounding ---------------------------------------------------------------------

def ceil(x):
    return torch.ceil(_float(x))


def floor(x):
    return torch.floor(_float(x))


def trunc(x):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        return x
    return torch.trunc(x)


def round(x, decimals=0):
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError(f"round expects an int for `decimals`, received {decimals!r}.")
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        return x
    if _is_int(x):
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        return (torch.round(x.to(torch.float64) / factor) * factor).to(x.dtype)
    return torch.round(x, decimals=decimals)


# -- floating-point checks --------------------------------------------------------

def isfinite(x):
    return torch.isfinite(convert_to_tensor(x))


def isinf(x):
    return torch.isinf(convert_to_tensor(x))


def isnan(x):
    return torch.isnan(convert_to_tensor(x))


def isneginf(x):
    return torch.isneginf(convert_to_tensor(x))


def isposinf(x):
    return torch.isposinf(convert_to_tensor(x))


def isreal(x):
    return torch.isreal(convert_to_tensor(x))


def signbit(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        return torch.zeros_like(x)
    return torch.signbit(x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# -- complex parts ----------------------------------------------------------------

def angle(x):
    x = convert_to_tensor(x)
    if x.is_complex():
        return torch.angle(x)
    x = _float(x)
    return torch.atan2(torch.zeros_like(x), x)


def conjugate(x):
    x = convert_to_tensor(x)
    return torch.conj_physical(x) if x.is_complex() else x


conj = conjugate


def real(x):
    x = convert_to_tensor(x)
    return torch.real(x) if x.is_complex() else x


def imag(x):
    x = convert_to_tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)
