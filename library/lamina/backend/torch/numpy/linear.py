"""NumPy-style products on PyTorch."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.backend.numpy.numpy.linear import vectorize_with  # framework-free helper
from lamina.backend.torch.numpy.shape import promote

__all__ = [
    "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "trace", "vdot",
    "vectorize",
]


def _compute(fn, *xs):
    """Runs ``fn`` on ``xs`` promoted to one dtype; bool is computed as int32."""
    xs = promote(*xs)
    if xs[0].dtype == torch.bool:
        return fn(*[x.to(torch.int32) for x in xs]).to(torch.bool)
    return fn(*xs)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis

    def fn(a, b):
        a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
        if a.shape[-1] == 2 and b.shape[-1] == 2:
            return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
        if a.shape[-1] == 2:
            a = torch.nn.functional.pad(a, (0, 1))
        if b.shape[-1] == 2:
            b = torch.nn.functional.pad(b, (0, 1))
        a, b = torch.broadcast_tensors(a, b)
        return torch.movedim(torch.linalg.cross(a, b, dim=-1), -1, axisc)

    return _compute(fn, x1, x2)


def dot(x1, x2):
    def fn(a, b):
        if a.ndim == 0 or b.ndim == 0:
            return a * b
        if b.ndim == 1:
            return torch.matmul(a, b)
        return torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 2]))

    return _compute(fn, x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    if {x.dtype for x in operands} == {torch.int8}:
        return torch.einsum(subscripts, *[x.to(torch.int32) for x in operands])
    return _compute(lambda *xs: torch.einsum(subscripts, *xs), *operands)


def inner(x1, x2):
    def fn(a, b):
        if a.ndim == 0 or b.ndim == 0:
            return a * b
        return torch.inner(a, b)

    return _compute(fn, x1, x2)


def kron(x1, x2):
    return _compute(torch.kron, x1, x2)


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == x2.dtype:
        if x1.dtype == torch.int8:
            return torch.matmul(x1.to(torch.int32), x2.to(torch.int32))
        if x1.dtype == torch.bool:
            return torch.matmul(x1.to(torch.int32), x2.to(torch.int32)).to(torch.bool)
        return torch.matmul(x1, x2)
    return _compute(torch.matmul, x1, x2)


def outer(x1, x2):
    return _compute(lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1)), x1, x2)


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        a, b = axes
        axes = ([a] if isinstance(a, int) else list(a), [b] if isinstance(b, int) else list(b))
    return _compute(lambda p, q: torch.tensordot(p, q, dims=axes), x1, x2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = dtypes.standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        dtype = "int32"
    return torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1,
                     dtype=to_torch_dtype(dtype))


def vdot(x1, x2):
    def fn(a, b):
        return torch.sum(torch.conj(a).reshape(-1) * b.reshape(-1), dtype=a.dtype)

    return _compute(fn, x1, x2)


def vectorize(pyfunc, *, excluded=None, signature=None):
    def vmap(fn, args):
        return torch.vmap(fn)(*args)

    return vectorize_with(pyfunc, vmap, convert_to_tensor, torch.broadcast_to, torch.reshape,
                          excluded=excluded, signature=signature)
