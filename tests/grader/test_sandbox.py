"""The artifact sandbox: fresh process, limits, no network, safe loading (jax pass only: slow-ish)."""

import base64
import json
import marshal
import os
import time
import zipfile

import numpy as np
import pytest

from lamina_grader.artifacts import grade_artifact
from lamina_grader.labconfig import ArtifactSpec
from lamina_grader.sandbox import isolation, predict_in_sandbox

pytestmark = pytest.mark.backends("jax")
X = np.random.default_rng(0).random((30, 64)).astype("float32")


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    import lamina as keras

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation="softmax")])
    path = tmp_path_factory.mktemp("models") / "m.keras"
    model.save(str(path))
    return str(path), model.predict(X, verbose=0)


def _rewrite(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                cfg = json.loads(data)
                edit(cfg)
                data = json.dumps(cfg).encode()
            zout.writestr(item, data)
    return str(dst)


def test_predictions_come_back_unchanged(model_file):
    path, expected = model_file
    res = predict_in_sandbox(path, X, backend="jax")
    assert res.ok, res.reason + res.stderr_tail
    np.testing.assert_allclose(res.predictions["y"], expected, rtol=1e-5, atol=1e-6)
    assert res.isolation == isolation()
    res = predict_in_sandbox(path, X, backend="numpy")
    np.testing.assert_allclose(res.predictions["y"], expected, rtol=1e-4, atol=1e-6)


def test_lambda_bytecode_is_refused(model_file, tmp_path):
    marker = tmp_path / "pwned"
    code = marshal.dumps((lambda t: __import__("os").system(f"touch {marker}") or t).__code__)

    def add_lambda(cfg):
        cfg["config"]["layers"].insert(1, {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                           "config": {"name": "lam", "function": {"class_name": "__lambda__",
                                                      "config": {"code": base64.b64encode(code).decode(),
                                                                 "defaults": None, "closure": None}}}})

    _rewrite(model_file[0], tmp_path / "lam.keras", add_lambda)
    spec = ArtifactSpec("lam", 4, "digits", file="lam.keras", zero_at=0.1, full_at=0.9)
    g = grade_artifact(spec, str(tmp_path), heldout=(X, np.zeros(30, "int64")), backend="numpy")
    assert (g.status, g.points) == ("refused", 0.0)
    assert "loading your model was refused" in g.reason and "lambda" in g.reason
    assert not marker.exists()


def test_module_path_in_config_is_refused(model_file, tmp_path):
    marker = tmp_path / "pwned"

    def os_system(cfg):
        cfg["config"]["layers"][-1].update(module="os", class_name="system", config={"command": f"touch {marker}"})

    bad = _rewrite(model_file[0], tmp_path / "mod.keras", os_system)
    res = predict_in_sandbox(bad, X, backend="numpy")
    assert res.status == "refused" and "Could not locate class 'system'" in res.reason
    assert not marker.exists()


def test_memory_hog_is_stopped_and_reported(model_file, tmp_path):
    def huge(cfg):
        cfg["config"]["layers"][-1]["config"]["units"] = 3_000_000_000

    bad = _rewrite(model_file[0], tmp_path / "huge.keras", huge)
    res = predict_in_sandbox(bad, X, backend="numpy", memory_mb=1500)
    assert res.status == "memory", res
    assert "ran out of the memory limit of 1500 MB" in res.reason


def test_endless_loop_is_stopped_and_reported(model_file, tmp_path):
    loop = tmp_path / "layers.py"
    loop.write_text("while True:\n    pass\n")
    start = time.time()
    res = predict_in_sandbox(model_file[0], X, backend="numpy", time_limit_s=1, custom_code=[str(loop)])
    assert res.status == "timeout" and res.reason == "stopped after the time limit of 1 s"
    assert time.time() - start < 25


@pytest.mark.parametrize("code, message", [
    ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)", "allows no network"),
    ("import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM)", "allows no network sockets"),
    ("import subprocess\nsubprocess.run(['true'])", "allows no new processes"),
    ("open({target!r}, 'w').write('x')", "allows no writes outside its folder"),
    ("import ctypes\nctypes.CDLL(None)", "allows no native calls"),
])
def test_custom_code_cannot_reach_out(model_file, tmp_path, code, message):
    target = tmp_path / "escaped.txt"
    mod = tmp_path / "layers.py"
    mod.write_text(code.format(target=str(target)))
    res = predict_in_sandbox(model_file[0], X, backend="numpy", custom_code=[str(mod)])
    assert res.status == "error" and message in res.reason, res
    assert "importing your custom code failed: PermissionError" in res.reason
    assert not target.exists()


def test_missing_and_linked_files(model_file, tmp_path):
    assert predict_in_sandbox(str(tmp_path / "none.keras"), X).status == "missing"
    os.symlink(model_file[0], tmp_path / "link.keras")
    res = predict_in_sandbox(str(tmp_path / "link.keras"), X)
    assert (res.status, res.reason) == ("refused", "link.keras is not a regular file")


LAYERS = '''import lamina as keras


@keras.saving.register_keras_serializable(package="tinylab")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return {expr}

    def get_config(self):
        return dict(super().get_config(), factor=self.factor)
'''


def test_later_lab_is_graded_with_the_reference_part_substituted(tmp_path):
    """A learner's broken earlier part (custom layer) does not zero the model: the better variant counts."""
    import importlib.util

    import lamina as keras

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "layers.py").write_text(LAYERS.format(expr="inputs * self.factor"))
    (tmp_path / "learner").mkdir()
    (tmp_path / "learner" / "layers.py").write_text(LAYERS.format(expr="-inputs * self.factor"))
    spec_ = importlib.util.spec_from_file_location("tinylab_layers", tmp_path / "reference" / "layers.py")
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10), mod.Scale(), keras.layers.Softmax()])
    model.save(str(tmp_path / "learner" / "m.keras"))
    y = model.predict(X, verbose=0).argmax(-1)
    spec = ArtifactSpec("m", 2, "digits", custom_code=["layers.py"], substitute={"layers.py": "layers.py"},
                        zero_at=0.2)
    ref = {"backends": {"numpy": {"mean": 1.0, "std": 0.0, "n": 1}}}
    g = grade_artifact(spec, str(tmp_path / "learner"), ref, heldout=(X, y), backend="numpy",
                       reference_dir=str(tmp_path / "reference"))
    assert (g.points, g.value, g.variant) == (2.0, 1.0, "reference parts")
    assert "graded with the reference layers.py in place of yours, which gave 0 points" in g.line
    g = grade_artifact(spec, str(tmp_path / "learner"), ref, heldout=(X, y), backend="numpy")
    assert g.points == 0.0 and g.variant == "yours"
