"""TensorFlow random sampling: stateless ``tf.random.stateless_*`` ops."""

import tensorflow as tf

from lamina.backend.common import dtypes
from lamina.backend.tensorflow.core import convert_to_tensor
from lamina.random.seed_generator import draw_seed

SEED_DTYPE = "int64"
_NATIVE_FLOATS = ("float16", "float32", "float64")


def in_tracing_scope():
    return False


def _seed(seed, where):
    return tf.cast(draw_seed(seed, where), tf.int64)


def _sample_dtype(dtype):
    return dtype if dtype in _NATIVE_FLOATS else "float32"


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    x = tf.random.stateless_normal(tuple(shape), seed=_seed(seed, "random.normal"),
                                   dtype=_sample_dtype(dtype))
    return tf.cast(x * stddev + mean, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    x = tf.random.stateless_uniform(tuple(shape), seed=_seed(seed, "random.uniform"),
                                    minval=minval, maxval=maxval, dtype=_sample_dtype(dtype))
    return tf.cast(x, dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    x = tf.random.stateless_uniform(tuple(shape), seed=_seed(seed, "random.randint"),
                                    minval=tf.cast(minval, tf.int64),
                                    maxval=tf.cast(maxval, tf.int64), dtype=tf.int64)
    return tf.cast(x, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    x = tf.random.stateless_truncated_normal(
        tuple(shape), seed=_seed(seed, "random.truncated_normal"), dtype=_sample_dtype(dtype))
    return tf.cast(x * stddev + mean, dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    out = tf.random.stateless_categorical(tf.cast(logits, tf.float32), num_samples,
                                          seed=_seed(seed, "random.categorical"), dtype=tf.int64)
    return tf.cast(out, dtypes.standardize_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    full = tf.shape(inputs)
    if noise_shape is None:
        noise_shape = full
    else:
        noise_shape = tf.stack([full[i] if n is None else tf.constant(n, tf.int32)
                                for i, n in enumerate(noise_shape)]) if noise_shape else full
    u = tf.random.stateless_uniform(noise_shape, seed=_seed(seed, "random.dropout"))
    keep = tf.broadcast_to(u < (1.0 - rate), full)
    scale = tf.cast(1.0 / (1.0 - rate), inputs.dtype)
    return tf.where(keep, inputs * scale, tf.zeros((), dtype=inputs.dtype))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    if x.shape.rank == 0:
        return x
    n = tf.shape(x)[axis]
    keys = tf.random.stateless_uniform(tf.reshape(n, (1,)), seed=_seed(seed, "random.shuffle"))
    return tf.gather(x, tf.argsort(keys), axis=axis)


def _gamma(shape, alpha, seed, dtype):
    sample = _sample_dtype(dtype)
    alpha = tf.broadcast_to(tf.cast(alpha, sample), tuple(shape))
    return tf.random.stateless_gamma(tuple(shape), seed=seed, alpha=alpha, dtype=sample)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    return tf.cast(_gamma(shape, alpha, _seed(seed, "random.gamma"), dtype), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    sample = _sample_dtype(dtype)
    counts = tf.broadcast_to(tf.cast(counts, sample), tuple(shape))
    probabilities = tf.broadcast_to(tf.cast(probabilities, sample), tuple(shape))
    out = tf.random.stateless_binomial(tuple(shape), seed=_seed(seed, "random.binomial"),
                                       counts=counts, probs=probabilities, output_dtype=sample)
    return tf.cast(out, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    seeds = tf.random.experimental.stateless_split(_seed(seed, "random.beta"), 2)
    a = _gamma(shape, alpha, seeds[0], dtype)
    b = _gamma(shape, beta, seeds[1], dtype)
    return tf.cast(a / (a + b), dtype)
