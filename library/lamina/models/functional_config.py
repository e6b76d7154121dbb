"""Functional models to the Keras 3 config format and back.

A functional config lists every operation of the graph (layers, and
``lamina.ops`` calls recorded on KerasTensors) with its ``inbound_nodes``: the
arguments of each call, where tensors appear as ``__keras_tensor__`` records
naming the operation, node and output index that produced them. ``input_layers``
and ``output_layers`` point at tensors the same way. Op calls use Keras's
operation classes (``keras.src.ops.numpy.Concatenate``...) looked up in a fixed
table (:mod:`lamina.saving.op_table`), so files written by Keras load here and
the reverse.

Example:
    >>> inputs = lamina.Input((3,))
    >>> model = lamina.Model(inputs, lamina.layers.Dense(2)(inputs))
    >>> config = functional_config(model)
    >>> sorted(config)
    ['input_layers', 'layers', 'name', 'output_layers', 'trainable']
"""

import inspect

from lamina import tree
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.ops.dispatch import OpCall
from lamina.ops.operation import Operation
from lamina.saving import object_registry, op_table
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

# InputLayer belongs in every functional config; make sure files can name it.
if object_registry.find_builtin("InputLayer", "keras.layers") is None:
    object_registry.keras_export("keras.layers")(InputLayer)


def _is_functional(op):
    from lamina.models.functional import Functional

    return isinstance(op, Functional)


def _functional_like(cls):
    from lamina.models.functional import Functional

    init = cls.__init__
    if init is Functional.__init__:
        return True
    try:
        params = list(inspect.signature(init).parameters.values())
    except (TypeError, ValueError):
        return False
    names = [p.name for p in params[1:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.POSITIONAL_ONLY)]
    var = {p.kind for p in params}
    if names[:2] == ["inputs", "outputs"] and len(names) <= 3:
        return True
    return inspect.Parameter.VAR_POSITIONAL in var and inspect.Parameter.VAR_KEYWORD in var


def _own_nodes(model):
    own = {id(node) for node in model._nodes}
    for t in model._flat_inputs:
        history = t._keras_history
        if history is not None:
            own.add(id(history.operation._inbound_nodes[history.node_index]))
    return own


def functional_config(model):
    """The Keras 3 config of a functional model (see the module docstring).

    Example:
        >>> functional_config(model)["output_layers"]
        ['dense', 0, 0]
    """
    from lamina.models.model import Model

    if not _functional_like(type(model)):
        return Model.get_config(model)
    own = _own_nodes(model)

    # Keras quirk, kept for compatibility: a nested functional model's node index is
    # shifted by one in input_layers/output_layers (not in node arguments).
    def new_index(op, node_index, shift=False):
        kept = 1 if shift and _is_functional(op) else 0
        for node in op._inbound_nodes[:node_index]:
            if id(node) in own:
                kept += 1
        return kept

    def tensor_ref(t, shift=False):
        op, node_index, tensor_index = t._keras_history
        return [op.name, new_index(op, node_index, shift), tensor_index]

    def serialize_arg(x):
        if isinstance(x, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(x.shape), "dtype": x.dtype,
                               "keras_history": tensor_ref(x)}}
        return serialize_keras_object(x)

    layers = []
    for op in model._operations:
        nodes = []
        for node in op._inbound_nodes:
            if id(node) not in own or not node.input_tensors:
                continue
            if isinstance(op, OpCall):
                args, kwargs = _opcall_node_arguments(op, node)
            else:
                args, kwargs = node.call_args, node.call_kwargs
            nodes.append({"args": _to_json_lists(tree.map_structure(serialize_arg, list(args))),
                          "kwargs": _to_json_lists(tree.map_structure(serialize_arg, dict(kwargs)))})
        if isinstance(op, OpCall):
            layer_config = _opcall_config(op)
        else:
            layer_config = serialize_keras_object(op)
        layer_config["name"] = op.name
        layer_config["inbound_nodes"] = nodes
        layers.append(layer_config)

    def refs(structure):
        return _to_json_lists(tree.map_structure(lambda t: tensor_ref(t, shift=True), structure))

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": refs(model._inputs_struct), "output_layers": refs(model._outputs_struct)}


def _to_json_lists(x):
    if isinstance(x, (list, tuple)):
        return [_to_json_lists(v) for v in x]
    if isinstance(x, dict) and "class_name" not in x:
        return {k: _to_json_lists(v) for k, v in x.items()}
    return x


# -- op calls -----------------------------------------------------------------------------
def _op_entry(op):
    found = op_table.lookup_function(op.fn)
    if found is None:
        raise ValueError(
            f"Cannot save the functional model: the op {op.op_name!r} (node {op.name!r}) has no "
            "Keras operation class, so a .keras file could not describe it. Wrap it in a layer."
        )
    return found


def _bound_arguments(op, args, kwargs):
    signature = inspect.signature(op.fn)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _opcall_config(op):
    module, class_name, (fn_name, init_params, _) = _op_entry(op)
    node = op._inbound_nodes[0]
    arguments = _bound_arguments(op, node.call_args, node.call_kwargs)
    config = {"name": op.name}
    for p in init_params:
        if p in arguments:
            config[p] = serialize_keras_object(arguments[p])
    return {"module": f"keras.src.ops.{module}", "class_name": class_name, "config": config,
            "registered_name": class_name}


def _opcall_node_arguments(op, node):
    _, _, (_, _, call_params) = _op_entry(op)
    arguments = _bound_arguments(op, node.call_args, node.call_kwargs)
    args = []
    for p in call_params:
        if p.startswith("*"):
            args.extend(arguments.get(p[1:], ()))
        else:
            args.append(arguments.get(p))
    while args and args[-1] is None and len(args) > 1:
        args.pop()
    return args, {}


class _FileOp:
    """An op node named in a file: builds the lamina op call with the saved arguments."""

    def __init__(self, name, module, entry, init_kwargs):
        self.fn_name, self.init_params, self.call_params = entry
        self.fn = op_table.lamina_function(module, self.fn_name)
        if self.fn is None:
            raise ValueError(f"lamina has no op {self.fn_name!r} (Keras class in {module!r}).")
        self.name = name
        self.init_kwargs = init_kwargs
        self.op = None
        self._inbound_nodes = []

    def __call__(self, *args, **kwargs):
        named = dict(self.init_kwargs)
        variadic = ()
        for p, value in zip(self.call_params, args):
            if p.startswith("*"):
                variadic = args[self.call_params.index(p):]
                break
            named[p] = value
        named.update(kwargs)
        call_args, call_kwargs = _arrange(self.fn, named, variadic)
        op = OpCall(self.fn, self.fn.rule, self.fn.op_name)
        op.name = self.name if not self._inbound_nodes else op.name
        outputs = op(*call_args, **call_kwargs)
        self.op = self.op or op
        self._inbound_nodes.extend(op._inbound_nodes)
        return outputs


def _arrange(fn, named, variadic):
    """Positional and keyword arguments for ``fn`` from argument names."""
    args, kwargs, positional = [], {}, True
    for p in inspect.signature(fn).parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            if positional:
                args.extend(variadic)
            continue
        if p.name not in named:
            positional = False
            continue
        if positional and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            args.append(named.pop(p.name))
        else:
            kwargs[p.name] = named.pop(p.name)
    if named:
        raise ValueError(f"ops.{fn.op_name}: unexpected saved arguments {sorted(named)}.")
    return args, kwargs


# -- loading --------------------------------------------------------------------------------
def _require(condition, message):
    if not condition:
        raise ValueError(f"Invalid functional model config: {message}")


def functional_from_config(cls, config, custom_objects=None, layer_fn=None):
    """Rebuilds a functional model from :func:`functional_config`'s output.

    Layers are created by :func:`deserialize_keras_object` (registry names only)
    or by ``layer_fn(layer_config)`` when given; op nodes come from the fixed
    op table. Then every recorded call is replayed on the rebuilt tensors.

    Example:
        >>> model = functional_from_config(lamina.Model, config)
    """
    _require(isinstance(config, dict), "the config must be a dict.")
    config = dict(config)
    for key in ("layers", "input_layers", "output_layers"):
        _require(key in config, f"missing {key!r}.")
    layer_list = config.pop("layers")
    _require(isinstance(layer_list, list), "'layers' must be a list.")
    created, pending, order = {}, {}, []

    for layer_data in layer_list:
        _require(isinstance(layer_data, dict), "each layer must be a dict.")
        name = layer_data.get("name")
        _require(isinstance(name, str), f"a layer has no valid name: {layer_data.get('class_name')!r}.")
        _require(name not in created, f"two layers are named {name!r}.")
        found = op_table.lookup_class(layer_data.get("module"), layer_data.get("class_name"))
        if found is not None:
            module, entry = found
            inner = dict(layer_data.get("config") or {})
            inner.pop("name", None)
            unknown = set(inner) - set(entry[1])
            _require(not unknown, f"op {layer_data['class_name']!r} has unknown arguments {unknown}.")
            init = {k: deserialize_keras_object(v) for k, v in inner.items()}
            layer = _FileOp(name, module, entry, init)
        else:
            if layer_fn is not None:
                layer = layer_fn(layer_data)
            else:
                layer = deserialize_keras_object(layer_data, custom_objects=custom_objects)
            if not isinstance(layer, Operation):
                raise ValueError(
                    f"Invalid functional model config: {layer_data.get('class_name')!r} is not a "
                    "layer or operation."
                )
        created[name] = layer
        order.append(name)
        nodes = layer_data.get("inbound_nodes", [])
        _require(isinstance(nodes, list), f"inbound_nodes of {name!r} must be a list.")
        if nodes:
            pending[name] = list(nodes)

    def resolve(ref, shift=False):
        _require(isinstance(ref, (list, tuple)) and len(ref) == 3, f"bad tensor reference {ref!r}.")
        layer_name, node_index, tensor_index = ref
        _require(layer_name in created, f"unknown layer {layer_name!r}.")
        _require(isinstance(node_index, int) and isinstance(tensor_index, int),
                 f"bad tensor reference {ref!r}.")
        layer = created[layer_name]
        if shift and _is_functional(layer):
            node_index -= 1
        if node_index < 0:
            raise ValueError(f"Invalid functional model config: bad node index in {ref!r}.")
        if node_index >= len(layer._inbound_nodes):
            raise IndexError(ref)
        outputs = layer._inbound_nodes[node_index].output_tensors
        _require(tensor_index < len(outputs), f"bad tensor index in {ref!r}.")
        return outputs[tensor_index]

    def revive(x):
        if isinstance(x, dict):
            if x.get("class_name") == "__keras_tensor__":
                history = (x.get("config") or {}).get("keras_history")
                return resolve(history)
            if "class_name" in x:
                return deserialize_keras_object(x, custom_objects=custom_objects)
            return {k: revive(v) for k, v in x.items()}
        if isinstance(x, list):
            return [revive(v) for v in x]
        return x

    def process(layer, node_data):
        if isinstance(node_data, list):
            raise ValueError(
                "Invalid functional model config: legacy (tf.keras) inbound node lists are not "
                "supported; re-save the model with Keras 3."
            )
        _require(isinstance(node_data, dict), "an inbound node must be a dict.")
        args = revive(node_data.get("args", []))
        kwargs = revive(node_data.get("kwargs", {}))
        _require(isinstance(args, list) and isinstance(kwargs, dict), "bad node arguments.")
        layer(*args, **kwargs)

    while pending:
        progressed = False
        for name in order:
            if name not in pending:
                continue
            layer, queue = created[name], pending[name]
            while queue:
                try:
                    process(layer, queue[0])
                except IndexError:
                    break
                queue.pop(0)
                progressed = True
            if not queue:
                del pending[name]
        if not progressed:
            raise ValueError(
                "Invalid functional model config: the graph has loops or disconnected nodes "
                f"(unresolved: {sorted(pending)})."
            )

    def tensors(structure):
        if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
            return resolve(structure, shift=True)
        if isinstance(structure, dict):
            return {k: tensors(v) for k, v in structure.items()}
        if isinstance(structure, (list, tuple)):
            return [tensors(v) for v in structure]
        raise ValueError(f"Invalid functional model config: bad tensor reference {structure!r}.")

    try:
        inputs = tensors(config.pop("input_layers"))
        outputs = tensors(config.pop("output_layers"))
    except IndexError as e:
        raise ValueError(f"Invalid functional model config: unknown node {e}.") from None
    name = config.pop("name", None)
    trainable = config.pop("trainable", True)
    from lamina.models.functional import Functional

    if cls is Functional or not _functional_like(cls) or cls.__init__ is Functional.__init__:
        extra = {}
    else:
        extra = config
    model = cls(inputs=inputs, outputs=outputs, name=name, **extra)
    if trainable is not None:
        model.trainable = trainable
    return model
