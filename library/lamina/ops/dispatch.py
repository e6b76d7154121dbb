"""The ``@op`` decorator that turns a documented signature into a lamina op.

An op is eager or symbolic depending on its arguments:

* tensors (NumPy, backend tensors, Variables, traced values) go straight to the
  active backend's function of the same name; nothing else runs on this path;
* a KerasTensor anywhere in the arguments makes the op record an
  :class:`~lamina.ops.operation.Operation` node whose output spec comes from the
  op's *shape rule*, without computing anything.

When the backend raises, the shape rule is run on the arguments' specs to turn
the framework's message into one that names the op, what it expected and what
it received.

Example:
    >>> from lamina.ops.dispatch import op
    >>> from lamina.ops import rules
    >>> @op(rules.elementwise_unary)
    ... def negative(x):
    ...     '''Numerical negative, element-wise.'''
"""

import functools

from lamina import tree
from lamina.backend import impl
from lamina.backend.common.keras_tensor import KerasTensor, any_symbolic
from lamina.backend.config import backend as _backend_name
from lamina.ops.operation import Operation, auto_name


class OpCall(Operation):
    """The graph node of one symbolic call of a ``lamina.ops`` function."""

    def __init__(self, fn, rule, op_name):
        super().__init__(name=None if op_name is None else _unique(op_name))
        self.fn = fn
        self.rule = rule
        self.op_name = op_name

    def call(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return run_rule(self.op_name, self.rule, args, kwargs)


def _unique(op_name):
    return auto_name(op_name)


def run_rule(op_name, rule, args, kwargs):
    """Runs a shape rule, prefixing its errors with the op's name."""
    try:
        return rule(*args, **kwargs)
    except (ValueError, TypeError) as e:
        message = str(e)
        if message.startswith(f"ops.{op_name}"):
            raise
        raise type(e)(f"ops.{op_name}: {message}") from None


def _to_spec(x):
    if isinstance(x, KerasTensor) or x is None or isinstance(x, (bool, int, float, complex, str)):
        return x
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        return x
    try:
        return KerasTensor(tuple(None if d is None else int(d) for d in shape), dtype=dtype)
    except (TypeError, ValueError):
        return x


def _diagnose(op_name, rule, args, kwargs, error):
    """Raises a clear error when the rule rejects the inputs; else adds a note."""
    try:
        specs = tree.map_structure(_to_spec, (args, kwargs))
    except Exception:
        specs = (args, kwargs)
    run_rule(op_name, rule, specs[0], specs[1])
    if hasattr(error, "add_note"):
        error.add_note(f"(raised in lamina.ops.{op_name} on the {_backend_name()} backend)")


def _backend_function(module, op_name):
    fn = getattr(getattr(impl, module), op_name, None)
    if fn is None:
        raise AttributeError(
            f"The {_backend_name()} backend has no implementation of ops.{op_name}."
        )
    return fn


def op(rule, module="numpy", name=None, composite=False):
    """Makes a lamina op from a function whose signature and docstring document it.

    Args:
        rule: the shape rule, called with the op's arguments (KerasTensors for
            tensors) and returning the output KerasTensor(s). It raises
            ValueError or TypeError for invalid inputs.
        module: the backend module holding the implementation (``"numpy"``,
            ``"nn"``, ``"math"``, ``"linalg"``, ``"image"``, ``"core"``).
        name: the op name (default: the function's name).
        composite: when True the decorated function's own body is the eager
            implementation (written with other lamina ops) instead of a backend
            function.

    Example:
        >>> @op(rules.elementwise_unary, module="nn")
        ... def relu(x):
        ...     '''Rectified linear unit.'''
    """

    def decorate(fn):
        op_name = name or fn.__name__
        impl_fn = fn if composite else None

        def run(*args, **kwargs):
            nonlocal impl_fn
            if any_symbolic(args, kwargs):
                return OpCall(run, rule, op_name)(*args, **kwargs)
            f = impl_fn
            if f is None:
                f = impl_fn = _backend_function(module, op_name)
            try:
                return f(*args, **kwargs)
            except Exception as e:
                _diagnose(op_name, rule, args, kwargs, e)
                raise

        functools.update_wrapper(run, fn)
        run.rule = rule
        run.op_name = op_name
        return run

    return decorate
