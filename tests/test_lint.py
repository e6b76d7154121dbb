"""The code passes ruff's checks (undefined names, unused imports, syntax, mutable defaults)."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).with_name("ruff"))
    if not pathlib.Path(ruff).exists():
        pytest.fail("ruff is not installed: it is part of the dev extra (make test installs it)")
    out = subprocess.run([ruff, "check", "library", "grader", "tools", "bench", "tests", "site", "course"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]
