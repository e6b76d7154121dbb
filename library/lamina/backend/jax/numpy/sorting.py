"""NumPy-style sorting, searching and unique values on JAX."""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def sort(x, axis=-1):
    x = convert_to_tensor(x)
    if x.ndim == 0 and axis is not None:
        return x
    return jnp.sort(x, axis=axis, stable=True)


def argsort(x, axis=-1):
    x = convert_to_tensor(x)
    if x.ndim == 0 and axis is not None:
        return jnp.zeros((), "int32")
    return jnp.argsort(x, axis=axis, stable=True).astype("int32")


def argpartition(x, kth, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return jnp.argpartition(x, kth, axis=axis).astype("int32")


def searchsorted(sorted_sequence, values, side="left"):
    seq, values = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: expected a 1-D sorted_sequence, received shape {seq.shape}.")
    dtype = dtypes.result_type(dtypes.standardize_dtype(seq.dtype), dtypes.standardize_dtype(values.dtype))
    return jnp.searchsorted(seq.astype(dtype), values.astype(dtype), side=side).astype("int32")


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    x = convert_to_tensor(x)
    out = jnp.unique(x, return_index=True, return_inverse=True, return_counts=True,
                     axis=axis, size=size,
                     fill_value=0 if size is not None and fill_value is None else fill_value)
    values, index, inverse, counts = out
    inverse = inverse.reshape(x.shape if axis is None else (-1,))
    result = [values]
    if return_index:
        result.append(index.astype("int32"))
    if return_inverse:
        result.append(inverse.astype("int32"))
    if return_counts:
        result.append(counts.astype("int32"))
    return tuple(result) if len(result) > 1 else values
