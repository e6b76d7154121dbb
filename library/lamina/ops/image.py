"""``lamina.ops.image``: image ops with the ``keras.ops.image`` signatures.

Images are rank 3 ``(height, width, channels)`` or rank 4 (a batch) in
``channels_last`` layout, or with channels before height and width in
``channels_first`` layout (``data_format``, default
``lamina.config.image_data_format()``).

Example:
    >>> from lamina import ops
    >>> ops.image.resize(np.ones((1, 4, 4, 3)), (2, 2)).shape
    (1, 2, 2, 3)
"""

import numpy as np

from lamina.backend import config
from lamina.backend.common import dtypes
from lamina.ops import rules
from lamina.ops.dispatch import op

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches",
    "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
    "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate",
    "sobel_edges", "ssim",
]

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
TRANSFORM_INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic",
                               "tricubic", "lanczos3", "lanczos5")


# -- rule helpers -----------------------------------------------------------------

def _data_format(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "expected `data_format` 'channels_last' or 'channels_first', "
            f"received {data_format!r}."
        )
    return data_format


def _images(images, data_format, argname="images", ranks=(3, 4)):
    """Shape, dtype and the (height, width, channels) axes of an image tensor."""
    shape = rules.shape_of(images, argname)
    dtype = rules.tensor_dtype(images, argname)
    if len(shape) not in ranks:
        what = " or ".join(str(r) for r in ranks)
        raise ValueError(
            f"expected `{argname}` of rank {what} (a single image or a batch), "
            f"received a tensor of shape {shape}."
        )
    if _data_format(data_format) == "channels_last":
        axes = (len(shape) - 3, len(shape) - 2, len(shape) - 1)
    else:
        axes = (len(shape) - 2, len(shape) - 1, len(shape) - 3)
    return list(shape), dtype, axes


def _choice(value, options, argname):
    if value not in options:
        raise ValueError(f"expected `{argname}` to be one of {options}, received {value!r}.")


def _pair(value, argname, n=2):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    try:
        values = tuple(value)
    except TypeError:
        values = None
    if values is None or len(values) != n or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in values):
        raise ValueError(f"expected `{argname}` to be a positive int or a tuple of {n} positive "
                         f"ints, received {value!r}.")
    return tuple(int(v) for v in values)


def _float_images(images, data_format):
    shape, dtype, _ = _images(images, data_format)
    if dtype not in dtypes.FLOAT_TYPES:
        raise TypeError(f"expected a floating-point `images` tensor, received dtype {dtype}.")
    return rules.spec(shape, dtype)


# -- color ------------------------------------------------------------------------

def _grayscale_rule(images, data_format=None):
    shape, dtype, (_, _, c) = _images(images, data_format)
    if shape[c] not in (None, 1, 3):
        raise ValueError(f"expected 1 or 3 channels in `images`, received shape {tuple(shape)}.")
    shape[c] = 1
    return rules.spec(shape, dtype)


@op(_grayscale_rule, module="image")
def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to grayscale (weights 0.2989, 0.5870, 0.1140).

    Args:
        images: rank 3 or 4 images with 3 (or 1) channels.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The images with one channel, in the input dtype.

    Example:
        >>> ops.image.rgb_to_grayscale(np.ones((2, 2, 3))).shape
        (2, 2, 1)
    """


@op(lambda images, data_format=None: _float_images(images, data_format), module="image")
def rgb_to_hsv(images, data_format=None):
    """Converts float RGB images in [0, 1] to HSV (hue, saturation, value in [0, 1]).

    Example:
        >>> ops.image.rgb_to_hsv(np.array([[[1.0, 0.0, 0.0]]]))  # [[[0, 1, 1]]]
    """


@op(lambda images, data_format=None: _float_images(images, data_format), module="image")
def hsv_to_rgb(images, data_format=None):
    """Converts float HSV images (each channel in [0, 1]) to RGB.

    Example:
        >>> ops.image.hsv_to_rgb(np.array([[[0.0, 1.0, 1.0]]]))  # [[[1, 0, 0]]]
    """


# -- resizing, cropping, padding ----------------------------------------------------

def _resize_rule(images, size, interpolation="bilinear", antialias=False,
                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
                 fill_value=0.0, data_format=None):
    shape, dtype, (h, w, _) = _images(images, data_format)
    _choice(interpolation, RESIZE_INTERPOLATIONS, "interpolation")
    _choice(fill_mode, ("constant",), "fill_mode")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    size = _pair(size, "size")
    shape[h], shape[w] = size
    return rules.spec(shape, dtype)


@op(_resize_rule, module="image")
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to ``size`` (height, width).

    Args:
        images: rank 3 or 4 images.
        size: the output ``(height, width)``.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"lanczos3"``,
            ``"lanczos5"`` (jax, numpy, tensorflow) or ``"area"`` (tensorflow, torch).
        antialias: filter when downsampling.
        crop_to_aspect_ratio: first crop the largest centered box with the
            output's aspect ratio.
        pad_to_aspect_ratio: first pad (with ``fill_value``) to the output's
            aspect ratio.
        fill_mode: only ``"constant"``.
        fill_value: the padding value.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> ops.image.resize(np.ones((4, 6, 3)), (2, 3)).shape
        (2, 3, 3)
    """


def _pad_crop_amounts(size, before, after, target, names, pad):
    given = [before, after, target]
    if given.count(None) != 1:
        raise ValueError(f"expected exactly two of {', '.join(names)}, received "
                         + ", ".join(f"{n}={v}" for n, v in zip(names, given)) + ".")
    for n, v in zip(names, given):
        if v is not None and (not isinstance(v, (int, np.integer)) or v < 0):
            raise ValueError(f"expected `{n}` to be a non-negative int, received {v!r}.")
    if size is None:
        return before, after, target
    if pad:
        if before is None:
            before = target - after - size
        elif after is None:
            after = target - before - size
        target = size + before + after
        bad = [(n, v) for n, v in zip(names[:2], (before, after)) if v < 0]
    else:
        if before is None:
            before = size - target - after
        elif target is None:
            target = size - after - before
        after = size - before - target
        bad = [(n, v) for n, v in zip((names[0], names[2]), (before, target)) if v < 0]
        bad += [(names[1], after)] if after < 0 else []
    if bad:
        raise ValueError(f"the amounts give `{bad[0][0]}`={bad[0][1]} < 0 for an image of "
                         f"size {size}.")
    return before, after, target


def _pad_rule(images, top_padding=None, left_padding=None, bottom_padding=None,
              right_padding=None, target_height=None, target_width=None, data_format=None):
    shape, dtype, (h, w, _) = _images(images, data_format)
    shape[h] = _pad_crop_amounts(shape[h], top_padding, bottom_padding, target_height,
                                 ("top_padding", "bottom_padding", "target_height"), True)[2]
    shape[w] = _pad_crop_amounts(shape[w], left_padding, right_padding, target_width,
                                 ("left_padding", "right_padding", "target_width"), True)[2]
    return rules.spec(shape, dtype)


@op(_pad_rule, module="image")
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Pads images with zeros; give two of top/bottom/target height (and width).

    Example:
        >>> ops.image.pad_images(np.ones((2, 2, 1)), 1, 1, target_height=4, target_width=4).shape
        (4, 4, 1)
    """


def _crop_rule(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
               right_cropping=None, target_height=None, target_width=None, data_format=None):
    shape, dtype, (h, w, _) = _images(images, data_format)
    shape[h] = _pad_crop_amounts(shape[h], top_cropping, bottom_cropping, target_height,
                                 ("top_cropping", "bottom_cropping", "target_height"), False)[2]
    shape[w] = _pad_crop_amounts(shape[w], left_cropping, right_cropping, target_width,
                                 ("left_cropping", "right_cropping", "target_width"), False)[2]
    return rules.spec(shape, dtype)


@op(_crop_rule, module="image")
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images; give two of top/bottom cropping and target height (and width).

    Example:
        >>> ops.image.crop_images(np.ones((4, 4, 1)), 1, 1, target_height=2, target_width=2).shape
        (2, 2, 1)
    """


# -- patches ------------------------------------------------------------------------

def _conv_out(size, k, stride, dilation, padding):
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    out = (size - (k - 1) * dilation - 1) // stride + 1
    return max(out, 0)


def _patches_rule(images, size, strides=None, dilation_rate=1, padding="valid",
                  data_format=None, n=2):
    argname = "images" if n == 2 else "volumes"
    shape = list(rules.shape_of(images, argname))
    dtype = rules.tensor_dtype(images, argname)
    if len(shape) not in (n + 1, n + 2):
        raise ValueError(f"expected `{argname}` of rank {n + 1} or {n + 2}, received a tensor "
                         f"of shape {tuple(shape)}.")
    size = _pair(size, "size", n)
    strides = size if strides is None else _pair(strides, "strides", n)
    dilation = _pair(dilation_rate, "dilation_rate", n)
    _choice(padding, ("valid", "same"), "padding")
    first = len(shape) - n - 1
    if _data_format(data_format) == "channels_last":
        spatial, c = list(range(first, first + n)), len(shape) - 1
    else:
        spatial, c = list(range(first + 1, first + n + 1)), first
    for ax, k, s, d in zip(spatial, size, strides, dilation):
        shape[ax] = _conv_out(shape[ax], k, s, d, padding)
    shape[c] = None if shape[c] is None else int(np.prod(size)) * shape[c]
    return rules.spec(shape, dtype)


@op(_patches_rule, module="image")
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Extracts patches of ``size`` from images into the channel axis.

    Args:
        images: rank 3 or 4 images.
        size: the patch ``(height, width)`` (or one int).
        strides: the step between patches (default: ``size``, no overlap).
        dilation_rate: the spacing of the pixels within a patch.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(..., out_height, out_width, size[0] * size[1] * channels)``, patch
        pixels ordered (row, column, channel).

    Example:
        >>> ops.image.extract_patches(np.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 12)
    """


@op(lambda volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None:
    _patches_rule(volumes, size, strides, dilation_rate, padding, data_format, n=3),
    module="image")
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Extracts 3D patches of ``size`` (depth, height, width) from volumes.

    Example:
        >>> ops.image.extract_patches_3d(np.ones((1, 4, 4, 4, 1)), 2).shape
        (1, 2, 2, 2, 8)
    """


# -- filters --------------------------------------------------------------------------

def _blur_rule(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    shape, dtype, _ = _images(images, data_format)
    _pair(kernel_size, "kernel_size")
    return rules.spec(shape, dtype)


@op(_blur_rule, module="image")
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs images with a Gaussian kernel (zero padding, same size).

    Args:
        images: rank 3 or 4 images.
        kernel_size: the kernel ``(width, height)`` sizes, as in Keras.
        sigma: the standard deviations along width and height.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> ops.image.gaussian_blur(np.ones((1, 5, 5, 1))).shape
        (1, 5, 5, 1)
    """


def _sobel_rule(images, data_format=None):
    shape, dtype, _ = _images(images, data_format, ranks=(4,))
    return rules.spec(shape + [2], dtype)


@op(_sobel_rule, module="image")
def sobel_edges(images, data_format=None):
    """Sobel gradients of a batch of images: the last axis holds ``[dy, dx]``.

    Example:
        >>> ops.image.sobel_edges(np.ones((1, 4, 4, 1))).shape
        (1, 4, 4, 1, 2)
    """


def _ssim_rule(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01,
               k2=0.03, data_format=None):
    shape1, dtype, _ = _images(image1, data_format, "image1")
    shape2, _, _ = _images(image2, data_format, "image2")
    if len(shape1) != len(shape2) or rules.broadcast_shapes(shape1, shape2) is None:
        raise ValueError(f"expected images of the same shape, received {shape1} and {shape2}.")
    return rules.spec(() if len(shape1) == 3 else (shape1[0],), dtype)


@op(_ssim_rule, module="image")
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity of two images (1 for identical images).

    Args:
        image1, image2: rank 3 or 4 images of the same shape, larger than
            ``filter_size``.
        max_val: the dynamic range of the pixel values.
        filter_size, filter_sigma: the Gaussian window.
        k1, k2: the stabilizing constants.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        A scalar (one image) or one value per image of the batch.

    Example:
        >>> float(ops.image.ssim(np.ones((16, 16, 1)), np.ones((16, 16, 1))))
        1.0
    """


# -- geometric transforms ---------------------------------------------------------------

def _affine_rule(images, transform, interpolation="bilinear", fill_mode="constant",
                 fill_value=0, data_format=None):
    shape, dtype, _ = _images(images, data_format)
    t_shape = rules.shape_of(transform, "transform")
    if len(t_shape) not in (1, 2) or t_shape[-1] not in (None, 8):
        raise ValueError(f"expected `transform` of shape (8,) or (batch, 8), received {t_shape}.")
    _choice(interpolation, TRANSFORM_INTERPOLATIONS, "interpolation")
    _choice(fill_mode, FILL_MODES, "fill_mode")
    return rules.spec(shape, dtype)


@op(_affine_rule, module="image")
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective transforms ``[a0, a1, a2, b0, b1, b2, c0, c1]``: the
    output pixel (x, y) samples the input at
    ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``.

    Args:
        images: rank 3 or 4 images.
        transform: ``(8,)`` or ``(batch, 8)``.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode: ``"constant"``, ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> shift = np.array([1, 0, 1, 0, 1, 0, 0, 0], "float32")  # one pixel right
        >>> ops.image.affine_transform(np.ones((4, 4, 1)), shift).shape
        (4, 4, 1)
    """


def _perspective_rule(images, start_points, end_points, interpolation="bilinear",
                      fill_value=0, data_format=None):
    shape, dtype, _ = _images(images, data_format)
    for name, pts in (("start_points", start_points), ("end_points", end_points)):
        s = rules.shape_of(pts, name)
        if len(s) not in (2, 3) or tuple(s[-2:]) != (4, 2):
            raise ValueError(f"expected `{name}` of shape (4, 2) or (batch, 4, 2), received {s}.")
    if rules.shape_of(start_points) != rules.shape_of(end_points):
        raise ValueError("expected `start_points` and `end_points` of the same shape, received "
                         f"{rules.shape_of(start_points)} and {rules.shape_of(end_points)}.")
    _choice(interpolation, TRANSFORM_INTERPOLATIONS, "interpolation")
    return rules.spec(shape, dtype)


@op(_perspective_rule, module="image")
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that the 4 ``start_points`` (x, y) move to ``end_points``.

    Example:
        >>> pts = np.array([[0, 0], [3, 0], [0, 3], [3, 3]], "float32")
        >>> ops.image.perspective_transform(np.ones((4, 4, 1)), pts, pts).shape
        (4, 4, 1)
    """


def _map_coordinates_rule(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    shape = rules.shape_of(inputs, "inputs")
    dtype = rules.tensor_dtype(inputs, "inputs")
    c_shape = rules.shape_of(coordinates, "coordinates")
    if len(c_shape) < 2 or c_shape[0] not in (None, len(shape)):
        raise ValueError(
            "expected `coordinates` of shape (rank of inputs, ...) with at least 2 dims: "
            f"received inputs of shape {shape} and coordinates of shape {c_shape}."
        )
    _choice(order, (0, 1), "order")
    _choice(fill_mode, FILL_MODES, "fill_mode")
    return rules.spec(c_shape[1:], dtype)


@op(_map_coordinates_rule, module="image")
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples ``inputs`` at ``coordinates`` (like ``scipy.ndimage.map_coordinates``).

    Args:
        inputs: an n-D tensor.
        coordinates: ``(n, ...)``: the index along each input axis of each output.
        order: 0 (nearest) or 1 (linear).
        fill_mode: ``"constant"``, ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``.
        fill_value: the value outside with ``fill_mode="constant"``.

    Example:
        >>> ops.image.map_coordinates(np.arange(4.0), np.array([[0.5, 2.0]]), order=1)
        # [0.5, 2.0]
    """


def _elastic_rule(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect",
                  fill_value=0.0, seed=None, data_format=None):
    shape, dtype, _ = _images(images, data_format)
    _choice(interpolation, TRANSFORM_INTERPOLATIONS, "interpolation")
    _choice(fill_mode, FILL_MODES, "fill_mode")
    return rules.spec(shape, dtype)


@op(_elastic_rule, module="image")
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Randomly displaces pixels by a smoothed noise field of strength ``alpha``.

    Args:
        images: rank 3 or 4 images.
        alpha: the displacement scale (pixels).
        sigma: the smoothing of the displacement field.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode, fill_value: how to sample outside the image.
        seed: None, an int or a ``lamina.random.SeedGenerator``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> ops.image.elastic_transform(np.ones((8, 8, 1)), seed=0).shape
        (8, 8, 1)
    """


def _scale_translate_rule(images, output_shape, scale, translation, spatial_dims, method,
                          antialias=True):
    shape = rules.shape_of(images, "images")
    dtype = rules.tensor_dtype(images, "images")
    _choice(method, SCALE_AND_TRANSLATE_METHODS, "method")
    out = tuple(output_shape)
    if len(out) != len(shape):
        raise ValueError(f"expected `output_shape` of rank {len(shape)}, received {out}.")
    return rules.spec(out, dtype if dtype in dtypes.FLOAT_TYPES else "float32")


@op(_scale_translate_rule, module="image")
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples ``images`` along ``spatial_dims``: input coordinate ``x`` lands
    at ``x * scale + translation`` (like ``jax.image.scale_and_translate``).

    Args:
        images: an n-D tensor.
        output_shape: the output shape (all dims).
        scale, translation: one value per spatial dim.
        spatial_dims: the axes to resample.
        method: ``"linear"``, ``"cubic"``, ``"lanczos3"``, ``"lanczos5"`` (and aliases).
        antialias: filter when downsampling.

    Example:
        >>> ops.image.scale_and_translate(np.ones((4, 4)), (2, 2), np.array([0.5, 0.5]),
        ...                               np.zeros(2), (0, 1), "linear").shape
        (2, 2)
    """
