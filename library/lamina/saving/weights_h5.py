"""Model state in HDF5, laid out like Keras 3 (``layers/dense/vars/0``, ``optimizer/vars/0``).

Paths follow the attribute structure: a Sequential or functional model lists
its ``layers`` first, then every other attribute in sorted order (private ones
last) that holds a layer, an optimizer, or a list/dict of them. Objects in a
list are named by their class in snake case (``dense``, ``dense_1``...), each
object's own variables go in ``<path>/vars/<i>``, and an object reached twice
is written once, at its first path.

Loading is two-phase: every value is read and checked against its variable
(count and shape) before any variable is assigned, so a file that does not
match leaves the model untouched.

Example:
    >>> with h5py.File("m.weights.h5", "w") as f:
    ...     save_state(model, f)
"""

import warnings

import numpy as np

_REF_DIRS = {}
_MAX_WEIGHT_BYTES = 1 << 34


def _kind(obj):
    from lamina.layers.layer import Layer
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential
    from lamina.optimizers.optimizer import Optimizer

    if isinstance(obj, Sequential):
        return "Sequential"
    if isinstance(obj, Functional):
        return "Functional"
    if isinstance(obj, Layer):
        return "Layer"
    if isinstance(obj, Optimizer):
        return "Optimizer"
    return None


def _skipset(kind):
    found = _REF_DIRS.get(kind)
    if found is not None:
        return found
    from lamina.layers.layer import Layer
    from lamina.optimizers.optimizer import Optimizer

    if kind == "Optimizer":
        ref = Optimizer.__new__(Optimizer)
        Optimizer.__init__(ref, 1.0, name="lamina_reference_optimizer")
        skip = set(dir(ref)) - {"variables"}
    else:
        ref = Layer(name="lamina_reference_layer")
        skip = set(dir(ref))
        skip.add("_layers_cache")  # cached sub-layers: saved under their own attributes
        if kind == "Functional":
            skip |= {"operations", "_operations", "_nodes", "_flat_inputs", "_flat_outputs",
                     "_inputs_struct", "_outputs_struct", "_node_kwargs"}
        elif kind == "Sequential":
            skip |= {"_functional", "_input_layer", "_layers_list"}
    _REF_DIRS[kind] = skip
    return skip


def _name_key(name):
    return f"~{name}" if name.startswith("_") else name


def _walk(obj, kind):
    skip = _skipset(kind if kind in ("Functional", "Sequential", "Optimizer") else "Layer")
    if kind in ("Functional", "Sequential"):
        yield "layers", obj.layers
    for attr in sorted(dir(obj), key=_name_key):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            value = getattr(obj, attr)
        except Exception:
            continue
        yield attr, value


def _snake(name):
    from lamina.ops.operation import to_snake_case

    return to_snake_case(name)


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _own_variables(obj):
    from lamina.optimizers.optimizer import Optimizer

    if isinstance(obj, Optimizer):
        return list(obj.variables)
    return list(obj._own_trainable) + list(obj._own_non_trainable)


def visit(root):
    """Yields ``(path, object)`` for every saveable object, Keras's order and names.

    Example:
        >>> [path for path, _ in visit(model)]
        ['', 'layers/dense', 'optimizer']
    """
    seen = set()
    out = []

    def state(obj, path):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        out.append((path, obj))
        kind = _kind(obj)
        for attr, value in _walk(obj, kind):
            child = f"{path}/{attr}" if path else attr
            if _kind(value) is not None:
                state(value, child)
            elif isinstance(value, (list, tuple, dict)):
                container(value, child, set())

    def container(items, path, seen_containers):
        if id(items) in seen_containers:
            return
        seen_containers.add(id(items))
        used = {}
        values = list(items.values()) if isinstance(items, dict) else list(items)
        for value in values:
            if _kind(value) is not None:
                state(value, f"{path}/{_unique(_snake(type(value).__name__), used)}")
            elif isinstance(value, (list, tuple, dict)):
                container(value, f"{path}/{_unique('container', used)}", seen_containers)

    state(root, "")
    return out


def _to_numpy(variable):
    value = variable.numpy() if hasattr(variable, "numpy") else np.asarray(variable)
    return np.asarray(value)


def save_state(model, h5file):
    """Writes the model's (and its optimizer's) variables into an open ``h5py.File``.

    Example:
        >>> with h5py.File(path, "w") as f:
        ...     save_state(model, f)
    """
    sync = getattr(model, "_sync_state", None)
    if callable(sync):
        sync()
    for path, obj in visit(model):
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        if isinstance(getattr(obj, "name", None), str):
            group.attrs["name"] = obj.name
        custom = getattr(type(obj), "save_own_variables", None)
        if custom is not None and _is_user_override(type(obj), "save_own_variables"):
            obj.save_own_variables(_WriteStore(group))
            continue
        for i, variable in enumerate(_own_variables(obj)):
            value = _to_numpy(variable)
            if str(value.dtype) == "bfloat16":
                ds = group.create_dataset(str(i), data=value.view(np.uint16))
                ds.attrs["dtype"] = "bfloat16"
            else:
                group.create_dataset(str(i), data=value)


def _is_user_override(cls, method):
    from lamina.layers.layer import Layer
    from lamina.optimizers.optimizer import Optimizer

    impl = getattr(cls, method, None)
    return impl is not None and impl is not getattr(Layer, method, None) and \
        impl is not getattr(Optimizer, method, None)


class _WriteStore(dict):
    def __init__(self, group):
        super().__init__()
        self.group = group

    def __setitem__(self, key, value):
        self.group.create_dataset(str(key), data=np.asarray(value))


class _ReadStore:
    """A read-only, validated view of one ``vars`` group."""

    def __init__(self, group, path):
        self.group = group
        self.path = path

    def keys(self):
        return [] if self.group is None else list(self.group.keys())

    def __len__(self):
        return len(self.keys())

    def __contains__(self, key):
        return key in self.keys()

    def __getitem__(self, key):
        return read_dataset(self.group, key, self.path)


def _hard_child(group, name, path):
    import h5py

    link = group.get(name, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        raise ValueError(
            f"Invalid weights file: {path!r} is a {type(link).__name__}; only plain HDF5 groups "
            "and datasets are accepted (no links to other files)."
        )
    return group[name]


def read_dataset(group, key, path="", expected_shape=None):
    """Reads one dataset after checking it is a plain, local, reasonably sized array.

    Example:
        >>> read_dataset(group, "0", "layers/dense/vars", (3, 4))
    """
    import h5py

    where = f"{path}/vars/{key}" if path else f"vars/{key}"
    ds = _hard_child(group, key, where) if group is not None else None
    if ds is None:
        raise ValueError(f"Invalid weights file: missing dataset {where!r}.")
    if not isinstance(ds, h5py.Dataset):
        raise ValueError(f"Invalid weights file: {where!r} is not a dataset.")
    if ds.is_virtual or ds.external:
        raise ValueError(f"Invalid weights file: {where!r} refers to data outside the file.")
    if expected_shape is not None and tuple(ds.shape) != tuple(expected_shape):
        raise ValueError(
            f"Weight shape mismatch at {where!r}: the file has shape {tuple(ds.shape)}, the model "
            f"expects {tuple(expected_shape)}."
        )
    if ds.dtype.kind not in "biufc":
        raise ValueError(f"Invalid weights file: {where!r} has non-numeric dtype {ds.dtype}.")
    if ds.size * ds.dtype.itemsize > _MAX_WEIGHT_BYTES:
        raise ValueError(f"Invalid weights file: {where!r} is too large.")
    value = ds[()]
    if ds.attrs.get("dtype") == "bfloat16":
        import ml_dtypes

        value = np.asarray(value).view(ml_dtypes.bfloat16)
    return np.asarray(value)


def _vars_group(h5file, path):
    import h5py

    group = h5file
    parts = (path.split("/") if path else []) + ["vars"]
    for i, part in enumerate(parts):
        child = _hard_child(group, part, "/".join(parts[:i + 1]))
        if child is None:
            return None
        if not isinstance(child, h5py.Group):
            raise ValueError(f"Invalid weights file: {'/'.join(parts[:i + 1])!r} is not a group.")
        group = child
    return group


def plan_load(model, h5file, skip_mismatch=False):
    """Reads and checks every value; returns ``[(variable, value)]`` without assigning.

    Raises:
        ValueError: a variable count or shape differs from the model (unless
            ``skip_mismatch``), or the file is malformed.
    """
    from lamina.optimizers.optimizer import Optimizer

    plan, custom = [], []
    for path, obj in visit(model):
        group = _vars_group(h5file, path)
        if _is_user_override(type(obj), "load_own_variables"):
            custom.append((obj, _ReadStore(group, path)))
            continue
        variables = _own_variables(obj)
        keys = [] if group is None else list(group.keys())
        if len(keys) != len(variables):
            if isinstance(obj, Optimizer):
                if variables or keys:
                    warnings.warn(
                        f"Skipping variable loading for optimizer {obj.name!r}: it has "
                        f"{len(variables)} variables, the saved optimizer has {len(keys)}.",
                        stacklevel=3)
                continue
            message = (
                f"Layer {getattr(obj, 'name', path)!r} (at {path or 'the root'!r}) expects "
                f"{len(variables)} variables, but the weights file has {len(keys)} for it."
            )
            if skip_mismatch:
                warnings.warn(message + " Skipping it.", stacklevel=3)
                continue
            raise ValueError(message)
        values = []
        try:
            for i, variable in enumerate(variables):
                values.append(read_dataset(group, str(i), path, tuple(variable.shape)))
        except ValueError as e:
            if skip_mismatch and "mismatch" in str(e):
                warnings.warn(f"{e} Skipping {path!r}.", stacklevel=3)
                continue
            raise
        plan.extend(zip(variables, values))
    return plan, custom


def load_state(model, h5file, skip_mismatch=False):
    """Loads the variables written by :func:`save_state` (validated before assigning).

    Example:
        >>> with h5py.File(path, "r") as f:
        ...     load_state(model, f)
    """
    plan, custom = plan_load(model, h5file, skip_mismatch=skip_mismatch)
    for variable, value in plan:
        variable.assign(value.astype(variable.dtype) if str(value.dtype) != str(variable.dtype)
                        and hasattr(value, "astype") else value)
    for obj, store in custom:
        obj.load_own_variables(store)
    for fn_name in ("train_function", "test_function", "predict_function"):
        if getattr(model, fn_name, None) is not None:
            setattr(model, fn_name, None)
