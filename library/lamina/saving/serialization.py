"""Objects to Keras-format config dicts and back, resolving names only through the
registries (see :mod:`lamina.saving.object_registry`).

Safety: a config is data. Deserializing one never imports a module, never
calls a function named in it (functions are only *returned*, and only from an
allow-list of catalogs or objects the caller registered), and never loads
marshalled Python code unless the *caller* passed ``safe_mode=False``.
The safe-mode decision lives in a thread-local stack that only Python code
outside the file can push; a nested call can make it stricter, never looser.

Example:
    >>> serialize_keras_object(lamina.regularizers.L2(0.01))
    {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.01}, 'registered_name': None}
"""

import base64
import threading
import types

import numpy as np

from lamina.saving import object_registry as registry

_PLAIN = (str, int, float, bool, type(None))
_SAFE = threading.local()

# Catalogs whose registered *functions* a file may name (activations, losses...).
# Functions anywhere else (configuration switches, file helpers, model loaders)
# are never resolvable from a config, even if registered as built-ins.
_FUNCTION_MODULES = ("keras.activations", "keras.losses", "keras.metrics", "keras.initializers",
                     "keras.regularizers", "keras.constraints", "keras.ops")
_NEVER_FUNCTIONS = frozenset({"get", "serialize", "deserialize", "load_model", "save_model",
                              "enable_unsafe_deserialization", "get_file"})

_LAMBDA_ERROR = (
    "Refusing to deserialize a Python lambda (marshalled bytecode) in safe mode: loading it could "
    "run arbitrary code. If you wrote this file yourself and trust it, pass safe_mode=False to the "
    "loading function. Nothing inside a file can turn safe mode off."
)


class SafeModeScope:
    """Sets the safe mode of the deserializations run inside the block.

    A scope can only tighten an enclosing one: ``SafeModeScope(False)`` inside
    ``SafeModeScope(True)`` stays safe.

    Example:
        >>> with SafeModeScope(True):
        ...     deserialize_keras_object(config)
    """

    def __init__(self, safe_mode=True):
        self.safe_mode = bool(safe_mode)

    def __enter__(self):
        stack = getattr(_SAFE, "stack", None)
        if stack is None:
            stack = _SAFE.stack = []
        effective = self.safe_mode or (bool(stack) and stack[-1])
        stack.append(effective)
        return self

    def __exit__(self, *exc):
        _SAFE.stack.pop()
        return False


def in_safe_mode():
    """The safe mode of the innermost :class:`SafeModeScope` (None outside any scope).

    Example:
        >>> with SafeModeScope(True):
        ...     in_safe_mode()
        True
    """
    stack = getattr(_SAFE, "stack", None)
    return stack[-1] if stack else None


def _effective_safe_mode(safe_mode):
    scoped = in_safe_mode()
    if scoped is not None:
        # The enclosing scope (set by the caller of load_model) decides, as in Keras;
        # scopes themselves can only tighten (see SafeModeScope).
        return scoped
    # Outside any scope (a direct call, not load_model), the program-level switch
    # lamina.config.enable_unsafe_deserialization() applies, as in Keras. Files cannot
    # reach it: functions are never resolved from lamina.config (see _FUNCTION_MODULES).
    from lamina.backend.config import unsafe_deserialization_enabled

    if unsafe_deserialization_enabled():
        return False
    return True if safe_mode is None else bool(safe_mode)


def contains_python_code(config):
    """True when ``config`` (a JSON tree) carries marshalled Python code anywhere.

    Both the Keras 3 form (``{"class_name": "__lambda__"}``) and the legacy
    tf.keras form (``"function_type": "lambda"``) count.

    Example:
        >>> contains_python_code({"class_name": "__lambda__", "config": {"value": ["..."]}})
        True
    """
    stack = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("class_name") == "__lambda__" or item.get("function_type") == "lambda" \
                    or item.get("output_shape_type") == "lambda":
                return True
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


# -- serializing ---------------------------------------------------------------------------
def serialize_keras_object(obj):
    """Returns a JSON-friendly config of ``obj``.

    Example:
        >>> serialize_keras_object(lamina.activations.relu)["config"]
        'relu'
    """
    from lamina.backend.common.keras_tensor import KerasTensor

    if isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, np.ndarray):
        if obj.ndim > 0:
            return {"class_name": "__numpy__",
                    "config": {"value": obj.tolist(), "dtype": _dtype_name(obj.dtype)}}
        return obj.item()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (list, tuple)):
        out = [serialize_keras_object(v) for v in obj]
        return tuple(out) if isinstance(obj, tuple) else out
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = [history[0].name, history[1], history[2]]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": obj.shape, "dtype": obj.dtype, "keras_history": history}}
    registered = registry._NAMES.get(obj) if _hashable(obj) else None
    if registered is None and _hashable(type(obj)):
        registered = registry._NAMES.get(type(obj))
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        if obj.__name__ == "<lambda>":
            return {"class_name": "__lambda__", "config": {"value": _func_dump(obj)}}
        if registered is not None:
            return {"module": obj.__module__, "class_name": "function", "config": registered,
                    "registered_name": "function"}
        return {"module": "builtins", "class_name": "function", "config": obj.__name__,
                "registered_name": "function"}
    if isinstance(obj, type):
        return {"module": getattr(obj, "_keras_module", obj.__module__), "class_name": obj.__name__,
                "config": None, "registered_name": registered}
    if _is_tensor(obj):
        from lamina import ops

        value = np.asarray(ops.convert_to_numpy(obj))
        return {"class_name": "__tensor__",
                "config": {"value": value.tolist(), "dtype": _dtype_name(value.dtype)}}
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r}: it has no get_config() method. Give the class a "
            "get_config() that returns its constructor arguments."
        )
    cls = type(obj)
    config = {
        "module": getattr(cls, "_keras_module", None) if registered is None else cls.__module__,
        # A class exported under another name is saved under that name, as Keras does.
        "class_name": cls.__dict__.get("_keras_class_name", cls.__name__),
        "config": _serialize_config(obj.get_config()),
        "registered_name": registered,
    }
    if config["module"] is None:
        config["module"] = cls.__module__
    if registered is None and config["module"] == "keras.models" and cls.__name__ == "Functional":
        # Keras names Functional by its internal module (it is not exported as a class).
        config["module"], config["registered_name"] = "keras.src.models.functional", "Functional"
    build_config = getattr(obj, "get_build_config", None)
    if callable(build_config) and getattr(obj, "built", False):
        bc = build_config()
        if bc is not None:
            config["build_config"] = _serialize_config(bc)
    compile_config = getattr(obj, "get_compile_config", None)
    if callable(compile_config):
        cc = compile_config()
        if cc is not None:
            config["compile_config"] = serialize_keras_object(cc)
    return config


def _hashable(obj):
    try:
        hash(obj)
    except TypeError:
        return False
    return True


def _is_tensor(obj):
    module = type(obj).__module__ or ""
    if not module.split(".")[0] in ("jax", "jaxlib", "torch", "tensorflow", "lamina"):
        return False
    from lamina import ops

    try:
        return bool(ops.is_tensor(obj))
    except Exception:
        return False


def _dtype_name(dtype):
    from lamina.backend.common import dtypes

    return dtypes.standardize_dtype(dtype)


def _func_dump(fn):
    import marshal

    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return [code, fn.__defaults__, closure]


def _func_load(value):
    """Rebuilds a function from marshalled code. Only reached with safe mode off."""
    import marshal

    if isinstance(value, (list, tuple)):
        code, defaults, closure = (list(value) + [None, None])[:3]
    else:
        code, defaults, closure = value, None, None
    raw = base64.b64decode(code.encode("ascii") if isinstance(code, str) else code)
    code_obj = marshal.loads(raw)  # noqa: S302 - caller passed safe_mode=False
    if closure is not None:
        closure = tuple(types.CellType(c) for c in closure)
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    import builtins

    return types.FunctionType(code_obj, {"__builtins__": builtins}, code_obj.co_name, defaults,
                              closure)


def _serialize_config(config):
    if isinstance(config, dict):
        return {k: _serialize_config(v) for k, v in config.items()}
    if isinstance(config, (list, tuple)):
        return type(config)(_serialize_config(v) for v in config)
    if isinstance(config, _PLAIN):
        return config
    if isinstance(config, np.generic):
        return config.item()
    return serialize_keras_object(config)


# -- deserializing -------------------------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, module_objects=None,
                             **kwargs):
    """Builds an object from :func:`serialize_keras_object`'s output.

    Names are resolved only through ``custom_objects``, active
    :class:`CustomObjectScope` s, registered objects, ``module_objects`` and
    lamina's built-ins. An unknown name is an error; no module is imported.
    Marshalled Python code (``__lambda__``) is refused unless ``safe_mode=False``
    and no enclosing :class:`SafeModeScope` is safe.

    Example:
        >>> deserialize_keras_object({"module": "keras.initializers", "class_name": "Zeros",
        ...                           "config": {}, "registered_name": None})
    """
    with SafeModeScope(_effective_safe_mode(safe_mode)):
        return _deserialize(config, custom_objects, module_objects, kwargs)


def _deserialize(config, custom_objects, module_objects, kwargs):
    from lamina.backend.common.keras_tensor import KerasTensor

    if config is None:
        return None
    if isinstance(config, str):
        obj = _resolve(config, None, None, custom_objects, module_objects)
        if obj is None:
            raise ValueError(f"Could not interpret {config!r}: unknown name.")
        return obj() if isinstance(obj, type) and kwargs.get("instantiate", True) else obj
    if isinstance(config, (list, tuple)):
        return [_deserialize(c, custom_objects, module_objects, {}) for c in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config:
        return {k: _deserialize(v, custom_objects, None, {}) if isinstance(v, (dict, list)) else v
                for k, v in config.items()}
    class_name = config["class_name"]
    if not isinstance(class_name, str):
        raise ValueError(f"Invalid config: class_name must be a string, received {class_name!r}.")
    inner = config.get("config")
    if class_name == "__lambda__" or config.get("function_type") == "lambda":
        if in_safe_mode() is not False:
            raise ValueError(_LAMBDA_ERROR)
        return _func_load((inner or {}).get("value") if isinstance(inner, dict) else inner)
    special = _special(class_name, inner, custom_objects)
    if special is not _NOTHING:
        return special
    if class_name == "__keras_tensor__":
        tensor = KerasTensor(tuple(inner["shape"]), dtype=inner["dtype"])
        tensor._pre_serialization_keras_history = inner.get("keras_history")
        return tensor
    module = config.get("module")
    registered_name = config.get("registered_name")
    if class_name == "function":
        name = inner if isinstance(inner, str) else None
        obj = _resolve(name, module, registered_name, custom_objects, module_objects, function=True)
        if obj is None:
            raise ValueError(
                f"Could not find the function {name!r} (module {module!r}). Only functions of "
                "lamina's catalogs (activations, losses, metrics...) and functions registered with "
                "@register_keras_serializable or passed in custom_objects can be loaded."
            )
        return obj
    cls = _resolve(class_name, module, registered_name, custom_objects, module_objects)
    if cls is None:
        raise ValueError(
            f"Could not locate class {class_name!r} (module {module!r}, registered name "
            f"{registered_name!r}). Custom classes must be registered with "
            "@lamina.saving.register_keras_serializable or passed in custom_objects."
        )
    if not isinstance(cls, type):
        if callable(cls) and _user_provided(cls, class_name, registered_name, custom_objects,
                                            module_objects):
            return cls
        raise ValueError(
            f"Invalid config: {class_name!r} (module {module!r}) names a function where a class "
            "is expected."
        )
    if inner is None:
        return cls
    if not isinstance(inner, dict):
        raise ValueError(f"Invalid config for {class_name!r}: 'config' must be a dict.")
    with registry.CustomObjectScope(custom_objects or {}):
        from_config = getattr(cls, "from_config", None)
        if from_config is None:
            obj = cls(**inner)
        elif _accepts_custom_objects(from_config):
            obj = from_config(inner, custom_objects=custom_objects)
        else:
            obj = from_config(inner)
        build_config = config.get("build_config")
        if build_config and hasattr(obj, "build_from_config"):
            _build_from_config(obj, build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(obj, "compile_from_config"):
            obj.compile_from_config(compile_config)
    return obj


_NOTHING = object()


def _build_from_config(obj, build_config):
    """Builds ``obj``; a layer without its own ``build`` is built by a symbolic call,
    so that the sub-layers it creates in ``__init__`` get their variables (as in Keras)."""
    from lamina.layers.layer import Layer

    shape = build_config.get("input_shape") if isinstance(build_config, dict) else None
    plain = (isinstance(obj, Layer) and type(obj).build_from_config is Layer.build_from_config
             and not getattr(obj, "built", False) and shape is not None
             and "build" not in _own_methods(type(obj)))
    if not plain:
        obj.build_from_config(build_config)
        return
    from lamina import tree
    from lamina.backend.common.keras_tensor import KerasTensor
    from lamina.backend.common.scopes import name_scope

    spec = tree.map_shape_structure(lambda s: KerasTensor(tuple(s)), tree.lists_to_tuples(shape))
    with name_scope(obj.name, caller=obj):
        obj._maybe_build((spec,), {})


def _own_methods(cls):
    from lamina.layers.layer import Layer

    names = set()
    for klass in cls.__mro__:
        if klass is Layer or not issubclass(klass, Layer):
            break
        names.update(klass.__dict__)
    return names


def _special(class_name, inner, custom_objects):
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        from lamina import ops

        return ops.convert_to_tensor(np.array(inner["value"], dtype=inner["dtype"]))
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(_deserialize(inner.get(k), custom_objects, None, {})
                       for k in ("start", "stop", "step")))
    if class_name == "__tuple__":
        return tuple(_deserialize(v, custom_objects, None, {}) for v in inner["value"])
    return _NOTHING


def _user_provided(obj, class_name, registered_name, custom_objects, module_objects):
    for table in (custom_objects or {}, registry.scoped_objects(), registry._CUSTOM,
                  module_objects or {}):
        for key in (registered_name, class_name):
            if key and table.get(key) is obj:
                return True
    return False


def _accepts_custom_objects(fn):
    import inspect

    try:
        return "custom_objects" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _builtin_function(name, module):
    """A registered catalog function, only from the modules files may name."""
    if name in _NEVER_FUNCTIONS:
        return None
    for public, table in registry._BUILTINS.items():
        if not any(public == m or public.startswith(m + ".") for m in _FUNCTION_MODULES):
            continue
        if module not in (None, "builtins") and not (
                module == public or module.startswith(public.replace("keras.", "keras.src."))
                or module.startswith(public.replace("keras.", "lamina."))
                or module.startswith("lamina.")):
            continue
        obj = table.get(name)
        if obj is not None and callable(obj) and not isinstance(obj, type):
            return obj
    return None


def _resolve(name, module, registered_name, custom_objects, module_objects, function=False):
    if name is None or not isinstance(name, str):
        return None
    for key in (registered_name, name):
        if key and key != "function" and isinstance(key, str):
            obj = registry.get_registered_object(key, custom_objects, module_objects)
            if obj is not None:
                return obj
    if module is not None and not isinstance(module, str):
        return None
    if function:
        return _builtin_function(name, module)
    if isinstance(module, str) and (module == "builtins" or module.startswith("keras")
                                    or module.startswith("lamina")):
        obj = registry.find_builtin(name, None if module == "builtins" else module)
        if obj is None and module != "builtins":
            obj = registry.find_builtin(name)
    elif module is None:
        obj = registry.find_builtin(name)
    else:
        obj = None
    if obj is not None and not isinstance(obj, type):
        # Plain built-in functions are only reachable through the function path.
        return _builtin_function(name, None) if obj is _builtin_function(name, None) else None
    return obj
