"""Scopes: stateless (variable values swapped for given ones), symbolic, name.

Example:
    >>> v = lamina.Variable(1.0)
    >>> with lamina.StatelessScope(state_mapping=[(v, 2.0)]):
    ...     float(v.value)
    2.0
"""

from lamina.backend.common import global_state


class _Scope:
    _attr = None

    def __enter__(self):
        self._parent = global_state.get_global_attribute(self._attr)
        global_state.set_global_attribute(self._attr, self)
        return self

    def __exit__(self, *exc):
        global_state.set_global_attribute(self._attr, self._parent)
        return False


class StatelessScope(_Scope):
    """Runs code without touching variables: reads see the mapped values and
    assignments are recorded in the scope instead of applied.

    Args:
        state_mapping: pairs ``(variable, value)`` that reads of ``variable`` see.
        collect_losses: whether ``add_loss`` calls are collected in the scope.
        initialize_variables: whether variables created inside are initialized.

    Example:
        >>> with lamina.StatelessScope(state_mapping=[(v, 0.0)]) as scope:
        ...     v.assign(3.0)
        >>> float(scope.get_current_value(v))
        3.0
    """

    _attr = "stateless_scope"

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from lamina.backend.common.variables import Variable
        from lamina.backend import impl

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise TypeError(
                    "StatelessScope expected (Variable, value) pairs in state_mapping, "
                    f"received a {type(variable).__name__} as the key."
                )
            value = impl.core.convert_to_tensor(value, dtype=variable.dtype)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    f"StatelessScope: the value for variable {variable.path!r} has shape "
                    f"{tuple(value.shape)}, expected {variable.shape}."
                )
            self.state_mapping[id(variable)] = value

    def add_loss(self, loss):
        self.losses.append(loss)

    def add_update(self, variable, value):
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable, default=None):
        """The value the scope holds for ``variable`` (``default`` when it holds none)."""
        return self.state_mapping.get(id(variable), default)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        if not self.initialize_variables:
            return False
        # Variables created inside a stateless scope are initialized on exit.
        from lamina.backend.common.variables import initialize_all_variables

        initialize_all_variables()
        return False


def in_stateless_scope():
    return global_state.get_global_attribute("stateless_scope") is not None


def get_stateless_scope():
    return global_state.get_global_attribute("stateless_scope")


class SymbolicScope(_Scope):
    """Marks code that runs on symbolic tensors (shape inference, graph building).

    Example:
        >>> with lamina.SymbolicScope():
        ...     lamina.backend.common.scopes.in_symbolic_scope()
        True
    """

    _attr = "symbolic_scope"


def in_symbolic_scope():
    return global_state.get_global_attribute("symbolic_scope") is not None


class name_scope:
    """Prefixes the names (paths) of variables created inside with ``name/``.

    Args:
        name: the scope name, a non-empty string without ``/``.

    Example:
        >>> with lamina.name_scope("block"):
        ...     lamina.Variable(1.0, name="w").path
        'block/w'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(
                f"name_scope expected a non-empty string without '/', received {name!r}."
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = global_state.get_global_attribute("name_scope_stack", [], set_to_default=True)
        if self.override_parent is not None:
            self._saved = list(stack)
            stack[:] = [s for s in self.override_parent.split("/") if s]
        if self.deduplicate and stack and stack[-1] == self.name:
            return self
        stack.append(self.name)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        stack = global_state.get_global_attribute("name_scope_stack")
        if self._pushed:
            stack.pop()
        if self.override_parent is not None:
            stack[:] = self._saved
        return False


def current_path():
    stack = global_state.get_global_attribute("name_scope_stack")
    return "/".join(stack) if stack else ""
