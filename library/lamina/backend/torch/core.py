"""PyTorch backend core: Variable, tensor conversion, dtypes, control flow."""

import numpy as np
import torch

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.scopes import get_stateless_scope
from lamina.backend.common.variables import Variable as _BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False

TORCH_DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "bfloat16": torch.bfloat16, "uint8": torch.uint8, "uint16": torch.uint16,
    "uint32": torch.uint32, "uint64": torch.uint64, "int8": torch.int8, "int16": torch.int16,
    "int32": torch.int32, "int64": torch.int64, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
_FROM_TORCH = {v: k for k, v in TORCH_DTYPES.items()}


def to_torch_dtype(dtype):
    """The torch dtype for a lamina dtype name (or any dtype-like)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return TORCH_DTYPES[dtypes.standardize_dtype(dtype)]


def standardize_dtype(dtype):
    """The lamina name of a torch dtype."""
    name = _FROM_TORCH.get(dtype)
    return name if name is not None else dtypes.standardize_dtype(dtype)


def _unwrap(x):
    return x.value if isinstance(x, _BaseVariable) else x


class Variable(_BaseVariable):
    """A lamina Variable holding a ``torch.nn.Parameter``."""

    def _initialize(self, value):
        if not value.is_contiguous():  # e.g. broadcast_to: in-place updates need own memory
            value = value.contiguous()
        self._value = torch.nn.Parameter(
            value, requires_grad=self.trainable and value.dtype.is_floating_point
        )

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        with torch.no_grad():
            self._value.copy_(value)

    def assign_add(self, value):
        """Adds ``value`` in place (one torch op outside stateless scopes)."""
        if get_stateless_scope() is not None or self._value is None:
            return super().assign_add(value)
        with torch.no_grad():
            return self._value.add_(convert_to_tensor(value, self._dtype))

    def assign_sub(self, value):
        """Subtracts ``value`` in place (one torch op outside stateless scopes)."""
        if get_stateless_scope() is not None or self._value is None:
            return super().assign_sub(value)
        with torch.no_grad():
            return self._value.sub_(convert_to_tensor(value, self._dtype))

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        args = tree.map_structure(_unwrap, args)
        kwargs = tree.map_structure(_unwrap, kwargs or {})
        return func(*args, **kwargs)

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name == "trainable" and getattr(self, "_value", None) is not None:
            self._value.requires_grad_(bool(value) and self._value.dtype.is_floating_point)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts ``x`` to a torch tensor (Python floats to floatx, ints to int32)."""
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a torch tensor.")
        if isinstance(x, (np.ndarray, np.generic)):
            return torch.from_numpy(np.array(arr, copy=True)) if arr.ndim else torch.tensor(arr)
        if arr.dtype.kind == "f":
            dtype = dtypes.result_type(float)
        elif arr.dtype == np.int64:
            dtype = "int32"
        else:
            dtype = dtypes.standardize_dtype(arr.dtype)
        return torch.as_tensor(arr, dtype=to_torch_dtype(dtype))
    target = to_torch_dtype(dtype)
    if isinstance(x, (np.ndarray, np.generic)):
        arr = np.asarray(x)
        if arr.dtype.kind not in "biufc":
            arr = arr.astype(np.float32)
        return torch.from_numpy(np.array(arr, copy=True)).to(target)
    return torch.as_tensor(x, dtype=target)


def convert_to_numpy(x):
    """Returns ``x`` as a NumPy array (bfloat16 through ml_dtypes)."""
    x = _unwrap(x)
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            import ml_dtypes

            return x.float().cpu().numpy().astype(ml_dtypes.bfloat16)
        return x.cpu().numpy()
    return np.asarray(x)


def is_tensor(x):
    """True for torch tensors."""
    return isinstance(x, torch.Tensor)


def shape(x):
    """The shape of ``x`` as a tuple."""
    return tuple(x.shape)


def cast(x, dtype):
    """Casts ``x`` to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def stop_gradient(variable):
    """Blocks gradients through ``variable``."""
    return _unwrap(variable).detach()


def device_scope(device_name):
    """A context manager setting torch's default device."""
    return torch.device(str(device_name).replace("gpu", "cuda"))


# -- casting ---------------------------------------------------------------------

def saturate_cast(x, dtype):
    """Clips ``x`` to ``dtype``'s range, then casts."""
    from lamina.backend.numpy.core import saturate_bounds

    x = convert_to_tensor(x)
    bounds = saturate_bounds(standardize_dtype(x.dtype), dtype)
    if bounds is None:
        return cast(x, dtype)
    lo, hi, dst_lo, dst_hi = bounds
    out = cast(torch.clamp(x, lo, hi), dtype)
    if (dst_lo, dst_hi) != (lo, hi):
        out = torch.where(x > hi, torch.tensor(dst_hi, dtype=out.dtype), out)
        out = torch.where(x < lo, torch.tensor(dst_lo, dtype=out.dtype), out)
    return out


# -- control flow (plain Python on torch) ----------------------------------------

def _as_tuple(values):
    return tuple(values) if isinstance(values, (list, tuple)) else (values,)


def _truth(value):
    return bool(value.item()) if isinstance(value, torch.Tensor) else bool(value)


def cond(pred, true_fn, false_fn):
    """Calls ``true_fn()`` or ``false_fn()`` (one host read of ``pred``)."""
    return true_fn() if _truth(pred) else false_fn()


def switch(index, branches, *operands):
    """Calls ``branches[index](*operands)`` with ``index`` clamped."""
    index = int(index.item()) if isinstance(index, torch.Tensor) else int(index)
    return branches[min(max(index, 0), len(branches) - 1)](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """A Python while loop with Keras's calling convention (``cond(*loop_vars)``)."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    values = _as_tuple(loop_vars)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and _truth(cond(*values)):
        values = _as_tuple(body(*values)) if is_tuple else (body(*values),)
        count += 1
    if is_tuple:
        return list(values) if isinstance(loop_vars, list) else tuple(values)
    return values[0]


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``."""
    lower = int(lower.item()) if isinstance(lower, torch.Tensor) else int(lower)
    upper = int(upper.item()) if isinstance(upper, torch.Tensor) else int(upper)
    val = tree.map_structure(lambda v: convert_to_tensor(v) if isinstance(v, np.ndarray) else v, init_val)
    for i in range(lower, upper):
        val = body_fun(i, val)
    return val


def _stack(items):
    return tree.map_structure(
        lambda *leaves: None if leaves[0] is None else torch.stack([convert_to_tensor(v) for v in leaves]),
        *items)


def _empty_stack(y):
    def empty(t):
        if t is None:
            return None
        t = convert_to_tensor(t)
        return torch.zeros((0,) + tuple(t.shape), dtype=t.dtype)

    return tree.map_structure(empty, y)


def _zeros_slice(t):
    return torch.zeros(tuple(t.shape[1:]), dtype=t.dtype)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """A Python loop over the leading axis of ``xs``; the ``y``'s are stacked."""
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool, received {unroll!r}.")
    init = tree.map_structure(lambda v: None if v is None else convert_to_tensor(v), init)
    if xs is not None:
        xs = tree.map_structure(convert_to_tensor, xs)
    n = int(length) if xs is None else tree.flatten(xs)[0].shape[0]
    if n == 0:
        x = None if xs is None else tree.map_structure(_zeros_slice, xs)
        return init, _empty_stack(f(init, x)[1])
    carry = init
    ys = [None] * n
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        x = None if xs is None else tree.map_structure(lambda t: t[i], xs)
        carry, ys[i] = f(carry, x)
    return carry, _stack(ys)


def map(f, xs):
    """Applies ``f`` to each leading slice and stacks the results."""
    xs = tree.map_structure(convert_to_tensor, xs)
    n = tree.flatten(xs)[0].shape[0]
    if n == 0:
        return _empty_stack(f(tree.map_structure(_zeros_slice, xs)))
    return _stack([f(tree.map_structure(lambda t: t[i], xs)) for i in range(n)])


def vectorized_map(function, elements):
    """``torch.vmap`` over the leading axis."""
    return torch.vmap(function)(tree.map_structure(convert_to_tensor, elements))


def associative_scan(f, elems, reverse=False, axis=0):
    """Hillis-Steele inclusive scan: log2(n) rounds of ``f`` on shifted slices."""
    leaves = [convert_to_tensor(t) for t in tree.flatten(elems)]
    axis = axis % leaves[0].ndim
    if reverse:
        leaves = [torch.flip(t, (axis,)) for t in leaves]
    n = leaves[0].shape[axis]
    shift = 1
    while shift < n:
        a = tree.pack_sequence_as(elems, [t.narrow(axis, 0, n - shift) for t in leaves])
        b = tree.pack_sequence_as(elems, [t.narrow(axis, shift, n - shift) for t in leaves])
        combined = [convert_to_tensor(t) for t in tree.flatten(f(a, b))]
        leaves = [torch.cat([t.narrow(axis, 0, shift), c.to(t.dtype)], dim=axis)
                  for t, c in zip(leaves, combined)]
        shift *= 2
    if reverse:
        leaves = [torch.flip(t, (axis,)) for t in leaves]
    return tree.pack_sequence_as(elems, leaves)


# -- scatter, slices, unstack ----------------------------------------------------

def _index_tuple(indices):
    indices = convert_to_tensor(indices).long()
    return tuple(torch.movedim(indices, -1, 0))


def scatter(indices, values, shape):
    """Zeros of ``shape`` with ``values`` added at ``indices`` (duplicates add up)."""
    values = convert_to_tensor(values)
    out = torch.zeros(tuple(int(d) for d in shape), dtype=values.dtype, device=values.device)
    return out.index_put(_index_tuple(indices), values, accumulate=True)


def scatter_update(inputs, indices, updates, reduction=None):
    """Writes (or reduces) ``updates`` into ``inputs`` at ``indices``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    index = _index_tuple(indices)
    if reduction is None:
        return inputs.index_put(index, updates)
    if reduction == "add":
        return inputs.index_put(index, updates, accumulate=True)
    modes = {"max": "amax", "min": "amin", "mul": "prod"}
    if reduction not in modes:
        raise ValueError(f"Unsupported reduction: {reduction!r}.")
    depth = len(index)
    lead = tuple(inputs.shape[:depth])
    flat_index = torch.zeros_like(index[0]) if depth else None
    for i, size in zip(index, lead):
        flat_index = flat_index * size + i
    flat = inputs.reshape((-1,) + tuple(inputs.shape[depth:]))
    source = updates.reshape((-1,) + tuple(inputs.shape[depth:]))
    out = flat.index_reduce(0, flat_index.reshape(-1), source, modes[reduction], include_self=True)
    return out.reshape(inputs.shape)


def _start_list(start_indices):
    if isinstance(start_indices, torch.Tensor):
        return [int(s) for s in start_indices.tolist()]
    return [int(s.item()) if isinstance(s, torch.Tensor) else int(s) for s in start_indices]


def slice(inputs, start_indices, shape):
    """The block at ``start_indices`` of size ``shape`` (-1: to the end)."""
    inputs = convert_to_tensor(inputs)
    starts = _start_list(start_indices)
    if not len(starts) == len(shape) == inputs.ndim:
        raise ValueError("expected one start and one size per dimension.")
    out = inputs
    for axis, (start, size) in enumerate(zip(_start_list(start_indices), shape)):
        size = int(size)
        dim = inputs.shape[axis]
        size = dim - start if size == -1 else size
        start = min(max(start, 0), dim - size)  # clamped, as in jax.lax.dynamic_slice
        out = out.narrow(axis, start, size)
    return out


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    out = inputs.clone()
    view = out
    for axis, (start, size) in enumerate(zip(_start_list(start_indices), updates.shape)):
        start = min(max(start, 0), inputs.shape[axis] - size)
        view = view.narrow(axis, start, size)
    view.copy_(updates)
    return out


def unstack(x, num=None, axis=0):
    """Splits ``x`` along ``axis`` into a list."""
    return list(convert_to_tensor(x).unbind(axis))


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, fun, *args):
        ctx.args = args
        output, ctx.grad_fn = fun(*args)
        return output

    @staticmethod
    def backward(ctx, *upstream):
        upstream = upstream[0] if len(upstream) == 1 else upstream
        grad_fn = ctx.grad_fn
        if _accepts_upstream(grad_fn):
            grads = grad_fn(*ctx.args, upstream=upstream)
        else:
            grads = grad_fn(upstream)
        grads = _as_tuple(grads)
        out = []
        for arg, g in zip(ctx.args, grads + (None,) * (len(ctx.args) - len(grads))):
            out.append(convert_to_tensor(g) if isinstance(arg, torch.Tensor) and g is not None else None)
        return (None, *out)


def _accepts_upstream(fn):
    """False for a ``grad_fn(upstream)`` taking one positional argument only."""
    import inspect

    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return True
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) != 1


def custom_gradient(fun):
    """A ``torch.autograd.Function`` around ``fun``, which returns ``(output, grad_fn)``.

    ``grad_fn`` is called as ``grad_fn(*args, upstream=upstream)`` (Keras's torch
    convention), or ``grad_fn(upstream)`` when it has no ``upstream`` parameter.
    """

    def call(*args):
        args = tuple(_unwrap(a) for a in args)
        args = tuple(convert_to_tensor(a) if isinstance(a, (int, float, np.ndarray)) else a
                     for a in args)
        return _CustomGradient.apply(fun, *args)

    return call
