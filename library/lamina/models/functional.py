"""Functional models: a graph of layer calls from Input tensors to outputs.

Example:
    >>> inputs = lamina.Input((8,))
    >>> hidden = lamina.layers.Dense(16, activation="relu")(inputs)
    >>> model = lamina.Model(inputs, lamina.layers.Dense(1)(hidden))
    >>> len(model.layers)
    3
"""

from lamina import tree
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.layer import Layer
from lamina.models.model import Model
from lamina.ops.operation import Operation
from lamina.saving.object_registry import keras_export


def _topological_nodes(inputs, outputs):
    """The nodes between ``inputs`` and ``outputs``, each after its parents."""
    input_ids = {id(t) for t in inputs}
    ordered, visiting, done = [], set(), set()

    def visit(tensor, path):
        history = tensor._keras_history
        if history is None:
            raise ValueError(
                f"The output tensor {tensor} was not produced by a layer or op applied to the "
                "model's Input tensors. Functional model outputs must be built from the inputs."
            )
        node = history.operation._inbound_nodes[history.node_index]
        if id(node) in done:
            return
        if id(node) in visiting:
            raise ValueError("The model graph has a cycle.")
        visiting.add(id(node))
        if id(tensor) not in input_ids:
            if node.is_input:
                raise ValueError(
                    f"Functional model: the graph reaches the input {tensor.name or tensor} that "
                    "is not among the model's inputs. Pass every Input the outputs depend on."
                )
            for parent in node.input_tensors:
                visit(parent, path)
            ordered.append(node)
        visiting.discard(id(node))
        done.add(id(node))

    for tensor in outputs:
        visit(tensor, [])
    return ordered


@keras_export("keras.models", "Functional")
class Functional(Model):
    """A model defined by its inputs and outputs (see :class:`lamina.Model`).

    Example:
        >>> a, b = lamina.Input((2,), name="a"), lamina.Input((3,), name="b")
        >>> merged = lamina.ops.concatenate([a, b], axis=-1)
        >>> model = lamina.Model({"a": a, "b": b}, lamina.layers.Dense(1)(merged))
    """

    def __init__(self, inputs, outputs, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to Model: {kwargs}")
        Model.__init__(self, name=name, trainable=trainable, dtype=dtype)
        if isinstance(inputs, dict):
            for key, t in inputs.items():
                if isinstance(t, KerasTensor) and t.name is None:
                    t.name = key
        flat_inputs = tree.flatten(inputs)
        flat_outputs = tree.flatten(outputs)
        for kind, flat in (("inputs", flat_inputs), ("outputs", flat_outputs)):
            for t in flat:
                if not isinstance(t, KerasTensor):
                    raise ValueError(
                        f"Functional model {kind} must be KerasTensors (from lamina.Input and "
                        f"layer calls), received {type(t).__name__}: {t!r}."
                    )
        self._inputs_struct = tree.lists_to_tuples(inputs) if isinstance(inputs, list) else inputs
        self._outputs_struct = outputs
        self._flat_inputs = flat_inputs
        self._flat_outputs = flat_outputs
        self._nodes = _topological_nodes(flat_inputs, flat_outputs)
        operations = []
        for t in flat_inputs:
            op = t._keras_history.operation if t._keras_history else None
            if op is not None and op not in operations:
                operations.append(op)
        for node in self._nodes:
            if node.operation not in operations:
                operations.append(node.operation)
        self._operations = operations
        self._node_kwargs = [self._call_kwargs_info(node) for node in self._nodes]
        self.built = True
        self._build_shapes = tree.map_structure(lambda t: t.shape, self._inputs_struct)
        self.output_names = [t._keras_history.operation.name for t in flat_outputs]
        if isinstance(outputs, dict):
            self.output_names = list(sorted(outputs))

    @staticmethod
    def _call_kwargs_info(node):
        op = node.operation
        accepts_training = False
        if isinstance(op, Layer):
            accepts_training = op._call_info["training"] or op._call_info["var_keyword"]
        return accepts_training and "training" not in node.call_kwargs

    @property
    def layers(self):
        return [op for op in self._operations if isinstance(op, Layer)]

    @property
    def operations(self):
        return list(self._operations)

    @property
    def inputs(self):
        return self._flat_inputs

    @property
    def outputs(self):
        return self._flat_outputs

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return tree.map_structure(lambda t: t.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return tree.map_structure(lambda t: t.shape, self._outputs_struct)

    def _flatten_inputs(self, inputs):
        if isinstance(self._inputs_struct, dict):
            if isinstance(inputs, dict):
                missing = [k for k in self._inputs_struct if k not in inputs]
                if missing:
                    raise ValueError(
                        f"Model {self.name!r} expects inputs named {sorted(self._inputs_struct)}; "
                        f"missing {missing} in the received dict with keys {sorted(inputs)}."
                    )
                return [inputs[k] for k in sorted(self._inputs_struct)]
        elif isinstance(inputs, dict):
            names = [t.name for t in self._flat_inputs]
            if all(n in inputs for n in names):
                return [inputs[n] for n in names]
        flat = tree.flatten(inputs) if isinstance(inputs, (list, tuple, dict)) else [inputs]
        if len(flat) != len(self._flat_inputs):
            raise ValueError(
                f"Model {self.name!r} expects {len(self._flat_inputs)} input(s), but it received "
                f"{len(flat)} input tensors."
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        return self._run_through_graph(inputs, training=training)

    def _run_through_graph(self, inputs, operation_fn=None, call_fn=None, training=None):
        """Runs the graph on ``inputs``; ``operation_fn(op)`` may swap each operation
        (once per operation, so shared layers stay shared) and ``call_fn(op, *args,
        **kwargs)`` may replace each call (``clone_model`` uses both)."""
        flat = self._flatten_inputs(inputs)
        values = {}
        for t, x in zip(self._flat_inputs, flat):
            if x is not None and not isinstance(x, KerasTensor):
                x = self._standardize_input(x, t)
            values[id(t)] = x

        def fetch(obj):
            return values[id(obj)] if isinstance(obj, KerasTensor) else obj

        swapped = {}
        for node, pass_training in zip(self._nodes, self._node_kwargs):
            args = tree.map_structure(fetch, node.call_args)
            kwargs = tree.map_structure(fetch, node.call_kwargs)
            if pass_training and training is not None:
                kwargs["training"] = training
            op = node.operation
            if operation_fn is not None:
                if id(op) not in swapped:
                    swapped[id(op)] = operation_fn(op)
                op = swapped[id(op)]
            outputs = op(*args, **kwargs) if call_fn is None else call_fn(op, *args, **kwargs)
            for t, value in zip(node.output_tensors, tree.flatten(outputs)):
                values[id(t)] = value
        return tree.map_structure(fetch, self._outputs_struct)

    @staticmethod
    def _standardize_input(x, spec):
        from lamina import ops

        if not ops.is_tensor(x):
            x = ops.convert_to_tensor(x)
        if dtypes.standardize_dtype(x.dtype) != spec.dtype:
            x = ops.cast(x, spec.dtype)
        rank, want = len(x.shape), len(spec.shape)
        if rank == want + 1 and x.shape[-1] == 1:
            x = ops.squeeze(x, axis=-1)
        elif rank == want - 1 and spec.shape[-1] == 1:
            x = ops.expand_dims(x, axis=-1)
        return x

    def compute_output_spec(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        values = {id(t): KerasTensor(x.shape, dtype=t.dtype) if isinstance(x, KerasTensor) else x
                  for t, x in zip(self._flat_inputs, flat)}

        def fetch(obj):
            return values[id(obj)] if isinstance(obj, KerasTensor) else obj

        for node in self._nodes:
            args = tree.map_structure(fetch, node.call_args)
            kwargs = tree.map_structure(fetch, node.call_kwargs)
            op = node.operation
            outputs = op.compute_output_spec(*args, **kwargs) if isinstance(op, Operation) else op(*args)
            for t, value in zip(node.output_tensors, tree.flatten(outputs)):
                values[id(t)] = value
        return tree.map_structure(fetch, self._outputs_struct)

    def compute_output_shape(self, input_shape):
        specs = tree.map_shape_structure(lambda s: KerasTensor(s), input_shape)
        return tree.map_structure(lambda t: t.shape, self.compute_output_spec(specs))

    def build(self, input_shape=None):
        self.built = True

    def get_config(self):
        from lamina.models.functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.models.functional_config import functional_from_config

        return functional_from_config(cls, config, custom_objects=custom_objects)


__all__ = ["Functional", "InputLayer"]
