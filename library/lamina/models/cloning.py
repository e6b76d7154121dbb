"""``clone_model``: a new model with the same architecture and fresh weights.

Example:
    >>> twin = lamina.models.clone_model(model)
    >>> twin is model
    False
"""

from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """Clones a Sequential, functional or subclassed model (new, freshly initialized weights).

    Args:
        model: the model to clone.
        input_tensors: not supported yet (must be None).
        clone_function: ``layer -> new layer``, applied to every layer
            (default: rebuild from ``get_config``).
        call_function: not supported yet (must be None).
        recursive: also apply ``clone_function`` inside nested models.

    Example:
        >>> twin = lamina.models.clone_model(model, clone_function=lambda l: l.__class__.from_config(l.get_config()))
    """
    from lamina.layers.core.input_layer import InputLayer
    from lamina.models.functional import Functional
    from lamina.models.functional_config import functional_from_config
    from lamina.models.sequential import Sequential

    if kwargs:
        raise TypeError(f"clone_model: unexpected arguments {sorted(kwargs)}.")
    if input_tensors is not None or call_function is not None:
        raise NotImplementedError("clone_model: input_tensors and call_function are not supported.")
    fn = clone_function or _default_clone
    if isinstance(model, Sequential):
        layers = []
        if model._input_layer is not None:
            layers.append(InputLayer(batch_shape=model._input_layer.batch_shape,
                                     dtype=model._input_layer.dtype,
                                     name=model._input_layer.name))
        for layer in model.layers:
            if recursive and isinstance(layer, (Sequential, Functional)):
                layers.append(clone_model(layer, clone_function=clone_function, recursive=True))
            else:
                layers.append(fn(layer))
        clone = Sequential(layers, name=model.name, trainable=model.trainable)
        if not clone.built and model.built and model._build_shapes is not None:
            clone.build(model._build_shapes)
        return clone
    if isinstance(model, Functional):
        by_name = {layer.name: layer for layer in model.layers}

        def make(layer_config):
            layer = by_name.get(layer_config.get("name"))
            if layer is None:
                return deserialize_keras_object(layer_config)
            if isinstance(layer, InputLayer):
                return type(layer).from_config(layer.get_config())
            if recursive and isinstance(layer, (Sequential, Functional)):
                return clone_model(layer, clone_function=clone_function, recursive=True)
            if not recursive and isinstance(layer, (Sequential, Functional)) and \
                    clone_function is None:
                return clone_model(layer)
            return fn(layer)

        return functional_from_config(type(model), model.get_config(), layer_fn=make)
    config = serialize_keras_object(model)
    config.pop("compile_config", None)
    return deserialize_keras_object(config)
