"""``lamina.ops`` math ops: special functions, segment reductions, top-k,
Fourier transforms and framing.

Fourier ops take and return complex tensors as ``(real, imag)`` pairs of float
tensors, as in Keras 3.

Example:
    >>> real, imag = lamina.ops.rfft(np.array([1.0, 0.0, 0.0, 0.0]))
    # real: [1, 1, 1], imag: [0, 0, 0]
"""

from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "erf", "erfc", "erfinv", "rsqrt", "logsumexp", "logdet",
    "segment_sum", "segment_max", "segment_min", "segment_prod",
    "top_k", "in_top_k", "extract_sequences",
    "fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft",
    "view_as_complex", "view_as_real", "cdist",
]


# -- rules ----------------------------------------------------------------------

def _positive_int(value, argname):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"expected a positive int for `{argname}`, received {rules.describe(value)}.")
    return value


def _float_dtype(x, argname="x"):
    dtype = rules.tensor_dtype(x, argname)
    if dtype in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected a real tensor for `{argname}`, received dtype {dtype}.")
    return dtypes.float_result_type(rules.dtype_of(x, argname))


def _segment_rule(data, segment_ids, num_segments=None, sorted=False):
    shape = rules.shape_of(data, "data")
    ids_shape = rules.shape_of(segment_ids, "segment_ids")
    ids_dtype = rules.tensor_dtype(segment_ids, "segment_ids")
    if ids_dtype not in dtypes.INT_TYPES:
        raise TypeError(f"expected an integer tensor for `segment_ids`, received dtype {ids_dtype}.")
    if len(shape) < 1:
        raise ValueError(f"expected `data` of rank >= 1, received shape {shape}.")
    if len(ids_shape) != 1:
        raise ValueError(f"expected a 1-D tensor for `segment_ids`, received shape {ids_shape}.")
    if ids_shape[0] is not None and shape[0] is not None and ids_shape[0] != shape[0]:
        raise ValueError(
            f"`segment_ids` and `data` must have the same leading dimension, received "
            f"segment_ids.shape={ids_shape} and data.shape={shape}."
        )
    if num_segments is not None:
        _positive_int(num_segments, "num_segments")
    return rules.spec((num_segments,) + tuple(shape[1:]), rules.tensor_dtype(data, "data"))


def _top_k_rule(x, k, sorted=True):
    shape = rules.shape_of(x)
    if len(shape) < 1:
        raise ValueError(f"expected `x` of rank >= 1, received shape {shape}.")
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"expected a non-negative int for `k`, received {rules.describe(k)}.")
    if shape[-1] is not None and k > shape[-1]:
        raise ValueError(f"`k`={k} is larger than the last dimension of `x` (shape {shape}).")
    out = tuple(shape[:-1]) + (k,)
    return rules.spec(out, rules.tensor_dtype(x)), rules.spec(out, "int32")


def _in_top_k_rule(targets, predictions, k):
    t_shape = rules.shape_of(targets, "targets")
    p_shape = rules.shape_of(predictions, "predictions")
    if rules.tensor_dtype(targets, "targets") not in dtypes.INT_TYPES:
        raise TypeError(
            f"expected an integer tensor for `targets`, received dtype {rules.tensor_dtype(targets)}."
        )
    rules.tensor_dtype(predictions, "predictions")
    if len(p_shape) != 2 or len(t_shape) != 1:
        raise ValueError(
            "expected `targets` of shape (batch,) and `predictions` of shape (batch, classes), "
            f"received {t_shape} and {p_shape}."
        )
    rules.broadcast_shapes(t_shape, p_shape[:1])
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"expected an int for `k`, received {rules.describe(k)}.")
    return rules.spec(t_shape, "bool")


def _logsumexp_rule(x, axis=None, keepdims=False):
    return rules.spec(rules.reduced_shape(rules.shape_of(x), axis, keepdims), _float_dtype(x))


def _logdet_rule(x):
    shape = rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"expected a tensor of rank >= 2, received shape {shape}.")
    if None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(f"expected square matrices, received shape {shape}.")
    return rules.spec(shape[:-2], _float_dtype(x))


def _extract_rule(x, sequence_length, sequence_stride):
    shape = rules.shape_of(x)
    if len(shape) < 1:
        raise ValueError(f"expected `x` of rank >= 1, received shape {shape}.")
    _positive_int(sequence_length, "sequence_length")
    _positive_int(sequence_stride, "sequence_stride")
    n = shape[-1]
    num = None if n is None else max(0, 1 + (n - sequence_length) // sequence_stride)
    return rules.spec(tuple(shape[:-1]) + (num, sequence_length), rules.tensor_dtype(x))


def _pair(x, min_rank):
    """Checks a ``(real, imag)`` pair; returns its shape and float dtype."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"expected `x` to be a tuple of two tensors (real, imag), received {rules.describe(x)}."
        )
    real, imag = x
    r_shape, i_shape = rules.shape_of(real, "x[0]"), rules.shape_of(imag, "x[1]")
    r_dtype, i_dtype = rules.tensor_dtype(real, "x[0]"), rules.tensor_dtype(imag, "x[1]")
    for name, dt in (("x[0]", r_dtype), ("x[1]", i_dtype)):
        if dt not in dtypes.FLOAT_TYPES:
            raise TypeError(f"expected a float tensor for `{name}` (real or imaginary part), received dtype {dt}.")
    if len(r_shape) != len(i_shape) or any(
        a is not None and b is not None and a != b for a, b in zip(r_shape, i_shape)
    ):
        raise ValueError(
            f"the real and imaginary parts must have the same shape, received {r_shape} and {i_shape}."
        )
    if len(r_shape) < min_rank:
        raise ValueError(f"expected tensors of rank >= {min_rank}, received shape {r_shape}.")
    shape = tuple(a if a is not None else b for a, b in zip(r_shape, i_shape))
    return shape, dtypes.result_type(r_dtype, i_dtype)


def _fft_rule(x):
    shape, dtype = _pair(x, 1)
    return rules.spec(shape, dtype), rules.spec(shape, dtype)


def _fft2_rule(x):
    shape, dtype = _pair(x, 2)
    return rules.spec(shape, dtype), rules.spec(shape, dtype)


def _check_fft_length(fft_length):
    if fft_length is not None:
        _positive_int(fft_length, "fft_length")


def _rfft_rule(x, fft_length=None):
    shape = rules.shape_of(x)
    if len(shape) < 1:
        raise ValueError(f"expected `x` of rank >= 1, received shape {shape}.")
    _check_fft_length(fft_length)
    n = fft_length if fft_length is not None else shape[-1]
    out = tuple(shape[:-1]) + (None if n is None else n // 2 + 1,)
    dtype = _float_dtype(x)
    return rules.spec(out, dtype), rules.spec(out, dtype)


def _irfft_rule(x, fft_length=None):
    shape, dtype = _pair(x, 1)
    _check_fft_length(fft_length)
    if fft_length is not None:
        n = fft_length
    else:
        n = None if shape[-1] is None else 2 * (shape[-1] - 1)
    return rules.spec(tuple(shape[:-1]) + (n,), dtype)


def _check_window(window, sequence_length):
    if window is None:
        return
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"expected `window` to be 'hann', 'hamming', a tensor or None, received {window!r}.")
        return
    w_shape = rules.shape_of(window, "window")
    if len(w_shape) != 1 or (w_shape[0] is not None and w_shape[0] != sequence_length):
        raise ValueError(
            f"expected `window` of shape ({sequence_length},) (sequence_length,), received {w_shape}."
        )


def _check_frames(sequence_length, sequence_stride, fft_length):
    _positive_int(sequence_length, "sequence_length")
    _positive_int(sequence_stride, "sequence_stride")
    _positive_int(fft_length, "fft_length")
    if fft_length < sequence_length:
        raise ValueError(
            f"`fft_length` must be >= `sequence_length`, received fft_length={fft_length} "
            f"and sequence_length={sequence_length}."
        )


def _stft_rule(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    shape = rules.shape_of(x)
    if len(shape) < 1:
        raise ValueError(f"expected `x` of rank >= 1, received shape {shape}.")
    _check_frames(sequence_length, sequence_stride, fft_length)
    _check_window(window, sequence_length)
    dtype = _float_dtype(x)
    n = shape[-1]
    if n is None:
        num = None
    else:
        padded = n + (fft_length // 2) * 2 if center else n
        num = max(0, 1 + (padded - fft_length) // sequence_stride)
    out = tuple(shape[:-1]) + (num, fft_length // 2 + 1)
    return rules.spec(out, dtype), rules.spec(out, dtype)


def _istft_rule(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
                center=True):
    shape, dtype = _pair(x, 2)
    _check_frames(sequence_length, sequence_stride, fft_length)
    _check_window(window, sequence_length)
    if length is not None:
        _positive_int(length, "length")
        size = length
    elif shape[-2] is None:
        size = None
    else:
        size = (shape[-2] - 1) * sequence_stride + fft_length
        if center:
            size -= (fft_length // 2) * 2
    return rules.spec(tuple(shape[:-2]) + (size,), dtype)


def _view_as_complex_rule(x):
    shape = rules.shape_of(x)
    dtype = rules.tensor_dtype(x)
    if dtype in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected a real tensor, received dtype {dtype}.")
    if len(shape) < 1 or (shape[-1] is not None and shape[-1] != 2):
        raise ValueError(f"expected a last dimension of size 2 (real, imag), received shape {shape}.")
    return rules.spec(shape[:-1], "complex64")


def _view_as_real_rule(x):
    shape = rules.shape_of(x)
    dtype = rules.tensor_dtype(x)
    if dtype == "complex64":
        dtype = "float32"
    elif dtype == "complex128":
        dtype = "float64"
    return rules.spec(tuple(shape) + (2,), dtype)


# -- ops ------------------------------------------------------------------------

@op(rules.float_unary, module="math")
def erf(x):
    """Error function, element-wise.

    Ints and bools are computed in floats.

    Example:
        >>> lamina.ops.erf(np.array([0.0, 1.0]))
        # [0.0, 0.8427]
    """


@op(rules.float_unary, module="math")
def erfc(x):
    """Complementary error function ``1 - erf(x)``, element-wise.

    Example:
        >>> lamina.ops.erfc(np.array([0.0, 1.0]))
        # [1.0, 0.1573]
    """


@op(rules.float_unary, module="math")
def erfinv(x):
    """Inverse error function, element-wise (``nan`` outside ``[-1, 1]``).

    Example:
        >>> lamina.ops.erfinv(np.array([0.0, 0.5]))
        # [0.0, 0.4769]
    """


@op(rules.float_unary, module="math")
def rsqrt(x):
    """Reciprocal square root ``1 / sqrt(x)``, element-wise.

    Example:
        >>> lamina.ops.rsqrt(np.array([1.0, 4.0]))
        # [1.0, 0.5]
    """


@op(_logsumexp_rule, module="math")
def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably.

    Args:
        x: a tensor.
        axis: an int, a tuple of ints, or None (all axes).
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> lamina.ops.logsumexp(np.array([0.0, 0.0]))
        # 0.6931
    """


@op(_logdet_rule, module="math")
def logdet(x):
    """Natural log of the determinant of square matrices (``nan`` where it is negative).

    Args:
        x: a tensor of shape ``(..., n, n)``, usually positive definite.

    Example:
        >>> lamina.ops.logdet(np.eye(2) * 2.0)
        # 1.3863
    """


@op(_segment_rule, module="math")
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of ``data`` that share a segment id.

    Args:
        data: a tensor of shape ``(n, ...)``.
        segment_ids: int tensor of shape ``(n,)``; ids outside
            ``[0, num_segments)`` are dropped.
        num_segments: number of segments (default: ``max(segment_ids) + 1``;
            required inside ``jax.jit``).
        sorted: a hint that ``segment_ids`` are sorted.

    Returns:
        A tensor of shape ``(num_segments, ...)``; empty segments are 0.

    Example:
        >>> lamina.ops.segment_sum(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2)
        # [3.0, 3.0]
    """


@op(_segment_rule, module="math")
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum of the rows of ``data`` that share a segment id.

    Empty segments hold ``-inf`` (the smallest value for ints). Arguments as in
    :func:`segment_sum`.

    Example:
        >>> lamina.ops.segment_max(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2)
        # [2.0, 3.0]
    """


@op(_segment_rule, module="math")
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum of the rows of ``data`` that share a segment id.

    Empty segments hold ``inf`` (the largest value for ints). Arguments as in
    :func:`segment_sum`.

    Example:
        >>> lamina.ops.segment_min(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2)
        # [1.0, 3.0]
    """


@op(_segment_rule, module="math")
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product of the rows of ``data`` that share a segment id (empty: 1).

    Arguments as in :func:`segment_sum`.

    Example:
        >>> lamina.ops.segment_prod(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2)
        # [2.0, 3.0]
    """


@op(_top_k_rule, module="math")
def top_k(x, k, sorted=True):
    """The ``k`` largest entries along the last axis, and their indices.

    Args:
        x: a tensor of rank >= 1.
        k: how many entries to keep.
        sorted: return them in descending order (ties: lower index first).

    Returns:
        ``(values, indices)``, indices as int32.

    Example:
        >>> lamina.ops.top_k(np.array([1.0, 3.0, 2.0]), 2)
        # ([3.0, 2.0], [1, 2])
    """


@op(_in_top_k_rule, module="math")
def in_top_k(targets, predictions, k):
    """Whether each target class is among the ``k`` highest predictions.

    Ties count in the target's favour: a target is in the top ``k`` when fewer
    than ``k`` classes score strictly higher. A ``nan`` score is never in it.

    Args:
        targets: int tensor of shape ``(batch,)``.
        predictions: tensor of shape ``(batch, classes)``.
        k: an int.

    Example:
        >>> lamina.ops.in_top_k(np.array([1]), np.array([[0.1, 0.7, 0.2]]), 1)
        # [True]
    """


@op(_extract_rule, module="math")
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` samples every ``sequence_stride`` along the last axis.

    Returns:
        A tensor of shape ``(..., num_sequences, sequence_length)`` with
        ``num_sequences = 1 + (n - sequence_length) // sequence_stride``.

    Example:
        >>> lamina.ops.extract_sequences(np.arange(5.0), 2, 2)
        # [[0, 1], [2, 3]]
    """


@op(_fft_rule, module="math")
def fft(x):
    """Fast Fourier transform along the last axis.

    Args:
        x: a ``(real, imag)`` pair of float tensors of the same shape.

    Returns:
        The ``(real, imag)`` pair of the transform.

    Example:
        >>> lamina.ops.fft((np.array([1.0, 0.0]), np.array([0.0, 0.0])))
        # ([1, 1], [0, 0])
    """


@op(_fft2_rule, module="math")
def fft2(x):
    """2-D fast Fourier transform over the last two axes of a ``(real, imag)`` pair.

    Example:
        >>> lamina.ops.fft2((np.ones((2, 2)), np.zeros((2, 2))))
        # ([[4, 0], [0, 0]], [[0, 0], [0, 0]])
    """


@op(_fft2_rule, module="math")
def ifft2(x):
    """Inverse 2-D fast Fourier transform over the last two axes of a ``(real, imag)`` pair.

    Example:
        >>> lamina.ops.ifft2((np.array([[4.0, 0.0], [0.0, 0.0]]), np.zeros((2, 2))))
        # ([[1, 1], [1, 1]], zeros)
    """


@op(_rfft_rule, module="math")
def rfft(x, fft_length=None):
    """Fourier transform of a real signal along the last axis.

    Args:
        x: a real tensor.
        fft_length: transform length (the input is cropped or zero-padded);
            default: the last dimension.

    Returns:
        ``(real, imag)`` of shape ``(..., fft_length // 2 + 1)``.

    Example:
        >>> lamina.ops.rfft(np.array([1.0, 1.0, 1.0, 1.0]))
        # ([4, 0, 0], [0, 0, 0])
    """


@op(_irfft_rule, module="math")
def irfft(x, fft_length=None):
    """Inverse of :func:`rfft`: a real signal from a ``(real, imag)`` half spectrum.

    Args:
        x: a ``(real, imag)`` pair of shape ``(..., m)``.
        fft_length: output length (default ``2 * (m - 1)``).

    Example:
        >>> lamina.ops.irfft((np.array([4.0, 0.0, 0.0]), np.zeros(3)))
        # [1, 1, 1, 1]
    """


@op(_stft_rule, module="math")
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: a float tensor of shape ``(..., n)``.
        sequence_length: window length.
        sequence_stride: hop between windows.
        fft_length: FFT size (>= ``sequence_length``; the window is centred in it).
        window: ``"hann"``, ``"hamming"`` (periodic), a tensor of shape
            ``(sequence_length,)``, or None (rectangular).
        center: reflect-pad ``fft_length // 2`` on both sides first.

    Returns:
        ``(real, imag)`` of shape ``(..., num_sequences, fft_length // 2 + 1)``.

    Example:
        >>> real, imag = lamina.ops.stft(np.ones(16), 8, 4, 8)
        # real.shape == (5, 5)
    """


@op(_istft_rule, module="math")
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse short-time Fourier transform: windowed overlap-add.

    The overlap-add is divided by the summed squared window, so that
    ``istft(stft(x))`` gives back ``x`` wherever the windows cover it.

    Args:
        x: the ``(real, imag)`` pair returned by :func:`stft`.
        sequence_length, sequence_stride, fft_length, window, center: as in
            :func:`stft`.
        length: crop the output to this many samples.

    Example:
        >>> signal = lamina.ops.istft(lamina.ops.stft(x, 8, 4, 8), 8, 4, 8)
    """


@op(_view_as_complex_rule, module="math")
def view_as_complex(x):
    """A complex64 tensor from a real tensor whose last axis holds (real, imag).

    Example:
        >>> lamina.ops.view_as_complex(np.array([[1.0, 2.0]]))
        # [1+2j]
    """


@op(_view_as_real_rule, module="math")
def view_as_real(x):
    """A real tensor with a last axis of size 2 holding (real, imag).

    Example:
        >>> lamina.ops.view_as_real(np.array([1 + 2j], np.complex64))
        # [[1.0, 2.0]]
    """


def _cdist_rule(x, y):
    xs, ys = rules.shape_of(x, "x"), rules.shape_of(y, "y")
    if len(xs) < 2 or len(ys) < 2:
        raise ValueError(f"expected `x` and `y` of rank >= 2 (..., points, features), received "
                         f"shapes {xs} and {ys}.")
    if xs[-1] is not None and ys[-1] is not None and xs[-1] != ys[-1]:
        raise ValueError(f"`x` and `y` must have the same number of features (last axis), "
                         f"received shapes {xs} and {ys}.")
    batch = rules.broadcast_shapes(xs[:-2], ys[:-2])
    dtype = dtypes.float_result_type(rules.dtype_of(x, "x"), rules.dtype_of(y, "y"))
    return rules.spec(batch + (xs[-2], ys[-2]), dtype)


@op(_cdist_rule, composite=True)
def cdist(x, y):
    """Euclidean distances between every point of ``x`` and every point of ``y``.

    Args:
        x: a tensor of shape ``(..., m, d)``.
        y: a tensor of shape ``(..., n, d)``.

    Returns:
        A tensor of shape ``(..., m, n)``.

    Example:
        >>> lamina.ops.cdist(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0]]))
        # [[1.0], [1.4142135]]
    """
    from lamina import ops

    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    dtype = dtypes.float_result_type(x.dtype, y.dtype)
    x, y = ops.cast(x, dtype), ops.cast(y, dtype)
    difference = ops.expand_dims(x, -2) - ops.expand_dims(y, -3)
    return ops.sqrt(ops.sum(ops.square(difference), axis=-1))
