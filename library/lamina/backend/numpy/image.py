"""NumPy image ops (the reference algorithms; jax's resize semantics)."""


import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")
ORDERS = {"nearest": 0, "bilinear": 1}
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


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
        images = np.transpose(images, (0, 2, 3, 1))
    return images, unbatched


def _from_nhwc(images, data_format, unbatched):
    if _fmt(data_format) == "channels_first":
        images = np.transpose(images, (0, 3, 1, 2))
    return images[0] if unbatched else images


def _compute_dtype(dtype):
    return dtypes.result_type(dtypes.standardize_dtype(dtype), float)


# -- color ------------------------------------------------------------------------

def rgb_to_grayscale(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    if images.shape[axis] == 1:
        return images
    if images.shape[axis] != 3:
        raise ValueError("expected 3 channels")
    weights = np.array([0.2989, 0.5870, 0.1140], dtype=_compute_dtype(images.dtype))
    gray = np.tensordot(images.astype(weights.dtype), weights, axes=([axis], [0]))
    return np.expand_dims(gray, axis).astype(images.dtype)


def _split3(images, axis):
    return [np.take(images, i, axis=axis) for i in range(3)]


def rgb_to_hsv(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if images.dtype.kind != "f":
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    eps = np.finfo(images.dtype).eps
    images = np.where(np.abs(images) < eps, np.zeros((), images.dtype), images)
    r, g, b = _split3(images, axis)
    value = np.maximum(np.maximum(r, g), b)
    spread = value - np.minimum(np.minimum(r, g), b)
    one = np.ones((), images.dtype)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, one), 0)
    norm = one / (6 * np.where(spread > 0, spread, one))
    hue = np.where(value == g, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6)
    hue = np.where(value == r, norm * (g - b), hue)
    hue = np.where(spread > 0, hue, 0) + (hue < 0)
    return np.stack([hue, saturation, value], axis=axis).astype(images.dtype)


def hsv_to_rgb(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    if images.dtype.kind != "f":
        raise TypeError("expected float images")
    axis = -1 if _fmt(data_format) == "channels_last" else -3
    h, s, v = _split3(images, axis)
    dh = np.mod(h, 1.0) * 6
    channels = [np.clip(np.abs(dh - 3) - 1, 0, 1), np.clip(2 - np.abs(dh - 2), 0, 1),
                np.clip(2 - np.abs(dh - 4), 0, 1)]
    out = [v * ((1 - s) + s * c) for c in channels]
    return np.stack(out, axis=axis).astype(images.dtype)


# -- resampling kernels (jax.image semantics) ----------------------------------------

def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    x = np.abs(x)
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x > 1e-3, y / (np.pi ** 2 * x ** 2), 1.0)
        return np.where(x > radius, 0.0, out)
    return kernel


KERNELS = {
    "linear": _triangle, "bilinear": _triangle, "trilinear": _triangle,
    "cubic": _keys_cubic, "bicubic": _keys_cubic, "tricubic": _keys_cubic,
    "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0),
}


def _weights(in_size, out_size, scale, translation, kernel, antialias):
    """The (in_size, out_size) resampling matrix of one axis."""
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv_scale - translation * inv_scale - 0.5
    x = np.abs(sample[None, :] - np.arange(in_size, dtype=np.float64)[:, None]) / kernel_scale
    w = kernel(x)
    total = w.sum(axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps,
                 w / np.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], w, 0)


def _scale_translate(x, out_shape, dims, scale, translation, kernel, antialias):
    out = x.astype(np.float64)
    for d, s, t in zip(dims, scale, translation):
        w = _weights(x.shape[d], out_shape[d], float(s), float(t), kernel, antialias)
        out = np.moveaxis(np.tensordot(out, w, axes=([d], [0])), -1, d)
    return out


def _resize_nearest(x, out_shape):
    for d, (m, n) in enumerate(zip(x.shape, out_shape)):
        if m != n:
            idx = np.floor((np.arange(n) + 0.5) * m / n).astype(np.int64)
            x = np.take(x, idx, axis=d)
    return x


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
    _, h, w, c = x.shape
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        bh, bw = _aspect_box(h, w, th, tw, crop_to_aspect_ratio)
        top, left = abs(h - bh) // 2, abs(w - bw) // 2
        if crop_to_aspect_ratio:
            x = x[:, top:top + bh, left:left + bw, :]
        else:
            x = np.pad(x, ((0, 0), (top, top), (left, left), (0, 0)),
                       constant_values=np.asarray(fill_value).astype(x.dtype))
    out_shape = (x.shape[0], th, tw, c)
    if interpolation == "nearest":
        out = _resize_nearest(x, out_shape)
    else:
        scale = [th / x.shape[1], tw / x.shape[2]]
        out = _scale_translate(x, out_shape, (1, 2), scale, [0.0, 0.0],
                               KERNELS[interpolation], antialias)
        if x.dtype.kind in "iu":
            info = np.iinfo(x.dtype)
            out = np.clip(np.round(out), info.min, info.max)
        out = out.astype(x.dtype)
    return _from_nhwc(out, data_format, unbatched)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    if method not in KERNELS:
        raise ValueError("unsupported method")
    images = convert_to_tensor(images)
    scale = np.asarray(convert_to_tensor(scale), dtype=np.float64).reshape(-1)
    translation = np.asarray(convert_to_tensor(translation), dtype=np.float64).reshape(-1)
    out = _scale_translate(images, tuple(output_shape), tuple(spatial_dims), scale,
                           translation, KERNELS[method], antialias)
    dtype = images.dtype if images.dtype.kind == "f" else np.float32
    return out.astype(dtype)


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
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
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
    x = np.pad(x, pads + [(0, 0)])
    pieces = []
    for offsets in np.ndindex(*size):
        index = [slice(None)]
        for o, out, s, d in zip(offsets, outs, strides, dilation):
            start = o * d
            index.append(slice(start, start + (out - 1) * s + 1 if out else start, s))
        pieces.append(x[tuple(index)])
    return np.concatenate(pieces, axis=-1)


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
        x = np.moveaxis(x, 1, -1)
    out = _patches(x, size, strides, dilation, padding)
    if first:
        out = np.moveaxis(out, -1, 1)
    return out[0] if unbatched else out


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    return _extract(images, size, strides, dilation_rate, padding, data_format, 2)


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
        x = np.pad(x, widths)
    n = x.shape[axis] - k + 1
    out = 0
    for i, w in enumerate(kernel):
        out = out + w * np.take(x, np.arange(i, i + n), axis=axis)
    return out


def _gaussian_1d(size, sigma, dtype):
    x = np.arange(size, dtype=dtype) - np.asarray((size - 1) / 2, dtype=dtype)
    k = np.exp(-0.5 * (x / np.asarray(sigma, dtype=dtype)) ** 2)
    return (k / k.sum()).astype(dtype)


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


def sobel_edges(images, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images, (4,))
    x, _ = _to_nhwc(images, data_format)
    smooth = np.array([1, 2, 1], dtype=x.dtype)
    diff = np.array([-1, 0, 1], dtype=x.dtype)
    dy = _correlate1d(_correlate1d(x, diff, 1, True), smooth, 2, True)
    dx = _correlate1d(_correlate1d(x, smooth, 1, True), diff, 2, True)
    if _fmt(data_format) == "channels_first":
        dy, dx = np.transpose(dy, (0, 3, 1, 2)), np.transpose(dx, (0, 3, 1, 2))
    return np.stack([dy, dx], axis=-1).astype(x.dtype)


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
        return np.clip(index, 0, size - 1)
    if mode == "wrap":
        return np.mod(index, size)
    if mode in ("mirror", "reflect"):
        if mode == "reflect":
            return (_fix_index(2 * index + 1, 2 * size + 1, "mirror") - 1) // 2
        s = max(size - 1, 1)
        return np.abs(np.mod(index + s, 2 * s) - s) if size > 1 else np.zeros_like(index)
    return index


def _sample(inputs, coords, order, mode, fill_value):
    """Samples ``inputs`` at the float coordinates ``coords`` (one array per axis)."""
    per_axis = []
    for c, size in zip(coords, inputs.shape):
        if order == 0:
            i = np.round(c).astype(np.int64)
            per_axis.append([(i, 1.0)])
        else:
            lo = np.floor(c)
            frac = c - lo
            lo = lo.astype(np.int64)
            per_axis.append([(lo, 1.0 - frac), (lo + 1, frac)])
    result = 0.0
    for combo in np.ndindex(*[len(p) for p in per_axis]):
        weight = 1.0
        valid = True
        index = []
        for axis, k in enumerate(combo):
            i, w = per_axis[axis][k]
            size = inputs.shape[axis]
            if mode == "constant":
                valid = valid & (i >= 0) & (i < size)
                i = np.clip(i, 0, size - 1)
            else:
                i = _fix_index(i, size, mode)
            index.append(i)
            weight = weight * w
        value = inputs[tuple(index)]
        if mode == "constant":
            value = np.where(valid, value, fill_value)
        result = result + weight * value
    return result


def _cast_like(result, dtype):
    if np.dtype(dtype).kind in "iub":
        result = np.where(result < 0, np.ceil(result - 0.5), np.floor(result + 0.5))
    return np.asarray(result).astype(dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError("bad coordinates")
    if order not in (0, 1) or fill_mode not in FILL_MODES:
        raise ValueError("bad order or fill_mode")
    coords = [coordinates[i].astype(np.float64) for i in range(inputs.ndim)]
    out = _sample(inputs.astype(np.float64), coords, order, fill_mode, fill_value)
    return _cast_like(out, inputs.dtype)


def _projective(x, transforms, order, mode, fill_value):
    """Applies ``(B, 8)`` projective transforms to a channels-last batch."""
    b, h, w, c = x.shape
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")
    t = transforms.astype(np.float64)[:, :, None, None]
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    x_in = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k
    y_in = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    shape = (b, h, w, c)
    bi = np.broadcast_to(np.arange(b, dtype=np.float64)[:, None, None, None], shape)
    ci = np.broadcast_to(np.arange(c, dtype=np.float64), shape)
    coords = [bi, np.broadcast_to(y_in[..., None], shape),
              np.broadcast_to(x_in[..., None], shape), ci]
    # Batch and channel coordinates are exact integers: only (y, x) interpolate.
    return _sample_2d(x.astype(np.float64), coords, order, mode, fill_value)


def _sample_2d(x, coords, order, mode, fill_value):
    bi, yi, xi, ci = coords
    bi, ci = bi.astype(np.int64), ci.astype(np.int64)
    h, w = x.shape[1], x.shape[2]
    taps = []
    for c, size in ((yi, h), (xi, w)):
        if order == 0:
            taps.append([(np.round(c).astype(np.int64), 1.0)])
        else:
            lo = np.floor(c)
            taps.append([(lo.astype(np.int64), 1.0 - (c - lo)), (lo.astype(np.int64) + 1, c - lo)])
    out = 0.0
    for iy, wy in taps[0]:
        for ix, wx in taps[1]:
            if mode == "constant":
                valid = (iy >= 0) & (iy < h) & (ix >= 0) & (ix < w)
                v = x[bi, np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1), ci]
                v = np.where(valid, v, fill_value)
            else:
                v = x[bi, _fix_index(iy, h, mode), _fix_index(ix, w, mode), ci]
            out = out + wy * wx * v
    return out


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_rank(images)
    if transform.ndim not in (1, 2) or interpolation not in ORDERS or fill_mode not in FILL_MODES:
        raise ValueError("bad arguments")
    x, unbatched = _to_nhwc(images, data_format)
    t = np.broadcast_to(transform.reshape(-1, 8), (x.shape[0], 8))
    out = _projective(x, t, ORDERS[interpolation], fill_mode, fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)


def _homography(start, end):
    """The (B, 8) transforms mapping output (end) points to input (start) points."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zero, one = np.zeros_like(ex), np.ones_like(ex)
    rows_x = np.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = np.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    a = np.concatenate([rows_x, rows_y], axis=1)
    rhs = np.concatenate([sx, sy], axis=-1)[..., None]
    return np.linalg.solve(a, rhs)[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    images = convert_to_tensor(images)
    _check_rank(images)
    start = np.asarray(convert_to_tensor(start_points), dtype=np.float32).reshape(-1, 4, 2)
    end = np.asarray(convert_to_tensor(end_points), dtype=np.float32).reshape(-1, 4, 2)
    if interpolation not in ORDERS:
        raise ValueError("bad interpolation")
    x, unbatched = _to_nhwc(images, data_format)
    t = np.broadcast_to(_homography(start, end), (x.shape[0], 8))
    out = _projective(x, t, ORDERS[interpolation], "constant", fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    from lamina.backend.numpy.random import normal

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
    field = np.asarray(field, dtype=np.float64) * float(alpha)
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")
    shape = (b, h, w, c)
    coords = [np.broadcast_to(np.arange(b)[:, None, None, None], shape),
              np.broadcast_to((ys + field[..., 1])[..., None], shape),
              np.broadcast_to((xs + field[..., 0])[..., None], shape),
              np.broadcast_to(np.arange(c), shape)]
    out = _sample_2d(x.astype(np.float64), coords, ORDERS[interpolation], fill_mode, fill_value)
    return _from_nhwc(_cast_like(out, images.dtype), data_format, unbatched)
