"""``lamina.ops.nn``: convolutions (plain, grouped, transposed, depthwise,
separable) in 1D, 2D and 3D.

Kernels use the Keras layout ``(*kernel_spatial, in_channels, out_channels)``
(``(*kernel_spatial, out_channels, in_channels)`` for ``conv_transpose``).
"""

from lamina.backend import config
from lamina.backend.common import conv_utils as cu
from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


# -- shared checks (also used by the pooling rules) -------------------------------

def data_format_of(data_format):
    """``data_format`` checked (None: ``lamina.config.image_data_format()``)."""
    if data_format is not None and not isinstance(data_format, str):
        raise TypeError(
            f"expected 'channels_last' or 'channels_first' for `data_format`, "
            f"received {data_format!r}."
        )
    try:
        return config.standardize_data_format(data_format)
    except ValueError:
        raise ValueError(
            f"expected 'channels_last' or 'channels_first' for `data_format`, "
            f"received {data_format!r}."
        ) from None


def padding_of(padding, allowed=("valid", "same")):
    if not isinstance(padding, str) or padding.lower() not in allowed:
        raise ValueError(
            f"expected one of {', '.join(repr(a) for a in allowed)} for `padding`, "
            f"received {padding!r}."
        )
    return padding.lower()


def batched_shape(x, argname="inputs", ranks=(3, 4, 5)):
    """The shape of a batched 1D/2D/3D input, checked."""
    shape = rules.shape_of(x, argname)
    if len(shape) not in ranks:
        raise ValueError(
            f"expected `{argname}` of rank {' or '.join(str(r) for r in ranks)} "
            f"(batch, spatial..., channels), received a tensor of shape {shape}."
        )
    return shape


def split_shape(shape, data_format):
    """``(batch, spatial, channels)`` of a batched shape."""
    if data_format == "channels_last":
        return shape[0], tuple(shape[1:-1]), shape[-1]
    return shape[0], tuple(shape[2:]), shape[1]


def join_shape(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch,) + tuple(spatial) + (channels,)
    return (batch, channels) + tuple(spatial)


def _dtype(x, argname):
    dtype = rules.dtype_of(x, argname)
    return dtype if isinstance(dtype, str) else rules.tensor_dtype(x, argname)


def _float_check(dtype, argname):
    if dtype == "bool" or dtype in dtypes.COMPLEX_TYPES:
        raise TypeError(f"expected a floating point tensor for `{argname}`, received dtype {dtype}.")


def _kernel_shape(kernel, ndim, argname="kernel"):
    kshape = rules.shape_of(kernel, argname)
    if len(kshape) != ndim:
        raise ValueError(
            f"expected `{argname}` of rank {ndim} (kernel spatial dims, in channels, out "
            f"channels) to match the input's rank, received a kernel of shape {kshape}."
        )
    return kshape


def _conv_spatial(spatial, ksize, strides, padding, dilation, what="convolution"):
    out = []
    for size, k, s, d in zip(spatial, ksize, strides, dilation):
        if k is None:
            size = None
        o = cu.conv_output_size(size, k, s, "valid" if padding == "valid" else "same", d)
        if o is not None and o <= 0 and padding == "valid":
            raise ValueError(
                f"the {what} output would be empty: spatial input shape {tuple(spatial)} is "
                f"smaller than the (dilated) window {tuple(ksize)} (dilation_rate "
                f"{tuple(dilation)}) with padding='valid'."
            )
        out.append(o)
    return tuple(out)


def _positive(values, argname):
    if any(v <= 0 for v in values):
        raise ValueError(f"expected positive values for `{argname}`, received {values}.")
    return values


def _conv_rule(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1,
               depthwise=False):
    shape = batched_shape(inputs)
    fmt = data_format_of(data_format)
    n = len(shape) - 2
    allowed = ("valid", "same", "causal") if (n == 1 and not depthwise) else ("valid", "same")
    padding = padding_of(padding, allowed)
    kshape = _kernel_shape(kernel, len(shape))
    strides = _positive(cu.normalize_tuple(strides, n, "strides"), "strides")
    dilation = _positive(cu.normalize_tuple(dilation_rate, n, "dilation_rate"), "dilation_rate")
    dtype = cu.common_dtype(_dtype(inputs, "inputs"), _dtype(kernel, "kernel"))
    _float_check(dtype, "inputs")
    batch, spatial, channels = split_shape(shape, fmt)
    kin, kout = kshape[-2], kshape[-1]
    if channels is not None and kin is not None:
        if depthwise and channels != kin:
            raise ValueError(
                f"the input has {channels} channels but the kernel expects {kin} "
                f"(kernel shape {kshape}, data_format={fmt!r})."
            )
        if kin == 0 or channels % kin:
            raise ValueError(
                f"the input's channels ({channels}) must be a multiple of the kernel's "
                f"input channels ({kin}) (kernel shape {kshape}, data_format={fmt!r})."
            )
        groups = channels // kin
        if not depthwise and kout is not None and kout % groups:
            raise ValueError(
                f"grouped convolution with {groups} groups needs the kernel's output channels "
                f"({kout}) to be a multiple of {groups}."
            )
    out_spatial = _conv_spatial(spatial, kshape[:-2], strides, padding, dilation)
    filters = (None if kin is None or kout is None else kin * kout) if depthwise else kout
    return dtype, join_shape(batch, out_spatial, filters, fmt), fmt


def conv_rule(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    dtype, shape, _ = _conv_rule(inputs, kernel, strides, padding, data_format, dilation_rate)
    return rules.spec(shape, dtype)


def depthwise_conv_rule(inputs, kernel, strides=1, padding="valid", data_format=None,
                        dilation_rate=1):
    dtype, shape, _ = _conv_rule(inputs, kernel, strides, padding, data_format, dilation_rate,
                                 depthwise=True)
    return rules.spec(shape, dtype)


def separable_conv_rule(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                        data_format=None, dilation_rate=1):
    dtype, shape, fmt = _conv_rule(inputs, depthwise_kernel, strides, padding, data_format,
                                   dilation_rate, depthwise=True)
    pshape = _kernel_shape(pointwise_kernel, len(shape), "pointwise_kernel")
    if any(d not in (1, None) for d in pshape[:-2]):
        raise ValueError(
            f"expected a pointwise kernel with spatial size 1, received shape {pshape}."
        )
    batch, spatial, mid = split_shape(shape, fmt)
    if mid is not None and pshape[-2] is not None and mid != pshape[-2]:
        raise ValueError(
            f"the pointwise kernel expects {pshape[-2]} input channels but the depthwise "
            f"convolution gives {mid} (in channels x depth multiplier)."
        )
    dtype = cu.common_dtype(dtype, _dtype(pointwise_kernel, "pointwise_kernel"))
    return rules.spec(join_shape(batch, spatial, pshape[-1], fmt), dtype)


def conv_transpose_rule(inputs, kernel, strides=1, padding="valid", output_padding=None,
                        data_format=None, dilation_rate=1):
    shape = batched_shape(inputs)
    fmt = data_format_of(data_format)
    n = len(shape) - 2
    padding = padding_of(padding)
    kshape = _kernel_shape(kernel, len(shape))
    strides = _positive(cu.normalize_tuple(strides, n, "strides"), "strides")
    dilation = _positive(cu.normalize_tuple(dilation_rate, n, "dilation_rate"), "dilation_rate")
    out_pad = (None,) * n if output_padding is None else cu.normalize_tuple(
        output_padding, n, "output_padding")
    dtype = cu.common_dtype(_dtype(inputs, "inputs"), _dtype(kernel, "kernel"))
    _float_check(dtype, "inputs")
    batch, spatial, channels = split_shape(shape, fmt)
    if channels is not None and kshape[-1] is not None and channels != kshape[-1]:
        raise ValueError(
            f"the input has {channels} channels but the kernel (layout: spatial..., out "
            f"channels, in channels) expects {kshape[-1]} (kernel shape {kshape}, "
            f"data_format={fmt!r})."
        )
    out_spatial = []
    for size, k, s, d, p in zip(spatial, kshape[:-2], strides, dilation, out_pad):
        if p is not None and (p < 0 or p >= max(s, d)):
            raise ValueError(
                f"`output_padding` must be non-negative and smaller than the stride or the "
                f"dilation, received output_padding={output_padding} with strides={strides}."
            )
        out_spatial.append(None if k is None else cu.transpose_output_size(size, k, s, padding,
                                                                           p, d))
    return rules.spec(join_shape(batch, out_spatial, kshape[-2], fmt), dtype)


# -- ops --------------------------------------------------------------------------------

@op(conv_rule, module="nn")
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1D, 2D or 3D), grouped when the input has a multiple of
    the kernel's input channels.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        kernel: ``(*kernel_spatial, in_channels // groups, filters)``.
        strides: int or tuple, the step of the window per spatial dimension.
        padding: ``"valid"``, ``"same"`` (Keras/TF: extra padding goes after), or
            ``"causal"`` for 1D inputs (left padding only).
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the global
            image data format).
        dilation_rate: int or tuple, spacing between kernel taps.

    Returns:
        ``(batch, *out_spatial, filters)`` (or channels first).

    Example:
        >>> x = np.ones((1, 5, 5, 3), "float32")
        >>> lamina.ops.conv(x, np.ones((3, 3, 3, 2), "float32"), padding="same").shape
        (1, 5, 5, 2)
    """


@op(conv_transpose_rule, module="nn")
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (the gradient of ``conv`` w.r.t. its input).

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        kernel: ``(*kernel_spatial, filters, channels)``.
        strides: int or tuple.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None (inferred) or int/tuple of extra output size added
            after each spatial dimension; smaller than the stride.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dilation_rate: int or tuple.

    Returns:
        ``(batch, *out_spatial, filters)``; with ``"same"`` and no output padding
        ``out = in * stride``.

    Example:
        >>> x = np.ones((1, 4, 4, 3), "float32")
        >>> lamina.ops.conv_transpose(x, np.ones((3, 3, 2, 3), "float32"), strides=2,
        ...                           padding="same").shape
        (1, 8, 8, 2)
    """


@op(depthwise_conv_rule, module="nn")
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own filters.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        kernel: ``(*kernel_spatial, channels, depth_multiplier)``.
        strides, padding, data_format, dilation_rate: as in :func:`conv`.

    Returns:
        ``(batch, *out_spatial, channels * depth_multiplier)``; output channel
        ``c * depth_multiplier + m`` comes from input channel ``c``.

    Example:
        >>> x = np.ones((1, 5, 5, 3), "float32")
        >>> lamina.ops.depthwise_conv(x, np.ones((3, 3, 3, 2), "float32")).shape
        (1, 3, 3, 6)
    """


@op(separable_conv_rule, module="nn")
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: ``(batch, *spatial, channels)`` (or channels first).
        depthwise_kernel: ``(*kernel_spatial, channels, depth_multiplier)``.
        pointwise_kernel: ``(1, ..., 1, channels * depth_multiplier, filters)``.
        strides, padding, data_format, dilation_rate: as in :func:`conv`
            (they apply to the depthwise step).

    Returns:
        ``(batch, *out_spatial, filters)``.

    Example:
        >>> x = np.ones((1, 5, 5, 3), "float32")
        >>> lamina.ops.separable_conv(x, np.ones((3, 3, 3, 2), "float32"),
        ...                           np.ones((1, 1, 6, 4), "float32")).shape
        (1, 3, 3, 4)
    """
