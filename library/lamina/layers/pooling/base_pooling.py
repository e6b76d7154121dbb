"""BasePooling: max or average pooling over fixed windows."""

from lamina import ops
from lamina.backend.common import conv_utils as cu
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional.arguments import check_rank, standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BasePooling(Layer):
    """Abstract pooling layer over ``pool_dimensions`` spatial axes.

    Args:
        pool_size: int or tuple, the window size.
        strides: int or tuple (None: ``pool_size``).
        pool_dimensions: the number of spatial dimensions (1, 2 or 3).
        pool_mode: ``"max"`` or ``"average"``.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.layers.MaxPooling2D()(np.ones((1, 4, 4, 1), "float32")).shape
        (1, 2, 2, 1)
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_dimensions = pool_dimensions
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, pool_dimensions, "strides")
        if pool_mode not in ("max", "average"):
            raise ValueError(f"`pool_mode` must be either 'max' or 'average'. Received: {pool_mode}.")
        self.pool_mode = pool_mode
        if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
            raise ValueError(
                f"The `padding` argument must be 'valid' or 'same'. Received: padding={padding!r}"
            )
        self.padding = padding
        self._padding = padding.lower()
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._pool = ops.max_pool if pool_mode == "max" else ops.average_pool
        self.built = True

    def call(self, inputs):
        return self._pool(inputs, self.pool_size, strides=self.strides, padding=self._padding,
                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.pool_dimensions)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = []
        for size, k, s in zip(spatial, self.pool_size, self.strides):
            o = cu.conv_output_size(size, k, s, self._padding)
            if o is not None and o <= 0:
                raise ValueError(
                    f"Layer {self.name!r}: computed output size would be negative or zero. "
                    f"Received input shape {input_shape}, pool_size={self.pool_size}, "
                    f"strides={self.strides}, padding={self.padding!r}."
                )
            out.append(o)
        if self.data_format == "channels_last":
            return (input_shape[0],) + tuple(out) + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + tuple(out)

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
