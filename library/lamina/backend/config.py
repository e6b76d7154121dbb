"""Process-wide configuration: the backend name, floatx, epsilon, image data format.

The backend is chosen once per process, in this order: the ``LAMINA_BACKEND``
environment variable, then ``KERAS_BACKEND``, then the ``"backend"`` key of
``~/.lamina/lamina.json``, then ``"jax"``. Choosing the backend never imports
the framework; that happens on first use.

Example:
    >>> from lamina.backend import config
    >>> config.floatx()
    'float32'
"""

import json
import os

BACKENDS = ("jax", "torch", "tensorflow", "numpy", "openvino")
TRAINING_BACKENDS = ("jax", "torch", "tensorflow")
IMAGE_DATA_FORMATS = ("channels_last", "channels_first")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")

_CONFIG_DIR = os.path.expanduser(os.environ.get("LAMINA_HOME", "~/.lamina"))
_CONFIG_FILE = os.path.join(_CONFIG_DIR, "lamina.json")


def _read_config_file():
    try:
        with open(_CONFIG_FILE) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _resolve_backend():
    name, source = None, None
    for var in ("LAMINA_BACKEND", "KERAS_BACKEND"):
        if os.environ.get(var):
            name, source = os.environ[var], f"the environment variable {var}"
            break
    if name is None:
        name = _read_config_file().get("backend")
        source = _CONFIG_FILE
    if name is None:
        return "jax"
    name = str(name).strip().lower()
    if name not in BACKENDS:
        raise ValueError(
            f"Unknown lamina backend {name!r} (from {source}). "
            f"Valid backends: {', '.join(BACKENDS)}."
        )
    return name


_BACKEND = _resolve_backend()
_SETTINGS = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
}
_SETTINGS.update(
    {k: v for k, v in _read_config_file().items() if k in _SETTINGS}
)


def backend():
    """Returns the name of the active backend.

    Example:
        >>> lamina.config.backend() in ("jax", "torch", "tensorflow", "numpy", "openvino")
        True
    """
    return _BACKEND


def floatx():
    """Returns the default float dtype, a string such as ``"float32"``.

    Example:
        >>> lamina.config.floatx()
        'float32'
    """
    return _SETTINGS["floatx"]


def set_floatx(value):
    """Sets the default float dtype.

    Args:
        value: one of ``"bfloat16"``, ``"float16"``, ``"float32"``, ``"float64"``.

    Example:
        >>> lamina.config.set_floatx("float64"); lamina.config.set_floatx("float32")
    """
    value = str(value)
    if value not in FLOAT_TYPES:
        raise ValueError(
            f"set_floatx expected one of {FLOAT_TYPES}, received {value!r}."
        )
    _SETTINGS["floatx"] = value


def epsilon():
    """Returns the fuzz factor used in numeric expressions (default ``1e-7``).

    Example:
        >>> lamina.config.epsilon()
        1e-07
    """
    return _SETTINGS["epsilon"]


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions.

    Example:
        >>> lamina.config.set_epsilon(1e-7)
    """
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"set_epsilon expected a number, received {value!r}."
        ) from None
    _SETTINGS["epsilon"] = value


def image_data_format():
    """Returns ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> lamina.config.image_data_format()
        'channels_last'
    """
    return _SETTINGS["image_data_format"]


def set_image_data_format(data_format):
    """Sets the default image data format.

    Example:
        >>> lamina.config.set_image_data_format("channels_last")
    """
    fmt = str(data_format).lower()
    if fmt not in IMAGE_DATA_FORMATS:
        raise ValueError(
            "set_image_data_format expected 'channels_last' or 'channels_first', "
            f"received {data_format!r}."
        )
    _SETTINGS["image_data_format"] = fmt


def standardize_data_format(data_format):
    """Returns ``data_format`` checked, or the global default when it is None."""
    if data_format is None:
        return image_data_format()
    fmt = str(data_format).lower()
    if fmt not in IMAGE_DATA_FORMATS:
        raise ValueError(
            "data_format must be 'channels_last' or 'channels_first', "
            f"received {data_format!r}."
        )
    return fmt


_FLAGS = {"interactive_logging": True, "traceback_filtering": True, "flash_attention": None,
          "unsafe_deserialization": False, "max_epochs": None, "max_steps_per_epoch": None}


def enable_interactive_logging():
    """Prints training progress to stdout (the default).

    Example:
        >>> lamina.config.enable_interactive_logging()
    """
    _FLAGS["interactive_logging"] = True


def disable_interactive_logging():
    """Stops progress output from fit, evaluate and predict.

    Example:
        >>> lamina.config.disable_interactive_logging()
    """
    _FLAGS["interactive_logging"] = False


def is_interactive_logging_enabled():
    """Whether progress output is on.

    Example:
        >>> lamina.config.is_interactive_logging_enabled()
        True
    """
    return _FLAGS["interactive_logging"]


def enable_traceback_filtering():
    """Kept for Keras compatibility: lamina tracebacks are never filtered.

    Example:
        >>> lamina.config.enable_traceback_filtering()
        >>> lamina.config.is_traceback_filtering_enabled()
        True
    """
    _FLAGS["traceback_filtering"] = True


def disable_traceback_filtering():
    """Kept for Keras compatibility: lamina tracebacks are never filtered.

    Example:
        >>> lamina.config.disable_traceback_filtering()
        >>> lamina.config.is_traceback_filtering_enabled()
        False
    """
    _FLAGS["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """The traceback-filtering flag (it has no effect in lamina).

    Example:
        >>> lamina.config.is_traceback_filtering_enabled()
        True
    """
    return _FLAGS["traceback_filtering"]


def enable_flash_attention():
    """Lets attention layers use a fused attention kernel where the backend has one.

    Example:
        >>> lamina.config.enable_flash_attention()
        >>> lamina.config.is_flash_attention_enabled()
        True
    """
    _FLAGS["flash_attention"] = True


def disable_flash_attention():
    """Makes attention layers use the plain attention computation.

    Example:
        >>> lamina.config.disable_flash_attention()
        >>> lamina.config.is_flash_attention_enabled()
        False
    """
    _FLAGS["flash_attention"] = False


def is_flash_attention_enabled():
    """True, False, or None (let the backend decide).

    Example:
        >>> lamina.config.is_flash_attention_enabled() is None  # the default
        True
    """
    return _FLAGS["flash_attention"]


def is_nnx_enabled():
    """Always False: lamina has no Flax NNX integration.

    Example:
        >>> lamina.config.is_nnx_enabled()
        False
    """
    return False


def enable_unsafe_deserialization():
    """Lets this process load Lambda layers that carry Python bytecode.

    Only the program itself can call this; nothing inside a model file can.
    Call it only for files you trust.

    Example:
        >>> lamina.config.enable_unsafe_deserialization()
    """
    _FLAGS["unsafe_deserialization"] = True


def unsafe_deserialization_enabled():
    return _FLAGS["unsafe_deserialization"]


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every ``fit`` (None: no cap).

    Example:
        >>> lamina.config.set_max_epochs(1)  # quick smoke runs
    """
    _FLAGS["max_epochs"] = None if max_epochs is None else int(max_epochs)


def max_epochs():
    """The epoch cap set by :func:`set_max_epochs`, or None.

    Example:
        >>> lamina.config.max_epochs() is None  # no cap by default
        True
    """
    return _FLAGS["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the number of steps of every epoch (None: no cap).

    Example:
        >>> lamina.config.set_max_steps_per_epoch(5)  # quick runs while debugging
        >>> lamina.config.set_max_steps_per_epoch(None)
    """
    _FLAGS["max_steps_per_epoch"] = None if max_steps_per_epoch is None else int(max_steps_per_epoch)


def max_steps_per_epoch():
    """The step cap set by :func:`set_max_steps_per_epoch`, or None.

    Example:
        >>> lamina.config.set_max_steps_per_epoch(5)
        >>> lamina.config.max_steps_per_epoch()
        5
    """
    return _FLAGS["max_steps_per_epoch"]
