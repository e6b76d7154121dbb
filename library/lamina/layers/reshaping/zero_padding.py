"""ZeroPadding1D, ZeroPadding2D and ZeroPadding3D: zeros added at the borders."""

from lamina import ops
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping._pairs import pairs, spatial_axes
from lamina.saving.object_registry import keras_export


class _BaseZeroPadding(Layer):
    _rank = None

    def _setup(self, amounts, data_format):
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self._axes = spatial_axes(self._rank, data_format)
        self._pairs = amounts
        width = [(0, 0)] * (self._rank + 2)
        for axis, pair in zip(self._axes, amounts):
            width[axis] = tuple(pair)
        self._pad_width = tuple(width)
        self.built = True

    def call(self, inputs):
        return ops.pad(inputs, self._pad_width)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (before, after) in zip(self._axes, self._pairs):
            if out[axis] is not None:
                out[axis] += before + after
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


@keras_export("keras.layers")
class ZeroPadding1D(_BaseZeroPadding):
    """Adds zeros at the start and end of the steps axis.

    Args:
        padding: int or ``(before, after)``.
        data_format: ``"channels_last"`` (steps on axis 1) or
            ``"channels_first"`` (steps on axis 2).

    Example:
        >>> lamina.layers.ZeroPadding1D(2)(np.ones((2, 3, 4), "float32")).shape
        (2, 7, 4)
    """

    _rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self._setup((self.padding,), standardize_data_format(data_format))


@keras_export("keras.layers")
class ZeroPadding2D(_BaseZeroPadding):
    """Adds rows and columns of zeros around images.

    Args:
        padding: int, ``(symmetric_height, symmetric_width)`` or
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.ZeroPadding2D(((1, 0), (2, 2)))(np.ones((1, 3, 3, 2), "float32")).shape
        (1, 4, 7, 2)
    """

    _rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = pairs(padding, 2, "padding")
        self._setup(self.padding, standardize_data_format(data_format))


@keras_export("keras.layers")
class ZeroPadding3D(_BaseZeroPadding):
    """Adds zeros around volumes along their three spatial dimensions.

    Args:
        padding: int, 3 ints (symmetric per dimension) or 3 ``(before, after)``
            pairs.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.ZeroPadding3D(1)(np.ones((1, 2, 2, 2, 3), "float32")).shape
        (1, 4, 4, 4, 3)
    """

    _rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = pairs(padding, 3, "padding")
        self._setup(self.padding, standardize_data_format(data_format))
