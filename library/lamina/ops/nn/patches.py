"""``lamina.ops.nn``: patches: depth/space rearrangement and im2col (``unfold``,
``fold``)."""

from lamina.backend.common import conv_utils as cu
from lamina.ops import rules
from lamina.ops.dispatch import op
from lamina.ops.nn.conv import data_format_of

__all__ = ["depth_to_space", "space_to_depth", "unfold", "fold"]


def _block(block_size):
    if isinstance(block_size, bool) or not isinstance(block_size, int):
        raise TypeError(f"expected an int for `block_size`, received {block_size!r}.")
    if block_size < 2:
        raise ValueError(f"expected `block_size` >= 2, received block_size={block_size}.")
    return block_size


def _rank4(x):
    shape = rules.shape_of(x)
    if len(shape) != 4:
        raise ValueError(f"expected a 4D tensor for `x`, received a tensor of shape {shape}.")
    return shape


def depth_to_space_rule(x, block_size, data_format="channels_last"):
    shape = _rank4(x)
    r = _block(block_size)
    fmt = data_format_of(data_format)
    b, h, w, c = shape if fmt == "channels_last" else (shape[0], shape[2], shape[3], shape[1])
    if c is not None and c % (r * r):
        raise ValueError(f"the channels ({c}) must be divisible by block_size**2 ({r * r}).")
    c = None if c is None else c // (r * r)
    h = None if h is None else h * r
    w = None if w is None else w * r
    out = (b, h, w, c) if fmt == "channels_last" else (b, c, h, w)
    return rules.spec(out, rules.tensor_dtype(x))


def space_to_depth_rule(x, block_size, data_format="channels_last"):
    shape = _rank4(x)
    r = _block(block_size)
    fmt = data_format_of(data_format)
    b, h, w, c = shape if fmt == "channels_last" else (shape[0], shape[2], shape[3], shape[1])
    for name, d in (("height", h), ("width", w)):
        if d is not None and d % r:
            raise ValueError(f"the {name} ({d}) must be divisible by block_size ({r}).")
    c = None if c is None else c * r * r
    h = None if h is None else h // r
    w = None if w is None else w // r
    out = (b, h, w, c) if fmt == "channels_last" else (b, c, h, w)
    return rules.spec(out, rules.tensor_dtype(x))


def _window_args(kernel_size, dilation, padding, stride):
    k = cu.normalize_tuple(kernel_size, 2, "kernel_size")
    d = cu.normalize_tuple(dilation, 2, "dilation")
    p = cu.normalize_tuple(padding, 2, "padding")
    s = cu.normalize_tuple(stride, 2, "stride")
    for name, v, low in (("kernel_size", k, 1), ("dilation", d, 1), ("padding", p, 0),
                         ("stride", s, 1)):
        if any(i < low for i in v):
            raise ValueError(f"expected `{name}` values >= {low}, received {v}.")
    return k, d, p, s


def _blocks(size, k, d, p, s):
    if size is None:
        return None
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def unfold_rule(x, kernel_size, dilation=1, padding=0, stride=1):
    n, c, h, w = _rank4(x)
    k, d, p, s = _window_args(kernel_size, dilation, padding, stride)
    nh, nw = _blocks(h, k[0], d[0], p[0], s[0]), _blocks(w, k[1], d[1], p[1], s[1])
    if (nh is not None and nh <= 0) or (nw is not None and nw <= 0):
        raise ValueError(
            f"the input's spatial size {(h, w)} (padding {p}) is smaller than the dilated "
            f"kernel {k} (dilation {d})."
        )
    length = None if nh is None or nw is None else nh * nw
    return rules.spec((n, None if c is None else c * k[0] * k[1], length), rules.tensor_dtype(x))


def fold_rule(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    shape = rules.shape_of(x)
    if len(shape) != 3:
        raise ValueError(
            f"expected a 3D tensor (batch, channels * kH * kW, blocks) for `x`, received a "
            f"tensor of shape {shape}."
        )
    n, ckk, length = shape
    size = cu.normalize_tuple(output_size, 2, "output_size")
    k, d, p, s = _window_args(kernel_size, dilation, padding, stride)
    if ckk is not None and ckk % (k[0] * k[1]):
        raise ValueError(
            f"the second dimension ({ckk}) must be divisible by the kernel size product "
            f"({k[0] * k[1]})."
        )
    nh, nw = _blocks(size[0], k[0], d[0], p[0], s[0]), _blocks(size[1], k[1], d[1], p[1], s[1])
    if length is not None and nh * nw != length:
        raise ValueError(
            f"output_size {size} with kernel_size {k}, dilation {d}, padding {p} and stride "
            f"{s} gives {nh} x {nw} = {nh * nw} blocks, but `x` has {length}."
        )
    c = None if ckk is None else ckk // (k[0] * k[1])
    return rules.spec((n, c) + size, rules.tensor_dtype(x))


@op(depth_to_space_rule, module="nn")
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into space (pixel shuffle): ``(N, H, W, C * r * r)``
    becomes ``(N, H * r, W * r, C)``.

    Args:
        x: a 4D tensor.
        block_size: the block size ``r`` (>= 2).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The rearranged tensor, same dtype.

    Example:
        >>> lamina.ops.depth_to_space(np.ones((1, 2, 2, 12)), 2).shape
        (1, 4, 4, 3)
    """


@op(space_to_depth_rule, module="nn")
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves spatial blocks into channels (the inverse of :func:`depth_to_space`).

    Args:
        x: a 4D tensor whose height and width are multiples of ``block_size``.
        block_size: the block size (>= 2).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The rearranged tensor, same dtype.

    Example:
        >>> lamina.ops.space_to_depth(np.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 12)
    """


@op(unfold_rule, module="nn")
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks of a channels-first image (im2col).

    Args:
        x: ``(N, C, H, W)``.
        kernel_size: int or pair, the block size ``(kH, kW)``.
        dilation: int or pair, spacing between block elements.
        padding: int or pair, zero padding on both sides.
        stride: int or pair, step between blocks.

    Returns:
        ``(N, C * kH * kW, L)``, row ``c * kH * kW + i * kW + j`` holding element
        ``(i, j)`` of channel ``c`` of each of the ``L`` blocks.

    Example:
        >>> lamina.ops.unfold(np.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape
        (1, 8, 4)
    """


@op(fold_rule, module="nn")
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding blocks back into an image (col2im; the adjoint of
    :func:`unfold`).

    Args:
        x: ``(N, C * kH * kW, L)``.
        output_size: int or pair, the image size ``(H, W)``.
        kernel_size, dilation, padding, stride: as in :func:`unfold`.

    Returns:
        ``(N, C, H, W)``; overlapping elements are summed.

    Example:
        >>> lamina.ops.fold(np.ones((1, 8, 4)), (4, 4), kernel_size=2, stride=2).shape
        (1, 2, 4, 4)
    """
