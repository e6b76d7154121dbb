"""NumPy-style products on JAX."""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy.shape import promote

__all__ = [
    "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "trace", "vdot",
    "vectorize",
]


def _pair(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype != x2.dtype:
        x1, x2 = promote(x1, x2)
    return x1, x2


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = _pair(x1, x2)
    return jnp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def dot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.dot(x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    if {x.dtype for x in operands} == {jnp.dtype("int8")}:
        return jnp.einsum(subscripts, *operands, preferred_element_type="int32", **kwargs)
    if len({x.dtype for x in operands}) > 1:
        operands = promote(*operands)
    return jnp.einsum(subscripts, *operands, **kwargs)


def inner(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.inner(x1, x2)


def kron(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.kron(x1, x2)


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == "int8" and x2.dtype == "int8":
        return jnp.matmul(x1, x2, preferred_element_type="int32")
    if x1.dtype != x2.dtype:
        x1, x2 = promote(x1, x2)
    return jnp.matmul(x1, x2)


def outer(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.outer(x1, x2)


def tensordot(x1, x2, axes=2):
    x1, x2 = _pair(x1, x2)
    return jnp.tensordot(x1, x2, axes=axes)


def _trace_dtype(dtype):
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    return "uint32" if dtype in ("uint8", "uint16") else dtype


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = _trace_dtype(dtypes.standardize_dtype(x.dtype))
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)


def vdot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.vdot(x1, x2)


def vectorize(pyfunc, *, excluded=None, signature=None):
    return jnp.vectorize(pyfunc, excluded=excluded or set(), signature=signature)
