"""nn ops (encoding) on JAX."""

import jax
import jax.numpy as jnp

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.nn.activations import to_float


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("`sparse=True` is not supported on the jax backend.")
    x = convert_to_tensor(x).astype("int32")
    dtype = dtypes.standardize_dtype(dtype) if dtype else config.floatx()
    return jax.nn.one_hot(x, num_classes, axis=axis, dtype=dtype)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.get("num_tokens", num_classes)
    x = convert_to_tensor(inputs)
    reduce_axis = 1 if x.ndim > 1 else 0
    return jnp.max(one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse), axis=reduce_axis)


def polar(abs_, angle):
    abs_, angle = to_float(abs_), to_float(angle)
    dtype = jnp.promote_types(abs_.dtype, angle.dtype)
    if dtype in (jnp.float16, jnp.bfloat16):
        dtype = jnp.float32
    abs_, angle = abs_.astype(dtype), angle.astype(dtype)
    return jax.lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))
