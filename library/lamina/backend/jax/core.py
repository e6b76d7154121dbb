"""JAX backend core: Variable, tensor conversion, dtypes, control flow."""

import jax
import jax.numpy as jnp
import numpy as np

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(_BaseVariable):
    """A lamina Variable holding a ``jax.Array``."""

    def _initialize(self, value):
        self._value = value

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = value

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a ``jax.Array`` (Python floats to floatx, ints to int32)."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        if dtype is None or x.dtype == dtype:
            return x
        return x.astype(dtype)
    if dtype is None:
        dtype = _default_dtype(x)
    return jnp.asarray(x, dtype=dtype)


def _default_dtype(x):
    """Python ints and 64-bit NumPy ints become int32, floats floatx (JAX runs 32-bit)."""
    arr = np.asarray(x)
    if isinstance(x, (np.ndarray, np.generic)) and arr.dtype not in (np.int64, np.float64):
        return arr.dtype if arr.dtype.kind != "U" else _reject(x)
    if arr.dtype.kind == "f":
        return dtypes.result_type(float)
    if arr.dtype.kind in "iu":
        return "int32" if arr.dtype == np.int64 else dtypes.standardize_dtype(arr.dtype)
    if arr.dtype.kind == "b":
        return "bool"
    return _reject(x)


def _reject(x):
    raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a JAX array.")


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    """True for jax arrays and tracers."""
    return isinstance(x, (jax.Array, jax.core.Tracer))


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(x.shape)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    if isinstance(variable, _BaseVariable):
        variable = variable.value
    return jax.lax.stop_gradient(variable)


def device_scope(device_name):
    """A context manager placing computations on ``device_name`` (e.g. ``"cpu:0"``)."""
    kind, _, index = str(device_name).lower().partition(":")
    return jax.default_device(jax.devices(kind)[int(index or 0)])


# -- casting ---------------------------------------------------------------------

def saturate_cast(x, dtype):
    """Clips ``x`` to ``dtype``'s range, then casts."""
    from lamina.backend.numpy.core import saturate_bounds

    x = convert_to_tensor(x)
    bounds = saturate_bounds(x.dtype, dtype)
    if bounds is None:
        return cast(x, dtype)
    lo, hi, dst_lo, dst_hi = bounds
    lo, hi = jnp.asarray(lo, x.dtype), jnp.asarray(hi, x.dtype)
    out = cast(jnp.clip(x, lo, hi), dtype)
    out = jnp.where(x > hi, jnp.asarray(dst_hi, out.dtype), out)
    out = jnp.where(x < lo, jnp.asarray(dst_lo, out.dtype), out)
    return out


# -- control flow (jax.lax) ------------------------------------------------------

def _unwrap_tree(structure):
    return tree.map_structure(lambda v: v.value if isinstance(v, _BaseVariable) else v, structure)


def cond(pred, true_fn, false_fn):
    """``jax.lax.cond``: both branches are traced."""
    return jax.lax.cond(convert_to_tensor(pred), true_fn, false_fn)


def switch(index, branches, *operands):
    """``jax.lax.switch``: ``index`` is clamped to the valid range."""
    return jax.lax.switch(index, branches, *_unwrap_tree(operands))


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``jax.lax.while_loop`` with Keras's calling convention (``cond(*loop_vars)``)."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    values = tuple(loop_vars) if is_tuple else (loop_vars,)
    values = tuple(convert_to_tensor(v) if isinstance(v, (int, float, bool)) else v
                   for v in _unwrap_tree(values))

    def as_tuple(out):
        return tuple(out) if is_tuple else (out,)

    if maximum_iterations is None:
        out = jax.lax.while_loop(lambda v: cond(*v), lambda v: as_tuple(body(*v)), values)
    else:
        def cond_fn(state):
            count, v = state
            return jnp.logical_and(count < maximum_iterations, cond(*v))

        def body_fn(state):
            count, v = state
            return count + 1, as_tuple(body(*v))

        _, out = jax.lax.while_loop(cond_fn, body_fn, (jnp.asarray(0, "int32"), values))
    if is_tuple:
        return list(out) if isinstance(loop_vars, list) else tuple(out)
    return out[0]


def fori_loop(lower, upper, body_fun, init_val):
    """``jax.lax.fori_loop``."""
    return jax.lax.fori_loop(lower, upper, body_fun, _unwrap_tree(init_val))


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """``jax.lax.scan``."""
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool, received {unroll!r}.")
    if xs is not None:
        xs = tree.map_structure(convert_to_tensor, _unwrap_tree(xs))
    return jax.lax.scan(f, _unwrap_tree(init), xs, length=length, reverse=reverse, unroll=unroll)


def map(f, xs):
    """``jax.lax.map``."""
    return jax.lax.map(f, tree.map_structure(convert_to_tensor, _unwrap_tree(xs)))


def associative_scan(f, elems, reverse=False, axis=0):
    """``jax.lax.associative_scan``."""
    elems = tree.map_structure(convert_to_tensor, _unwrap_tree(elems))
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


def vectorized_map(function, elements):
    """``jax.vmap`` over the leading axis."""
    return jax.vmap(function)(tree.map_structure(convert_to_tensor, _unwrap_tree(elements)))


# -- scatter, slices, unstack ----------------------------------------------------

def _index_tuple(indices):
    indices = convert_to_tensor(indices)
    return tuple(jnp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    """Zeros of ``shape`` with ``values`` added at ``indices``."""
    values = convert_to_tensor(values)
    return jnp.zeros(tuple(shape), values.dtype).at[_index_tuple(indices)].add(values)


def scatter_update(inputs, indices, updates, reduction=None):
    """Writes (or reduces) ``updates`` into ``inputs`` at ``indices``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    at = inputs.at[_index_tuple(indices)]
    if reduction is None:
        return at.set(updates)
    if reduction == "add":
        return at.add(updates)
    if reduction == "max":
        return at.max(updates)
    if reduction == "min":
        return at.min(updates)
    if reduction == "mul":
        return at.multiply(updates)
    raise ValueError(f"Unsupported reduction: {reduction!r}.")


def _start_list(start_indices):
    if isinstance(start_indices, (list, tuple)):
        return [convert_to_tensor(s, "int32") if not isinstance(s, int) else s for s in start_indices]
    starts = convert_to_tensor(start_indices)
    return [starts[i] for i in range(starts.shape[0])]


def slice(inputs, start_indices, shape):
    """``jax.lax.dynamic_slice``; a size of -1 means to the end (static starts only)."""
    inputs = convert_to_tensor(inputs)
    starts = _start_list(start_indices)
    sizes = []
    for dim, start, size in zip(inputs.shape, starts, shape):
        if size == -1:
            if not isinstance(start, int):
                start = int(start)  # needs a concrete start
            size = dim - start
        sizes.append(int(size))
    return jax.lax.dynamic_slice(inputs, starts, sizes)


def slice_update(inputs, start_indices, updates):
    """``jax.lax.dynamic_update_slice``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, _start_list(start_indices))


def unstack(x, num=None, axis=0):
    """Splits ``x`` along ``axis`` into a list."""
    x = convert_to_tensor(x)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for rank {x.ndim}.")
    axis = axis % x.ndim
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


def custom_gradient(fun):
    """``jax.custom_gradient``: ``fun`` returns ``(output, grad_fn)``; ``grad_fn(upstream)``."""
    wrapped = jax.custom_gradient(fun)

    def call(*args, **kwargs):
        return wrapped(*_unwrap_tree(args), **_unwrap_tree(kwargs))

    return call
