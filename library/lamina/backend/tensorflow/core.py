"""TensorFlow backend core: Variable, tensor conversion, dtypes, control flow."""

import builtins

import numpy as np
import tensorflow as tf

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = True


class Variable(_BaseVariable, tf.__internal__.types.Tensor):
    """A lamina Variable holding a ``tf.Variable``.

    It acts as a resource variable for ``tf.GradientTape``, so
    ``tape.gradient(loss, model.trainable_variables)`` works as in Keras.
    """

    _should_act_as_resource_variable = True

    @property
    def handle(self):
        return self.value.handle

    def _initialize(self, value):
        self._value = tf.Variable(value, dtype=self._dtype, trainable=self.trainable,
                                  name=self.name)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value.assign(tf.cast(value, self._value.dtype))

    def __tf_tensor__(self, dtype=None, name=None):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a ``tf.Tensor`` (Python floats to floatx, ints to int32)."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (tf.Tensor, tf.Variable)):
        if dtype is None or x.dtype == dtype:
            return tf.convert_to_tensor(x)
        return tf.cast(x, dtype)
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a TensorFlow tensor.")
        if isinstance(x, (np.ndarray, np.generic)):
            return tf.convert_to_tensor(arr)
        if arr.dtype.kind == "f":
            dtype = dtypes.result_type(float)
        elif arr.dtype == np.int64:
            dtype = "int32"
        else:
            dtype = dtypes.standardize_dtype(arr.dtype)
        return tf.convert_to_tensor(arr, dtype=dtype)
    if isinstance(x, (np.ndarray, np.generic)) or dtype == "bfloat16":
        return tf.cast(tf.convert_to_tensor(np.asarray(x)), dtype)
    return tf.convert_to_tensor(x, dtype=dtype)


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, (tf.Tensor, tf.Variable)):
        return x.numpy()
    return np.asarray(x)


def is_tensor(x):
    """True for TensorFlow tensors."""
    return tf.is_tensor(x)


def shape(x):
    """The shape of ``x``: ints where static, scalar tensors where dynamic."""
    static = x.shape.as_list() if hasattr(x.shape, "as_list") else list(x.shape)
    if None in static:
        dynamic = tf.shape(x)
        return tuple(d if d is not None else dynamic[i] for i, d in enumerate(static))
    return tuple(static)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    if isinstance(variable, _BaseVariable):
        variable = variable.value
    return tf.stop_gradient(variable)


def device_scope(device_name):
    """A context manager placing ops on ``device_name``."""
    return tf.device(str(device_name))


# -- casting ---------------------------------------------------------------------

def saturate_cast(x, dtype):
    """Clips ``x`` to ``dtype``'s range, then casts."""
    from lamina.backend.numpy.core import saturate_bounds

    x = convert_to_tensor(x)
    bounds = saturate_bounds(x.dtype.name, dtype)
    if bounds is None:
        return cast(x, dtype)
    lo, hi, dst_lo, dst_hi = bounds
    out = cast(tf.clip_by_value(x, tf.constant(lo, x.dtype), tf.constant(hi, x.dtype)), dtype)
    if (dst_lo, dst_hi) != (lo, hi):
        out = tf.where(x > hi, tf.constant(dst_hi, out.dtype), out)
        out = tf.where(x < lo, tf.constant(dst_lo, out.dtype), out)
    return out


# -- control flow (tf.cond, tf.while_loop...) --------------------------------------

def _unwrap_tree(structure):
    return tree.map_structure(lambda v: v.value if isinstance(v, _BaseVariable) else v, structure)


def _to_tensors(structure):
    return tree.map_structure(lambda v: None if v is None else convert_to_tensor(v), _unwrap_tree(structure))


def cond(pred, true_fn, false_fn):
    """``tf.cond`` (a Python bool picks the branch directly)."""
    if isinstance(pred, (bool, np.bool_)):
        return true_fn() if pred else false_fn()
    return tf.cond(convert_to_tensor(pred), true_fn, false_fn)


def switch(index, branches, *operands):
    """``tf.switch_case`` with ``index`` clamped to the valid range."""
    index = tf.clip_by_value(convert_to_tensor(index, "int32"), 0, len(branches) - 1)
    return tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``tf.while_loop`` with Keras's calling convention (``cond(*loop_vars)``)."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    values = _to_tensors(tuple(loop_vars) if is_tuple else (loop_vars,))

    def body_fn(*v):
        out = body(*v)
        return tuple(out) if is_tuple else (out,)

    out = tf.while_loop(cond, body_fn, values, maximum_iterations=maximum_iterations)
    if is_tuple:
        return list(out) if isinstance(loop_vars, list) else tuple(out)
    return out[0]


def fori_loop(lower, upper, body_fun, init_val):
    """``tf.while_loop`` over ``i`` in ``range(lower, upper)``."""
    lower = convert_to_tensor(lower, "int32")
    upper = convert_to_tensor(upper, "int32")
    _, out = tf.while_loop(lambda i, v: i < upper, lambda i, v: (i + 1, body_fun(i, v)),
                           (lower, _to_tensors(init_val)))
    return out


def _step_specs(f, carry, x):
    """Traces ``f(carry, x)`` without running it: the structure and specs of ``y``."""
    to_spec = lambda t: None if t is None else tf.TensorSpec(t.shape, t.dtype)  # noqa: E731
    traced = tf.function(lambda c, v: f(c, v)[1], autograph=False).get_concrete_function(
        tree.map_structure(to_spec, carry), tree.map_structure(to_spec, x))
    return traced.structured_outputs


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """A ``tf.while_loop`` writing the ``y``'s into TensorArrays."""
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool, received {unroll!r}.")
    init = _to_tensors(init)
    if xs is not None:
        xs = _to_tensors(xs)
        xs_flat = tree.flatten(xs)
        n = xs_flat[0].shape[0]
        if n is None:
            n = tf.shape(xs_flat[0])[0]
        x_spec = tree.map_structure(lambda t: t[0] if t.shape[0] else tf.zeros(t.shape[1:], t.dtype), xs)
    else:
        n, xs_flat, x_spec = length, [], None
    y_spec = _step_specs(f, init, x_spec)
    y_flat = tree.flatten(y_spec)
    arrays = [tf.TensorArray(t.dtype, size=n, element_shape=t.shape) if t is not None else None
              for t in y_flat]
    live = [i for i, t in enumerate(y_flat) if t is not None]

    def body(i, carry_flat, *tas):
        index = n - 1 - i if reverse else i
        x = None if xs is None else tree.pack_sequence_as(xs, [t[index] for t in xs_flat])
        new_carry, y = f(tree.pack_sequence_as(init, list(carry_flat)), x)
        flat_y = tree.flatten(y)
        tas = [ta.write(index, flat_y[j]) for ta, j in zip(tas, live)]
        return (i + 1, [convert_to_tensor(c) for c in tree.flatten(new_carry)], *tas)

    out = tf.while_loop(lambda i, *_: i < n, body,
                        (tf.constant(0), tree.flatten(init), *[arrays[j] for j in live]))
    carry = tree.pack_sequence_as(init, list(out[1]))
    stacked = [None] * len(y_flat)
    for ta, j in zip(out[2:], live):
        stacked[j] = ta.stack()
    return carry, tree.pack_sequence_as(y_spec, stacked)


def map(f, xs):
    """Applies ``f`` to each leading slice (a scan with no carry) and stacks the results."""
    return scan(lambda carry, x: (carry, f(x)), (), xs)[1]


def associative_scan(f, elems, reverse=False, axis=0):
    """Hillis-Steele inclusive scan: log2(n) rounds of ``f`` on shifted slices."""
    leaves = [convert_to_tensor(t) for t in tree.flatten(_unwrap_tree(elems))]
    axis = axis % leaves[0].shape.rank
    if reverse:
        leaves = [tf.reverse(t, [axis]) for t in leaves]
    n = leaves[0].shape[axis]

    def take(t, start, stop):
        index = [builtins.slice(None)] * t.shape.rank
        index[axis] = builtins.slice(start, stop)
        return t[tuple(index)]

    shift = 1
    while shift < n:
        a = tree.pack_sequence_as(elems, [take(t, 0, n - shift) for t in leaves])
        b = tree.pack_sequence_as(elems, [take(t, shift, n) for t in leaves])
        combined = [convert_to_tensor(t) for t in tree.flatten(f(a, b))]
        leaves = [tf.concat([take(t, 0, shift), tf.cast(c, t.dtype)], axis=axis)
                  for t, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [tf.reverse(t, [axis]) for t in leaves]
    return tree.pack_sequence_as(elems, leaves)


def vectorized_map(function, elements):
    """``tf.vectorized_map``."""
    return tf.vectorized_map(function, _to_tensors(elements))


# -- scatter, slices, unstack ----------------------------------------------------

def scatter(indices, values, shape):
    """``tf.scatter_nd``: zeros of ``shape`` with ``values`` added at ``indices``."""
    values = convert_to_tensor(values)
    return tf.scatter_nd(convert_to_tensor(indices), values, shape)


def scatter_update(inputs, indices, updates, reduction=None):
    """``tf.tensor_scatter_nd_*``: writes (or reduces) ``updates`` into ``inputs``."""
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices)
    updates = convert_to_tensor(updates, inputs.dtype)
    if reduction is None:
        return tf.tensor_scatter_nd_update(inputs, indices, updates)
    if reduction == "add":
        return tf.tensor_scatter_nd_add(inputs, indices, updates)
    if reduction == "max":
        return tf.tensor_scatter_nd_max(inputs, indices, updates)
    if reduction == "min":
        return tf.tensor_scatter_nd_min(inputs, indices, updates)
    if reduction != "mul":
        raise ValueError(f"Unsupported reduction: {reduction!r}.")
    # product of the updates per target (segment product), then one multiplication
    depth = indices.shape[-1]
    lead = tf.shape(inputs)[:depth]
    flat_index = tf.reshape(
        tf.reduce_sum(tf.cast(indices, "int64") * _strides(lead), axis=-1), [-1])
    rest = tf.shape(inputs)[depth:]
    source = tf.reshape(updates, tf.concat([[-1], rest], 0))
    factors = tf.math.unsorted_segment_prod(source, flat_index, tf.reduce_prod(lead))
    return inputs * tf.reshape(factors, tf.shape(inputs))


def _strides(lead):
    lead = tf.cast(lead, "int64")
    return tf.math.cumprod(lead, exclusive=True, reverse=True)


def slice(inputs, start_indices, shape):
    """``tf.slice``; a size of -1 means to the end."""
    inputs = convert_to_tensor(inputs)
    return tf.slice(inputs, convert_to_tensor(start_indices, "int32"), convert_to_tensor(shape, "int32"))


def slice_update(inputs, start_indices, updates):
    """Pads ``updates`` to the shape of ``inputs`` and selects it inside the block."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    full = tf.shape(inputs)
    size = tf.shape(updates)
    starts = tf.clip_by_value(convert_to_tensor(start_indices, "int32"), 0, full - size)
    paddings = tf.stack([starts, full - size - starts], axis=1)
    padded = tf.pad(updates, paddings)
    mask = tf.pad(tf.ones(size, "bool"), paddings)
    out = tf.where(mask, padded, inputs)
    return tf.ensure_shape(out, inputs.shape)


def unstack(x, num=None, axis=0):
    """``tf.unstack``."""
    return tf.unstack(convert_to_tensor(x), num=num, axis=axis)


def custom_gradient(fun):
    """``tf.custom_gradient``: ``fun`` returns ``(output, grad_fn)``; ``grad_fn(upstream)``."""
    wrapped = tf.custom_gradient(fun)

    def call(*args, **kwargs):
        args = tuple(convert_to_tensor(a) if isinstance(a, _BaseVariable) else a for a in args)
        return wrapped(*args, **kwargs)

    return call
