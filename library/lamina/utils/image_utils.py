"""Image files and arrays: ``load_img``, ``save_img``, ``img_to_array``, ``array_to_img`` (Pillow).

Example:
    >>> img = lamina.utils.array_to_img(np.random.rand(8, 8, 3))
    >>> lamina.utils.img_to_array(img).shape
    (8, 8, 3)
"""

import io
import pathlib
import warnings

import numpy as np

from lamina.backend.config import floatx, standardize_data_format
from lamina.saving.object_registry import keras_export

_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil():
    try:
        from PIL import Image
    except ImportError as error:  # pragma: no cover - Pillow ships with matplotlib
        raise ImportError("lamina.utils image helpers need Pillow: pip install pillow") from error
    return Image


def _resample(name):
    Image = _pil()
    if name not in _RESAMPLING:
        raise ValueError(f"Invalid interpolation method {name!r}. Supported methods are "
                         f"{', '.join(_RESAMPLING)}.")
    return getattr(Image.Resampling, name.upper())


@keras_export("keras.utils")
def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Turns a rank-3 array into a PIL image (RGB, RGBA, or grayscale ``L``/``I``).

    Args:
        x: an ``(height, width, channels)`` array (channels first with ``data_format``).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        scale: rescale values to ``[0, 255]`` first (min to 0, max to 255).
        dtype: the dtype the array is read as (default ``floatx()``).

    Returns:
        A ``PIL.Image.Image``.

    Example:
        >>> lamina.utils.array_to_img(np.zeros((4, 4, 1))).mode
        'L'
    """
    Image = _pil()
    data_format = standardize_data_format(data_format)
    x = np.array(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img expected a rank-3 array (one image), received shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x /= peak
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img expected 1, 3 or 4 channels, received {channels}.")


@keras_export("keras.utils")
def img_to_array(img, data_format=None, dtype=None):
    """Turns a PIL image into a rank-3 array.

    Args:
        img: a PIL image (or anything ``np.asarray`` reads as a 2-D or 3-D image).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        dtype: the output dtype (default ``floatx()``).

    Returns:
        A NumPy array of shape ``(height, width, channels)`` (or channels first).

    Example:
        >>> lamina.utils.img_to_array(lamina.utils.array_to_img(np.ones((2, 3, 3)))).shape
        (2, 3, 3)
    """
    data_format = standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x[None] if data_format == "channels_first" else x[:, :, None]
    raise ValueError(f"img_to_array expected a 2-D or 3-D image, received shape {x.shape}.")


@keras_export("keras.utils")
def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes an image array to a file (the format from ``file_format`` or the extension).

    Args:
        path: a path or a file object.
        x: the image array.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        file_format: ``"png"``, ``"jpeg"``, ...; inferred from ``path`` when ``None``.
        scale: rescale values to ``[0, 255]`` first.
        **kwargs: passed to ``PIL.Image.Image.save``.

    Example:
        >>> lamina.utils.save_img("/tmp/x.png", np.random.rand(8, 8, 3))
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


@keras_export("keras.utils")
def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Reads an image file into a PIL image, optionally resized.

    Args:
        path: a path (str, bytes, ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``.
        target_size: ``(height, width)`` or ``None`` to keep the size.
        interpolation: Pillow's resampling: ``"nearest"``, ``"bilinear"``, ``"bicubic"``,
            ``"hamming"``, ``"box"`` or ``"lanczos"``.
        keep_aspect_ratio: crop the centre to the target aspect ratio before resizing.

    Returns:
        A ``PIL.Image.Image``.

    Example:
        >>> img = lamina.utils.load_img("/tmp/x.png", target_size=(4, 4))
    """
    Image = _pil()
    if isinstance(path, io.BytesIO):
        img = Image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"load_img expected a path or an io.BytesIO, received {type(path).__name__}.")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError(f'load_img: color_mode must be "grayscale", "rgb" or "rgba", received {color_mode!r}.')
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))
        if img.size != size:
            resample = _resample(interpolation)
            if keep_aspect_ratio:
                width, height = img.size
                crop_h = min(height, (width * size[1]) // size[0])
                crop_w = min(width, (height * size[0]) // size[1])
                top, left = (height - crop_h) // 2, (width - crop_w) // 2
                img = img.resize(size, resample, box=[left, top, left + crop_w, top + crop_h])
            else:
                img = img.resize(size, resample)
    return img
