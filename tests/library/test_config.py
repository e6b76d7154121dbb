"""Backend selection and lamina.config."""

import json
import os
import subprocess
import sys

import pytest

import lamina


def _run(code, **env):
    full = dict(os.environ)
    for key in ("LAMINA_BACKEND", "KERAS_BACKEND"):
        full.pop(key, None)
    full.update(env)
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)


def test_backend_name_is_one_of_the_valid_names():
    assert lamina.backend.backend() in ("jax", "torch", "tensorflow", "numpy", "openvino")
    assert lamina.config.backend() == lamina.backend.backend()


def test_selection_order(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "lamina.json").write_text(json.dumps({"backend": "numpy"}))
    code = "import lamina; print(lamina.backend.backend())"
    assert _run(code, LAMINA_HOME=str(home)).stdout.strip() == "numpy"
    assert _run(code, LAMINA_HOME=str(home), KERAS_BACKEND="torch").stdout.strip() == "torch"
    out = _run(code, LAMINA_HOME=str(home), KERAS_BACKEND="torch", LAMINA_BACKEND="tensorflow")
    assert out.stdout.strip() == "tensorflow"
    assert _run(code, LAMINA_HOME=str(tmp_path / "none")).stdout.strip() == "jax"


def test_unknown_backend_fails_at_import_listing_valid_names(tmp_path):
    out = _run("import lamina", LAMINA_BACKEND="theano", LAMINA_HOME=str(tmp_path))
    assert out.returncode != 0
    assert "Unknown lamina backend 'theano'" in out.stderr
    for name in ("jax", "torch", "tensorflow", "numpy"):
        assert name in out.stderr


def test_import_does_not_import_the_framework(tmp_path):
    code = ("import sys, lamina; import lamina.layers, lamina.models; "
            "print([m for m in ('jax', 'torch', 'tensorflow') if m in sys.modules])")
    out = _run(code, LAMINA_BACKEND=lamina.backend.backend(), LAMINA_HOME=str(tmp_path))
    assert out.stdout.strip() == "[]", out.stderr


def test_floatx_epsilon_image_data_format_round_trip():
    assert lamina.config.floatx() == "float32"
    lamina.config.set_floatx("float16")
    try:
        assert lamina.config.floatx() == "float16"
        assert lamina.backend.result_type(float) == "float16"
    finally:
        lamina.config.set_floatx("float32")
    lamina.config.set_epsilon(1e-5)
    assert lamina.config.epsilon() == 1e-5
    lamina.config.set_epsilon(1e-7)
    lamina.config.set_image_data_format("channels_first")
    assert lamina.config.image_data_format() == "channels_first"
    lamina.config.set_image_data_format("channels_last")


@pytest.mark.parametrize("call,match", [
    (lambda: lamina.config.set_floatx("int32"), "set_floatx"),
    (lambda: lamina.config.set_image_data_format("nhwc"), "set_image_data_format"),
    (lambda: lamina.config.set_epsilon("small"), "set_epsilon"),
])
def test_bad_config_values_raise_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
