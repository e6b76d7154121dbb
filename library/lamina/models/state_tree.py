"""A model's variables as nested dicts keyed by variable path (``Model.get_state_tree``).

Example:
    >>> tree = model.get_state_tree(value_format="numpy_array")
    >>> tree["trainable_variables"]["sequential"]["dense"]["kernel"].shape
    (4, 2)
"""

GROUPS = ("trainable_variables", "non_trainable_variables", "optimizer_variables",
          "metrics_variables")


def _group_variables(model, group):
    if group == "optimizer_variables":
        return list(model.optimizer.variables) if getattr(model, "optimizer", None) else []
    return list(getattr(model, group))


def _nest(variables, value_format):
    if value_format not in ("backend_tensor", "numpy_array"):
        raise ValueError(
            "get_state_tree: value_format must be 'backend_tensor' or 'numpy_array', "
            f"received {value_format!r}."
        )
    nested, seen = {}, set()
    for variable in variables:
        if variable.path in seen:
            raise ValueError(
                f"get_state_tree: the variable path {variable.path!r} appears twice; give the "
                "layers (and other objects) unique names."
            )
        seen.add(variable.path)
        *parents, leaf = variable.path.split("/")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = variable.value if value_format == "backend_tensor" else variable.numpy()
    return nested


def _flatten(nested, prefix=""):
    for key, value in nested.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, path)
        else:
            yield path, value


def get_state_tree(model, value_format="backend_tensor"):
    """The four variable groups of ``model`` as nested dicts (see ``Model.get_state_tree``)."""
    return {group: _nest(_group_variables(model, group), value_format) for group in GROUPS}


def set_state_tree(model, state_tree):
    """Assigns the values of a tree from :func:`get_state_tree` (unknown paths are errors)."""
    for group, nested in state_tree.items():
        if group not in GROUPS:
            raise ValueError(
                f"set_state_tree: unknown group {group!r}; expected one of {list(GROUPS)}."
            )
        by_path = {v.path: v for v in _group_variables(model, group)}
        for path, value in _flatten(nested):
            if path not in by_path:
                raise ValueError(
                    f"set_state_tree: the model has no {group[:-1].replace('_', ' ')} at path "
                    f"{path!r}."
                )
            by_path[path].assign(value)
