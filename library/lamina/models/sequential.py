"""Sequential: a plain stack of layers, each feeding the next.

Example:
    >>> model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    >>> model.output_shape
    (None, 2)
"""

from lamina import tree
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.layer import Layer
from lamina.models.model import Model
from lamina.saving.object_registry import keras_export


@keras_export("keras.models")
@keras_export("keras")
class Sequential(Model):
    """A model made of a list of layers applied one after the other.

    It builds as soon as it knows its input shape: from a first ``Input`` or
    ``InputLayer``, a first layer given ``input_shape=``, ``build(shape)``, or
    the first call on data.

    Args:
        layers: the layers, in order.
        trainable: whether the model's weights are trainable.
        name: the model name.

    Example:
        >>> model = lamina.Sequential()
        >>> model.add(lamina.layers.Dense(8, activation="relu"))
        >>> model.add(lamina.layers.Dense(1))
        >>> model(np.ones((2, 3))).shape
        (2, 1)
    """

    def __new__(cls, *args, **kwargs):
        return Layer.__new__(cls)

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Model.__init__(self, trainable=trainable, name=name, **kwargs)
        self._layers_list = []
        self._functional = None
        self._input_layer = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or an ``Input`` tensor) to the stack.

        Example:
            >>> model.add(lamina.layers.Dense(4))
        """
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            origin = layer._keras_history.operation
            if isinstance(origin, InputLayer):
                layer = origin
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Sequential.add expected a Layer, received {type(layer).__name__}: {layer!r}."
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._layers_list:
                raise ValueError(
                    "Sequential: an InputLayer can only be the first layer of the model."
                )
            self._input_layer = layer
        else:
            if not self._layers_list and self._input_layer is None and \
                    getattr(layer, "_input_shape_arg", None) is not None:
                self._input_layer = InputLayer(batch_shape=layer._input_shape_arg)
            if any(existing.name == layer.name for existing in self._layers_list):
                raise ValueError(
                    f"Sequential: all layers must have unique names; {layer.name!r} is already "
                    "in the model."
                )
            self._layers_list.append(layer)
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer.

        Example:
            >>> model.pop()
        """
        if not self._layers_list:
            raise ValueError("Sequential.pop: the model has no layers to remove.")
        layer = self._layers_list.pop()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        if self._input_layer is not None and self._layers_list:
            self.build(self._input_layer.batch_shape)
        elif self._input_layer is not None:
            self._build_shapes = self._input_layer.batch_shape

    def build(self, input_shape=None):
        """Builds every layer by running the stack on a symbolic input of ``input_shape``."""
        if input_shape is None:
            raise ValueError("Sequential.build needs an input shape, e.g. build((None, 784)).")
        input_shape = tuple(input_shape)
        if self._input_layer is None or tuple(self._input_layer.batch_shape) != input_shape:
            dtype = self._input_layer.dtype if self._input_layer is not None else None
            self._input_layer = InputLayer(batch_shape=input_shape, dtype=dtype)
        from lamina.models.functional import Functional
        from lamina.backend.common.scopes import name_scope

        x = self._input_layer.output
        inputs = x
        with name_scope(self.name, caller=self):
            for layer in self._layers_list:
                x = layer(x)
        self._functional = Functional.__new__(Functional)
        Functional.__init__(self._functional, inputs, x, name=self.name + "_graph")
        self._build_shapes = input_shape
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self._layers_list:
            kwargs = {}
            info = layer._call_info
            if training is not None and (info["training"] or info["var_keyword"]):
                kwargs["training"] = training
            x = layer(x, **kwargs)
        return x

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        first = args[0] if args else None
        shape = getattr(first, "shape", None)
        if shape is not None and not isinstance(first, (list, tuple, dict)):
            self.build((None,) + tuple(shape)[1:])
        else:
            super()._maybe_build(args, kwargs)

    def compute_output_spec(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self._layers_list:
            x = layer.compute_output_spec(x)
        return x

    @property
    def layers(self):
        """The layers, without the input layer."""
        return list(self._layers_list)

    @property
    def _layers(self):
        return list(self._layers_list)

    def _require_built(self, what):
        if self._functional is None:
            raise AttributeError(
                f"Sequential model {self.name!r} has no {what} yet: it is not built. Start it with "
                "an Input, call build(input_shape), or call it on data."
            )
        return self._functional

    @property
    def inputs(self):
        return self._require_built("inputs").inputs

    @property
    def outputs(self):
        return self._require_built("outputs").outputs

    @property
    def input(self):
        return self._require_built("input").input

    @property
    def output(self):
        return self._require_built("output").output

    @property
    def input_shape(self):
        return self._require_built("input_shape").input_shape

    @property
    def output_shape(self):
        return self._require_built("output_shape").output_shape

    @property
    def input_dtype(self):
        return self._input_layer.dtype if self._input_layer is not None else self.compute_dtype

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        layers = []
        if self._input_layer is not None:
            layers.append(serialize_keras_object(self._input_layer))
        layers.extend(serialize_keras_object(layer) for layer in self._layers_list)
        config = {**Layer.get_config(self), "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = self._build_shapes
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.serialization import deserialize_keras_object

        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
            model.add(layer, rebuild=False)
        model._maybe_rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tree.lists_to_tuples(shape))
        return model


