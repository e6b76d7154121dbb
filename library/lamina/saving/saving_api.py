"""Saving and loading whole models (``.keras``) and weights (``.weights.h5``).

A ``.keras`` file is a zip holding ``metadata.json``, ``config.json`` (the
model's Keras 3 config, with its compile config) and ``model.weights.h5``
(variables in Keras 3's layout). Files written by Keras 3 load here and the
reverse.

Safety guarantee of :func:`load_model`: a file is treated as data. Class and
function names in it are resolved only through lamina's registry, objects
registered with ``register_keras_serializable`` and ``custom_objects``; no
module named in a file is imported and no function named in it is called while
loading; marshalled Python code (``Lambda`` bytecode) is refused unless the
caller passes ``safe_mode=False``, and nothing in a file can change that.
Malformed files (not a zip, truncated, missing members, invalid JSON, unknown
names, wrong weight shapes, path traversal, zip bombs, legacy HDF5 models)
raise a ``ValueError`` before any variable is assigned.

Example:
    >>> model.save("model.keras")
    >>> restored = lamina.saving.load_model("model.keras")
"""

import datetime
import io
import json
import os

import numpy as np

from lamina.saving import keras_file, weights_h5
from lamina.saving.keras_file import InvalidFileError
from lamina.saving.object_registry import CustomObjectScope
from lamina.saving.serialization import (
    SafeModeScope,
    contains_python_code,
    deserialize_keras_object,
    serialize_keras_object,
    _LAMBDA_ERROR,
)

KERAS_FORMAT_VERSION = "3.15.1"


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if isinstance(obj, bytes):
        return obj.decode("utf-8")
    raise TypeError(f"Cannot serialize {obj!r} ({type(obj).__name__}) to JSON.")


def _check_model(model, what):
    from lamina.layers.layer import Layer

    if not isinstance(model, Layer):
        raise TypeError(f"{what} expects a lamina model, received {type(model).__name__}.")


def _path(filepath, what):
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"{what}: filepath must be a str or os.PathLike, received {filepath!r}.")
    return os.fspath(filepath)


def model_to_config(model):
    """The config that ``config.json`` holds (with ``compile_config`` when compiled)."""
    return serialize_keras_object(model)


def _weights_bytes(model):
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        weights_h5.save_state(model, f)
    return buffer.getvalue()


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model (architecture, weights, compile state) to a ``.keras`` file.

    The write is atomic: the file is written under a temporary name in the same
    folder and renamed over ``filepath`` at the end, so an interrupted save
    never leaves a broken file and never destroys the previous one.

    Args:
        model: the model.
        filepath: a path ending in ``.keras``.
        overwrite: whether to replace an existing file (else FileExistsError).

    Example:
        >>> lamina.saving.save_model(model, "model.keras")
    """
    _check_model(model, "save_model")
    path = _path(filepath, "save_model")
    if kwargs:
        raise TypeError(f"save_model: unexpected arguments {sorted(kwargs)}.")
    if zipped is False:
        raise ValueError("save_model: lamina only writes zipped .keras files (zipped=True).")
    if path.endswith((".h5", ".hdf5")):
        raise ValueError(
            f"save_model: {path!r}: the legacy HDF5 model format is not supported; use a path "
            "ending in '.keras' (or save_weights with '.weights.h5' for weights only)."
        )
    if not path.endswith(".keras"):
        raise ValueError(f"save_model: the filepath must end in '.keras', received {path!r}.")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_model: {path!r} exists and overwrite=False.")
    config = model_to_config(model)
    config_json = json.dumps(config, default=_json_default).encode("utf-8")
    weights = _weights_bytes(model)
    from lamina import __version__

    metadata = json.dumps({
        "keras_version": KERAS_FORMAT_VERSION, "lamina_version": __version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }).encode("utf-8")
    with keras_file.atomic_write(path) as f:
        keras_file.write_archive(f, {keras_file.METADATA: metadata, keras_file.CONFIG: config_json,
                                     keras_file.WEIGHTS: weights})


def _parse_json(data, name):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise InvalidFileError(f"Invalid .keras file: {name} is not valid JSON ({e}).") from None


def _refuse_legacy_h5(path):
    if path.endswith((".h5", ".hdf5")) and not path.endswith(".weights.h5"):
        raise InvalidFileError(
            f"Cannot load {path!r}: legacy HDF5 (.h5) model files are not supported by lamina "
            "(their configs may carry Lambda bytecode and predate safe loading). Re-save the "
            "model in the .keras format with a trusted Keras installation."
        )


def model_from_config_safely(config, custom_objects=None, compile=True, safe_mode=True):
    """Builds a model from a config dict, refusing code unless ``safe_mode=False``."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise InvalidFileError("Invalid model config: expected a dict with a 'class_name'.")
    safe = bool(safe_mode) if safe_mode is not None else True
    if safe and contains_python_code(config):
        raise ValueError(_LAMBDA_ERROR)
    config = dict(config)
    if not compile:
        config.pop("compile_config", None)
    with SafeModeScope(safe), CustomObjectScope(custom_objects or {}):
        try:
            model = deserialize_keras_object(config, custom_objects=custom_objects,
                                             safe_mode=safe)
        except RecursionError:
            raise InvalidFileError("Invalid model config: nested too deeply.") from None
    from lamina.layers.layer import Layer

    if not isinstance(model, Layer):
        raise InvalidFileError(
            f"Invalid model config: it describes a {type(model).__name__}, not a model or layer."
        )
    optimizer = getattr(model, "optimizer", None)
    if getattr(model, "compiled", False) and optimizer is not None and model.built \
            and not optimizer.built:
        optimizer.build(model.trainable_variables)
    return model


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with :func:`save_model` (or by Keras 3).

    Safety guarantee: the file is treated as data. Names in it are resolved
    only through lamina's registry, registered custom objects and
    ``custom_objects``; no module named in the file is imported and no function
    named in it is called while loading; Lambda bytecode is refused unless the
    caller passes ``safe_mode=False`` (nothing inside a file can turn safe mode
    off). A malformed or unsafe file raises ``ValueError`` and has no side
    effect: nothing is written and no variable of an existing object changes.

    Args:
        filepath: a ``.keras`` file.
        custom_objects: extra classes/functions by name.
        compile: whether to restore the compile state (optimizer, loss, metrics).
        safe_mode: keep True unless you wrote the file yourself.

    Example:
        >>> model = lamina.saving.load_model("model.keras")
    """
    path = _path(filepath, "load_model")
    _refuse_legacy_h5(path)
    if path.endswith(".weights.h5"):
        raise ValueError(
            f"load_model: {path!r} holds weights only; build the model and call "
            "model.load_weights() instead."
        )
    if os.path.isdir(path):
        raise ValueError(f"load_model: {path!r} is a folder; lamina loads .keras files.")
    import h5py

    with keras_file.open_archive(path) as archive:
        config = _parse_json(
            keras_file.read_member(archive, keras_file.CONFIG, keras_file.MAX_JSON_BYTES),
            keras_file.CONFIG)
        if keras_file.METADATA in archive.namelist():
            _parse_json(keras_file.read_member(archive, keras_file.METADATA,
                                               keras_file.MAX_JSON_BYTES), keras_file.METADATA)
        weights = keras_file.read_member(archive, keras_file.WEIGHTS)
    model = model_from_config_safely(config, custom_objects, compile, safe_mode)
    try:
        with h5py.File(io.BytesIO(weights), "r") as f:
            weights_h5.load_state(model, f)
    except OSError as e:
        raise InvalidFileError(f"Invalid .keras file: {keras_file.WEIGHTS} is not HDF5 ({e}).") \
            from None
    return model


def save_weights(model, filepath, overwrite=True):
    """Saves the model's variables to a ``.weights.h5`` file (atomically).

    Example:
        >>> model.save_weights("model.weights.h5")
    """
    _check_model(model, "save_weights")
    path = _path(filepath, "save_weights")
    if not path.endswith(".weights.h5"):
        raise ValueError(
            f"save_weights: the filepath must end in '.weights.h5', received {path!r}."
        )
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save_weights: {path!r} exists and overwrite=False.")
    data = _weights_bytes(model)
    with keras_file.atomic_write(path) as f:
        f.write(data)


def load_weights(model, filepath, skip_mismatch=False):
    """Loads variables from a ``.weights.h5`` or ``.keras`` file into ``model``.

    Every value is checked (variable count, shape) before any is assigned.

    Example:
        >>> model.load_weights("model.weights.h5")
    """
    import h5py

    _check_model(model, "load_weights")
    path = _path(filepath, "load_weights")
    if path.endswith(".keras"):
        with keras_file.open_archive(path) as archive:
            data = keras_file.read_member(archive, keras_file.WEIGHTS)
    elif path.endswith(".weights.h5"):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"No such file: {path!r}.")
        with open(path, "rb") as f:
            data = f.read()
    else:
        raise ValueError(
            f"load_weights: the filepath must end in '.weights.h5' or '.keras', received {path!r}."
        )
    try:
        h5 = h5py.File(io.BytesIO(data), "r")
    except OSError as e:
        raise InvalidFileError(f"{path!r} is not a valid HDF5 weights file ({e}).") from None
    with h5:
        weights_h5.load_state(model, h5, skip_mismatch=skip_mismatch)


def model_to_json(model, **kwargs):
    """The model's config as a JSON string.

    Example:
        >>> json_string = model.to_json()
    """
    return json.dumps(serialize_keras_object(model), default=_json_default, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Builds a model (new weights) from :func:`model_to_json`'s output, in safe mode.

    Example:
        >>> model = lamina.models.model_from_json(model.to_json())
    """
    try:
        config = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"model_from_json: invalid JSON ({e}).") from None
    return model_from_config_safely(config, custom_objects=custom_objects, compile=True,
                                    safe_mode=True)
