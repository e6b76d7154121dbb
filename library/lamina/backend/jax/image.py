"""JAX image ops: ``jax.image`` resizing, ``jax.scipy.ndimage.map_coordinates``."""

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")
ORDERS = {"nearest": 0, "bilinear": 1}
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, np.ndarray):
        return _hashable(value.tolist())
    return value


def _jit(*static):
    """Compiles an op once per static configuration (eager calls run one XLA program)."""

    def decorate(fn):
        compiled = jax.jit(fn, static_argnames=static)
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            for name in static:
                if name in bound.arguments:
                    bound.arguments[name] = _hashable(bound.arguments[name])
            return compiled(*bound.args, **bound.kwargs)

        return wrapper

    return decorate


def _fmt(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"invalid data_format {data_format!r}")
    return data_format


def _check_rank(x, ranks=(3, 4)):
    if x.ndim not in ranks:
        raise ValueError(f"invalid rank {x.ndim}")


def _to_nhwc(images, data_format):
    """Adds a batch axis to single images and moves channels last."""
    unbatched = images.ndim == 3
    if unbatched:
        images = images[None]
    if _fmt(data_format) == "channels_first":
        images = jnp.transpose(images, (0, 2, 3, 1))
    return images, unbatched


def _from_nhwc(images, data_format, unbatched):
    if _fmt(data_format) == "channels_first":
        images = jnp.transpose(images, (0, 3, 1, 2))
    return images[0] if unbatched else images


def _compute_dtype(dtype):
    return dtypes.result_type(dtypes.standardize_dtype(dtype), float)


# -- color ------------------------------------------------------------------------

@_jit("data_format")
def rgb_to_grayscale(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    if images.shape[axis] == 1:
        return images
    if images.shape[axis] != 3:
        raise ValueError("expected 3 channels")
    weights = jnp.array([0.2989, 0.5870, 0.1140], dtype=_compute_dtype(images.dtype))
    gray = jnp.tensordot(images.astype(weights.dtype), weights, axes=([axis], [0]))
    return jnp.expand_dims(gray, axis).astype(images.dtype)


def _split3(images, axis):
    return [jnp.take(images, i, axis=axis) for i in range(3)]


@_jit("data_format")
def rgb_to_hsv(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    eps = jnp.finfo(images.dtype).eps
    images = jnp.where(jnp.abs(images) < eps, jnp.zeros((), images.dtype), images)
    r, g, b = _split3(images, axis)
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    one = jnp.ones((), images.dtype)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, one), 0)
    norm = one / (6 * jnp.where(spread > 0, spread, one))
    hue = jnp.where(value == g, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6)
    hue = jnp.where(value == r, norm * (g - b), hue)
    hue = jnp.where(spread > 0, hue, 0) + (hue < 0)
    return jnp.stack([hue, saturation, value], axis=axis).astype(images.dtype)


@_jit("data_format")
def hsv_to_rgb(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    h, s, v = _split3(images, axis)
    dh = jnp.mod(h, 1.0) * 6
    channels = [jnp.clip(jnp.abs(dh - 3) - 1, 0, 1), jnp.clip(2 - jnp.abs(dh - 2), 0, 1),
                jnp.clip(2 - jnp.abs(dh - 4), 0, 1)]
    out = [v * ((1 - s) + s * c) for c in channels]
    return jnp.stack(out, axis=axis).astype(images.dtype)


# -- resizing -----------------------------------------------------------------------

SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic",
                               "tricubic", "lanczos3", "lanczos5")


def _aspect_box(height, width, target_h, target_w, crop):
    if crop:
        box_h = max(min(height, int(width * target_h / target_w)), 1)
        box_w = max(min(width, int(height * target_w / target_h)), 1)
    else:
        box_h = max(height, int(width * target_h / target_w))
        box_w = max(width, int(height * target_w / target_h))
    return box_h, box_w


@_jit("size", "interpolation", "antialias", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode", "fill_value", "data_format")
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if interpolation not in RESIZE_INTERPOLATIONS or fill_mode != "constant":
        raise ValueError("unsupported interpolation or fill_mode")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("crop and pad")
    x, unbatched = _to_nhwc(images, data_format)
    th, tw = (int(s) for s in size)
    _, h, w, c = x.shape
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        bh, bw = _aspect_box(h, w, th, tw, crop_to_aspect_ratio)
        top, left = abs(h - bh) // 2, abs(w - bw) // 2
        if crop_to_aspect_ratio:
            x = x[:, top:top + bh, left:left + bw, :]
        else:
            x = jnp.pad(x, ((0, 0), (top, top), (left, left), (0, 0)),
                        constant_values=jnp.asarray(fill_value).astype(x.dtype))
    out = jax.image.resize(x, (x.shape[0], th, tw, c), method=interpolation, antialias=antialias)
    return _from_nhwc(out, data_format, unbatched)


@_jit("output_shape", "spatial_dims", "method", "antialias")
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    if method not in SCALE_AND_TRANSLATE_METHODS:
        raise ValueError("unsupported method")
    images = convert_to_tensor(images)
    return jax.image.scale_and_translate(images, tuple(output_shape), tuple(spatial_dims),
                                         convert_to_tensor(scale), convert_to_tensor(translation),
                                         method, antialias)


# -- padding, cropping, patches -------------------------------------------------------

def _amounts(size, before, after, target, pad):
    if [before, after, target].count(None) != 1:
        raise ValueError("give exactly two amounts")
    if pad:
        before = target - after - size if before is None else before
        after = target - before - size if after is None else after
        if before < 0 or after < 0:
            raise ValueError("negative padding")
        return before, after
    before = size - target - after if before is None else before
    target = size - after - before if target is None else target
    if before < 0 or target < 0 or before + target > size:
        raise ValueError("negative cropping")
    return before, target


@_jit("top_padding", "left_padding", "bottom_padding", "right_padding", "target_height", "target_width", "data_format")
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    x, unbatched = _to_nhwc(images, data_format)
    top, bottom = _amounts(x.shape[1], top_padding, bottom_padding, target_height, True)
    left, right = _amounts(x.shape[2], left_padding, right_padding, target_width, True)
    x = jnp.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    return _from_nhwc(x, data_format, unbatched)


@_jit("top_cropping", "left_cropping", "bottom_cropping", "right_cropping", "target_height", "target_width", "data_format")
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    x, unbatched = _to_nhwc(images, data_format)
    top, height = _amounts(x.shape[1], top_cropping, bottom_cropping, target_height, False)
    left, width = _amounts(x.shape[2], left_cropping, right_cropping, target_width, False)
    x = x[:, top:top + height, left:left + width, :]
    return _from_nhwc(x, data_format, unbatched)


def _tuple(value, n):
    return (int(value),) * n if isinstance(value, (int, np.integer)) else tuple(int(v) for v in value)


def _patches(x, size, strides, dilation, padding):
    """Patches of a channels-last batch ``(B, *spatial, C)``, via strided slices."""
    n = len(size)
    spatial = x.shape[1:1 + n]
    pads = [(0, 0)]
    outs = []
    for dim, k, s, d in zip(spatial, size, strides, dilation):
        span = (k - 1) * d + 1
        if padding == "same":
            out = -(-dim // s)
            total = max((out - 1) * s + span - dim, 0)
            pads.append((total // 2, total - total // 2))
        else:
            out = max((dim - span) // s + 1, 0)
            pads.append((0, 0))
        outs.append(out)
    x = jnp.pad(x, pads + [(0, 0)])
    pieces = []
    for offsets in np.ndindex(*size):
        index = [slice(None)]
        for o, out, s, d in zip(offsets, outs, strides, dilation):
            start = o * d
            index.append(slice(start, start + (out - 1) * s + 1 if out else start, s))
        pieces.append(x[tuple(index)])
    return jnp.concatenate(pieces, axis=-1)


def _extract(images, size, strides, dilation_rate, padding, data_format, n):
    images = convert_to_tensor(images)
    if images.ndim not in (n + 1, n + 2) or padding not in ("valid", "same"):
        raise ValueError("invalid patches arguments")
    size = _tuple(size, n)
    strides = size if strides is None else _tuple(strides, n)
    dilation = _tuple(dilation_rate, n)
    unbatched = images.ndim == n + 1
    x = images[None] if unbatched else images
    first = _fmt(data_format) == "channels_first"
    if first:
        x = jnp.moveaxis(x, 1, -1)
    out = _patches(x, size, strides, dilation, padding)
    if first:
        out = jnp.moveaxis(out, -1, 1)
    return out[0] if unbatched else out


@_jit("size", "strides", "dilation_rate", "padding", "data_format")
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    return _extract(images, size, strides, dilation_rate, padding, data_format, 2)


@_jit("size", "strides", "dilation_rate", "padding", "data_format")
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    return _extract(volumes, size, strides, dilation_rate, padding, data_format, 3)


# -- filters --------------------------------------------------------------------------

def _correlate1d(x, kernel, axis, pad):
    """Correlates ``x`` with a 1-D kernel along ``axis`` (zero padding ``pad``)."""
    k = len(kernel)
    if pad:
        widths = [(0, 0)] * x.ndim
        widths[axis] = ((k - 1) // 2, k - 1 - (k - 1) // 2)
        x = jnp.pad(x, widths)
    n = x.shape[axis] - k + 1
    out = 0
    for i, w in enumerate(kernel):
        out = out + w * jnp.take(x, jnp.arange(i, i + n), axis=axis)
    return out


def _gaussian_1d(size, sigma, dtype):
    x = jnp.arange(size, dtype=dtype) - jnp.asarray((size - 1) / 2, dtype=dtype)
    k = jnp.exp(-0.5 * (x / jnp.asarray(sigma, dtype=dtype)) ** 2)
    return (k / k.sum()).astype(dtype)


@_jit("kernel_size", "sigma", "data_format")
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    x, unbatched = _to_nhwc(images, data_format)
    kernel_size = _tuple(kernel_size, 2)
    sigma = (float(sigma),) * 2 if np.ndim(sigma) == 0 else tuple(float(s) for s in sigma)
    dtype = x.dtype
    kx = _gaussian_1d(kernel_size[0], sigma[0], dtype)
    ky = _gaussian_1d(kernel_size[1], sigma[1], dtype)
    out = _correlate1d(_correlate1d(x, ky, 1, True), kx, 2, True).astype(dtype)
    return _from_nhwc(out, data_format, unbatched)


@_jit("data_format")
def sobel_edges(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images, (4,))
    x, _ = _to_nhwc(images, data_format)
    smooth = jnp.array([1, 2, 1], dtype=x.dtype)
    diff = jnp.array([-1, 0, 1], dtype=x.dtype)
    dy = _correlate1d(_correlate1d(x, diff, 1, True), smooth, 2, True)
    dx = _correlate1d(_correlate1d(x, smooth, 1, True), diff, 2, True)
    if _fmt(data_format) == "channels_first":
        dy, dx = jnp.transpose(dy, (0, 3, 1, 2)), jnp.transpose(dx, (0, 3, 1, 2))
    return jnp.stack([dy, dx], axis=-1).astype(x.dtype)


@_jit("max_val", "filter_size", "filter_sigma", "k1", "k2", "data_format")
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    _check_rank(image1)
    _check_rank(image2)
    out_dtype = image1.dtype
    dtype = _compute_dtype(out_dtype)
    a, unbatched = _to_nhwc(image1.astype(dtype), data_format)
    b, _ = _to_nhwc(image2.astype(dtype), data_format)
    kernel = _gaussian_1d(filter_size, filter_sigma, dtype)

    def blur(t):
        return _correlate1d(_correlate1d(t, kernel, 1, False), kernel, 2, False)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = blur(a), blur(b)
    s11 = blur(a * a) - mu1 * mu1
    s22 = blur(b * b) - mu2 * mu2
    s12 = blur(a * b) - mu1 * mu2
    value = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2))
    result = value.mean(axis=(1, 2, 3))
    return (result[0] if unbatched else result).astype(out_dtype)


# -- sampling -------------------------------------------------------------------------

def _fix_index(index, size, mode):
    if mode == "nearest":
        return jnp.clip(index, 0, size - 1)
    if mode == "wrap":
        return jnp.mod(index, size)
    if mode in ("mirror", "reflect"):
        if mode == "reflect":
            return (_fix_index(2 * index + 1, 2 * size + 1, "mirror") - 1) // 2
        s = max(size - 1, 1)
        return jnp.abs(jnp.mod(index + s, 2 * s) - s) if size > 1 else jnp.zeros_like(index)
    return index


def _cast_like(result, dtype):
    if not jnp.issubdtype(dtype, jnp.inexact):
        result = jnp.where(result < 0, jnp.ceil(result - 0.5), jnp.floor(result + 0.5))
    return result.astype(dtype)


@_jit("order", "fill_mode", "fill_value")
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError("bad coordinates")
    if order not in (0, 1) or fill_mode not in FILL_MODES:
        raise ValueError("bad order or fill_mode")
    return jax.scipy.ndimage.map_coordinates(inputs, list(coordinates), order, fill_mode,
                                             fill_value)


def _projective(x, transforms, order, mode, fill_value):
    """Applies ``(B, 8)`` projective transforms to a channels-last batch."""
    b, h, w, c = x.shape
    ys, xs = jnp.meshgrid(jnp.arange(h, dtype=jnp.float32), jnp.arange(w, dtype=jnp.float32),
                         indexing="ij")
    t = transforms.astype(jnp.float32)[:, :, None, None]
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    x_in = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k
    y_in = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    shape = (b, h, w, c)
    bi = jnp.broadcast_to(jnp.arange(b, dtype=jnp.float32)[:, None, None, None], shape)
    ci = jnp.broadcast_to(jnp.arange(c, dtype=jnp.float32), shape)
    coords = [bi, jnp.broadcast_to(y_in[..., None], shape),
              jnp.broadcast_to(x_in[..., None], shape), ci]
    # Batch and channel coordinates are exact integers: only (y, x) interpolate.
    return _sample_2d(x.astype(jnp.float32), coords, order, mode, fill_value)


def _sample_2d(x, coords, order, mode, fill_value):
    bi, yi, xi, ci = coords
    bi, ci = bi.astype(jnp.int32), ci.astype(jnp.int32)
    h, w = x.shape[1], x.shape[2]
    taps = []
    for c, size in ((yi, h), (xi, w)):
        if order == 0:
            taps.append([(jnp.round(c).astype(jnp.int32), 1.0)])
        else:
            lo = jnp.floor(c)
            taps.append([(lo.astype(jnp.int32), 1.0 - (c - lo)), (lo.astype(jnp.int32) + 1, c - lo)])
    out = 0.0
    for iy, wy in taps[0]:
        for ix, wx in taps[1]:
            if mode == "constant":
                valid = (iy >= 0) & (iy < h) & (ix >= 0) & (ix < w)
                v = x[bi, jnp.clip(iy, 0, h - 1), jnp.clip(ix, 0, w - 1), ci]
                v = jnp.where(valid, v, fill_value)
            else:
                v = x[bi, _fix_index(iy, h, mode), _fix_index(ix, w, mode), ci]
            out = out + wy * wx * v
    return out


@_jit("interpolation", "fill_mode", "fill_value", "data_format")
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_rank(images)
    if transform.ndim not in (1, 2) or interpolation not in ORDERS or fill_mode not in FILL_MODES:
        raise ValueError("bad arguments")
    x, unbatched = _to_nhwc(images, data_format)
    t = jnp.broadcast_to(transform.reshape(-1, 8), (x.shape[0], 8))
    out = _projective(x, t, ORDERS[interpolation], fill_mode, fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)


def _homography(start, end):
    """The (B, 8) transforms mapping output (end) points to input (start) points."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zero, one = jnp.zeros_like(ex), jnp.ones_like(ex)
    rows_x = jnp.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = jnp.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    a = jnp.concatenate([rows_x, rows_y], axis=1)
    rhs = jnp.concatenate([sx, sy], axis=-1)[..., None]
    return jnp.linalg.solve(a, rhs)[..., 0]


@_jit("interpolation", "fill_value", "data_format")
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    start = jnp.asarray(convert_to_tensor(start_points), dtype=jnp.float32).reshape(-1, 4, 2)
    end = jnp.asarray(convert_to_tensor(end_points), dtype=jnp.float32).reshape(-1, 4, 2)
    if interpolation not in ORDERS:
        raise ValueError("bad interpolation")
    x, unbatched = _to_nhwc(images, data_format)
    t = jnp.broadcast_to(_homography(start, end), (x.shape[0], 8))
    out = _projective(x, t, ORDERS[interpolation], "constant", fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    from lamina.backend.jax.random import normal

    images = convert_to_tensor(images)
    _check_rank(images)
    if interpolation not in ORDERS or fill_mode not in FILL_MODES:
        raise ValueError("bad arguments")
    x, unbatched = _to_nhwc(images, data_format)
    b, h, w, c = x.shape
    dtype = _compute_dtype(x.dtype)
    k = int(6 * float(sigma)) | 1
    noise = normal((b, h, w, 2), dtype=dtype, seed=seed) * float(sigma)
    field = gaussian_blur(noise, (k, k), (float(sigma), float(sigma)), "channels_last")
    field = jnp.asarray(field, dtype=jnp.float32) * float(alpha)
    ys, xs = jnp.meshgrid(jnp.arange(h, dtype=jnp.float32), jnp.arange(w, dtype=jnp.float32),
                         indexing="ij")
    shape = (b, h, w, c)
    coords = [jnp.broadcast_to(jnp.arange(b)[:, None, None, None], shape),
              jnp.broadcast_to((ys + field[..., 1])[..., None], shape),
              jnp.broadcast_to((xs + field[..., 0])[..., None], shape),
              jnp.broadcast_to(jnp.arange(c), shape)]
    out = _sample_2d(x.astype(jnp.float32), coords, ORDERS[interpolation], fill_mode, fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)
