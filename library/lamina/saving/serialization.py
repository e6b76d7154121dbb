"""Objects to Keras-format config dicts and back, resolving names only through the
registries (see :mod:`lamina.saving.object_registry`).

Example:
    >>> serialize_keras_object(lamina.regularizers.L2(0.01))
    {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.01}, 'registered_name': None}
"""

import types

import numpy as np

from lamina.saving import object_registry as registry

_PLAIN = (str, int, float, bool, type(None))


def serialize_keras_object(obj):
    """Returns a JSON-friendly config of ``obj``.

    Example:
        >>> serialize_keras_object(lamina.activations.relu)["config"]
        'relu'
    """
    if isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, (np.generic,)):
        return obj.item()
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    registered = registry._NAMES.get(obj) or registry._NAMES.get(type(obj))
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        if registered is not None:
            return {"module": obj.__module__, "class_name": "function", "config": registered,
                    "registered_name": "function"}
        return {"module": "builtins", "class_name": "function", "config": obj.__name__,
                "registered_name": "function"}
    if isinstance(obj, type):
        return {"module": getattr(obj, "_keras_module", obj.__module__), "class_name": obj.__name__,
                "config": None, "registered_name": registered}
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r}: it has no get_config() method. Give the class a "
            "get_config() that returns its constructor arguments."
        )
    cls = type(obj)
    config = {
        "module": getattr(cls, "_keras_module", None) if registered is None else cls.__module__,
        "class_name": cls.__name__,
        "config": _serialize_config(obj.get_config()),
        "registered_name": registered,
    }
    if config["module"] is None:
        config["module"] = cls.__module__
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


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, module_objects=None,
                             **kwargs):
    """Builds an object from :func:`serialize_keras_object`'s output.

    Names are resolved only through ``custom_objects``, active
    :class:`CustomObjectScope` s, registered objects, ``module_objects`` and
    lamina's built-ins. An unknown name is an error; no module is imported.

    Example:
        >>> deserialize_keras_object({"module": "keras.initializers", "class_name": "Zeros",
        ...                           "config": {}, "registered_name": None})
    """
    if config is None:
        return None
    if isinstance(config, str):
        obj = _resolve(config, None, None, custom_objects, module_objects)
        if obj is None:
            raise ValueError(f"Could not interpret {config!r}: unknown name.")
        return obj() if isinstance(obj, type) and kwargs.get("instantiate", True) else obj
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode, module_objects) for c in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config:
        return config
    class_name = config["class_name"]
    if not isinstance(class_name, str):
        raise ValueError(f"Invalid config: class_name must be a string, received {class_name!r}.")
    inner = config.get("config")
    module = config.get("module")
    registered_name = config.get("registered_name")
    if class_name == "function":
        name = inner if isinstance(inner, str) else None
        obj = _resolve(name, module, registered_name, custom_objects, module_objects, function=True)
        if obj is None:
            raise ValueError(
                f"Could not find the function {name!r} (module {module!r}). Register it with "
                "@register_keras_serializable or pass it in custom_objects."
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
        return cls
    if inner is None:
        return cls
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
            obj.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(obj, "compile_from_config"):
            obj.compile_from_config(compile_config)
    return obj


def _accepts_custom_objects(fn):
    import inspect

    try:
        return "custom_objects" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _resolve(name, module, registered_name, custom_objects, module_objects, function=False):
    if name is None:
        return None
    for key in (registered_name, name):
        if key and key != "function":
            obj = registry.get_registered_object(key, custom_objects, module_objects)
            if obj is not None:
                return obj
    if isinstance(module, str) and (module == "builtins" or module.startswith("keras")
                                    or module.startswith("lamina")):
        obj = registry.find_builtin(name, None if module == "builtins" else module)
        if obj is None and module != "builtins":
            obj = registry.find_builtin(name)
        return obj
    if module is None:
        return registry.find_builtin(name)
    return None
