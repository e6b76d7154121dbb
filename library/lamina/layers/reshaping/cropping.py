"""Cropping1D, Cropping2D and Cropping3D: remove rows at the borders."""

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping._pairs import pairs, spatial_axes
from lamina.saving.object_registry import keras_export


class _BaseCropping(Layer):
    _rank = None

    def _setup(self, cropping, data_format):
        self.cropping = cropping
        self._pairs = cropping
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self._axes = spatial_axes(self._rank, data_format)
        index = [slice(None)] * (self._rank + 2)
        for axis, (before, after) in zip(self._axes, self._pairs):
            index[axis] = slice(before, -after if after else None)
        self._index = tuple(index)
        self.built = True

    def _cropped(self, input_shape, what):
        out = list(input_shape)
        for axis, (before, after) in zip(self._axes, self._pairs):
            if out[axis] is None:
                continue
            out[axis] -= before + after
            if out[axis] <= 0:
                raise ValueError(
                    f"Layer {self.name!r}: values in `cropping` must be smaller than the "
                    f"corresponding spatial dimension of the input. Received: {what}="
                    f"{tuple(input_shape)}, cropping={self.cropping}"
                )
        return tuple(out)

    def call(self, inputs):
        self._cropped(tuple(inputs.shape), "inputs.shape")
        return inputs[self._index]

    def compute_output_shape(self, input_shape):
        return self._cropped(tuple(input_shape), "input_shape")

    def get_config(self):
        config = {**super().get_config(), "cropping": self.cropping}
        if self._rank > 1:
            config["data_format"] = self.data_format
        return config


@keras_export("keras.layers")
class Cropping1D(_BaseCropping):
    """Crops ``(batch, steps, features)`` inputs along the steps axis.

    Args:
        cropping: int or ``(before, after)``: how many steps to remove at the
            start and at the end.

    Example:
        >>> lamina.layers.Cropping1D((1, 2))(np.ones((2, 6, 3), "float32")).shape
        (2, 3, 3)
    """

    _rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self._setup((cropping,), "channels_last")
        self.cropping = cropping


@keras_export("keras.layers")
class Cropping2D(_BaseCropping):
    """Crops images along height and width.

    Args:
        cropping: int, ``(symmetric_height, symmetric_width)`` or
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.Cropping2D(((1, 0), (2, 2)))(np.ones((2, 6, 8, 3), "float32")).shape
        (2, 5, 4, 3)
    """

    _rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(pairs(cropping, 2, "cropping"), standardize_data_format(data_format))


@keras_export("keras.layers")
class Cropping3D(_BaseCropping):
    """Crops volumes along their three spatial dimensions.

    Args:
        cropping: int, 3 ints (symmetric per dimension) or 3 ``(before, after)``
            pairs.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.Cropping3D(1)(np.ones((2, 4, 4, 4, 3), "float32")).shape
        (2, 2, 2, 2, 3)
    """

    _rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(pairs(cropping, 3, "cropping"), standardize_data_format(data_format))
