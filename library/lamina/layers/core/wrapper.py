"""Wrapper: the base class of layers that wrap another layer."""

from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Wrapper(Layer):
    """Base class of layers that wrap and augment another layer (``self.layer``).

    Subclasses implement ``call``; ``build`` builds the wrapped layer and the
    config stores it serialized under ``"layer"``.

    Args:
        layer: the layer to wrap.

    Example:
        >>> class Twice(lamina.layers.Wrapper):
        ...     def call(self, x):
        ...         return self.layer(self.layer(x))
        >>> Twice(lamina.layers.Dense(3))(np.ones((1, 3))).shape
        (1, 3)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer!r} supplied to {type(self).__name__} isn't a supported layer type. "
                "Please ensure the wrapped layer is a lamina layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects,
                                         safe_mode=None)
        return super().from_config({**config, "layer": layer})
