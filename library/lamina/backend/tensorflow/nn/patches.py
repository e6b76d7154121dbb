"""nn ops (patches) on TensorFlow."""

import tensorflow as tf

from lamina.backend.common import conv_utils as cu
from lamina.backend.tensorflow.core import convert_to_tensor

__all__ = ["depth_to_space", "space_to_depth", "unfold", "fold"]


def depth_to_space(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_last":
        return tf.nn.depth_to_space(x, r)
    _, c, h, w = x.shape
    x = tf.transpose(tf.reshape(x, (-1, c // (r * r), r, r, h, w)), (0, 1, 4, 2, 5, 3))
    return tf.reshape(x, (-1, c // (r * r), h * r, w * r))


def space_to_depth(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_last":
        return tf.nn.space_to_depth(x, r)
    _, c, h, w = x.shape
    x = tf.transpose(tf.reshape(x, (-1, c, h // r, r, w // r, r)), (0, 1, 3, 5, 2, 4))
    return tf.reshape(x, (-1, c * r * r, h // r, w // r))


def _args(kernel_size, dilation, padding, stride):
    return tuple(cu.normalize_tuple(v, 2, name) for v, name in (
        (kernel_size, "kernel_size"), (dilation, "dilation"), (padding, "padding"),
        (stride, "stride")))


def _blocks(size, k, d, p, s):
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    _, c, h, w = x.shape
    nh, nw = _blocks((h, w), k, d, p, s)
    x = tf.pad(x, [[0, 0], [0, 0], [p[0], p[0]], [p[1], p[1]]])
    taps = [x[:, :, i * d[0]:i * d[0] + (nh - 1) * s[0] + 1:s[0],
              j * d[1]:j * d[1] + (nw - 1) * s[1] + 1:s[1]]
            for i in range(k[0]) for j in range(k[1])]
    return tf.reshape(tf.stack(taps, axis=2), (-1, c * k[0] * k[1], nh * nw))


def _dilate(block, s):
    """Spreads ``(N, C, nh, nw)`` out with ``s - 1`` zeros between elements."""
    _, c, nh, nw = block.shape
    if s == (1, 1):
        return block
    block = tf.pad(block[:, :, :, None, :, None],
                   [[0, 0], [0, 0], [0, 0], [0, s[0] - 1], [0, 0], [0, s[1] - 1]])
    block = tf.reshape(block, (-1, c, nh * s[0], nw * s[1]))
    return block[:, :, :(nh - 1) * s[0] + 1, :(nw - 1) * s[1] + 1]


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    size = cu.normalize_tuple(output_size, 2, "output_size")
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    _, ckk, _ = x.shape
    c = ckk // (k[0] * k[1])
    nh, nw = _blocks(size, k, d, p, s)
    x = tf.reshape(x, (-1, c, k[0], k[1], nh, nw))
    full = (size[0] + 2 * p[0], size[1] + 2 * p[1])
    span = ((nh - 1) * s[0] + 1, (nw - 1) * s[1] + 1)
    out = None
    for i in range(k[0]):
        for j in range(k[1]):
            top, left = i * d[0], j * d[1]
            placed = tf.pad(_dilate(x[:, :, i, j], s),
                            [[0, 0], [0, 0], [top, full[0] - top - span[0]],
                             [left, full[1] - left - span[1]]])
            out = placed if out is None else out + placed
    return out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]
