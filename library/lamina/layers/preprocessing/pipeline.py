"""Pipeline: applies a list of (preprocessing) layers one after the other."""

from lamina.backend.common.masking import get_keras_mask
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Pipeline(Layer):
    """Calls ``layers`` in order, passing ``training`` (and masks) on to those that take them.

    Unlike ``Sequential`` it is a plain layer: it can go inside a ``tf.data`` map or a model.

    Args:
        layers: a list of layers.
        name: the layer's name.

    Example:
        >>> pipeline = lamina.layers.Pipeline([lamina.layers.RandomFlip(seed=0),
        ...                                    lamina.layers.RandomInvert(seed=0)])
        >>> pipeline(np.ones((2, 4, 4, 3)), training=False).shape
        (2, 4, 4, 3)
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Pipeline: `layers` should be a list of layers. Received: layers={layers!r}")
        self._pipeline_layers = list(layers)
        self.built = True

    @property
    def layers(self):
        """The layers, in the order they are applied."""
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        for layer in self._pipeline_layers:
            kwargs = {}
            if layer._call_info["mask"] and mask is not None:
                kwargs["mask"] = mask
            if layer._call_info["training"] and training is not None:
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
            mask = get_keras_mask(inputs)
        return inputs

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        return {"layers": [serialize_keras_object(layer) for layer in self._pipeline_layers], "name": self.name}

    @classmethod
    def from_config(cls, config):
        from lamina.saving.serialization import deserialize_keras_object

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("Pipeline: the config must hold a `layers` list of serialized layers. "
                             f"Received: layers={layers!r}")
        return cls(**{**config, "layers": [deserialize_keras_object(layer) for layer in layers]})
