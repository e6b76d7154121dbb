"""Shape rules: output shape and dtype of ops from their inputs' specs, and the
checks that give bad input a clear error.

A rule takes the op's arguments (KerasTensors, tensors or Python values) and
returns a KerasTensor (or a structure of them). ``None`` stands for an unknown
dimension.

Example:
    >>> rules.broadcast_shapes((None, 3), (1, 3))
    (None, 3)
"""

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor

_PY_SCALARS = (bool, int, float, complex)


def describe(x):
    """A short description of a value for error messages."""
    if isinstance(x, KerasTensor):
        return f"a tensor of shape {x.shape} and dtype {x.dtype}"
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return f"a tensor of shape {tuple(x.shape)} and dtype {dtypes.standardize_dtype(x.dtype)}"
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _as_array(x, argname):
    try:
        arr = np.asarray(x)
    except Exception:
        arr = None
    if arr is None or arr.dtype == object or arr.dtype.kind in "USV":
        raise TypeError(
            f"expected a tensor, array or number for `{argname}`, received {describe(x)}."
        )
    return arr


def shape_of(x, argname="x"):
    """The shape of a tensor-like argument, as a tuple (None for unknown)."""
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, _PY_SCALARS):
        return ()
    shape = getattr(x, "shape", None)
    if shape is not None and hasattr(x, "dtype"):
        return tuple(None if d is None else int(d) for d in shape)
    return _as_array(x, argname).shape


def dtype_of(x, argname="x"):
    """The dtype of an argument; Python scalars give their (weak) Python type."""
    if isinstance(x, KerasTensor):
        return x.dtype
    if isinstance(x, _PY_SCALARS):
        return type(x)
    dtype = getattr(x, "dtype", None)
    if dtype is not None and hasattr(x, "shape"):
        return dtypes.standardize_dtype(dtype)
    arr = _as_array(x, argname)
    if arr.dtype == np.int64:
        return "int32"  # convert_to_tensor makes Python ints int32 on every backend
    if arr.dtype == np.float64:
        return config.floatx()
    return dtypes.standardize_dtype(arr.dtype)


def tensor_dtype(x, argname="x"):
    """Like :func:`dtype_of`, but Python scalars resolve to concrete dtypes."""
    return dtypes.result_type(dtype_of(x, argname))


def check_tensor(x, argname="x"):
    """Raises TypeError unless ``x`` is tensor-like (tensor, array, number)."""
    shape_of(x, argname)


def spec(shape, dtype):
    return KerasTensor(tuple(shape), dtype=dtype)


def broadcast_shapes(*shapes):
    """NumPy broadcasting with unknown (None) dimensions.

    Example:
        >>> broadcast_shapes((2, 1), (3,))
        (2, 3)
    """
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(ndim):
        dims = [s[len(s) - ndim + i] for s in shapes if len(s) - ndim + i >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(
                "shapes " + " and ".join(str(tuple(s)) for s in shapes)
                + " cannot be broadcast together."
            )
        if known:
            out.append(known.pop())
        elif any(d is None for d in dims):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def canonical_axis(axis, ndim, argname="axis"):
    """Returns ``axis`` in ``[0, ndim)``, or raises a clear error.

    Example:
        >>> canonical_axis(-1, 3)
        2
    """
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"expected an int for `{argname}`, received {describe(axis)}.")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`{argname}`={axis} is out of range for a tensor of rank {ndim} "
            f"(valid: {-ndim} to {ndim - 1})."
        )
    return int(axis) % ndim if ndim else 0


def canonical_axes(axis, ndim, argname="axis"):
    """Returns a sorted tuple of axes (all axes when ``axis`` is None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (list, tuple)):
        axes = tuple(canonical_axis(a, ndim, argname) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"`{argname}` has repeated axes: {tuple(axis)}.")
        return tuple(sorted(axes))
    return (canonical_axis(axis, ndim, argname),)


def reduced_shape(shape, axis, keepdims):
    """The shape after reducing ``axis`` (None: all axes)."""
    axes = canonical_axes(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


# -- common rules ---------------------------------------------------------------

def elementwise_unary(x, *args, **kwargs):
    """Same shape, same dtype (Python scalars become concrete dtypes)."""
    return spec(shape_of(x), tensor_dtype(x))


def float_unary(x, *args, **kwargs):
    """Same shape; ints and bool become floats (``int64`` becomes ``floatx``)."""
    return spec(shape_of(x), dtypes.float_result_type(dtype_of(x)))


def bool_unary(x, *args, **kwargs):
    """Same shape, bool dtype (isnan, isfinite...)."""
    return spec(shape_of(x), "bool")


def broadcast_binary(x1, x2, *args, **kwargs):
    """Broadcast shapes, promoted dtype."""
    shape = broadcast_shapes(shape_of(x1, "x1"), shape_of(x2, "x2"))
    return spec(shape, dtypes.result_type(dtype_of(x1, "x1"), dtype_of(x2, "x2")))


def float_binary(x1, x2, *args, **kwargs):
    """Broadcast shapes, promoted dtype made floating (divide, arctan2...)."""
    shape = broadcast_shapes(shape_of(x1, "x1"), shape_of(x2, "x2"))
    return spec(shape, dtypes.float_result_type(dtype_of(x1, "x1"), dtype_of(x2, "x2")))


def compare_binary(x1, x2, *args, **kwargs):
    """Broadcast shapes, bool dtype (equal, less...)."""
    shape = broadcast_shapes(shape_of(x1, "x1"), shape_of(x2, "x2"))
    dtypes.result_type(dtype_of(x1, "x1"), dtype_of(x2, "x2"))
    return spec(shape, "bool")


def integer_binary(x1, x2, *args, **kwargs):
    """Broadcast shapes; both inputs must be ints or bools (bitwise ops)."""
    for name, x in (("x1", x1), ("x2", x2)):
        dt = tensor_dtype(x, name)
        if dt not in dtypes.INT_TYPES and dt != "bool":
            raise TypeError(f"expected an integer or bool tensor for `{name}`, received dtype {dt}.")
    return broadcast_binary(x1, x2)


def reduction(x, axis=None, keepdims=False, *args, **kwargs):
    """Reduce ``axis``, keep the dtype."""
    return spec(reduced_shape(shape_of(x), axis, keepdims), tensor_dtype(x))


def float_reduction(x, axis=None, keepdims=False, *args, **kwargs):
    """Reduce ``axis``; ints and bool become floats (mean, std...)."""
    return spec(reduced_shape(shape_of(x), axis, keepdims), dtypes.float_result_type(dtype_of(x)))


def bool_reduction(x, axis=None, keepdims=False, *args, **kwargs):
    """Reduce ``axis`` to bool (all, any)."""
    return spec(reduced_shape(shape_of(x), axis, keepdims), "bool")
