"""AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D: pooling to a
fixed output size whatever the input size."""

from lamina import ops
from lamina.layers.convolutional.arguments import check_rank
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.backend.config import standardize_data_format
from lamina.saving.object_registry import keras_export

_NAMES = {1: "1 integer", 2: "(height, width) tuple", 3: "(depth, height, width) tuple"}


def _output_size(output_size, n):
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        size = (output_size,) * n
    elif isinstance(output_size, (tuple, list)) and len(output_size) == n:
        size = tuple(output_size)
    else:
        raise TypeError(
            f"`output_size` must be an integer or {_NAMES[n]} "
            f"(tuple of {n} integers). Received: {output_size} of type {type(output_size)}"
        )
    if any(isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in size):
        raise ValueError(f"`output_size` must hold positive integers. Received: {output_size}")
    return size


class BaseAdaptivePooling(Layer):
    """Abstract adaptive pooling: window ``i`` of an axis of length ``L`` pooled
    to ``out`` spans ``[floor(i * L / out), ceil((i + 1) * L / out))``.

    Args:
        output_size: the output spatial size (a tuple of ``rank`` ints).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> layer = lamina.layers.AdaptiveAveragePooling2D(2)
        >>> layer(np.ones((1, 5, 7, 3), "float32")).shape
        (1, 2, 2, 3)
    """

    _rank = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = _output_size(output_size, self._rank)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self._rank)
        if self.data_format == "channels_last":
            return (input_shape[0],) + self.output_size + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + self.output_size

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


class BaseAdaptiveAveragePooling(BaseAdaptivePooling):
    """Adaptive average pooling (see :class:`BaseAdaptivePooling`).

    Example:
        >>> lamina.layers.AdaptiveAveragePooling1D(2)(np.ones((1, 5, 3), "float32")).shape
        (1, 2, 3)
    """

    def call(self, inputs):
        return ops.adaptive_average_pool(inputs, self.output_size, data_format=self.data_format)


class BaseAdaptiveMaxPooling(BaseAdaptivePooling):
    """Adaptive max pooling (see :class:`BaseAdaptivePooling`).

    Example:
        >>> lamina.layers.AdaptiveMaxPooling1D(2)(np.ones((1, 5, 3), "float32")).shape
        (1, 2, 3)
    """

    def call(self, inputs):
        return ops.adaptive_max_pool(inputs, self.output_size, data_format=self.data_format)


@keras_export("keras.layers")
class AdaptiveAveragePooling1D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling of temporal data to ``output_size``.

    Args:
        output_size: int or tuple of 1 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveAveragePooling1D(2)(np.ones((2, 7, 3), "float32")).shape
        (2, 2, 3)
    """

    _rank = 1

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


@keras_export("keras.layers")
class AdaptiveAveragePooling2D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling of images to ``output_size``.

    Args:
        output_size: int or tuple of 2 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveAveragePooling2D(2)(np.ones((2, 5, 7, 3), "float32")).shape
        (2, 2, 2, 3)
    """

    _rank = 2

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


@keras_export("keras.layers")
class AdaptiveAveragePooling3D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling of volumes to ``output_size``.

    Args:
        output_size: int or tuple of 3 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveAveragePooling3D(2)(np.ones((2, 5, 4, 3, 3), "float32")).shape
        (2, 2, 2, 2, 3)
    """

    _rank = 3

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


@keras_export("keras.layers")
class AdaptiveMaxPooling1D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling of temporal data to ``output_size``.

    Args:
        output_size: int or tuple of 1 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveMaxPooling1D(2)(np.ones((2, 7, 3), "float32")).shape
        (2, 2, 3)
    """

    _rank = 1

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


@keras_export("keras.layers")
class AdaptiveMaxPooling2D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling of images to ``output_size``.

    Args:
        output_size: int or tuple of 2 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveMaxPooling2D(2)(np.ones((2, 5, 7, 3), "float32")).shape
        (2, 2, 2, 3)
    """

    _rank = 2

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


@keras_export("keras.layers")
class AdaptiveMaxPooling3D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling of volumes to ``output_size``.

    Args:
        output_size: int or tuple of 3 ints, the output spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.AdaptiveMaxPooling3D(2)(np.ones((2, 5, 4, 3, 3), "float32")).shape
        (2, 2, 2, 2, 3)
    """

    _rank = 3

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)
