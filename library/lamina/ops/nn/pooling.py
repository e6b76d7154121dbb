"""``lamina.ops.nn``: max and average pooling, plain and adaptive, in 1D, 2D and 3D."""

from lamina.backend.common import conv_utils as cu
from lamina.ops import rules
from lamina.ops.dispatch import op
from lamina.ops.nn.conv import (_conv_spatial, _positive, batched_shape, data_format_of,
                                join_shape, padding_of, split_shape)

__all__ = ["max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool"]


def _pool_dtype(inputs, average):
    dtype = rules.tensor_dtype(inputs, "inputs")
    if dtype == "bool" or dtype.startswith("complex") or (average and dtype not in (
            "float16", "bfloat16", "float32", "float64")):
        what = "floating point" if average else "numeric (not bool or complex)"
        raise TypeError(f"expected a {what} tensor for `inputs`, received dtype {dtype}.")
    return dtype


def _pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None,
               average=False):
    shape = batched_shape(inputs)
    fmt = data_format_of(data_format)
    n = len(shape) - 2
    padding = padding_of(padding)
    pool = _positive(cu.normalize_tuple(pool_size, n, "pool_size"), "pool_size")
    strides = pool if strides is None else _positive(
        cu.normalize_tuple(strides, n, "strides"), "strides")
    dtype = _pool_dtype(inputs, average)
    batch, spatial, channels = split_shape(shape, fmt)
    out = _conv_spatial(spatial, pool, strides, padding, (1,) * n, what="pooling")
    return rules.spec(join_shape(batch, out, channels, fmt), dtype)


def max_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool_rule(inputs, pool_size, strides, padding, data_format)


def average_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool_rule(inputs, pool_size, strides, padding, data_format, average=True)


def _adaptive_rule(inputs, output_size, data_format=None, average=False):
    shape = batched_shape(inputs)
    fmt = data_format_of(data_format)
    size = _positive(cu.normalize_tuple(output_size, len(shape) - 2, "output_size"),
                     "output_size")
    dtype = _pool_dtype(inputs, average)
    batch, _, channels = split_shape(shape, fmt)
    return rules.spec(join_shape(batch, size, channels, fmt), dtype)


def adaptive_max_pool_rule(inputs, output_size, data_format=None):
    return _adaptive_rule(inputs, output_size, data_format)


def adaptive_average_pool_rule(inputs, output_size, data_format=None):
    return _adaptive_rule(inputs, output_size, data_format, average=True)


@op(max_pool_rule, module="nn")
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over 1D, 2D or 3D windows.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        pool_size: int or tuple, the window size.
        strides: int or tuple (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (padded values never win).
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the global
            image data format).

    Returns:
        The pooled tensor, same dtype.

    Example:
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> lamina.ops.max_pool(x, 2)[0, :, :, 0]
        # [[5, 7], [13, 15]]
    """


@op(average_pool_rule, module="nn")
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over 1D, 2D or 3D windows; with ``"same"`` padding the
    padded positions are left out of each average.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first), floating point.
        pool_size: int or tuple, the window size.
        strides: int or tuple (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The pooled tensor, same dtype.

    Example:
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> lamina.ops.average_pool(x, 2)[0, :, :, 0]
        # [[2.5, 4.5], [10.5, 12.5]]
    """


@op(adaptive_max_pool_rule, module="nn")
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size; window ``i`` of a dimension of length
    ``L`` spans ``[floor(i * L / out), ceil((i + 1) * L / out))``.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        output_size: int or tuple, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(batch, *output_size, channels)`` (or channels first).

    Example:
        >>> x = np.arange(10, dtype="float32").reshape(1, 10, 1)
        >>> lamina.ops.adaptive_max_pool(x, 3)[0, :, 0]
        # [3, 6, 9]
    """


@op(adaptive_average_pool_rule, module="nn")
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size (windows as in
    :func:`adaptive_max_pool`).

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first), floating point.
        output_size: int or tuple, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(batch, *output_size, channels)`` (or channels first).

    Example:
        >>> x = np.arange(10, dtype="float32").reshape(1, 10, 1)
        >>> lamina.ops.adaptive_average_pool(x, 2)[0, :, 0]
        # [2.0, 7.0]
    """
