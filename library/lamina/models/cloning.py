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
        input_tensors: KerasTensors (same structure as ``model.input``) to build the
            clone on, instead of new ``Input`` placeholders.
        clone_function: ``layer -> new layer``, applied to every layer
            (default: rebuild from ``get_config``).
        call_function: ``(layer, *args, **kwargs) -> outputs``, called instead of each
            layer call of a functional model (to insert layers, change arguments...).
        recursive: also apply ``clone_function`` inside nested models.

    Example:
        >>> def add_dropout(layer, *args, **kwargs):
        ...     out = layer(*args, **kwargs)
        ...     return lamina.layers.Dropout(0.1)(out) if isinstance(layer, lamina.layers.Dense) else out
        >>> twin = lamina.models.clone_model(model, call_function=add_dropout)
    """
    from lamina.layers.core.input_layer import InputLayer
    from lamina.models.functional import Functional
    from lamina.models.functional_config import functional_from_config
    from lamina.models.sequential import Sequential

    if kwargs:
        raise TypeError(f"clone_model: unexpected arguments {sorted(kwargs)}.")
    fn = clone_function or _default_clone
    if not callable(fn):
        raise ValueError(f"clone_model: clone_function must be callable, received {fn!r}.")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                f"clone_model: call_function works on functional models only; {model.name!r} "
                "is Sequential. Clone it with clone_function, or build it as a functional model."
            )
        layers = []
        if input_tensors is not None:
            layers.append(InputLayer(input_tensor=_single_input(input_tensors, model)))
        elif model._input_layer is not None:
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
    if isinstance(model, Functional) and (input_tensors is not None or call_function is not None):
        return _clone_through_graph(model, fn, input_tensors, call_function, recursive,
                                    clone_function)
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
    if input_tensors is not None or call_function is not None:
        raise ValueError(
            f"clone_model: input_tensors and call_function need a Sequential or functional "
            f"model; {model.name!r} is a subclassed {type(model).__name__}."
        )
    config = serialize_keras_object(model)
    config.pop("compile_config", None)
    return deserialize_keras_object(config)


def _single_input(input_tensors, model):
    from lamina.backend.common.keras_tensor import KerasTensor

    tensors = list(input_tensors) if isinstance(input_tensors, (list, tuple)) else [input_tensors]
    if len(tensors) != 1 or not isinstance(tensors[0], KerasTensor):
        raise ValueError(
            f"clone_model: the Sequential model {model.name!r} takes one input KerasTensor, "
            f"received {input_tensors!r}."
        )
    return tensors[0]


def _clone_through_graph(model, fn, input_tensors, call_function, recursive, clone_function):
    """Re-runs ``model``'s graph on new inputs with cloned layers (and ``call_function``)."""
    from lamina import tree
    from lamina.backend.common.keras_tensor import KerasTensor
    from lamina.layers.core.input_layer import Input, InputLayer
    from lamina.layers.layer import Layer
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    if input_tensors is None:
        input_tensors = tree.map_structure(
            lambda t: Input(batch_shape=t.shape, dtype=t.dtype, name=t.name), model.input)
    else:
        if not all(isinstance(t, KerasTensor) for t in tree.flatten(input_tensors)):
            raise ValueError(
                f"clone_model: input_tensors must be KerasTensors (from lamina.Input or layer "
                f"calls), received {input_tensors!r}."
            )
        if len(tree.flatten(input_tensors)) != len(model.inputs):
            raise ValueError(
                f"clone_model: {model.name!r} has {len(model.inputs)} input(s), received "
                f"{len(tree.flatten(input_tensors))} input tensor(s)."
            )

    def operation_fn(op):
        if not isinstance(op, Layer) or isinstance(op, InputLayer):
            return op
        if recursive and isinstance(op, (Sequential, Functional)):
            return clone_model(op, clone_function=clone_function, recursive=True)
        return fn(op)

    outputs = model._run_through_graph(input_tensors, operation_fn=operation_fn,
                                       call_fn=call_function)
    return Functional(input_tensors, outputs, name=model.name)
