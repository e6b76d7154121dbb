"""nn ops (activations) on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor


def to_float(x):
    """Converts ``x`` to an array; ints and bools become floats (int64: floatx)."""
    x = convert_to_tensor(x)
    if x.dtype.kind not in "fc":
        x = x.astype(dtypes.float_result_type(dtypes.standardize_dtype(x.dtype)))
    return x


def _c(value, x):
    return np.asarray(value, dtype=x.dtype)


def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, np.zeros((), x.dtype))


def relu6(x):
    x = convert_to_tensor(x)
    return np.clip(x, _c(0, x), _c(6, x))


def sigmoid(x):
    x = to_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def sparse_sigmoid(x):
    x = to_float(x)
    return np.clip((x + _c(1, x)) * _c(0.5, x), _c(0, x), _c(1, x))


def tanh_shrink(x):
    x = to_float(x)
    return x - np.tanh(x)


def softplus(x):
    x = to_float(x)
    return np.logaddexp(x, _c(0, x))


def softsign(x):
    x = to_float(x)
    return x / (_c(1, x) + np.abs(x))


def soft_shrink(x, threshold=0.5):
    x = to_float(x)
    t = _c(threshold, x)
    return np.where(x > t, x - t, np.where(x < -t, x + t, _c(0, x))).astype(x.dtype)


def sparse_plus(x):
    x = to_float(x)
    quad = _c(0.25, x) * np.square(x + _c(1, x))
    return np.where(x <= -1, _c(0, x), np.where(x < 1, quad, x)).astype(x.dtype)


def silu(x):
    x = to_float(x)
    return x * sigmoid(x)


swish = silu


def squareplus(x, b=4):
    x = to_float(x)
    return ((x + np.sqrt(np.square(x) + _c(b, x))) / _c(2, x)).astype(x.dtype)


def log_sigmoid(x):
    x = to_float(x)
    return -np.logaddexp(-x, _c(0, x))


def leaky_relu(x, negative_slope=0.2):
    x = to_float(x)
    return np.where(x >= 0, x, _c(negative_slope, x) * x).astype(x.dtype)


def hard_sigmoid(x):
    x = to_float(x)
    return (np.clip(x + _c(3, x), _c(0, x), _c(6, x)) / _c(6, x)).astype(x.dtype)


def hard_silu(x):
    x = to_float(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def elu(x, alpha=1.0):
    x = to_float(x)
    return np.where(x > 0, x, _c(alpha, x) * np.expm1(np.minimum(x, _c(0, x)))).astype(x.dtype)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    x = to_float(x)
    return (_c(_SELU_SCALE, x) * elu(x, _SELU_ALPHA)).astype(x.dtype)


def gelu(x, approximate=True):
    x = to_float(x)
    if approximate:
        c = np.sqrt(2 / np.pi).astype(x.dtype)
        inner = c * (x + _c(0.044715, x) * x ** 3)
        return (_c(0.5, x) * x * (_c(1, x) + np.tanh(inner))).astype(x.dtype)
    from scipy.special import erf

    return (_c(0.5, x) * x * (_c(1, x) + erf(x / _c(np.sqrt(2), x)))).astype(x.dtype)


def celu(x, alpha=1.0):
    x = to_float(x)
    a = _c(alpha, x)
    zero = _c(0, x)
    return (np.maximum(x, zero) + a * np.expm1(np.minimum(x, zero) / a)).astype(x.dtype)


def glu(x, axis=-1):
    x = to_float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"the size of axis {axis} must be even, received shape {x.shape}.")
    a, b = np.split(x, 2, axis=axis)
    return a * sigmoid(b)


def hard_tanh(x):
    x = convert_to_tensor(x)
    return np.clip(x, _c(-1, x), _c(1, x))


def hard_shrink(x, threshold=0.5):
    x = to_float(x)
    return np.where(np.abs(x) > threshold, x, _c(0, x)).astype(x.dtype)


def threshold(x, threshold, default_value):
    x = convert_to_tensor(x)
    return np.where(x > threshold, x, np.asarray(default_value).astype(x.dtype))


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def softmax(x, axis=-1):
    x = to_float(x)
    axis = _axes(axis)
    shifted = x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    e = np.exp(shifted)
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)


def log_softmax(x, axis=-1):
    x = to_float(x)
    axis = _axes(axis)
    shifted = x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def sparsemax(x, axis=-1):
    x = to_float(x)
    z = np.moveaxis(x, axis, -1)
    n = z.shape[-1]
    z_sorted = -np.sort(-z, axis=-1)
    cumsum = np.cumsum(z_sorted, axis=-1)
    k = np.arange(1, n + 1, dtype=x.dtype)
    support = (1 + k * z_sorted) > cumsum
    k_z = np.sum(support, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, np.maximum(k_z - 1, 0), axis=-1) - 1) / k_z.astype(x.dtype)
    return np.moveaxis(np.maximum(z - tau, _c(0, x)), -1, axis).astype(x.dtype)
