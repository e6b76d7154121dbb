"""The shared base of lamina's image preprocessing layers.

Images are rank 3 (one image) or rank 4 (a batch), channels last or first. Random layers draw
from their ``SeedGenerator`` in the same order as Keras 3, so with the same seed they give the
same images on the backends where lamina's random numbers equal Keras's (jax, tensorflow,
numpy). They are active when called directly or with ``training=True`` and pass inputs through
at inference (``training=False``, as in ``predict``).

Example:
    >>> layer = lamina.layers.RandomFlip(seed=0)
    >>> layer(np.zeros((2, 4, 4, 3)), training=False).shape
    (2, 4, 4, 3)
"""

from lamina import ops
from lamina.backend.config import standardize_data_format
from lamina.layers.layer import Layer


class BaseImagePreprocessingLayer(Layer):
    """Holds ``data_format`` and the factor rules of Keras's image layers.

    Args:
        factor: the layer's strength (a number or a ``(lower, upper)`` pair), when it takes one.
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, data_format=None, **kwargs):
        kwargs.pop("bounding_box_format", None)
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(f"Layer {type(self).__name__} does not take a `factor` argument. "
                             f"Received: factor={factor}")
        self.supports_masking = False
        self.built = True

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        message = (f"{type(self).__name__}: the `factor` argument should be a number (or a list of two "
                   f"numbers) in the range [{low}, {high}]. Received: factor={factor}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(message)
            self.factor = tuple(sorted(factor))
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if not low <= factor <= high:
                raise ValueError(message)
            factor = abs(factor)
            self.factor = (max(-factor, low), factor)
        else:
            raise ValueError(message)

    def _hw_axes(self):
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def _height_width(self, images):
        shape = ops.shape(images)
        if len(shape) not in (3, 4):
            raise ValueError(f"{type(self).__name__} expected images of rank 3 (one image) or 4 (a batch). "
                             f"Received: images.shape={tuple(shape)}")
        h_axis, w_axis = self._hw_axes()
        return shape[h_axis], shape[w_axis]

    @staticmethod
    def _batch(images):
        shape = ops.shape(images)
        return shape[0] if len(shape) == 4 else 1

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class AffineImageLayer(BaseImagePreprocessingLayer):
    """Random geometric layers that resample through ``ops.image.affine_transform``."""

    _FILL_MODES = ("reflect", "wrap", "constant", "nearest")
    _INTERPOLATIONS = ("nearest", "bilinear")

    def _set_fill(self, fill_mode, interpolation, fill_value):
        if fill_mode not in self._FILL_MODES:
            raise NotImplementedError(f"{type(self).__name__}: unknown `fill_mode` {fill_mode!r}. Expected one "
                                      f"of {self._FILL_MODES}.")
        if interpolation not in self._INTERPOLATIONS:
            raise NotImplementedError(f"{type(self).__name__}: unknown `interpolation` {interpolation!r}. "
                                      f"Expected one of {self._INTERPOLATIONS}.")
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def _apply(self, images, matrices):
        images = ops.cast(images, self.compute_dtype)
        unbatched = len(ops.shape(images)) == 3
        if unbatched:
            images = ops.expand_dims(images, 0)
        out = ops.image.affine_transform(images, matrices, interpolation=self.interpolation,
                                         fill_mode=self.fill_mode, fill_value=self.fill_value,
                                         data_format=self.data_format)
        return ops.squeeze(out, 0) if unbatched else out

    def _fill_config(self):
        return {"fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "interpolation": self.interpolation, "seed": self.seed}


def check_factor_pair(layer, factor, name, low=-1.0, high=1.0, low_open=True):
    """``(lower, upper)`` from a number or a pair, each in ``(low, high]`` (``[low, high]`` if not open)."""
    def bad(v):
        return v > high or (v <= low if low_open else v < low)

    message = (f"{type(layer).__name__}: `{name}` should be a number (or a list of two numbers) in the range "
               f"{'(' if low_open else '['}{low}, {high}]. Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or bad(factor[0]) or bad(factor[1]):
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if bad(factor):
            raise ValueError(message)
        return (-abs(factor), abs(factor))
    raise ValueError(message)
