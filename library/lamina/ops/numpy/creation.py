"""NumPy-style ops: array creation (constants, ranges, windows, diagonals).

Dtypes follow Keras 3: ``zeros``, ``ones``, ``full``, ``eye``, ``tri`` and the
window functions default to ``floatx()``; ``arange`` infers ``int32`` from
Python ints and ``floatx`` from floats; the ``*_like`` ops keep the input's dtype.
"""

import math

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "arange", "array", "bartlett", "blackman", "copy", "diag", "diagflat", "empty",
    "empty_like", "eye", "full", "full_like", "geomspace", "hamming", "hanning", "identity",
    "kaiser", "linspace", "logspace", "ones", "ones_like", "tri", "vander", "zeros",
    "zeros_like",
]

_PY = (bool, int, float, complex)


# -- helpers for the rules --------------------------------------------------------

def value_dtype(x, argname="x"):
    """The dtype a value converts to: Python numbers and nested lists of them
    follow the weak-type rules (ints to int32, floats to floatx)."""
    if isinstance(x, (list, tuple)):
        leaves = list(_leaves(x))
        if leaves and all(isinstance(v, _PY) for v in leaves):
            return dtypes.result_type(*[type(v) if type(v) is not bool else "bool" for v in leaves])
        if not leaves:
            return config.floatx()
    return rules.tensor_dtype(x, argname)


def _leaves(x):
    for v in x:
        if isinstance(v, (list, tuple)):
            yield from _leaves(v)
        else:
            yield v


def _dtype_arg(dtype, default=None):
    if dtype is None:
        return config.floatx() if default is None else default
    try:
        return dtypes.standardize_dtype(dtype)
    except ValueError:
        raise TypeError(f"expected a dtype for `dtype`, received {rules.describe(dtype)}.") from None


def _shape_arg(shape, argname="shape"):
    """A shape given as an int or a sequence of ints (None: unknown)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (list, tuple)) and hasattr(shape, "shape"):
        # a 1-D tensor of sizes: the rank is known, the sizes are not
        dims = rules.shape_of(shape, argname)
        if len(dims) != 1 or dims[0] is None:
            raise ValueError(f"expected a 1-D shape for `{argname}`, received {rules.describe(shape)}.")
        return (None,) * dims[0]
    if not isinstance(shape, (list, tuple)):
        raise TypeError(f"expected a tuple of ints for `{argname}`, received {rules.describe(shape)}.")
    out = []
    for d in shape:
        if d is None:
            out.append(None)
            continue
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            if hasattr(d, "shape") and hasattr(d, "dtype"):
                out.append(None)
                continue
            raise TypeError(f"expected a tuple of ints for `{argname}`, received {shape!r}.")
        if d < 0:
            raise ValueError(f"expected non-negative sizes for `{argname}`, received {tuple(shape)!r}.")
        out.append(int(d))
    return tuple(out)


def _size_arg(n, argname):
    """A non-negative int size, or None when it is a tensor (unknown)."""
    if n is None:
        return None
    if isinstance(n, bool):
        raise TypeError(f"expected an int for `{argname}`, received {rules.describe(n)}.")
    if isinstance(n, (int, np.integer)):
        if n < 0:
            raise ValueError(f"expected a non-negative int for `{argname}`, received {n}.")
        return int(n)
    if hasattr(n, "shape") and hasattr(n, "dtype"):
        if rules.shape_of(n, argname) != ():
            raise ValueError(f"expected a scalar for `{argname}`, received {rules.describe(n)}.")
        return None
    raise TypeError(f"expected an int for `{argname}`, received {rules.describe(n)}.")


def _int_arg(k, argname):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"expected an int for `{argname}`, received {rules.describe(k)}.")
    return int(k)


# -- rules ------------------------------------------------------------------------

def _arange_rule(start, stop=None, step=None, dtype=None):
    values = [v for v in (start, stop, step) if v is not None]
    for name, v in zip(("start", "stop", "step"), (start, stop, step)):
        if v is not None and rules.shape_of(v, name) != ():
            raise ValueError(f"expected a scalar for `{name}`, received {rules.describe(v)}.")
    if dtype is None:
        dtype = dtypes.result_type(*[rules.dtype_of(v) for v in values])
    dtype = _dtype_arg(dtype)
    size = None
    if all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values):
        lo, hi = (0, start) if stop is None else (start, stop)
        st = 1 if step is None else step
        if st == 0:
            raise ValueError("`step` must not be zero.")
        size = max(0, int(math.ceil((hi - lo) / st)))
    return rules.spec((size,), dtype)


def _array_rule(x, dtype=None):
    return rules.spec(rules.shape_of(x), _dtype_arg(dtype, value_dtype(x)))


def _filled_rule(shape, dtype=None):
    return rules.spec(_shape_arg(shape), _dtype_arg(dtype))


def _like_rule(x, dtype=None):
    return rules.spec(rules.shape_of(x), _dtype_arg(dtype, value_dtype(x)))


def _full_rule(shape, fill_value, dtype=None):
    shape = _shape_arg(shape)
    rules.broadcast_shapes(rules.shape_of(fill_value, "fill_value"), shape)
    return rules.spec(shape, _dtype_arg(dtype))


def _full_like_rule(x, fill_value, dtype=None):
    shape = rules.shape_of(x)
    rules.broadcast_shapes(rules.shape_of(fill_value, "fill_value"), shape)
    return rules.spec(shape, _dtype_arg(dtype, value_dtype(x)))


def _eye_rule(N, M=None, k=0, dtype=None):
    n = _size_arg(N, "N")
    m = n if M is None else _size_arg(M, "M")
    _int_arg(k, "k")
    return rules.spec((n, m), _dtype_arg(dtype))


def _identity_rule(n, dtype=None):
    n = _size_arg(n, "n")
    return rules.spec((n, n), _dtype_arg(dtype))


def _space_spec(start, stop, num, dtype, axis):
    num = _size_arg(num, "num")
    shape = list(rules.broadcast_shapes(rules.shape_of(start, "start"),
                                        rules.shape_of(stop, "stop")))
    a = rules.canonical_axis(axis, len(shape) + 1)
    shape.insert(a, num)
    if dtype is None:
        dtype = dtypes.float_result_type(rules.dtype_of(start, "start"), rules.dtype_of(stop, "stop"))
    return rules.spec(shape, _dtype_arg(dtype)), a


def _linspace_rule(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    out, a = _space_spec(start, stop, num, dtype, axis)
    if retstep:
        step_shape = [d for i, d in enumerate(out.shape) if i != a]
        return out, rules.spec(step_shape, out.dtype)
    return out


def _logspace_rule(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return _space_spec(start, stop, num, dtype, axis)[0]


def _geomspace_rule(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return _space_spec(start, stop, num, dtype, axis)[0]


def _window_rule(x, *args, **kwargs):
    return rules.spec((_size_arg(x, "x"),), config.floatx())


def _tri_rule(N, M=None, k=0, dtype=None):
    return _eye_rule(N, M, k, dtype)


def _vander_rule(x, N=None, increasing=False):
    shape = rules.shape_of(x)
    if len(shape) != 1:
        raise ValueError(f"expected a 1-D tensor for `x`, received {rules.describe(x)}.")
    n = shape[0] if N is None else _size_arg(N, "N")
    return rules.spec((shape[0], n), rules.tensor_dtype(x))


def _diag_rule(x, k=0):
    shape = rules.shape_of(x)
    k = _int_arg(k, "k")
    if len(shape) == 1:
        n = None if shape[0] is None else shape[0] + abs(k)
        out = (n, n)
    elif len(shape) == 2:
        r, c = shape
        if r is None or c is None:
            out = (None,)
        else:
            out = (max(0, min(r, c - k) if k >= 0 else min(r + k, c)),)
    else:
        raise ValueError(f"expected a 1-D or 2-D tensor for `x`, received {rules.describe(x)}.")
    return rules.spec(out, rules.tensor_dtype(x))


def _diagflat_rule(x, k=0):
    shape = rules.shape_of(x)
    k = _int_arg(k, "k")
    size = None if None in shape else int(np.prod(shape, dtype=np.int64)) + abs(k)
    return rules.spec((size, size), rules.tensor_dtype(x))


# -- ops ----------------------------------------------------------------------------

@op(_arange_rule)
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in ``[start, stop)`` with spacing ``step``.

    Args:
        start: the first value (or the end, when ``stop`` is None).
        stop: the end (excluded).
        step: the spacing (default 1).
        dtype: the output dtype; by default inferred from the arguments
            (Python ints give ``int32``, floats give ``floatx``).

    Example:
        >>> lamina.ops.arange(1, 7, 2)
        # [1, 3, 5] (int32)
    """


@op(_array_rule)
def array(x, dtype=None):
    """Creates a tensor from ``x`` (a list, array or tensor).

    Example:
        >>> lamina.ops.array([[1, 2], [3, 4]]).shape
        (2, 2)
    """


@op(_filled_rule)
def empty(shape, dtype=None):
    """A tensor of ``shape`` with unspecified values (lamina fills it with zeros).

    Example:
        >>> lamina.ops.empty((2, 3)).shape
        (2, 3)
    """


@op(_like_rule)
def empty_like(x, dtype=None):
    """A tensor shaped like ``x`` with unspecified values (zeros in lamina).

    Example:
        >>> lamina.ops.empty_like(np.ones((2, 2), "int32")).dtype
        # int32
    """


@op(_eye_rule)
def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the ``k``-th diagonal and zeros elsewhere.

    Args:
        N: number of rows.
        M: number of columns (default ``N``).
        k: the diagonal: 0 the main one, positive above, negative below.
        dtype: the output dtype (default ``floatx``).

    Example:
        >>> lamina.ops.eye(2, 3, k=1)
        # [[0, 1, 0], [0, 0, 1]]
    """


@op(_filled_rule)
def zeros(shape, dtype=None):
    """A tensor of zeros (dtype ``floatx`` by default).

    Example:
        >>> lamina.ops.zeros((2,))
        # [0.0, 0.0]
    """


@op(_filled_rule)
def ones(shape, dtype=None):
    """A tensor of ones (dtype ``floatx`` by default).

    Example:
        >>> lamina.ops.ones((2,), dtype="int32")
        # [1, 1]
    """


@op(_like_rule)
def zeros_like(x, dtype=None):
    """Zeros with the shape (and by default the dtype) of ``x``.

    Example:
        >>> lamina.ops.zeros_like(np.array([1, 2]))
        # [0, 0]
    """


@op(_like_rule)
def ones_like(x, dtype=None):
    """Ones with the shape (and by default the dtype) of ``x``.

    Example:
        >>> lamina.ops.ones_like(np.array([1.5, 2.5]))
        # [1.0, 1.0]
    """


@op(_full_rule)
def full(shape, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value`` (broadcast).

    The dtype is ``floatx`` unless ``dtype`` is given, as in Keras.

    Example:
        >>> lamina.ops.full((2,), 7)
        # [7.0, 7.0]
    """


@op(_full_like_rule)
def full_like(x, fill_value, dtype=None):
    """A tensor shaped like ``x`` filled with ``fill_value``, in ``x``'s dtype.

    Example:
        >>> lamina.ops.full_like(np.zeros(2, "int32"), 3)
        # [3, 3]
    """


@op(_identity_rule)
def identity(n, dtype=None):
    """The ``n`` x ``n`` identity matrix (dtype ``floatx`` by default).

    Example:
        >>> lamina.ops.identity(2)
        # [[1.0, 0.0], [0.0, 1.0]]
    """


@op(_linspace_rule)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Args:
        start: the first value (a number or a tensor).
        stop: the last value (included when ``endpoint``).
        num: the number of values.
        endpoint: whether ``stop`` is the last value.
        retstep: also return the spacing.
        dtype: the output dtype (default: floating).
        axis: where the new axis goes when ``start``/``stop`` are tensors.

    Returns:
        The values, or ``(values, step)`` when ``retstep``.

    Example:
        >>> lamina.ops.linspace(0.0, 1.0, 5)
        # [0.0, 0.25, 0.5, 0.75, 1.0]
    """


@op(_logspace_rule)
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``num`` values spaced evenly on a log scale: ``base ** linspace(start, stop)``.

    Example:
        >>> lamina.ops.logspace(0.0, 2.0, 3)
        # [1.0, 10.0, 100.0]
    """


@op(_geomspace_rule)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` values in geometric progression from ``start`` to ``stop``.

    Example:
        >>> lamina.ops.geomspace(1.0, 1000.0, 4)
        # [1.0, 10.0, 100.0, 1000.0]
    """


@op(_tri_rule)
def tri(N, M=None, k=0, dtype=None):
    """A matrix with ones at and below the ``k``-th diagonal, zeros elsewhere.

    Example:
        >>> lamina.ops.tri(3, k=-1)
        # [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
    """


@op(_window_rule)
def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points, in ``floatx``.

    Example:
        >>> lamina.ops.bartlett(5)
        # [0.0, 0.5, 1.0, 0.5, 0.0]
    """


@op(_window_rule)
def blackman(x):
    """The Blackman window of ``x`` points, in ``floatx``.

    Example:
        >>> lamina.ops.blackman(3)
        # [0.0, 1.0, 0.0] (up to rounding)
    """


@op(_window_rule)
def hamming(x):
    """The Hamming window of ``x`` points, in ``floatx``.

    Example:
        >>> lamina.ops.hamming(3)
        # [0.08, 1.0, 0.08]
    """


@op(_window_rule)
def hanning(x):
    """The Hann window of ``x`` points, in ``floatx``.

    Example:
        >>> lamina.ops.hanning(3)
        # [0.0, 1.0, 0.0]
    """


@op(_window_rule)
def kaiser(x, beta):
    """The Kaiser window of ``x`` points with shape parameter ``beta``, in ``floatx``.

    Example:
        >>> lamina.ops.kaiser(4, 5.0).shape
        (4,)
    """


@op(_vander_rule)
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a 1-D tensor: columns are powers of ``x``.

    Args:
        x: a 1-D tensor.
        N: the number of columns (default ``len(x)``).
        increasing: powers increase left to right when True.

    Example:
        >>> lamina.ops.vander(np.array([1, 2, 3]), 3)
        # [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """


@op(_diag_rule)
def diag(x, k=0):
    """Extracts a diagonal of a 2-D tensor, or builds a 2-D tensor from a 1-D one.

    Example:
        >>> lamina.ops.diag(np.array([1, 2]))
        # [[1, 0], [0, 2]]
    """


@op(_diagflat_rule)
def diagflat(x, k=0):
    """A 2-D tensor with the flattened ``x`` on the ``k``-th diagonal.

    Example:
        >>> lamina.ops.diagflat(np.array([[1, 2]]))
        # [[1, 0], [0, 2]]
    """


@op(rules.elementwise_unary)
def copy(x):
    """A copy of ``x``.

    Example:
        >>> lamina.ops.copy(np.array([1.0, 2.0]))
        # [1.0, 2.0]
    """
