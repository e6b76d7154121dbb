"""Constructor arguments captured at creation, so that a subclassed layer or model
without its own ``get_config`` still saves and loads (Keras 3 does the same).

Example:
    >>> class Scale(lamina.layers.Layer):
    ...     def __init__(self, factor=2.0, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.factor = factor
    >>> Scale(factor=3.0).get_config()["factor"]
    3.0
"""

import functools
import inspect

_JSON_LEAVES = (type(None), bool, int, float, str)


@functools.lru_cache(maxsize=None)
def _signature(cls):
    try:
        return inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return None


def _json_friendly(value):
    if isinstance(value, _JSON_LEAVES):
        return True
    if isinstance(value, (list, tuple)):
        return all(_json_friendly(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_friendly(v) for k, v in value.items())
    return False


def capture_init_args(cls, args, kwargs):
    """The constructor arguments of ``cls(*args, **kwargs)`` with defaults filled in, or
    None when they are not all JSON-friendly (then the class needs its own get_config)."""
    signature = _signature(cls)
    if signature is None:
        return None
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    config = {}
    for name, value in list(bound.arguments.items())[1:]:
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None
        elif kind is inspect.Parameter.VAR_KEYWORD:
            config.update(value)
        else:
            config[name] = value
    return config if _json_friendly(config) else None


def auto_config(obj, base_class, base_config):
    """``base_config`` plus the captured constructor arguments when ``obj``'s class does not
    define ``get_config`` itself; raises a clear error when they could not be captured."""
    if type(obj).get_config is not base_class.get_config:
        return base_config
    captured = getattr(obj, "_auto_config", None)
    if captured is None:
        if _has_own_arguments(type(obj), base_class):
            raise NotImplementedError(
                f"{type(obj).__name__} has constructor arguments that are not plain Python values "
                "(numbers, strings, lists, dicts), so lamina cannot record them for saving. "
                "Implement get_config() (returning those arguments) and, if needed, "
                "from_config()."
            )
        return base_config
    return {**captured, **base_config}


def _has_own_arguments(cls, base_class):
    signature = _signature(cls)
    base = _signature(base_class)
    if signature is None or base is None:
        return False
    own = [p for p in list(signature.parameters)[1:]
           if signature.parameters[p].kind not in (inspect.Parameter.VAR_KEYWORD,
                                                    inspect.Parameter.VAR_POSITIONAL)]
    return any(p not in base.parameters for p in own)
