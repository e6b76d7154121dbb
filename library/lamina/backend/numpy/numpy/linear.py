"""NumPy-style products on NumPy."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype
from lamina.backend.numpy.numpy.shape import promote

__all__ = [
    "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "trace", "vdot",
    "vectorize",
]


def _cast(x, dtype):
    x = np.asarray(x)
    target = to_numpy_dtype(dtype)
    return x if x.dtype == target else x.astype(target)


def _pair(x1, x2):
    x1, x2 = promote(x1, x2)
    return x1, x2, dtypes.standardize_dtype(x1.dtype)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis), dtype)


def dot(x1, x2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.dot(x1, x2), dtype)


def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    kinds = {dtypes.standardize_dtype(x.dtype) for x in operands}
    if kinds == {"int8"}:
        operands, dtype = [x.astype(np.int32) for x in operands], "int32"
    else:
        operands = promote(*operands)
        dtype = dtypes.standardize_dtype(operands[0].dtype)
    return _cast(np.einsum(subscripts, *operands, **kwargs), dtype)


def inner(x1, x2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.inner(x1, x2), dtype)


def kron(x1, x2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.kron(x1, x2), dtype)


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == np.int8 and x2.dtype == np.int8:
        return np.matmul(x1.astype(np.int32), x2.astype(np.int32))
    if x1.dtype != x2.dtype:
        x1, x2 = promote(x1, x2)
    if x1.dtype == np.bool_:
        return np.matmul(x1.astype(np.int32), x2.astype(np.int32)).astype(np.bool_)
    return np.matmul(x1, x2)


def outer(x1, x2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.outer(x1, x2), dtype)


def tensordot(x1, x2, axes=2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.tensordot(x1, x2, axes=axes), dtype)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = _trace_dtype(dtypes.standardize_dtype(x.dtype))
    return _cast(np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=to_numpy_dtype(dtype)),
                 dtype)


def _trace_dtype(dtype):
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    return "uint32" if dtype in ("uint8", "uint16") else dtype


def vdot(x1, x2):
    x1, x2, dtype = _pair(x1, x2)
    return _cast(np.vdot(x1, x2), dtype)


def _loop_map(fn, args):
    n = args[0].shape[0]
    outs = [fn(*[a[i] for a in args]) for i in range(n)]
    if isinstance(outs[0] if outs else None, (list, tuple)):
        return tuple(np.stack([np.asarray(o[j]) for o in outs]) for j in range(len(outs[0])))
    return np.stack([np.asarray(o) for o in outs])


def vectorize(pyfunc, *, excluded=None, signature=None):
    return vectorize_with(pyfunc, _loop_map, convert_to_tensor, np.broadcast_to, np.reshape,
                          excluded=excluded, signature=signature)


def _parse_signature(signature):
    import re

    if signature is None:
        return None, None
    text = signature.replace(" ", "")
    match = re.fullmatch(r"((?:\([\w,]*\),?)*)->((?:\([\w,]*\),?)*)", text)
    if not match:
        raise ValueError(f"invalid vectorize signature {signature!r}; expected e.g. '(n),(n)->()'.")

    def groups(part):
        return [tuple(d for d in g.split(",") if d) for g in re.findall(r"\(([\w,]*)\)", part)]

    return groups(match.group(1)), groups(match.group(2))


def vectorize_with(pyfunc, map_fn, convert, broadcast_to, reshape, *, excluded=None,
                   signature=None):
    """A vectorized ``pyfunc`` built on a backend's primitives (framework-free code).

    ``map_fn(fn, args)`` maps ``fn`` over the leading axis of every tensor in
    ``args`` (``torch.vmap``, ``tf.vectorized_map``, a loop...). Batch axes are
    broadcast and flattened into that one axis, then restored; ``signature``
    gives each argument's core axes (none: element-wise).
    """
    import functools

    excluded = set(excluded or ())
    ins, outs = _parse_signature(signature)

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        arrays = [convert(args[i]) for i in positions]
        cores = ins if ins is not None else [()] * len(arrays)
        if len(cores) != len(arrays):
            raise ValueError(f"the signature {signature!r} names {len(cores)} inputs, "
                             f"received {len(arrays)}.")
        batch = np.broadcast_shapes(*[tuple(a.shape)[:len(a.shape) - len(c)]
                                      for a, c in zip(arrays, cores)])
        n = int(np.prod(batch, dtype=np.int64))
        flat = []
        for a, c in zip(arrays, cores):
            core = tuple(a.shape)[len(a.shape) - len(c):]
            a = a if tuple(a.shape) == batch + core else broadcast_to(a, batch + core)
            flat.append(reshape(a, (n,) + core))

        def call(*values):
            full = list(args)
            for i, v in zip(positions, values):
                full[i] = v
            return pyfunc(*full, **kwargs)

        if not arrays:
            return pyfunc(*args, **kwargs)
        result = map_fn(call, flat)
        if isinstance(result, (list, tuple)):
            return type(result)(reshape(r, batch + tuple(r.shape)[1:]) for r in result)
        return reshape(result, batch + tuple(result.shape)[1:])

    return wrapped
