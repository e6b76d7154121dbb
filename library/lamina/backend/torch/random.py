"""PyTorch random sampling: a ``torch.Generator`` seeded from the seed state."""

import math

import numpy as np
import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.random.seed_generator import draw_seed

SEED_DTYPE = "int64"
_P_LOW = 0.5 * math.erfc(2.0 / math.sqrt(2.0))  # P(Z < -2)


def in_tracing_scope():
    return False


def _device():
    get = getattr(torch, "get_default_device", None)
    return get() if get is not None else torch.device("cpu")


def _generator(seed, where):
    # One host read of the two seed integers, mixed into one 63-bit torch seed.
    a, b = (int(v) for v in draw_seed(seed, where).tolist())
    mixed = np.random.SeedSequence([a % 2**32, b % 2**32]).generate_state(2, np.uint32)
    gen = torch.Generator(device=_device())
    gen.manual_seed((int(mixed[0]) << 31) ^ int(mixed[1]))
    return gen


def _compute_dtype(dtype):
    # Sample in float32 (or float64) and cast: half-precision sampling is coarse.
    return torch.float64 if dtype == "float64" else torch.float32


def _param(value, shape, dtype):
    return torch.broadcast_to(convert_to_tensor(value, dtype=dtype), tuple(shape))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.normal")
    x = torch.randn(tuple(shape), generator=gen, dtype=_compute_dtype(dtype), device=gen.device)
    return (x * stddev + mean).to(to_torch_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.uniform")
    x = torch.rand(tuple(shape), generator=gen, dtype=_compute_dtype(dtype), device=gen.device)
    return (x * (maxval - minval) + minval).to(to_torch_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    gen = _generator(seed, "random.randint")
    x = torch.randint(int(minval), int(maxval), tuple(shape), generator=gen, device=gen.device)
    return x.to(to_torch_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.truncated_normal")
    u = torch.rand(tuple(shape), generator=gen, dtype=torch.float64, device=gen.device)
    # Inverse CDF of the standard normal restricted to [-2, 2].
    p = _P_LOW + u * (1.0 - 2.0 * _P_LOW)
    z = math.sqrt(2.0) * torch.erfinv(2.0 * p - 1.0)
    z = torch.clamp(z, -2.0, 2.0)
    return (z * stddev + mean).to(to_torch_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    gen = _generator(seed, "random.categorical")
    probs = torch.softmax(logits.to(torch.float32), dim=-1)
    out = torch.multinomial(probs, num_samples, replacement=True, generator=gen)
    return out.to(to_torch_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = tuple(inputs.shape)
    else:
        noise_shape = tuple(d if n is None else n for n, d in zip(noise_shape, inputs.shape))
    gen = _generator(seed, "random.dropout")
    keep = torch.rand(noise_shape, generator=gen, device=gen.device) < (1.0 - rate)
    keep = torch.broadcast_to(keep, inputs.shape)
    return torch.where(keep, inputs / (1.0 - rate), torch.zeros((), dtype=inputs.dtype))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    gen = _generator(seed, "random.shuffle")
    if x.ndim == 0:
        return x
    perm = torch.randperm(x.shape[axis], generator=gen, device=gen.device)
    return torch.index_select(x, axis, perm.to(x.device))


def _standard_gamma(alpha, gen):
    return torch._standard_gamma(alpha, generator=gen)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.gamma")
    alpha = _param(alpha, shape, _compute_dtype(dtype)).contiguous()
    return _standard_gamma(alpha, gen).to(to_torch_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.binomial")
    counts = _param(counts, shape, _compute_dtype(dtype)).contiguous()
    probabilities = _param(probabilities, shape, _compute_dtype(dtype)).contiguous()
    return torch.binomial(counts, probabilities, generator=gen).to(to_torch_dtype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    gen = _generator(seed, "random.beta")
    a = _standard_gamma(_param(alpha, shape, _compute_dtype(dtype)).contiguous(), gen)
    b = _standard_gamma(_param(beta, shape, _compute_dtype(dtype)).contiguous(), gen)
    return (a / (a + b)).to(to_torch_dtype(dtype))
