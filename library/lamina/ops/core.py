"""``lamina.ops`` core: conversion, casting, control flow, scatter and slices.

Control flow (``cond``, ``while_loop``, ``fori_loop``, ``scan``, ``map``,
``switch``, ``associative_scan``, ``vectorized_map``) uses each backend's own
construct (``jax.lax``, ``tf.while_loop``...), so it works inside ``jax.jit``
and ``tf.function``; on torch and NumPy it is a Python loop. Called on
KerasTensors, these ops trace the Python callables symbolically to find the
output specs.
"""

from lamina import tree
from lamina.backend import impl
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import rules
from lamina.ops.dispatch import op
from lamina.ops.numpy.creation import value_dtype

__all__ = [
    "associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor",
    "custom_gradient", "dtype", "fori_loop", "is_tensor", "map", "saturate_cast", "scan",
    "scatter", "scatter_update", "shape", "slice", "slice_update", "stop_gradient", "switch",
    "unstack", "vectorized_map", "while_loop",
]


# -- helpers for the rules --------------------------------------------------------

def _dtype_arg(dtype):
    try:
        return dtypes.standardize_dtype(dtype)
    except (ValueError, TypeError):
        raise TypeError(f"expected a dtype for `dtype`, received {rules.describe(dtype)}.") from None


def _fresh(x):
    """A KerasTensor spec of ``x`` with no graph history (for tracing callables)."""
    if isinstance(x, KerasTensor) or (hasattr(x, "shape") and hasattr(x, "dtype")):
        return KerasTensor(rules.shape_of(x), dtype=rules.tensor_dtype(x))
    if isinstance(x, (bool, int, float)):
        return KerasTensor((), dtype=rules.tensor_dtype(x))
    return x


def _specs(structure):
    return tree.map_structure(_fresh, structure)


def _merge_spec(a, b):
    """The spec covering both ``a`` and ``b`` (None where the sizes differ)."""
    if not isinstance(a, KerasTensor) or not isinstance(b, KerasTensor):
        return a
    if len(a.shape) != len(b.shape):
        raise ValueError(f"the branches return tensors of different ranks: {a.shape} and {b.shape}.")
    if a.dtype != b.dtype:
        raise ValueError(f"the branches return different dtypes: {a.dtype} and {b.dtype}.")
    shape = tuple(d if d == e else None for d, e in zip(a.shape, b.shape))
    return KerasTensor(shape, dtype=a.dtype)


def _merge_all(outputs):
    first = outputs[0]
    for other in outputs[1:]:
        try:
            tree.assert_same_structure(first, other)
        except (ValueError, TypeError):
            raise ValueError(
                "the branches must return the same structure, received "
                f"{tree.map_structure(rules.describe, first)} and "
                f"{tree.map_structure(rules.describe, other)}."
            ) from None
        first = tree.map_structure(_merge_spec, first, other)
    return first


def _check_callable(f, argname):
    if not callable(f):
        raise TypeError(f"expected a callable for `{argname}`, received {rules.describe(f)}.")


def _leading(structure, argname, axis=0):
    """The common size of ``axis`` of the leaves of ``structure`` (None: unknown)."""
    sizes = set()
    for leaf in tree.flatten(structure):
        shape = rules.shape_of(leaf, argname)
        if len(shape) <= axis:
            raise ValueError(
                f"expected tensors of rank > {axis} in `{argname}`, received {rules.describe(leaf)}."
            )
        sizes.add(shape[axis])
    known = {s for s in sizes if s is not None}
    if len(known) > 1:
        raise ValueError(f"the tensors of `{argname}` differ in the size of axis {axis}: {sorted(known)}.")
    return known.pop() if known else None


def _drop_axis(x, axis=0):
    if not isinstance(x, KerasTensor):
        return x
    return KerasTensor(x.shape[:axis] + x.shape[axis + 1:], dtype=x.dtype)


def _stack_spec(x, n):
    if not isinstance(x, KerasTensor):
        x = _fresh(x)
    return KerasTensor((n,) + tuple(x.shape), dtype=x.dtype)


# -- rules ------------------------------------------------------------------------

def _cast_rule(x, dtype):
    return rules.spec(rules.shape_of(x), _dtype_arg(dtype))


def _convert_rule(x, dtype=None, sparse=None, ragged=None):
    return rules.spec(rules.shape_of(x), value_dtype(x) if dtype is None else _dtype_arg(dtype))


def _convert_to_numpy_rule(x):
    if any(isinstance(v, KerasTensor) for v in tree.flatten(x)):
        raise TypeError(
            "a symbolic KerasTensor has no values to convert to NumPy: it stands for a tensor "
            "in a model graph. Call the model (or the function) on real data instead."
        )
    rules.check_tensor(x)


def _cond_rule(pred, true_fn, false_fn):
    _check_callable(true_fn, "true_fn")
    _check_callable(false_fn, "false_fn")
    if rules.shape_of(pred, "pred") != ():
        raise ValueError(f"expected a scalar for `pred`, received {rules.describe(pred)}.")
    return _merge_all([_specs(true_fn()), _specs(false_fn())])


def _switch_rule(index, branches, *operands):
    if not isinstance(branches, (list, tuple)) or not branches:
        raise TypeError(f"expected a non-empty list of callables for `branches`, received "
                        f"{rules.describe(branches)}.")
    for b in branches:
        _check_callable(b, "branches")
    if rules.shape_of(index, "index") != ():
        raise ValueError(f"expected a scalar for `index`, received {rules.describe(index)}.")
    specs = _specs(operands)
    return _merge_all([_specs(b(*specs)) for b in branches])


def _while_rule(cond, body, loop_vars, maximum_iterations=None):
    _check_callable(cond, "cond")
    _check_callable(body, "body")
    specs = _specs(loop_vars)
    args = tuple(specs) if isinstance(specs, (list, tuple)) else (specs,)
    out = body(*args)
    if isinstance(specs, (list, tuple)):
        out = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        if len(out) != len(args):
            raise ValueError(f"`body` must return {len(args)} loop variables, received {len(out)}.")
    return specs


def _fori_rule(lower, upper, body_fun, init_val):
    _check_callable(body_fun, "body_fun")
    return _specs(init_val)


def _scan_rule(f, init, xs=None, length=None, reverse=False, unroll=1):
    _check_callable(f, "f")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool, received {unroll!r}.")
    if xs is None:
        if length is None:
            raise ValueError("`length` is needed when `xs` is None.")
        n, x = length, None
    else:
        n = _leading(xs, "xs")
        if length is not None and n is not None and length != n:
            raise ValueError(f"`length`={length} differs from the leading size of `xs` ({n}).")
        n = length if n is None else n
        x = tree.map_structure(_drop_axis, _specs(xs))
    out = f(_specs(init), x)
    if not isinstance(out, (list, tuple)) or len(out) != 2:
        raise ValueError(f"`f` must return a pair (carry, y), received {rules.describe(out)}.")
    carry, y = out
    return _specs(init), tree.map_structure(lambda t: None if t is None else _stack_spec(t, n), y)


def _map_rule(f, xs):
    _check_callable(f, "f")
    n = _leading(xs, "xs")
    y = f(tree.map_structure(_drop_axis, _specs(xs)))
    return tree.map_structure(lambda t: _stack_spec(t, n), y)


def _associative_scan_rule(f, elems, reverse=False, axis=0):
    _check_callable(f, "f")
    leaves = tree.flatten(elems)
    if not leaves:
        raise ValueError("`elems` is empty.")
    ndim = len(rules.shape_of(leaves[0], "elems"))
    axis = rules.canonical_axis(axis, ndim)
    _leading(elems, "elems", axis)
    specs = _specs(elems)
    out = f(specs, specs)
    return tree.map_structure(lambda s, o: KerasTensor(s.shape, dtype=_fresh(o).dtype), specs, out)


def _vectorized_map_rule(function, elements):
    _check_callable(function, "function")
    return _map_rule(function, elements)


def _index_dtype_check(indices, argname="indices"):
    dt = value_dtype(indices, argname)
    if dt not in dtypes.INT_TYPES:
        raise TypeError(f"expected integer `{argname}`, received dtype {dt}.")
    return rules.shape_of(indices, argname)


def _scatter_rule(indices, values, shape):
    ishape = _index_dtype_check(indices)
    out = tuple(shape)
    if ishape and ishape[-1] is not None and ishape[-1] > len(out):
        raise ValueError(
            f"`indices` index {ishape[-1]} dimensions but `shape` {out} has only {len(out)}."
        )
    return rules.spec(out, rules.tensor_dtype(values, "values"))


def _scatter_update_rule(inputs, indices, updates, reduction=None):
    if reduction not in (None, "add", "max", "min", "mul"):
        raise ValueError(
            f"expected `reduction` to be None, 'add', 'max', 'min' or 'mul', received {reduction!r}."
        )
    shape = rules.shape_of(inputs, "inputs")
    ishape = _index_dtype_check(indices)
    if ishape and ishape[-1] is not None and ishape[-1] > len(shape):
        raise ValueError(
            f"`indices` index {ishape[-1]} dimensions but `inputs` has rank {len(shape)}."
        )
    rules.check_tensor(updates, "updates")
    return rules.spec(shape, rules.tensor_dtype(inputs, "inputs"))


def _start_values(start_indices, rank):
    if isinstance(start_indices, KerasTensor) or hasattr(start_indices, "dtype"):
        n = rules.shape_of(start_indices, "start_indices")
        if len(n) != 1 or (n[0] is not None and n[0] != rank):
            raise ValueError(
                f"expected {rank} start indices (one per dimension), received "
                f"{rules.describe(start_indices)}."
            )
        return [None] * rank
    starts = list(start_indices)
    if len(starts) != rank:
        raise ValueError(
            f"expected {rank} start indices (one per dimension), received {len(starts)}."
        )
    return [int(s) if isinstance(s, int) else None for s in starts]


def _slice_rule(inputs, start_indices, shape):
    in_shape = rules.shape_of(inputs, "inputs")
    starts = _start_values(start_indices, len(in_shape))
    sizes = list(shape)
    if len(sizes) != len(in_shape):
        raise ValueError(f"expected {len(in_shape)} sizes in `shape`, received {tuple(sizes)}.")
    out = []
    for d, s, size in zip(in_shape, starts, sizes):
        if size == -1:
            out.append(None if d is None or s is None else d - s)
        else:
            if d is not None and size is not None and size > d:
                raise ValueError(f"the slice size {tuple(sizes)} exceeds the input shape {in_shape}.")
            out.append(size)
    return rules.spec(out, rules.tensor_dtype(inputs, "inputs"))


def _slice_update_rule(inputs, start_indices, updates):
    in_shape = rules.shape_of(inputs, "inputs")
    up_shape = rules.shape_of(updates, "updates")
    if len(up_shape) != len(in_shape):
        raise ValueError(f"`updates` must have the rank of `inputs` ({len(in_shape)}), received "
                         f"{rules.describe(updates)}.")
    _start_values(start_indices, len(in_shape))
    for d, u in zip(in_shape, up_shape):
        if d is not None and u is not None and u > d:
            raise ValueError(f"`updates` of shape {up_shape} do not fit in `inputs` of shape {in_shape}.")
    return rules.spec(in_shape, rules.tensor_dtype(inputs, "inputs"))


def _unstack_rule(x, num=None, axis=0):
    shape = rules.shape_of(x)
    if not shape:
        raise ValueError("cannot unstack a scalar.")
    a = rules.canonical_axis(axis, len(shape))
    n = shape[a] if shape[a] is not None else num
    if n is None:
        raise ValueError(f"the size of axis {axis} is unknown; pass `num`.")
    if num is not None and shape[a] is not None and num != shape[a]:
        raise ValueError(f"`num`={num} differs from the size of axis {axis} ({shape[a]}).")
    out_shape = shape[:a] + shape[a + 1:]
    return [rules.spec(out_shape, rules.tensor_dtype(x)) for _ in range(n)]


# -- conversion and casting ---------------------------------------------------------

@op(_cast_rule, module="core")
def cast(x, dtype):
    """Casts a tensor to ``dtype``.

    Example:
        >>> lamina.ops.cast(np.array([1.7, -2.2]), "int32")
        # [1, -2]
    """


@op(_cast_rule, module="core")
def saturate_cast(x, dtype):
    """Casts to ``dtype``, clipping values to its range first (no wrap-around).

    Example:
        >>> lamina.ops.saturate_cast(np.array([-5.0, 300.0]), "uint8")
        # [0, 255]
    """


@op(_convert_rule, module="core")
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` (array, list, number, Variable) to a backend tensor.

    Python floats become ``floatx`` and Python ints ``int32``, as in Keras.

    Example:
        >>> lamina.ops.convert_to_tensor([1, 2]).dtype
        # int32
    """


@op(_convert_to_numpy_rule, module="core")
def convert_to_numpy(x):
    """Returns a NumPy array with the values of ``x``.

    Raises:
        TypeError: for a symbolic KerasTensor, which has no values.

    Example:
        >>> lamina.ops.convert_to_numpy(lamina.ops.ones((2,)))
        array([1., 1.], dtype=float32)
    """


@op(rules.elementwise_unary, module="core")
def stop_gradient(variable):
    """Returns ``variable``'s value with no gradient flowing through it.

    Example:
        >>> y = lamina.ops.stop_gradient(x)  # d(y)/d(x) is zero
    """


def is_tensor(x):
    """True when ``x`` is a tensor of the active backend (False for KerasTensors).

    Example:
        >>> lamina.ops.is_tensor(lamina.ops.ones(2))
        True
    """
    return impl.core.is_tensor(x)


def shape(x):
    """The shape of ``x`` as a tuple.

    Unknown dimensions are None for KerasTensors; with TensorFlow, dynamic
    dimensions inside ``tf.function`` are scalar tensors.

    Example:
        >>> lamina.ops.shape(np.zeros((2, 3)))
        (2, 3)
    """
    if isinstance(x, KerasTensor):
        return x.shape
    if not impl.core.is_tensor(x):
        if hasattr(x, "shape") and not isinstance(x, (list, tuple)):
            return tuple(x.shape)
        x = impl.core.convert_to_tensor(x)
    return impl.core.shape(x)


def dtype(x):
    """The standard dtype name of ``x`` (e.g. ``"float32"``).

    Example:
        >>> lamina.ops.dtype(np.zeros(2, "int32"))
        'int32'
    """
    if isinstance(x, KerasTensor):
        return x.dtype
    if not hasattr(x, "dtype"):
        x = impl.core.convert_to_tensor(x)
    return dtypes.standardize_dtype(x.dtype)


def custom_gradient(f):
    """Decorator giving a function a hand-written gradient.

    ``f(*args)`` returns ``(output, grad_fn)``. On JAX and TensorFlow ``grad_fn``
    is called as ``grad_fn(upstream)``; on torch as ``grad_fn(*args, upstream=upstream)``
    (or ``grad_fn(upstream)`` when it has no ``upstream`` parameter). Writing
    ``def grad(*args, upstream=None)`` works everywhere. It returns the gradient
    for each argument. On NumPy the function only runs forward.

    Example:
        >>> @lamina.ops.custom_gradient
        ... def log1pexp(x):
        ...     e = lamina.ops.exp(x)
        ...     def grad(*args, upstream=None):
        ...         if upstream is None:
        ...             (upstream,) = args
        ...         return upstream * (1.0 - 1.0 / (1.0 + e))
        ...     return lamina.ops.log(1.0 + e), grad
    """
    _check_callable(f, "f")
    return impl.core.custom_gradient(f)


# -- control flow -------------------------------------------------------------------

@op(_cond_rule, module="core")
def cond(pred, true_fn, false_fn):
    """Calls ``true_fn()`` when ``pred`` is true, else ``false_fn()``.

    Both branches must return the same structure, shapes and dtypes (they are
    both traced under ``jax.jit`` and ``tf.function``).

    Example:
        >>> lamina.ops.cond(x > 0, lambda: x, lambda: -x)
    """


@op(_switch_rule, module="core")
def switch(index, branches, *operands):
    """Calls ``branches[index](*operands)``; ``index`` is clamped to the valid range.

    Example:
        >>> lamina.ops.switch(1, [lambda x: x + 1, lambda x: x * 2], np.ones(2))
        # [2.0, 2.0]
    """


@op(_while_rule, module="core")
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` is true.

    Args:
        cond: a callable returning a scalar bool.
        body: a callable returning new loop variables (same structure, shapes, dtypes).
        loop_vars: a tensor, or a tuple/list of tensors.
        maximum_iterations: an optional bound on the number of iterations.

    Returns:
        The final loop variables (same structure as ``loop_vars``).

    Example:
        >>> lamina.ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0)
        # 10
    """


@op(_fori_rule, module="core")
def fori_loop(lower, upper, body_fun, init_val):
    """Runs ``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``.

    Example:
        >>> lamina.ops.fori_loop(0, 5, lambda i, v: v + i, 0)
        # 10
    """


@op(_scan_rule, module="core")
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans ``f`` over the leading axis of ``xs``, carrying a state.

    ``f(carry, x)`` returns ``(new_carry, y)``; the ``y``'s are stacked.

    Args:
        f: the step function.
        init: the initial carry (a tensor or a structure of tensors).
        xs: the values to scan over (None: scan ``length`` times with ``x=None``).
        length: the number of steps when ``xs`` is None.
        reverse: scan from the end.
        unroll: how many steps to unroll (a hint; a positive int or a bool).

    Returns:
        ``(final_carry, stacked_ys)``.

    Example:
        >>> lamina.ops.scan(lambda c, x: (c + x, c + x), 0.0, np.arange(4.0))
        # (6.0, [0.0, 1.0, 3.0, 6.0])
    """


@op(_map_rule, module="core")
def map(f, xs):
    """Applies ``f`` to each slice of ``xs`` along the leading axis and stacks the results.

    Example:
        >>> lamina.ops.map(lambda x: x * 2, np.arange(3.0))
        # [0.0, 2.0, 4.0]
    """


@op(_associative_scan_rule, module="core")
def associative_scan(f, elems, reverse=False, axis=0):
    """An inclusive scan with an associative ``f(a, b)``, computed in parallel.

    Element ``k`` of the result combines elements ``0..k`` of ``elems`` along
    ``axis`` (``k..n-1`` when ``reverse``).

    Example:
        >>> lamina.ops.associative_scan(lambda a, b: a + b, np.arange(5))
        # [0, 1, 3, 6, 10]
    """


@op(_vectorized_map_rule, module="core")
def vectorized_map(function, elements):
    """Maps ``function`` over the leading axis of ``elements``, vectorized where possible.

    Example:
        >>> lamina.ops.vectorized_map(lambda x: x @ x, np.ones((4, 3)))
        # [3.0, 3.0, 3.0, 3.0]
    """


# -- scatter, slices, unstack -------------------------------------------------------

@op(_scatter_rule, module="core")
def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices``.

    Args:
        indices: int tensor of shape ``(..., d)`` indexing the first ``d`` dimensions.
        values: the values, of shape ``indices.shape[:-1] + shape[d:]``.
        shape: the output shape.

    Example:
        >>> lamina.ops.scatter([[0, 1], [1, 1]], np.array([1.0, 2.0]), (2, 2))
        # [[0.0, 1.0], [0.0, 2.0]]
    """


@op(_scatter_update_rule, module="core")
def scatter_update(inputs, indices, updates, reduction=None):
    """Writes ``updates`` into ``inputs`` at ``indices``.

    Args:
        inputs: the tensor to update (not modified; a new tensor is returned).
        indices: int tensor of shape ``(n, d)``.
        updates: values of shape ``(n,) + inputs.shape[d:]``.
        reduction: None (replace), ``"add"``, ``"max"``, ``"min"`` or ``"mul"``.

    Example:
        >>> lamina.ops.scatter_update(np.zeros(3), [[1]], np.array([5.0]))
        # [0.0, 5.0, 0.0]
    """


@op(_slice_rule, module="core")
def slice(inputs, start_indices, shape):
    """The block of ``inputs`` starting at ``start_indices`` with size ``shape``.

    A size of -1 takes the rest of that dimension.

    Example:
        >>> lamina.ops.slice(np.arange(10), [2], [3])
        # [2, 3, 4]
    """


@op(_slice_update_rule, module="core")
def slice_update(inputs, start_indices, updates):
    """Replaces the block of ``inputs`` at ``start_indices`` by ``updates``.

    Example:
        >>> lamina.ops.slice_update(np.zeros(4), [1], np.ones(2))
        # [0.0, 1.0, 1.0, 0.0]
    """


@op(_unstack_rule, module="core")
def unstack(x, num=None, axis=0):
    """Splits ``x`` along ``axis`` into a list of tensors of one less rank.

    Example:
        >>> [t.shape for t in lamina.ops.unstack(np.zeros((2, 3)), axis=1)]
        [(2,), (2,), (2,)]
    """
