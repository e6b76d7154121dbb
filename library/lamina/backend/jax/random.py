"""JAX random sampling: ``jax.random`` with keys made from the seed state."""

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor
from lamina.random.seed_generator import draw_seed

SEED_DTYPE = "uint32"


def in_tracing_scope():
    """True while tracing a jax function (jit, grad...)."""
    return isinstance(jnp.ones(()), jax.core.Tracer)


def _key(seed, where):
    return jnp.asarray(draw_seed(seed, where), dtype=jnp.uint32)


def _float(dtype):
    return dtypes.standardize_dtype(dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float(dtype)
    sample = jax.random.normal(_key(seed, "random.normal"), shape=tuple(shape), dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _float(dtype)
    return jax.random.uniform(_key(seed, "random.uniform"), shape=tuple(shape), dtype=dtype,
                              minval=minval, maxval=maxval)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    return jax.random.randint(_key(seed, "random.randint"), shape=tuple(shape),
                              minval=minval, maxval=maxval, dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float(dtype)
    sample = jax.random.truncated_normal(_key(seed, "random.truncated_normal"), -2.0, 2.0,
                                         shape=tuple(shape), dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    out = jax.random.categorical(_key(seed, "random.categorical"), logits[..., None, :],
                                 axis=-1, shape=(logits.shape[0], num_samples))
    return out.astype(dtypes.standardize_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(d if n is None else n for n, d in zip(noise_shape, inputs.shape))
    keep = jax.random.bernoulli(_key(seed, "random.dropout"), 1.0 - rate, shape=noise_shape)
    keep = jnp.broadcast_to(keep, inputs.shape)
    scale = jnp.asarray(1.0 / (1.0 - rate), dtype=inputs.dtype)
    return jnp.where(keep, inputs * scale, jnp.zeros((), dtype=inputs.dtype))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    return jax.random.permutation(_key(seed, "random.shuffle"), x, axis=axis, independent=False)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _float(dtype)
    alpha = jnp.broadcast_to(jnp.asarray(alpha, dtype=dtype), tuple(shape))
    return jax.random.gamma(_key(seed, "random.gamma"), alpha, shape=tuple(shape), dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _float(dtype)
    counts = jnp.broadcast_to(jnp.asarray(counts, dtype=dtype), tuple(shape))
    probabilities = jnp.broadcast_to(jnp.asarray(probabilities, dtype=dtype), tuple(shape))
    out = jax.random.binomial(_key(seed, "random.binomial"), counts, probabilities,
                              shape=tuple(shape), dtype=dtype)
    return out.astype(dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _float(dtype)
    a = jnp.broadcast_to(jnp.asarray(alpha, dtype=dtype), tuple(shape))
    b = jnp.broadcast_to(jnp.asarray(beta, dtype=dtype), tuple(shape))
    return jax.random.beta(_key(seed, "random.beta"), a, b, shape=tuple(shape), dtype=dtype)
