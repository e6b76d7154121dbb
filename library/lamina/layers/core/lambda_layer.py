"""Lambda: wraps a Python function as a layer.

A Python ``lambda`` is saved as marshalled bytecode (as Keras does), and
loading bytecode can run arbitrary code. :meth:`Lambda.from_config` therefore
refuses it unless the caller loads with ``safe_mode=False`` or called
``lamina.config.enable_unsafe_deserialization()``; the decision itself is made
in one place, :func:`lamina.saving.serialization.deserialize_keras_object`.
"""

import codecs
import inspect
import marshal
import types

from lamina import tree
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.scopes import SymbolicScope
from lamina.layers.layer import Layer
from lamina.saving.object_registry import keras_export


@keras_export("keras.layers")
class Lambda(Layer):
    """Wraps an expression, ``function(inputs, **arguments)``, as a layer.

    Prefer a ``Layer`` subclass for anything you want to save: a Python
    lambda is stored as bytecode, which only loads in the same Python version
    and only with ``safe_mode=False``.

    Args:
        function: the function; takes the input as first argument (and
            ``mask``/``training`` if its signature names them).
        output_shape: the output shape without the batch axis, or a function of
            the full input shape (default: inferred by a symbolic call).
        mask: None, a function ``(inputs, mask) -> mask``, or a fixed mask.
        arguments: extra keyword arguments for ``function``.

    Example:
        >>> layer = lamina.layers.Lambda(lambda x: x ** 2)
        >>> layer(np.array([1.0, 2.0]))  # [1.0, 4.0]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable, received {function!r}.")
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        try:
            names = inspect.getfullargspec(function).args
        except TypeError:
            names = []
        self._fn_expects_training_arg = "training" in names
        self._fn_expects_mask_arg = "mask" in names
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            try:
                specs = tree.map_shape_structure(
                    lambda s: KerasTensor(s, dtype=self.compute_dtype), input_shape)
                with SymbolicScope():
                    out = self.call(specs)
                return tree.map_structure(lambda t: t.shape, out)
            except Exception:
                raise NotImplementedError(
                    f"Lambda layer {self.name!r}: could not infer the output shape of the function "
                    f"for input shape {input_shape}. Pass the `output_shape` argument."
                ) from None
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = tree.flatten(input_shape)[0]
        return tree.map_shape_structure(lambda s: (batch_size,) + tuple(s), self._output_shape)

    def get_config(self):
        from lamina.saving.serialization import serialize_keras_object

        config = {"function": _function_config(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_function_config(self._output_shape)
                                      if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = (_function_config(self.mask) if callable(self.mask)
                              else serialize_keras_object(self.mask))
        config["arguments"] = serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer; Python lambdas load only when safe mode is off.

        Args:
            config: the output of :meth:`get_config`.
            custom_objects: extra names for functions in the config.
            safe_mode: ``False`` to allow marshalled lambdas (only if you trust
                the source). ``None`` follows the enclosing load (or the global
                ``enable_unsafe_deserialization()`` switch); safe by default.

        Example:
            >>> Lambda.from_config(config, safe_mode=False)
        """
        config = dict(config)
        config["function"] = _load_function(config["function"], custom_objects, safe_mode)
        if "output_shape" in config:
            value = config["output_shape"]
            if _is_lambda(value) or isinstance(value, dict):
                value = _load_function(value, custom_objects, safe_mode)
            if isinstance(value, list) and all(isinstance(e, (int, type(None))) for e in value):
                value = tuple(value)
            config["output_shape"] = value
        if "mask" in config and isinstance(config["mask"], dict):
            config["mask"] = _load_function(config["mask"], custom_objects, safe_mode)
        if "arguments" in config:
            from lamina.saving.serialization import deserialize_keras_object

            config["arguments"] = deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects, safe_mode=safe_mode)
        return super().from_config(config)


def _is_lambda(config):
    return isinstance(config, dict) and config.get("class_name") == "__lambda__"


def _function_config(fn):
    """Keras's form: a lambda as base64 marshalled bytecode, other callables by name."""
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
        closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if callable(fn):
        from lamina.saving.serialization import serialize_keras_object

        return serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


def _load_function(config, custom_objects, safe_mode):
    """Deserializes a function config; bytecode goes through the one safe-mode check
    of :func:`deserialize_keras_object`, which refuses it unless safe mode is off."""
    from lamina.saving.serialization import deserialize_keras_object

    if _is_lambda(config):
        inner = config.get("config") or {}
        if isinstance(inner, dict) and "code" in inner:
            inner = {"value": [inner.get("code"), inner.get("defaults"), inner.get("closure")]}
        config = {"class_name": "__lambda__", "config": inner}
    return deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
