"""Random sampling functions with the ``keras.random`` signatures.

Each takes a ``seed``: None (the global :class:`SeedGenerator`), an int (the
same numbers on every call) or a :class:`SeedGenerator` (a new seed per call).
The numbers differ between backends (each uses its framework's generator), but
are repeatable on a given backend.

Example:
    >>> x = lamina.random.normal((2, 3), seed=42)
"""

import numpy as np

from lamina.backend import impl
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.random.seed_generator import SeedGenerator


def _fail(where, message, error=ValueError):
    raise error(f"random.{where}: {message}")


def _shape(shape, where):
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        dims = None
    ok = dims is not None and all(_static_dim(d) or _dynamic_dim(d) for d in dims)
    if not ok:
        _fail(where, f"expected `shape` to be a tuple of non-negative ints, received {shape!r}.")
    return tuple(int(d) if _static_dim(d) else d for d in dims)


def _static_dim(d):
    return isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0


def _dynamic_dim(d):
    # Inside tf.function, ops.shape(x) gives a scalar int tensor for an unknown dimension
    # (the last, partial batch): it is a valid dimension there, as in Keras.
    dtype = getattr(d, "dtype", None)
    return dtype is not None and tuple(getattr(d, "shape", (None,))) == () and \
        "int" in str(dtype)


def _dtype(dtype, where, kinds, default=None):
    try:
        name = dtypes.standardize_dtype(dtype if dtype is not None else default)
    except (TypeError, ValueError):
        _fail(where, f"expected a dtype name for `dtype`, received {dtype!r}.", TypeError)
    ok = (("float" in kinds and name in dtypes.FLOAT_TYPES)
          or ("int" in kinds and name in dtypes.INT_TYPES))
    if not ok:
        kind = " or ".join({"float": "floating-point", "int": "integer"}[k] for k in kinds)
        _fail(where, f"expected {'an' if kind[0] == 'i' else 'a'} {kind} `dtype`, received {name}.")
    return name


def _seed(seed, where):
    if seed is None or isinstance(seed, SeedGenerator):
        return
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return
    if hasattr(seed, "shape") and hasattr(seed, "dtype") and tuple(seed.shape) == (2,):
        return
    _fail(where, "expected `seed` to be None, an int or a lamina.random.SeedGenerator, "
                 f"received {type(seed).__name__} {seed!r}.")


def _common(where, shape, dtype, seed, kinds=("float",), default=None):
    _seed(seed, where)
    return _shape(shape, where), _dtype(dtype, where, kinds, default)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal (Gaussian) distribution.

    Args:
        shape: the output shape.
        mean: the mean.
        stddev: the standard deviation.
        dtype: a floating-point dtype (default ``floatx()``).
        seed: None, an int or a SeedGenerator.

    Example:
        >>> lamina.random.normal((2, 2), stddev=0.1, seed=0).shape
        (2, 2)
    """
    shape, dtype = _common("normal", shape, dtype, seed)
    return impl.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples uniformly from ``[minval, maxval)``.

    Example:
        >>> lamina.random.uniform((3,), minval=-1.0, maxval=1.0, seed=0).shape
        (3,)
    """
    shape, dtype = _common("uniform", shape, dtype, seed)
    return impl.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Samples integers uniformly from ``[minval, maxval)``.

    Example:
        >>> lamina.random.randint((4,), 0, 10, seed=0).dtype  # int32
    """
    shape, dtype = _common("randint", shape, dtype, seed, kinds=("int",), default="int32")
    return impl.random.randint(shape, minval, maxval, dtype=dtype, seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations.

    Example:
        >>> x = lamina.random.truncated_normal((100,), seed=0)  # all in [-2, 2]
    """
    shape, dtype = _common("truncated_normal", shape, dtype, seed)
    return impl.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by ``logits``.

    Args:
        logits: a ``(batch, num_classes)`` tensor of unnormalized log-probabilities.
        num_samples: samples drawn per row.
        dtype: an integer dtype for the result.
        seed: None, an int or a SeedGenerator.

    Returns:
        A ``(batch, num_samples)`` tensor of indices.

    Example:
        >>> lamina.random.categorical(np.log([[0.5, 0.5]]), 4, seed=0).shape
        (1, 4)
    """
    _seed(seed, "categorical")
    dtype = _dtype(dtype, "categorical", ("int",), "int32")
    shape = getattr(logits, "shape", None)
    if shape is None:
        shape = np.shape(np.asarray(logits) if not isinstance(logits, str) else None)
    if isinstance(logits, str) or len(shape) != 2:
        _fail("categorical", "expected `logits` of rank 2 (batch, num_classes), received "
                             f"{logits!r}"[:200] + ".")
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) \
            or num_samples < 0:
        _fail("categorical", f"expected a non-negative int `num_samples`, received {num_samples!r}.")
    if isinstance(logits, KerasTensor):
        return KerasTensor((shape[0], int(num_samples)), dtype=dtype)
    return impl.random.categorical(logits, int(num_samples), dtype=dtype, seed=seed)


def _check_rate(rate, where):
    if isinstance(rate, (int, float, np.number)) and not isinstance(rate, bool):
        if not 0 <= rate < 1:
            _fail(where, f"expected `rate` in [0, 1), received {rate!r}.")
    elif isinstance(rate, str) or rate is None:
        _fail(where, f"expected a number in [0, 1) for `rate`, received {rate!r}.", TypeError)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries of ``inputs`` with probability ``rate``, scaling the rest
    by ``1 / (1 - rate)``.

    Args:
        inputs: the tensor.
        rate: the drop probability, in ``[0, 1)``.
        noise_shape: the shape of the keep mask, broadcast against ``inputs``
            (None entries take the input's size), e.g. ``(batch, 1, features)``.
        seed: None, an int or a SeedGenerator.

    Example:
        >>> y = lamina.random.dropout(np.ones((4, 4)), 0.5, seed=0)  # 0s and 2s
    """
    _check_rate(rate, "dropout")
    _seed(seed, "dropout")
    if isinstance(inputs, str):
        _fail("dropout", f"expected a tensor for `inputs`, received str {inputs!r}.", TypeError)
    if noise_shape is not None:
        in_shape = getattr(inputs, "shape", None)
        if in_shape is None:
            in_shape = np.shape(inputs)
        noise_shape = tuple(noise_shape)
        if len(noise_shape) != len(in_shape) or any(
                n is not None and n != 1 and d is not None and n != d
                for n, d in zip(noise_shape, in_shape)):
            _fail("dropout", f"`noise_shape` {noise_shape} does not broadcast to the inputs' "
                             f"shape {tuple(in_shape)}.")
    if isinstance(inputs, KerasTensor):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)
    return impl.random.dropout(inputs, rate, noise_shape=noise_shape, seed=seed)


def shuffle(x, axis=0, seed=None):
    """Shuffles ``x`` along ``axis`` (one permutation for all other indices).

    Example:
        >>> lamina.random.shuffle(np.arange(5), seed=0)  # a permutation of 0..4
    """
    _seed(seed, "shuffle")
    if isinstance(x, str):
        _fail("shuffle", f"expected a tensor for `x`, received str {x!r}.", TypeError)
    ndim = len(getattr(x, "shape", None) if hasattr(x, "shape") else np.shape(x))
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -max(ndim, 1) <= axis < max(ndim, 1):
        _fail("shuffle", f"`axis`={axis!r} is out of range for a tensor of rank {ndim}.")
    if isinstance(x, KerasTensor):
        return KerasTensor(x.shape, dtype=x.dtype)
    return impl.random.shuffle(x, axis=int(axis), seed=seed)


def _positive(value, name, where):
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and value <= 0:
        _fail(where, f"expected a positive `{name}`, received {value!r}.")
    if isinstance(value, str):
        _fail(where, f"expected a number or tensor for `{name}`, received {value!r}.", TypeError)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from a gamma distribution with concentration ``alpha`` (scale 1).

    Example:
        >>> lamina.random.gamma((1000,), alpha=2.0, seed=0)  # mean about 2
    """
    shape, dtype = _common("gamma", shape, dtype, seed)
    _positive(alpha, "alpha", "gamma")
    return impl.random.gamma(shape, alpha, dtype=dtype, seed=seed)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes of ``counts`` trials with success
    probability ``probabilities`` (as floats).

    Example:
        >>> lamina.random.binomial((1000,), counts=10, probabilities=0.3, seed=0)  # mean about 3
    """
    shape, dtype = _common("binomial", shape, dtype, seed)
    if isinstance(probabilities, (int, float, np.number)) and not 0 <= probabilities <= 1:
        _fail("binomial", f"expected `probabilities` in [0, 1], received {probabilities!r}.")
    if isinstance(counts, (int, float, np.number)) and counts < 0:
        _fail("binomial", f"expected non-negative `counts`, received {counts!r}.")
    return impl.random.binomial(shape, counts, probabilities, dtype=dtype, seed=seed)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from a beta distribution with parameters ``alpha`` and ``beta``.

    Example:
        >>> lamina.random.beta((1000,), alpha=2.0, beta=2.0, seed=0)  # mean about 0.5
    """
    shape, dtype = _common("beta", shape, dtype, seed)
    _positive(alpha, "alpha", "beta")
    _positive(beta, "beta", "beta")
    return impl.random.beta(shape, alpha, beta, dtype=dtype, seed=seed)
