"""Model: a Layer with training (compile, fit, evaluate, predict), saving and a summary.

``Model(inputs, outputs)`` builds a functional model; subclassing ``Model`` and
writing ``call`` gives a subclassed one.

Example:
    >>> class MLP(lamina.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = lamina.layers.Dense(32, activation="relu")
    ...         self.out = lamina.layers.Dense(10)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
"""

from lamina.layers.auto_config import auto_config, capture_init_args
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export
from lamina.trainers.trainer import Trainer


def _is_functional_call(args, kwargs):
    return ("inputs" in kwargs and "outputs" in kwargs) or (
        len(args) == 2 and "outputs" not in kwargs) or (len(args) == 1 and "outputs" in kwargs)


@keras_export("keras.models")
@keras_export("keras")
class Model(Trainer, Layer):
    """A trainable model: layers plus ``compile``, ``fit``, ``evaluate``, ``predict``.

    Three ways to build one:

    * functional: ``Model(inputs, outputs)`` from ``lamina.Input`` tensors;
    * subclassing: define layers in ``__init__`` and the forward pass in ``call``;
    * :class:`lamina.Sequential` for a plain stack.

    Example:
        >>> inputs = lamina.Input((784,))
        >>> outputs = lamina.layers.Dense(10, activation="softmax")(inputs)
        >>> model = lamina.Model(inputs, outputs)
        >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    """

    def __new__(cls, *args, **kwargs):
        if _is_functional_call(args, kwargs):
            from lamina.models.functional import Functional

            if cls is Model:
                return Functional.__new__(Functional)
            if not issubclass(cls, Functional):
                mixed = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
                return Functional.__new__(mixed)
        instance = super().__new__(cls)
        instance._auto_config = capture_init_args(cls, args, kwargs)
        return instance

    def __init__(self, *args, **kwargs):
        from lamina.models.functional import Functional

        if _is_functional_call(args, kwargs):
            if not isinstance(self, Functional):
                # A subclass calling super().__init__(inputs, outputs): become functional.
                cls = type(self)
                self.__class__ = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
            Functional.__init__(self, *args, **kwargs)
            return
        Trainer.__init__(self)
        Layer.__init__(self, **kwargs)

    @property
    def layers(self):
        """The model's direct sub-layers."""
        return self._layers

    def get_layer(self, name=None, index=None):
        """Returns a sub-layer by name or by index.

        Example:
            >>> model.get_layer("dense_1")
        """
        if index is not None and name is not None:
            raise ValueError("get_layer: give either name or index, not both.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"get_layer: index {index} is out of range; model {self.name!r} has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name!r}. Model {self.name!r} has layers "
                f"{[layer.name for layer in layers]}."
            )
        raise ValueError("get_layer needs a name or an index.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts.

        Example:
            >>> model.summary()
        """
        from lamina.utils.summary import print_summary

        print_summary(self, line_length=line_length, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable)

    def _repr_html_(self):
        from lamina.utils.summary import summary_html

        return summary_html(self)

    # -- saving ----------------------------------------------------------------------------
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, compile state) to a ``.keras`` file.

        The file uses the Keras 3 layout (loads in Keras and the reverse). The
        write is atomic: a temporary file in the same folder is renamed over
        ``filepath`` at the end, so an interrupted save never leaves a broken
        file and never destroys the previous one. Loading it back with
        :func:`lamina.models.load_model` is safe by construction: names resolve
        only through lamina's registry and registered custom objects, and no code
        stored in the file runs unless the caller passes ``safe_mode=False``.

        Example:
            >>> model.save("model.keras")
            >>> restored = lamina.models.load_model("model.keras")
        """
        from lamina.saving.saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Saves the variables to a ``.weights.h5`` file (Keras 3 layout, atomic write).

        Example:
            >>> model.save_weights("model.weights.h5")
        """
        from lamina.saving.saving_api import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Loads variables from a ``.weights.h5`` or ``.keras`` file.

        All values are checked against the model (count and shapes) before any
        variable is assigned.

        Example:
            >>> model.load_weights("model.weights.h5")
        """
        from lamina.saving.saving_api import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def get_state_tree(self, value_format="backend_tensor"):
        """All variables as nested dicts keyed by their paths, in four groups:
        ``trainable_variables``, ``non_trainable_variables``, ``optimizer_variables``
        and ``metrics_variables``.

        Args:
            value_format: ``"backend_tensor"`` or ``"numpy_array"``.

        Example:
            >>> state = model.get_state_tree("numpy_array")
            >>> model.set_state_tree(state)
        """
        from lamina.models.state_tree import get_state_tree

        return get_state_tree(self, value_format)

    def set_state_tree(self, state_tree):
        """Assigns the values of a tree returned by :meth:`get_state_tree`.

        Example:
            >>> model.set_state_tree({"trainable_variables": other.get_state_tree()["trainable_variables"]})
        """
        from lamina.models.state_tree import set_state_tree

        set_state_tree(self, state_tree)

    def to_json(self, **kwargs):
        """The model config as a JSON string (see :func:`lamina.models.model_from_json`).

        Example:
            >>> config_string = model.to_json()
        """
        from lamina.saving.saving_api import model_to_json

        return model_to_json(self, **kwargs)

    def get_config(self):
        """The model's constructor arguments as a JSON-friendly dict (a subclassed model extends it).

        Example:
            >>> lamina.Sequential([lamina.layers.Dense(2)], name="m").get_config()["name"]
            'm'
        """
        return auto_config(self, Model, {"name": self.name, "trainable": self.trainable})

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Builds a model from ``get_config()``'s output (functional configs become Functional models).

        Example:
            >>> clone = lamina.Sequential.from_config(model.get_config())
        """
        from lamina.models.functional import Functional

        if "layers" in config and "output_layers" in config:
            return Functional.from_config(config, custom_objects=custom_objects)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"{cls.__name__}.from_config could not rebuild the model from {config}: {e}. "
                "A subclassed model needs get_config() to return its constructor arguments."
            ) from None
