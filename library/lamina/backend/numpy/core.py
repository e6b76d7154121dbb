"""NumPy backend core: Variable, tensor conversion, dtypes, control flow."""

import builtins
import contextlib

import numpy as np

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

builtins_slice = builtins.slice

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(_BaseVariable):
    """A lamina Variable holding a NumPy array."""

    def _initialize(self, value):
        self._value = value

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = np.array(value, dtype=to_numpy_dtype(self._dtype), copy=True)


def to_numpy_dtype(dtype):
    """The NumPy dtype for a lamina dtype name (bfloat16 through ml_dtypes)."""
    dtype = dtypes.standardize_dtype(dtype)
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.bfloat16
    return np.dtype(dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a NumPy array (Python floats to floatx, ints to int32)."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if dtype is not None:
        return np.asarray(x, dtype=to_numpy_dtype(dtype))
    arr = np.asarray(x)
    if arr.dtype == np.float64:
        return arr.astype(to_numpy_dtype(dtypes.result_type(float)))
    if arr.dtype == np.int64:
        return arr.astype(np.int32)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a tensor.")
    return arr


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    """True for NumPy arrays and scalars."""
    return isinstance(x, (np.ndarray, np.generic))


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(np.shape(x))


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """No gradients on this backend: returns the value."""
    if isinstance(variable, _BaseVariable):
        return variable.value
    return variable


def device_scope(device_name):
    """NumPy runs on the CPU; the scope does nothing."""
    return contextlib.nullcontext()


# -- shared by every backend: saturate_cast bounds ------------------------------

def _limits(dtype):
    if dtype == "bfloat16":
        import ml_dtypes

        info = ml_dtypes.finfo(ml_dtypes.bfloat16)
        return float(info.min), float(info.max)
    np_dtype = np.dtype(dtype)
    if np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        return int(info.min), int(info.max)
    info = np.finfo(np_dtype)
    return float(info.min), float(info.max)


def saturate_bounds(src, dst):
    """``(low, high, dst_low, dst_high)`` for a saturating cast, or None.

    ``low``/``high`` are representable in ``src`` and land inside ``dst``'s
    range; source values beyond them map to ``dst_low``/``dst_high`` exactly.
    """
    src, dst = dtypes.standardize_dtype(src), dtypes.standardize_dtype(dst)
    if "bool" in (src, dst) or src in dtypes.COMPLEX_TYPES or dst in dtypes.COMPLEX_TYPES:
        return None
    src_lo, src_hi = _limits(src)
    dst_lo, dst_hi = _limits(dst)
    lo, hi = max(src_lo, dst_lo), min(src_hi, dst_hi)
    if lo == src_lo and hi == src_hi:
        return None
    exact = (lo, hi)
    if dtypes.is_float_dtype(src):
        src_np = to_numpy_dtype(src)
        lo_s, hi_s = np.array(lo, dtype=src_np), np.array(hi, dtype=src_np)
        if float(hi_s) > hi:
            hi_s = np.nextafter(hi_s.astype(np.float64), -np.inf).astype(src_np)
            while float(hi_s) > hi:
                hi_s = np.nextafter(hi_s, np.array(-np.inf, src_np))
        if float(lo_s) < lo:
            lo_s = np.nextafter(lo_s.astype(np.float64), np.inf).astype(src_np)
            while float(lo_s) < lo:
                lo_s = np.nextafter(lo_s, np.array(np.inf, src_np))
        lo, hi = float(lo_s), float(hi_s)
        if dtypes.is_int_dtype(dst):
            lo, hi = int(lo), int(hi)
    return lo, hi, exact[0], exact[1]


def saturate_cast(x, dtype):
    """Clips ``x`` to ``dtype``'s range, then casts."""
    x = convert_to_tensor(x)
    bounds = saturate_bounds(x.dtype, dtype)
    if bounds is None:
        return cast(x, dtype)
    lo, hi, dst_lo, dst_hi = bounds
    out = cast(np.clip(x, np.array(lo, x.dtype), np.array(hi, x.dtype)), dtype)
    if (dst_lo, dst_hi) != (lo, hi):
        out = np.where(x > hi, np.array(dst_hi, out.dtype), out)
        out = np.where(x < lo, np.array(dst_lo, out.dtype), out)
    return out


# -- control flow (plain Python on this backend) ---------------------------------

def _as_tuple(loop_vars):
    return tuple(loop_vars) if isinstance(loop_vars, (list, tuple)) else (loop_vars,)


def cond(pred, true_fn, false_fn):
    """Calls ``true_fn()`` or ``false_fn()``."""
    return true_fn() if bool(np.asarray(pred)) else false_fn()


def switch(index, branches, *operands):
    """Calls ``branches[index](*operands)`` with ``index`` clamped."""
    index = int(np.clip(np.asarray(index), 0, len(branches) - 1))
    return branches[index](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """A Python while loop with Keras's calling convention."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    values = _as_tuple(loop_vars)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(np.asarray(cond(*values))):
        values = _as_tuple(body(*values)) if is_tuple else (body(*values),)
        count += 1
    if is_tuple:
        return type(loop_vars)(values) if isinstance(loop_vars, list) else values
    return values[0]


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def _stack(items):
    return tree.map_structure(lambda *leaves: None if leaves[0] is None else np.stack(leaves), *items)


def _stacked_empty(y, n=0):
    return tree.map_structure(
        lambda t: None if t is None else np.zeros((n,) + np.shape(t), np.asarray(t).dtype), y)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """A Python loop over the leading axis of ``xs``; the ``y``'s are stacked."""
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool, received {unroll!r}.")
    if xs is not None:
        xs = tree.map_structure(convert_to_tensor, xs)
    n = length if xs is None else tree.flatten(xs)[0].shape[0]
    carry = init
    ys = [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = None if xs is None else tree.map_structure(lambda t: t[i], xs)
        carry, ys[i] = f(carry, x)
    if n == 0:
        x = None if xs is None else tree.map_structure(lambda t: np.zeros(t.shape[1:], t.dtype), xs)
        return carry, _stacked_empty(f(init, x)[1])
    return carry, _stack(ys)


def map(f, xs):
    """Applies ``f`` to each leading slice and stacks the results."""
    xs = tree.map_structure(convert_to_tensor, xs)
    n = tree.flatten(xs)[0].shape[0]
    if n == 0:
        return _stacked_empty(f(tree.map_structure(lambda t: np.zeros(t.shape[1:], t.dtype), xs)))
    return _stack([f(tree.map_structure(lambda t: t[i], xs)) for i in range(n)])


vectorized_map = map


def associative_scan(f, elems, reverse=False, axis=0):
    """Hillis-Steele inclusive scan: log2(n) rounds of ``f`` on shifted slices."""
    leaves = [convert_to_tensor(t) for t in tree.flatten(elems)]
    axis = axis % leaves[0].ndim
    if reverse:
        leaves = [np.flip(t, axis) for t in leaves]
    n = leaves[0].shape[axis]

    def take(t, start, stop):
        index = [builtins_slice(None)] * t.ndim
        index[axis] = builtins_slice(start, stop)
        return t[tuple(index)]

    shift = 1
    while shift < n:
        a = tree.pack_sequence_as(elems, [take(t, 0, n - shift) for t in leaves])
        b = tree.pack_sequence_as(elems, [take(t, shift, n) for t in leaves])
        combined = [convert_to_tensor(t) for t in tree.flatten(f(a, b))]
        leaves = [np.concatenate([take(t, 0, shift), c.astype(t.dtype)], axis=axis)
                  for t, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [np.flip(t, axis) for t in leaves]
    return tree.pack_sequence_as(elems, leaves)


# -- scatter, slices, unstack ----------------------------------------------------

def _index_tuple(indices):
    indices = np.asarray(convert_to_tensor(indices))
    return tuple(np.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    """Zeros of ``shape`` with ``values`` added at ``indices``."""
    values = convert_to_tensor(values)
    out = np.zeros(tuple(int(d) for d in shape), values.dtype)
    np.add.at(out, _index_tuple(indices), values)
    return out


def scatter_update(inputs, indices, updates, reduction=None):
    """Writes (or reduces) ``updates`` into a copy of ``inputs`` at ``indices``."""
    out = np.array(convert_to_tensor(inputs), copy=True)
    updates = convert_to_tensor(updates, out.dtype)
    index = _index_tuple(indices)
    if reduction is None:
        out[index] = updates
    elif reduction == "add":
        np.add.at(out, index, updates)
    elif reduction == "max":
        np.maximum.at(out, index, updates)
    elif reduction == "min":
        np.minimum.at(out, index, updates)
    elif reduction == "mul":
        np.multiply.at(out, index, updates)
    else:
        raise ValueError(f"Unsupported reduction: {reduction!r}.")
    return out


def _starts(start_indices):
    return [int(s) for s in np.asarray(convert_to_numpy(start_indices)).reshape(-1)] \
        if not isinstance(start_indices, (list, tuple)) else [int(np.asarray(s)) for s in start_indices]


def slice(inputs, start_indices, shape):
    """The block at ``start_indices`` of size ``shape`` (-1: to the end)."""
    inputs = convert_to_tensor(inputs)
    starts = _starts(start_indices)
    if not len(starts) == len(shape) == inputs.ndim:
        raise ValueError("expected one start and one size per dimension.")
    index = tuple(builtins_slice(s, None if size == -1 else s + int(size))
                  for s, size in zip(starts, shape))
    return inputs[index].copy()


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    out = np.array(convert_to_tensor(inputs), copy=True)
    updates = convert_to_tensor(updates, out.dtype)
    starts = _starts(start_indices)
    out[tuple(builtins_slice(s, s + d) for s, d in zip(starts, updates.shape))] = updates
    return out


def unstack(x, num=None, axis=0):
    """Splits ``x`` along ``axis`` into a list."""
    x = convert_to_tensor(x)
    return list(np.moveaxis(x, axis, 0))


class custom_gradient:
    """No gradients on NumPy: runs ``f`` forward and drops its ``grad_fn``."""

    def __init__(self, fun):
        self.fun = fun

    def __call__(self, *args, **kwargs):
        output, _ = self.fun(*args, **kwargs)
        return output
