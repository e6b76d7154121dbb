"""Operation and Node: the graph that symbolic calls record.

An :class:`Operation` called on real tensors computes; called on KerasTensors
it infers the output spec and records a :class:`Node`, linking its inputs to
its outputs. Layers are Operations; so is every ``lamina.ops`` function applied
to symbolic inputs. Functional models are built by walking these nodes.

Example:
    >>> x = lamina.Input((3,))
    >>> y = lamina.ops.relu(x)
    >>> y._keras_history.operation.name
    'relu'
"""

import collections
import re

from lamina import tree
from lamina.backend.common.global_state import get_uid
from lamina.backend.common.keras_tensor import KerasTensor, any_symbolic

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


def to_snake_case(name):
    # Keras's rule exactly ("Conv2D" -> "conv2d"): .keras weight paths depend on it.
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(prefix):
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


class Operation:
    """A computation that runs eagerly on tensors and symbolically on KerasTensors.

    Subclasses implement ``call`` and ``compute_output_spec``.

    Args:
        name: a name (default: the class name in snake case, made unique).

    Example:
        >>> class Double(lamina.Operation):
        ...     def call(self, x):
        ...         return x * 2
        ...     def compute_output_spec(self, x):
        ...         return lamina.KerasTensor(x.shape, x.dtype)
        >>> Double()(lamina.Input((2,))).shape
        (None, 2)
    """

    def __init__(self, name=None):
        if name is None:
            name = auto_name(to_snake_case(type(self).__name__))
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"{type(self).__name__}: name must be a string without '/', received {name!r}."
            )
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Infers the outputs of a call on KerasTensors and records the node."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def compute_output_spec(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement compute_output_spec().")

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _node_tensors(self, attr, node_index=0):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Operation {self.name!r} has never been called on symbolic inputs, "
                f"so it has no {attr}."
            )
        node = self._inbound_nodes[node_index]
        values = node.input_tensors if attr == "input" else node.output_tensors
        return values[0] if len(values) == 1 else values

    @property
    def input(self):
        """The symbolic input(s) of the first call."""
        return self._node_tensors("input")

    @property
    def output(self):
        """The symbolic output(s) of the first call."""
        return self._node_tensors("output")


class Node:
    """One call of an Operation in a graph: its arguments and its outputs.

    Example:
        >>> node = y._keras_history.operation._inbound_nodes[0]
        >>> node.input_tensors[0] is x
        True
    """

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        flat_inputs = tree.flatten((self.call_args, self.call_kwargs))
        self.input_tensors = [t for t in flat_inputs if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.output_tensors = [t for t in tree.flatten(outputs) if isinstance(t, KerasTensor)]
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                history.operation._outbound_nodes.append(self)
        node_index = len(operation._inbound_nodes) - 1
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = KerasHistory(operation, node_index, i)

    @property
    def is_input(self):
        return not self.input_tensors

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                node = history.operation._inbound_nodes[history.node_index]
                if node not in parents:
                    parents.append(node)
        return parents
