"""The registries that deserialization resolves names through, and nothing else.

Built-in lamina classes register under their Keras module (``keras.layers``...);
user classes register with :func:`register_keras_serializable` or are passed
as ``custom_objects``. A name that is in none of these cannot be loaded: no
module named in a file is ever imported.

Example:
    >>> @register_keras_serializable(package="course")
    ... class Scale(lamina.layers.Layer): ...
    >>> get_registered_name(Scale)
    'course>Scale'
"""

import threading

_BUILTINS = {}      # keras module name -> {public name: object}
_CUSTOM = {}        # registered name ("package>Name") -> object
_NAMES = {}         # object -> registered name
_SCOPE = threading.local()


def keras_export(module, *aliases):
    """Registers a built-in class or function under ``module`` (e.g. ``"keras.layers"``).

    Example:
        >>> @keras_export("keras.layers")
        ... class Dense(Layer): ...
    """

    def register(obj):
        table = _BUILTINS.setdefault(module, {})
        for name in (obj.__name__,) + aliases:
            table[name] = obj
        if isinstance(obj, type) and "_keras_module" not in obj.__dict__:
            obj._keras_module = module
        return obj

    return register


def builtin_objects(module):
    """The built-in objects registered under ``module`` (a copy)."""
    return dict(_BUILTINS.get(module, {}))


def find_builtin(class_name, module=None):
    """A built-in object by name, in ``module`` or any module when None."""
    if module is not None:
        obj = _BUILTINS.get(module, {}).get(class_name)
        if obj is not None:
            return obj
        # "keras.src.layers.core.dense" and similar internal module names.
        for public, table in _BUILTINS.items():
            if module.startswith(public.replace("keras.", "keras.src.")) and class_name in table:
                return table[class_name]
        return None
    for table in _BUILTINS.values():
        if class_name in table:
            return table[class_name]
    return None


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function so that saved models that use it can be loaded.

    Args:
        package: a namespace for the name.
        name: the name (default: the class or function name).

    Example:
        >>> @lamina.saving.register_keras_serializable(package="my_lab")
        ... class Scale(lamina.layers.Layer):
        ...     ...
    """

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"register_keras_serializable: {obj.__name__} cannot be serialized because it has "
                "no get_config() method."
            )
        _CUSTOM[registered] = obj
        _NAMES[obj] = registered
        return obj

    return decorator


def get_registered_name(obj):
    """The name ``obj`` is registered under (its ``__name__`` when not registered).

    Example:
        >>> @lamina.saving.register_keras_serializable(package="my")
        ... class Scale(lamina.layers.Layer):
        ...     pass
        >>> lamina.saving.get_registered_name(Scale)
        'my>Scale'
    """
    return _NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_custom_objects():
    """The global dict of registered custom objects (mutable, as in Keras).

    Example:
        >>> lamina.saving.get_custom_objects()["Scale"] = Scale
    """
    return _CUSTOM


class CustomObjectScope:
    """Makes ``custom_objects`` resolvable by name inside a ``with`` block.

    Example:
        >>> with lamina.saving.CustomObjectScope({"Scale": Scale}):
        ...     model = lamina.models.load_model("m.keras")
    """

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        stack = getattr(_SCOPE, "stack", None)
        if stack is None:
            stack = _SCOPE.stack = []
        stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPE.stack.pop()
        return False


custom_object_scope = CustomObjectScope


def scoped_objects():
    merged = {}
    for table in getattr(_SCOPE, "stack", None) or []:
        merged.update(table)
    return merged


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Finds ``name`` in ``custom_objects``, active scopes, the global registry,
    then ``module_objects``. Returns None when it is nowhere.

    Example:
        >>> get_registered_object("course>Scale")
    """
    for table in (custom_objects or {}, scoped_objects(), _CUSTOM, module_objects or {}):
        if name in table:
            return table[name]
    return None
