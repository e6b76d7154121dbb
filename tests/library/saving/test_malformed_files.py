"""Malformed files fail with a clear error and no side effect."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

import lamina


def _saved(tmp_path):
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, lamina.layers.Dense(2)(inputs))
    path = tmp_path / "good.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return path, members


def _write(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _load_fails(path, match):
    before = sorted(os.listdir(os.path.dirname(path)))
    with pytest.raises(ValueError, match=match):
        lamina.models.load_model(path)
    assert sorted(os.listdir(os.path.dirname(path))) == before  # nothing extracted or written


def test_not_a_zip(tmp_path):
    path = tmp_path / "bad.keras"
    path.write_bytes(b"this is not a zip file at all")
    _load_fails(path, "not a zip")


def test_truncated_zip(tmp_path):
    good, _ = _saved(tmp_path)
    data = good.read_bytes()
    path = tmp_path / "cut.keras"
    path.write_bytes(data[: len(data) // 2])
    _load_fails(path, "not a valid .keras file|not a zip")


@pytest.mark.parametrize("missing", ["config.json", "model.weights.h5"])
def test_missing_member(tmp_path, missing):
    _, members = _saved(tmp_path)
    del members[missing]
    _load_fails(_write(tmp_path / "m.keras", members), f"no '{missing}'")


def test_invalid_json(tmp_path):
    _, members = _saved(tmp_path)
    members["config.json"] = b'{"class_name": "Functional", "config": '
    _load_fails(_write(tmp_path / "m.keras", members), "not valid JSON")


def test_config_not_a_model(tmp_path):
    _, members = _saved(tmp_path)
    members["config.json"] = b"[1, 2, 3]"
    _load_fails(_write(tmp_path / "m.keras", members), "Invalid model config")


def test_unknown_class_name(tmp_path):
    _, members = _saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    members["config.json"] = json.dumps(config).encode()
    _load_fails(_write(tmp_path / "m.keras", members), "Could not locate class 'NoSuchLayer'")


def test_weight_shapes_not_matching_config(tmp_path):
    _, members = _saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["config"]["units"] = 5
    config["config"]["layers"][1]["build_config"] = {"input_shape": [None, 3]}
    members["config.json"] = json.dumps(config).encode()
    _load_fails(_write(tmp_path / "m.keras", members), "shape mismatch")


def test_weights_not_hdf5(tmp_path):
    _, members = _saved(tmp_path)
    members["model.weights.h5"] = b"garbage"
    _load_fails(_write(tmp_path / "m.keras", members), "not HDF5")


@pytest.mark.parametrize("name", ["../evil.json", "/etc/evil.json", "a/../../evil.json",
                                  "C:/evil.json"])
def test_path_traversal_member_names(tmp_path, name):
    _, members = _saved(tmp_path)
    members[name] = b"{}"
    _load_fails(_write(tmp_path / "m.keras", members), "path traversal")
    assert not (tmp_path.parent / "evil.json").exists()


def test_zip_bomb_refused_before_reading(tmp_path):
    _, members = _saved(tmp_path)
    members["model.weights.h5"] = b"\0" * (64 << 20)  # compresses to ~64 KiB
    path = _write(tmp_path / "bomb.keras", members, compression=zipfile.ZIP_DEFLATED)
    assert os.path.getsize(path) < (1 << 20)
    _load_fails(path, "zip bomb")


def test_lying_declared_size(tmp_path):
    """A member whose header declares a small size but holds more is refused."""
    _, members = _saved(tmp_path)
    path = _write(tmp_path / "m.keras", members)
    raw = bytearray(path.read_bytes())
    # Rewrite config.json's declared sizes (local header and central directory) to 10 bytes.
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo("config.json")
    true_size = info.file_size
    packed = true_size.to_bytes(4, "little")
    fixed = bytes(raw).replace(packed + packed, (10).to_bytes(4, "little") * 2)
    assert fixed != bytes(raw)
    path.write_bytes(fixed)
    with pytest.raises(ValueError):
        lamina.models.load_model(path)


def test_weights_only_file_and_folders(tmp_path):
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, lamina.layers.Dense(2)(inputs))
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="load_weights"):
        lamina.models.load_model(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="folder"):
        lamina.models.load_model(tmp_path)
    with pytest.raises(FileNotFoundError):
        lamina.models.load_model(tmp_path / "missing.keras")


def test_load_weights_count_mismatch_leaves_model_untouched(tmp_path):
    inputs = lamina.Input((3,))
    small = lamina.Model(inputs, lamina.layers.Dense(2, use_bias=False)(inputs))
    small.save_weights(tmp_path / "w.weights.h5")
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, lamina.layers.Dense(2)(inputs))
    before = [np.array(w) for w in model.get_weights()]
    with pytest.raises(ValueError, match="expects 2 variables"):
        model.load_weights(tmp_path / "w.weights.h5")
    for b, a in zip(before, model.get_weights()):
        np.testing.assert_array_equal(b, a)
