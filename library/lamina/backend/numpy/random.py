"""NumPy random sampling: ``np.random.default_rng`` seeded from the seed state."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor, to_numpy_dtype
from lamina.random.seed_generator import draw_seed

SEED_DTYPE = "uint32"


def in_tracing_scope():
    return False


def _rng(seed, where):
    a, b = (int(v) for v in np.asarray(draw_seed(seed, where)).tolist())
    return np.random.default_rng([a % 2**32, b % 2**32])


def _cast(x, dtype):
    return np.asarray(x).astype(to_numpy_dtype(dtypes.standardize_dtype(dtype)))


def _param(value, shape):
    return np.broadcast_to(np.asarray(value, dtype=np.float64), tuple(shape))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    rng = _rng(seed, "random.normal")
    return _cast(rng.standard_normal(tuple(shape)) * stddev + mean, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    rng = _rng(seed, "random.uniform")
    return _cast(rng.uniform(minval, maxval, size=tuple(shape)), dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    rng = _rng(seed, "random.randint")
    return _cast(rng.integers(minval, maxval, size=tuple(shape)), dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    rng = _rng(seed, "random.truncated_normal")
    x = rng.standard_normal(tuple(shape))
    bad = np.abs(x) > 2.0
    while bad.any():  # redraw the samples outside two standard deviations
        x[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2.0
    return _cast(x * stddev + mean, dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = np.asarray(convert_to_tensor(logits), dtype=np.float64)
    rng = _rng(seed, "random.categorical")
    # Gumbel-max: argmax(logits + Gumbel noise) samples softmax(logits).
    noise = rng.gumbel(size=(logits.shape[0], num_samples, logits.shape[1]))
    return _cast(np.argmax(logits[:, None, :] + noise, axis=-1), dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(d if n is None else n for n, d in zip(noise_shape, inputs.shape))
    keep = _rng(seed, "random.dropout").uniform(size=tuple(noise_shape)) < 1.0 - rate
    keep = np.broadcast_to(keep, inputs.shape)
    scale = np.asarray(1.0 / (1.0 - rate), dtype=inputs.dtype)
    return np.where(keep, inputs * scale, np.zeros((), dtype=inputs.dtype)).astype(inputs.dtype)


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    if x.ndim == 0:
        return x
    perm = _rng(seed, "random.shuffle").permutation(x.shape[axis])
    return np.take(x, perm, axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    rng = _rng(seed, "random.gamma")
    return _cast(rng.standard_gamma(_param(alpha, shape)), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    rng = _rng(seed, "random.binomial")
    counts = np.asarray(_param(counts, shape)).astype(np.int64)
    return _cast(rng.binomial(counts, _param(probabilities, shape)), dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    rng = _rng(seed, "random.beta")
    return _cast(rng.beta(_param(alpha, shape), _param(beta, shape)), dtype)
