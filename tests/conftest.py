"""Test-wide set-up: quiet frameworks, the Keras oracle on the same backend, markers."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", os.environ.get("LAMINA_BACKEND", "jax"))
os.environ.setdefault("LAMINA_HOME", os.path.join(os.path.dirname(__file__), ".lamina-home"))

import pytest  # noqa: E402

import lamina  # noqa: E402

BACKEND = lamina.backend.backend()
TRAINING_BACKENDS = ("jax", "torch", "tensorflow")


def pytest_configure(config):
    config.addinivalue_line("markers", "training: needs a backend that can train (jax, torch, tensorflow)")
    config.addinivalue_line("markers", "backends(*names): run only on these backends")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("training") and BACKEND not in TRAINING_BACKENDS:
            item.add_marker(pytest.mark.skip(reason=f"needs a training backend, this is {BACKEND}"))
        marker = item.get_closest_marker("backends")
        if marker and BACKEND not in marker.args:
            item.add_marker(pytest.mark.skip(reason=f"runs on {marker.args}, this is {BACKEND}"))


@pytest.fixture(autouse=True)
def _fresh_global_state():
    """Each test starts with a clean session and the default configuration."""
    from lamina.backend import config

    settings, flags = dict(config._SETTINGS), dict(config._FLAGS)
    lamina.backend.clear_session()
    yield
    config._SETTINGS.clear()
    config._SETTINGS.update(settings)
    config._FLAGS.clear()
    config._FLAGS.update(flags)
