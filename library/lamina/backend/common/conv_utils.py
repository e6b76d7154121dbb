"""Backend-free arithmetic of convolution and pooling: argument tuples, Keras
"same" padding amounts, transposed-convolution padding, output sizes and
adaptive pooling windows. Pure Python, shared by the shape rules and every
backend.

Example:
    >>> same_padding(5, 3, 2)
    (1, 1)
    >>> conv_output_size(5, 3, 2, "valid")
    2
"""

import math


def normalize_tuple(value, n, name):
    """``value`` (an int or a sequence of ``n`` ints) as a tuple of ``n`` ints.

    Example:
        >>> normalize_tuple(2, 3, "strides")
        (2, 2, 2)
    """
    if isinstance(value, bool):
        raise TypeError(f"expected an int or a tuple of {n} ints for `{name}`, received {value!r}.")
    if isinstance(value, int) or (hasattr(value, "__index__") and not hasattr(value, "__len__")):
        out = (int(value),) * n
    else:
        try:
            out = tuple(int(v) for v in value)
        except TypeError:
            raise TypeError(
                f"expected an int or a tuple of {n} ints for `{name}`, received {value!r}."
            ) from None
        if len(out) != n:
            raise ValueError(
                f"expected an int or a tuple of {n} ints for `{name}` (one per spatial "
                f"dimension), received {tuple(value)!r}."
            )
    return out


def effective_kernel(k, dilation=1):
    """The span of a dilated kernel."""
    return (k - 1) * dilation + 1


def same_padding(size, k, stride, dilation=1):
    """``(before, after)`` zero padding of Keras/TF "same" (extra goes after)."""
    ek = effective_kernel(k, dilation)
    out = -(-size // stride)
    total = max((out - 1) * stride + ek - size, 0)
    return total // 2, total - total // 2


def conv_output_size(size, k, stride, padding, dilation=1):
    """The output length of a convolution or pooling (None stays None)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - effective_kernel(k, dilation)) // stride + 1
    return -(-size // stride)


def transpose_padding(k, stride, dilation, padding, output_padding):
    """``(before, after)`` padding of the stride-dilated input of a transposed
    convolution (as ``lax.conv_transpose`` takes it), for Keras semantics."""
    ek = effective_kernel(k, dilation)
    if padding == "valid":
        extra = max(ek, stride) - ek if output_padding is None else output_padding
        return ek - 1, ek - 1 + extra
    if output_padding is None:
        total = stride + ek - 2
    else:
        total = ek + ek % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, ek - 1)
    return before, total - before


def transpose_output_size(size, k, stride, padding, output_padding, dilation=1):
    """The output length of a transposed convolution (None stays None)."""
    if size is None:
        return None
    before, after = transpose_padding(k, stride, dilation, padding, output_padding)
    return (size - 1) * stride + 1 + before + after - (effective_kernel(k, dilation) - 1)


def pool_counts(size, k, stride, padding):
    """How many real (unpadded) inputs each pooling window covers, per output."""
    if padding == "valid":
        return [k] * conv_output_size(size, k, stride, "valid")
    before, _ = same_padding(size, k, stride)
    counts = []
    for o in range(conv_output_size(size, k, stride, "same")):
        start = o * stride - before
        counts.append(min(start + k, size) - max(start, 0))
    return counts


def adaptive_windows(size, out):
    """``(starts, ends)`` of adaptive pooling windows (PyTorch's rule)."""
    starts = [(i * size) // out for i in range(out)]
    ends = [-(-((i + 1) * size) // out) for i in range(out)]
    return starts, ends


def adaptive_index(size, out):
    """Gather indices ``(out, width)`` and a 0/1 validity list for adaptive
    pooling; padding slots repeat each window's last index.

    Example:
        >>> adaptive_index(5, 2)
        ([[0, 1, 2], [2, 3, 4]], [[1, 1, 1], [1, 1, 1]])
    """
    starts, ends = adaptive_windows(size, out)
    width = max(e - s for s, e in zip(starts, ends))
    index, valid = [], []
    for s, e in zip(starts, ends):
        index.append([min(s + j, e - 1) for j in range(width)])
        valid.append([1 if s + j < e else 0 for j in range(width)])
    return index, valid


def adaptive_matrix(size, out):
    """The ``(size, out)`` averaging matrix of adaptive average pooling."""
    starts, ends = adaptive_windows(size, out)
    rows = [[0.0] * out for _ in range(size)]
    for o, (s, e) in enumerate(zip(starts, ends)):
        for i in range(s, e):
            rows[i][o] = 1.0 / (e - s)
    return rows


def spatial_axes(ndim, data_format):
    """The spatial axes of a rank-``ndim`` batched tensor."""
    if data_format == "channels_last":
        return tuple(range(1, ndim - 1))
    return tuple(range(2, ndim))


def prod(values):
    return math.prod(values)


def check_padding(padding, allowed=("valid", "same")):
    """``padding`` lower-cased, or ValueError when it is not one of ``allowed``."""
    mode = padding.lower() if isinstance(padding, str) else None
    if mode not in allowed:
        raise ValueError(f"padding must be one of {allowed}, received {padding!r}")
    return mode


def check_window(spatial, ksize, strides, padding, dilation=None):
    """Raises ValueError when a "valid" window does not fit (an empty output)."""
    if padding != "valid":
        return
    dilation = dilation or (1,) * len(ksize)
    for size, k, d in zip(spatial, ksize, dilation):
        if size is not None and not isinstance(size, int):
            continue
        if size is not None and size < effective_kernel(k, d):
            raise ValueError("the window is larger than the input: the output would be empty")


def check_output_padding(output_padding, strides, dilation):
    for p, s, d in zip(output_padding, strides, dilation):
        if p is not None and (p < 0 or p >= max(s, d)):
            raise ValueError("output_padding must be smaller than the stride")


def common_dtype(*names):
    """The dtype convolution operands are computed in: their own when they agree
    (float64 stays float64, as Keras's conv spec says), else the promoted one."""
    from lamina.backend.common import dtypes

    names = [dtypes.standardize_dtype(n) for n in names]
    if all(n == names[0] for n in names):
        return names[0]
    return dtypes.result_type(*names)


def check_rank(ndim, ranks=(3, 4, 5)):
    if ndim not in ranks:
        raise ValueError(f"expected a tensor of rank {ranks}, received rank {ndim}")
