"""Crafted files modeled on published Keras CVEs: each must fail closed, and the
payload's marker file must never appear.

* CVE-2024-3660: a Lambda layer carrying marshalled bytecode.
* CVE-2025-1550: a config naming an arbitrary module function (``os.system``).
* CVE-2025-8747 / CVE-2025-9906: a config that first calls something to switch
  safe mode off (``keras.config.enable_unsafe_deserialization``), then a Lambda.
* Nested ``load_model`` calls named in a config.
* CVE-2025-9905: a legacy HDF5 ``.h5`` model whose config holds a Lambda.
"""

import base64
import json
import marshal
import os
import zipfile

import pytest

import lamina
from lamina.saving.serialization import deserialize_keras_object


def _payload(marker):
    """Bytecode of a function that writes ``marker`` (what an attacker would run)."""
    source = f"lambda x: (open({str(marker)!r}, 'w').write('pwned'), x)[1]"
    fn = eval(source)  # noqa: S307 - builds the test payload, never loaded by lamina
    return base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")


def _lambda_layer(marker, name="evil"):
    return {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
            "name": name, "build_config": {"input_shape": [None, 3]},
            "config": {"name": name, "trainable": True, "dtype": "float32",
                       "function": {"class_name": "__lambda__",
                                    "config": {"value": [_payload(marker), None, None]}},
                       "arguments": {}, "output_shape": None, "mask": None},
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                "shape": [None, 3], "dtype": "float32", "keras_history": ["x", 0, 0]}}],
                "kwargs": {}}]}


def _input_layer():
    return {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
            "name": "x", "inbound_nodes": [],
            "config": {"batch_shape": [None, 3], "dtype": "float32", "sparse": False,
                       "ragged": False, "name": "x", "optional": False}}


def _functional(layers, output):
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "registered_name": "Functional",
            "config": {"name": "m", "trainable": True, "layers": layers,
                       "input_layers": ["x", 0, 0], "output_layers": [output, 0, 0]}}


def _dense(name, activation, source="x"):
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
            "name": name, "build_config": {"input_shape": [None, 3]},
            "config": {"name": name, "units": 3, "activation": activation},
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                "shape": [None, 3], "dtype": "float32", "keras_history": [source, 0, 0]}}],
                "kwargs": {}}]}


def _archive(tmp_path, config, name="evil.keras"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"")
    return path


def _fails_closed(path, marker, match=None, **kwargs):
    with pytest.raises(ValueError, match=match):
        lamina.models.load_model(path, **kwargs)
    assert not marker.exists(), "the payload ran"
    from lamina.backend.config import unsafe_deserialization_enabled

    assert unsafe_deserialization_enabled() is False


def test_cve_2024_3660_marshalled_lambda(tmp_path):
    marker = tmp_path / "marker"
    config = _functional([_input_layer(), _lambda_layer(marker)], "evil")
    _fails_closed(_archive(tmp_path, config), marker, "safe mode")
    # Also when the caller asks for safe_mode=True explicitly, and via the deserializer.
    _fails_closed(_archive(tmp_path, config), marker, "safe mode", safe_mode=True)
    with pytest.raises(ValueError, match="safe mode"):
        deserialize_keras_object(config["config"]["layers"][1]["config"]["function"])
    assert not marker.exists()


def test_lambda_bytecode_only_with_explicit_unsafe_mode(tmp_path):
    """The gate is in the deserializer: with safe_mode=False the function is rebuilt."""
    marker = tmp_path / "marker"
    function = _lambda_layer(marker)["config"]["function"]
    with pytest.raises(ValueError, match="safe_mode=False"):
        deserialize_keras_object(function)
    fn = deserialize_keras_object(function, safe_mode=False)
    assert not marker.exists()
    assert fn(5) == 5 and marker.exists()


def test_nested_scope_cannot_loosen_safe_mode(tmp_path):
    marker = tmp_path / "marker"
    function = _lambda_layer(marker)["config"]["function"]
    with lamina.saving.SafeModeScope(True):
        with pytest.raises(ValueError, match="safe mode"):
            deserialize_keras_object(function, safe_mode=False)


def test_legacy_lambda_format_refused(tmp_path):
    marker = tmp_path / "marker"
    layer = _lambda_layer(marker)
    layer["config"]["function"] = [_payload(marker), None, None]
    layer["config"]["function_type"] = "lambda"
    config = _functional([_input_layer(), layer], "evil")
    _fails_closed(_archive(tmp_path, config), marker, "safe mode")


@pytest.mark.parametrize("module,name", [("os", "system"), ("builtins", "exec"),
                                         ("builtins", "eval"), ("subprocess", "run"),
                                         ("posix", "system"), ("keras.src.utils", "get_file")])
def test_cve_2025_1550_arbitrary_module_function(tmp_path, module, name):
    marker = tmp_path / "marker"
    activation = {"module": module, "class_name": "function", "registered_name": "function",
                  "config": name}
    config = _functional([_input_layer(), _dense("d", activation)], "d")
    _fails_closed(_archive(tmp_path, config), marker, "Could not find the function")
    # The same name as a class: never imported either.
    as_class = {"module": module, "class_name": name, "registered_name": None,
                "config": {"command": f"touch {marker}"}}
    with pytest.raises(ValueError, match="Could not locate class"):
        deserialize_keras_object(as_class)
    assert not marker.exists()


def test_module_named_in_file_is_never_imported(tmp_path, monkeypatch):
    import sys

    name = "lamina_attack_module_that_must_not_load"
    (tmp_path / f"{name}.py").write_text(f"open({str(tmp_path / 'marker')!r}, 'w').close()\n"
                                         "class Evil:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {"module": name, "class_name": "Evil", "registered_name": None, "config": {}}
    with pytest.raises(ValueError):
        deserialize_keras_object(config)
    assert name not in sys.modules
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize("switch", [
    {"module": "keras.config", "class_name": "function", "registered_name": "function",
     "config": "enable_unsafe_deserialization"},
    {"module": "keras.src.saving.serialization_lib", "class_name": "function",
     "registered_name": "function", "config": "enable_unsafe_deserialization"},
    {"module": "lamina.config", "class_name": "function", "registered_name": "function",
     "config": "enable_unsafe_deserialization"},
    {"module": "keras.config", "class_name": "enable_unsafe_deserialization",
     "registered_name": None, "config": {}},
])
def test_cve_2025_8747_9906_switching_safe_mode_off(tmp_path, switch):
    marker = tmp_path / "marker"
    switcher = _dense("switch", switch)
    lam = _lambda_layer(marker)
    lam["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["switch", 0, 0]
    config = _functional([_input_layer(), switcher, lam], "evil")
    _fails_closed(_archive(tmp_path, config), marker)
    # Without the Lambda, the switch alone is refused too.
    config = _functional([_input_layer(), _dense("switch", switch)], "switch")
    _fails_closed(_archive(tmp_path, config, "switch.keras"), marker,
                  "Could not find the function|Could not locate class|names a function")


@pytest.mark.parametrize("loader", ["load_model", "save_model", "model_from_json"])
@pytest.mark.parametrize("module", ["keras.models", "keras.saving", "keras.src.saving.saving_api",
                                    "lamina.models"])
def test_nested_load_model_from_config(tmp_path, loader, module):
    marker = tmp_path / "marker"
    inner = _archive(tmp_path, _functional([_input_layer(), _lambda_layer(marker)], "evil"),
                     "inner.keras")
    as_function = {"module": module, "class_name": "function", "registered_name": "function",
                   "config": loader}
    config = _functional([_input_layer(), _dense("d", as_function)], "d")
    _fails_closed(_archive(tmp_path, config), marker)
    as_class = {"module": module, "class_name": loader, "registered_name": None,
                "config": {"filepath": str(inner), "safe_mode": False}}
    config = _functional([_input_layer(), dict(as_class, name="n", inbound_nodes=[])], "n")
    _fails_closed(_archive(tmp_path, config, "nested.keras"), marker)


def test_file_cannot_pass_safe_mode_false(tmp_path):
    """A config key named safe_mode (anywhere) does not change anything."""
    marker = tmp_path / "marker"
    config = _functional([_input_layer(), _lambda_layer(marker)], "evil")
    config["safe_mode"] = False
    config["config"]["safe_mode"] = False
    _fails_closed(_archive(tmp_path, config), marker, "safe mode")


def test_cve_2025_9905_legacy_h5_with_lambda(tmp_path):
    import h5py

    marker = tmp_path / "marker"
    legacy = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Lambda", "config": {"name": "evil", "function": [_payload(marker), None,
                                                                         None],
                                            "function_type": "lambda", "arguments": {}}}]}}
    path = tmp_path / "evil.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(legacy)
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
    for kwargs in ({}, {"safe_mode": True}, {"safe_mode": False}):
        _fails_closed(path, marker, "legacy HDF5", **kwargs)
    # Renamed to .keras it is not a zip: refused as well.
    renamed = tmp_path / "evil.keras"
    os.replace(path, renamed)
    _fails_closed(renamed, marker, "not a zip")


def test_unknown_custom_class_not_resolved_by_module(tmp_path):
    """A class name that is only importable (not registered) is refused."""
    config = {"module": "collections", "class_name": "OrderedDict", "registered_name": None,
              "config": {}}
    with pytest.raises(ValueError, match="Could not locate class"):
        deserialize_keras_object(config)


def test_unsafe_scope_reaches_nested_deserializers(tmp_path):
    """Inside load_model(safe_mode=False) a catalog's own deserialize call (default
    safe_mode=True) follows the caller's choice, as in Keras."""
    marker = tmp_path / "marker"
    function = _lambda_layer(marker)["config"]["function"]
    with lamina.saving.SafeModeScope(False):
        fn = deserialize_keras_object(function)
    assert callable(fn) and not marker.exists()


def test_program_switch_applies_to_direct_calls_only(tmp_path):
    """enable_unsafe_deserialization() (called by the program, never by a file) affects
    direct deserializer calls; load_model keeps its own safe_mode argument."""
    marker = tmp_path / "marker"
    function = _lambda_layer(marker)["config"]["function"]
    config = _functional([_input_layer(), _lambda_layer(marker)], "evil")
    path = _archive(tmp_path, config)
    lamina.config.enable_unsafe_deserialization()
    assert callable(deserialize_keras_object(function))
    with pytest.raises(ValueError, match="safe mode"):
        lamina.models.load_model(path)
    assert not marker.exists()
