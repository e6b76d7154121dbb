"""PyTorch image ops: ``F.interpolate`` resizing, gather-based sampling."""

import numpy as np
import torch
import torch.nn.functional as F

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype

RESIZE_INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic",
                         "area": "area"}
ORDERS = {"nearest": 0, "bilinear": 1}
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _pad(x, widths, constant_values=0):
    flat = [int(v) for pair in reversed(list(widths)) for v in pair]
    return F.pad(x, flat, value=float(constant_values))


def _cast(x, dtype):
    if not isinstance(x, torch.Tensor):
        return torch.as_tensor(x, dtype=to_torch_dtype(dtype))
    return x.to(to_torch_dtype(dtype))


def _gather_nd(x, index):
    return x[tuple(index.unbind(-1))]


def _where(cond, a, b):
    return torch.where(cond, a, b)


def _tensors(a, b):
    like = a if isinstance(a, torch.Tensor) else b
    return (torch.as_tensor(a, dtype=like.dtype, device=like.device),
            torch.as_tensor(b, dtype=like.dtype, device=like.device))


class _Ops:
    """The few tensor functions the samplers use, under one name."""

    float32 = torch.float32
    int32 = torch.int64
    transpose = staticmethod(lambda x, perm: x.permute(*perm))
    pad = staticmethod(_pad)
    cast = staticmethod(_cast)
    tensordot = staticmethod(lambda a, b, axes: torch.tensordot(a, b, dims=axes))
    expand_dims = staticmethod(torch.unsqueeze)
    unstack = staticmethod(lambda x, n, axis=0: list(torch.unbind(x, dim=axis)))
    stack = staticmethod(lambda xs, axis: torch.stack(xs, dim=axis))
    concat = staticmethod(lambda xs, axis: torch.cat(xs, dim=axis))
    where = staticmethod(_where)
    abs = staticmethod(torch.abs)
    maximum = staticmethod(lambda a, b: torch.maximum(*_tensors(a, b)))
    minimum = staticmethod(torch.minimum)
    clip_by_value = staticmethod(torch.clamp)
    floor = staticmethod(torch.floor)
    round = staticmethod(torch.round)
    sin = staticmethod(torch.sin)
    exp = staticmethod(torch.exp)
    zeros = staticmethod(lambda shape, dtype: torch.zeros(shape, dtype=dtype))
    ones = staticmethod(lambda shape, dtype: torch.ones(shape, dtype=dtype))
    zeros_like = staticmethod(torch.zeros_like)
    ones_like = staticmethod(torch.ones_like)
    constant = staticmethod(lambda v, dtype: torch.tensor(v, dtype=to_torch_dtype(dtype)))
    gather_nd = staticmethod(_gather_nd)
    broadcast_to = staticmethod(lambda x, shape: torch.broadcast_to(x, tuple(shape)))
    meshgrid = staticmethod(lambda a, b, indexing: torch.meshgrid(a, b, indexing=indexing))
    shape = staticmethod(lambda x: tuple(x.shape))
    reshape = staticmethod(torch.reshape)
    reduce_sum = staticmethod(lambda x, axis=None, keepdims=False: torch.sum(x, dim=axis, keepdim=keepdims))
    reduce_mean = staticmethod(lambda x, axis: torch.mean(x, dim=axis))

    @staticmethod
    def range(n, dtype=torch.float32):
        return torch.arange(n, dtype=to_torch_dtype(dtype))

    class math:
        floormod = staticmethod(lambda a, b: torch.remainder(a, b))
        floordiv = staticmethod(lambda a, b: torch.div(a, b, rounding_mode="floor"))
        ceil = staticmethod(torch.ceil)

    class linalg:
        solve = staticmethod(torch.linalg.solve)


_ops = _Ops


def _fmt(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"invalid data_format {data_format!r}")
    return data_format


def _check_rank(x, ranks=(3, 4)):
    if x.ndim not in ranks:
        raise ValueError(f"invalid rank {x.ndim}")


def _to_nhwc(images, data_format):
    unbatched = images.ndim == 3
    if unbatched:
        images = images[None]
    if _fmt(data_format) == "channels_first":
        images = _ops.transpose(images, (0, 2, 3, 1))
    return images, unbatched


def _from_nhwc(images, data_format, unbatched):
    if _fmt(data_format) == "channels_first":
        images = _ops.transpose(images, (0, 3, 1, 2))
    return images[0] if unbatched else images


def _compute_dtype(dtype):
    return dtypes.result_type(dtypes.standardize_dtype(dtype), float)


def _is_float(x):
    return x.dtype.is_floating_point


# -- color ------------------------------------------------------------------------

def rgb_to_grayscale(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    if images.shape[axis] == 1:
        return images
    if images.shape[axis] != 3:
        raise ValueError("expected 3 channels")
    dtype = _compute_dtype(images.dtype)
    weights = _ops.constant([0.2989, 0.5870, 0.1140], dtype=dtype)
    gray = _ops.tensordot(_ops.cast(images, dtype), weights, axes=[[images.ndim + axis], [0]])
    return _ops.cast(_ops.expand_dims(gray, axis), images.dtype)


def _split3(images, axis):
    return _ops.unstack(images, 3, axis=axis)


def rgb_to_hsv(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if not _is_float(images):
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    dt = images.dtype
    eps = torch.finfo(dt).eps
    zero, one = _ops.zeros((), dt), _ops.ones((), dt)
    images = _ops.where(_ops.abs(images) < eps, zero, images)
    r, g, b = _split3(images, axis)
    value = _ops.maximum(_ops.maximum(r, g), b)
    spread = value - _ops.minimum(_ops.minimum(r, g), b)
    saturation = _ops.where(value > 0, spread / _ops.where(value > 0, value, one), zero)
    norm = one / (6 * _ops.where(spread > 0, spread, one))
    hue = _ops.where(value == g, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6)
    hue = _ops.where(value == r, norm * (g - b), hue)
    hue = _ops.where(spread > 0, hue, zero) + _ops.cast(hue < 0, dt)
    return _ops.stack([hue, saturation, value], axis=axis)


def hsv_to_rgb(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if not _is_float(images):
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    h, s, v = _split3(images, axis)
    dh = _ops.math.floormod(h, 1.0) * 6
    channels = [_ops.clip_by_value(_ops.abs(dh - 3) - 1, 0, 1),
                _ops.clip_by_value(2 - _ops.abs(dh - 2), 0, 1),
                _ops.clip_by_value(2 - _ops.abs(dh - 4), 0, 1)]
    return _ops.stack([v * ((1 - s) + s * c) for c in channels], axis=axis)


# -- resizing ---------------------------------------------------------------------

def _aspect_box(height, width, target_h, target_w, crop):
    if crop:
        box_h = max(min(height, int(width * target_h / target_w)), 1)
        box_w = max(min(width, int(height * target_w / target_h)), 1)
    else:
        box_h = max(height, int(width * target_h / target_w))
        box_w = max(width, int(height * target_w / target_h))
    return box_h, box_w


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
    h, w = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        bh, bw = _aspect_box(h, w, th, tw, crop_to_aspect_ratio)
        top, left = abs(h - bh) // 2, abs(w - bw) // 2
        if crop_to_aspect_ratio:
            x = x[:, top:top + bh, left:left + bw, :]
        else:
            x = _ops.pad(x, ((0, 0), (top, top), (left, left), (0, 0)),
                       constant_values=_ops.cast(fill_value, x.dtype))
    dtype = x.dtype
    nchw = x.permute(0, 3, 1, 2)
    if not nchw.dtype.is_floating_point:
        nchw = nchw.to(torch.float32)
    smooth = interpolation in ("bilinear", "bicubic")
    out = F.interpolate(nchw, size=(th, tw), mode=RESIZE_INTERPOLATIONS[interpolation],
                        align_corners=False if smooth else None, antialias=antialias and smooth)
    if not dtype.is_floating_point:
        if interpolation == "bicubic" and dtype == torch.uint8:
            out = out.clamp(0, 255)
        out = torch.round(out).to(dtype)
    return _from_nhwc(out.permute(0, 2, 3, 1), data_format, unbatched)


def _triangle(x):
    return _ops.maximum(0.0, 1.0 - _ops.abs(x))


def _keys_cubic(x):
    x = _ops.abs(x)
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = _ops.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return _ops.where(x >= 2.0, _ops.zeros_like(x), out)


def _lanczos(radius):
    def kernel(x):
        y = radius * _ops.sin(np.pi * x) * _ops.sin(np.pi * x / radius)
        safe = _ops.where(x > 1e-3, x, _ops.ones_like(x))
        out = _ops.where(x > 1e-3, y / (np.pi ** 2 * safe ** 2), _ops.ones_like(x))
        return _ops.where(x > radius, _ops.zeros_like(x), out)
    return kernel


KERNELS = {
    "linear": _triangle, "bilinear": _triangle, "trilinear": _triangle,
    "cubic": _keys_cubic, "bicubic": _keys_cubic, "tricubic": _keys_cubic,
    "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0),
}


def _weights(in_size, out_size, scale, translation, kernel, antialias):
    inv_scale = 1.0 / scale
    kernel_scale = _ops.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = (_ops.range(out_size, dtype=_ops.float32) + 0.5) * inv_scale - translation * inv_scale - 0.5
    x = _ops.abs(sample[None, :] - _ops.range(in_size, dtype=_ops.float32)[:, None]) / kernel_scale
    w = kernel(x)
    total = _ops.reduce_sum(w, axis=0, keepdims=True)
    w = _ops.where(_ops.abs(total) > 1000 * np.finfo(np.float32).eps,
                 w / _ops.where(total != 0, total, _ops.ones_like(total)), _ops.zeros_like(w))
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return _ops.where(inside[None, :], w, _ops.zeros_like(w))


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    if method not in KERNELS:
        raise ValueError("unsupported method")
    images = convert_to_tensor(images)
    scale = _ops.reshape(_ops.cast(convert_to_tensor(scale), _ops.float32), (-1,))
    translation = _ops.reshape(_ops.cast(convert_to_tensor(translation), _ops.float32), (-1,))
    out = _ops.cast(images, _ops.float32)
    rank = images.ndim
    for i, d in enumerate(spatial_dims):
        w = _weights(images.shape[d], output_shape[d], scale[i], translation[i],
                     KERNELS[method], antialias)
        out = _ops.tensordot(out, w, axes=[[d], [0]])
        perm = list(range(rank - 1))
        perm.insert(d, rank - 1)
        out = _ops.transpose(out, perm)
    return _ops.cast(out, images.dtype if _is_float(images) else _ops.float32)


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


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    x, unbatched = _to_nhwc(images, data_format)
    top, bottom = _amounts(x.shape[1], top_padding, bottom_padding, target_height, True)
    left, right = _amounts(x.shape[2], left_padding, right_padding, target_width, True)
    x = _ops.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    return _from_nhwc(x, data_format, unbatched)


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
    x = _ops.pad(x, pads + [(0, 0)])
    pieces = []
    for offsets in np.ndindex(*size):
        index = [slice(None)]
        for o, out, s, d in zip(offsets, outs, strides, dilation):
            start = o * d
            index.append(slice(start, start + (out - 1) * s + 1 if out else start, s))
        pieces.append(x[tuple(index)])
    return _ops.concat(pieces, axis=-1)


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
    perm = list(range(n + 2))
    if first:
        x = _ops.transpose(x, [0] + perm[2:] + [1])
    out = _patches(x, size, strides, dilation, padding)
    if first:
        out = _ops.transpose(out, [0, n + 1] + perm[1:n + 1])
    return out[0] if unbatched else out


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    return _extract(images, size, strides, dilation_rate, padding, data_format, 2)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    return _extract(volumes, size, strides, dilation_rate, padding, data_format, 3)


# -- filters --------------------------------------------------------------------------

def _correlate1d(x, kernel, axis, pad):
    k = len(kernel)
    if pad:
        widths = [(0, 0)] * x.ndim
        widths[axis] = ((k - 1) // 2, k - 1 - (k - 1) // 2)
        x = _ops.pad(x, widths)
    n = x.shape[axis] - k + 1
    out = 0
    for i in range(k):
        index = [slice(None)] * x.ndim
        index[axis] = slice(i, i + n)
        out = out + kernel[i] * x[tuple(index)]
    return out


def _gaussian_1d(size, sigma, dtype):
    x = _ops.range(size, dtype=dtype) - _ops.cast((size - 1) / 2, dtype)
    k = _ops.exp(-0.5 * (x / _ops.cast(sigma, dtype)) ** 2)
    return _ops.unstack(k / _ops.reduce_sum(k), size)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    x, unbatched = _to_nhwc(images, data_format)
    kernel_size = _tuple(kernel_size, 2)
    sigma = (float(sigma),) * 2 if np.ndim(sigma) == 0 else tuple(float(s) for s in sigma)
    kx = _gaussian_1d(kernel_size[0], sigma[0], x.dtype)
    ky = _gaussian_1d(kernel_size[1], sigma[1], x.dtype)
    out = _correlate1d(_correlate1d(x, ky, 1, True), kx, 2, True)
    return _from_nhwc(_ops.cast(out, x.dtype), data_format, unbatched)


def sobel_edges(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images, (4,))
    x, _ = _to_nhwc(images, data_format)
    smooth, diff = (1, 2, 1), (-1, 0, 1)
    dy = _correlate1d(_correlate1d(x, diff, 1, True), smooth, 2, True)
    dx = _correlate1d(_correlate1d(x, smooth, 1, True), diff, 2, True)
    if _fmt(data_format) == "channels_first":
        dy, dx = _ops.transpose(dy, (0, 3, 1, 2)), _ops.transpose(dx, (0, 3, 1, 2))
    return _ops.cast(_ops.stack([dy, dx], axis=-1), x.dtype)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    _check_rank(image1)
    _check_rank(image2)
    out_dtype = image1.dtype
    dtype = _compute_dtype(out_dtype)
    a, unbatched = _to_nhwc(_ops.cast(image1, dtype), data_format)
    b, _ = _to_nhwc(_ops.cast(image2, dtype), data_format)
    kernel = _gaussian_1d(filter_size, filter_sigma, dtype)

    def blur(t):
        return _correlate1d(_correlate1d(t, kernel, 1, False), kernel, 2, False)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = blur(a), blur(b)
    s11 = blur(a * a) - mu1 * mu1
    s22 = blur(b * b) - mu2 * mu2
    s12 = blur(a * b) - mu1 * mu2
    value = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2))
    result = _ops.reduce_mean(value, axis=(1, 2, 3))
    return _ops.cast(result[0] if unbatched else result, out_dtype)


# -- sampling -------------------------------------------------------------------------

def _fix_index(index, size, mode):
    if mode == "nearest":
        return _ops.clip_by_value(index, 0, size - 1)
    if mode == "wrap":
        return _ops.math.floormod(index, size)
    if mode == "reflect":
        return _ops.math.floordiv(_fix_index(2 * index + 1, 2 * size + 1, "mirror") - 1, 2)
    if mode == "mirror":
        if size <= 1:
            return _ops.zeros_like(index)
        s = size - 1
        return _ops.abs(_ops.math.floormod(index + s, 2 * s) - s)
    return index


def _taps(c, order):
    if order == 0:
        return [(_ops.cast(_ops.round(c), _ops.int32), 1.0)]
    lo = _ops.floor(c)
    frac = c - lo
    lo = _ops.cast(lo, _ops.int32)
    return [(lo, 1.0 - frac), (lo + 1, frac)]


def _sample(inputs, coords, order, mode, fill_value):
    """Samples ``inputs`` at float coordinates (one tensor per axis)."""
    shape = inputs.shape
    per_axis = [_taps(c, order) for c in coords]
    result = 0.0
    for combo in np.ndindex(*[len(p) for p in per_axis]):
        weight, valid, index = 1.0, None, []
        for axis, k in enumerate(combo):
            i, w = per_axis[axis][k]
            size = shape[axis]
            if mode == "constant":
                ok = (i >= 0) & (i < size)
                valid = ok if valid is None else valid & ok
                i = _ops.clip_by_value(i, 0, size - 1)
            else:
                i = _fix_index(i, size, mode)
            index.append(i)
            weight = weight * w
        value = _ops.gather_nd(inputs, _ops.stack(index, axis=-1))
        if mode == "constant":
            value = _ops.where(valid, value, _ops.cast(fill_value, value.dtype))
        result = result + weight * value
    return result


def _cast_like(result, dtype):
    if not dtype.is_floating_point:
        result = _ops.where(result < 0, _ops.math.ceil(result - 0.5), _ops.floor(result + 0.5))
    return _ops.cast(result, dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError("bad coordinates")
    if order not in (0, 1) or fill_mode not in FILL_MODES:
        raise ValueError("bad order or fill_mode")
    dtype = inputs.dtype if inputs.dtype.is_floating_point else _ops.float32
    coords = [_ops.cast(coordinates[i], dtype) for i in range(inputs.ndim)]
    out = _sample(_ops.cast(inputs, dtype), coords, order, fill_mode, fill_value)
    return _cast_like(out, inputs.dtype)


def _projective(x, transforms, interpolation, fill_mode, fill_value):
    b = _ops.shape(x)[0]
    transforms = _ops.broadcast_to(_ops.reshape(_ops.cast(transforms, _ops.float32), (-1, 8)), (b, 8))
    h, w = x.shape[1], x.shape[2]
    ys, xs = _ops.meshgrid(_ops.range(h, dtype=_ops.float32), _ops.range(w, dtype=_ops.float32),
                         indexing="ij")
    t = transforms[:, :, None, None]
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    x_in = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k
    y_in = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    # One 2-D sampling per (image, channel): move them to the front.
    planes = _ops.transpose(x, (0, 3, 1, 2))
    c = x.shape[3]
    yy = _ops.broadcast_to(y_in[:, None], _ops.shape(planes))
    xx = _ops.broadcast_to(x_in[:, None], _ops.shape(planes))
    bi = _ops.broadcast_to(_ops.range(b, dtype=_ops.float32)[:, None, None, None], _ops.shape(planes))
    ci = _ops.broadcast_to(_ops.range(c, dtype=_ops.float32)[None, :, None, None], _ops.shape(planes))
    out = _sample(_ops.cast(planes, _ops.float32), [bi, ci, yy, xx], ORDERS[interpolation],
                  fill_mode, fill_value)
    return _cast_like(_ops.transpose(out, (0, 2, 3, 1)), x.dtype)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_rank(images)
    if transform.ndim not in (1, 2) or interpolation not in ORDERS \
            or fill_mode not in FILL_MODES:
        raise ValueError("bad arguments")
    x, unbatched = _to_nhwc(images, data_format)
    out = _projective(x, transform, interpolation, fill_mode, fill_value)
    return _from_nhwc(out, data_format, unbatched)


def _homography(start, end):
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zero, one = _ops.zeros_like(ex), _ops.ones_like(ex)
    rows_x = _ops.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = _ops.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    a = _ops.concat([rows_x, rows_y], axis=1)
    rhs = _ops.concat([sx, sy], axis=-1)[..., None]
    return _ops.linalg.solve(a, rhs)[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    start = _ops.reshape(_ops.cast(convert_to_tensor(start_points), _ops.float32), (-1, 4, 2))
    end = _ops.reshape(_ops.cast(convert_to_tensor(end_points), _ops.float32), (-1, 4, 2))
    if interpolation not in ORDERS:
        raise ValueError("bad interpolation")
    x, unbatched = _to_nhwc(images, data_format)
    out = _projective(x, _homography(start, end), interpolation, "constant", fill_value)
    return _from_nhwc(out, data_format, unbatched)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    from lamina.backend.torch.random import normal

    images = convert_to_tensor(images)
    _check_rank(images)
    if interpolation not in ORDERS or fill_mode not in FILL_MODES:
        raise ValueError("bad arguments")
    x, unbatched = _to_nhwc(images, data_format)
    b, h, w, c = x.shape
    k = int(6 * float(sigma)) | 1
    noise = normal((b, h, w, 2), dtype="float32", seed=seed) * float(sigma)
    field = gaussian_blur(noise, (k, k), (float(sigma), float(sigma)), "channels_last")
    field = field * float(alpha)
    ys, xs = _ops.meshgrid(_ops.range(h, dtype=_ops.float32), _ops.range(w, dtype=_ops.float32),
                         indexing="ij")
    shape = (b, h, w, c)
    coords = [_ops.broadcast_to(_ops.range(b, dtype=_ops.float32)[:, None, None, None], shape),
              _ops.broadcast_to((ys + field[..., 1])[..., None], shape),
              _ops.broadcast_to((xs + field[..., 0])[..., None], shape),
              _ops.broadcast_to(_ops.range(c, dtype=_ops.float32), shape)]
    out = _sample(_ops.cast(x, _ops.float32), coords, ORDERS[interpolation], fill_mode, fill_value)
    return _from_nhwc(_cast_like(out, x.dtype), data_format, unbatched)
