"""Loads ``tools/build_lessons.py`` (tools/ is not a package) once for the course tests."""

import importlib.util
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load():
    if "build_lessons" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_lessons", ROOT / "tools" / "build_lessons.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_lessons"] = module
        spec.loader.exec_module(module)
    return sys.modules["build_lessons"]
