"""nn ops (patches) on JAX."""

import jax.numpy as jnp

from lamina.backend.common import conv_utils as cu
from lamina.backend.jax.core import convert_to_tensor

__all__ = ["depth_to_space", "space_to_depth", "unfold", "fold"]


def depth_to_space(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = jnp.reshape(x, (n, h, w, r, r, c // (r * r))).transpose(0, 1, 3, 2, 4, 5)
        return jnp.reshape(x, (n, h * r, w * r, c // (r * r)))
    n, c, h, w = x.shape
    x = jnp.reshape(x, (n, c // (r * r), r, r, h, w)).transpose(0, 1, 4, 2, 5, 3)
    return jnp.reshape(x, (n, c // (r * r), h * r, w * r))


def space_to_depth(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    r = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = jnp.reshape(x, (n, h // r, r, w // r, r, c)).transpose(0, 1, 3, 2, 4, 5)
        return jnp.reshape(x, (n, h // r, w // r, c * r * r))
    n, c, h, w = x.shape
    x = jnp.reshape(x, (n, c, h // r, r, w // r, r)).transpose(0, 1, 3, 5, 2, 4)
    return jnp.reshape(x, (n, c * r * r, h // r, w // r))


def _args(kernel_size, dilation, padding, stride):
    return tuple(cu.normalize_tuple(v, 2, name) for v, name in (
        (kernel_size, "kernel_size"), (dilation, "dilation"), (padding, "padding"),
        (stride, "stride")))


def _blocks(size, k, d, p, s):
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    n, c, h, w = x.shape
    nh, nw = _blocks((h, w), k, d, p, s)
    x = jnp.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    taps = [x[:, :, i * d[0]:i * d[0] + (nh - 1) * s[0] + 1:s[0],
              j * d[1]:j * d[1] + (nw - 1) * s[1] + 1:s[1]]
            for i in range(k[0]) for j in range(k[1])]
    return jnp.reshape(jnp.stack(taps, axis=2), (n, c * k[0] * k[1], nh * nw))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    size = cu.normalize_tuple(output_size, 2, "output_size")
    k, d, p, s = _args(kernel_size, dilation, padding, stride)
    n, ckk, _ = x.shape
    c = ckk // (k[0] * k[1])
    nh, nw = _blocks(size, k, d, p, s)
    x = jnp.reshape(x, (n, c, k[0], k[1], nh, nw))
    out = jnp.zeros((n, c, size[0] + 2 * p[0], size[1] + 2 * p[1]), x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            out = out.at[:, :, i * d[0]:i * d[0] + (nh - 1) * s[0] + 1:s[0],
                         j * d[1]:j * d[1] + (nw - 1) * s[1] + 1:s[1]].add(x[:, :, i, j])
    return out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]
