"""Only lamina/backend/<name>/ may import a framework: the import-linter contract."""

import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _lint(cwd, pythonpath):
    exe = pathlib.Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe)], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": pythonpath, "PATH": "/usr/bin:/bin"})


def test_import_contract_is_kept():
    out = _lint(ROOT, f"{ROOT / 'library'}:{ROOT / 'grader'}")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 kept, 0 broken" in out.stdout


def test_import_contract_catches_a_framework_import(tmp_path):
    shutil.copytree(ROOT / "library" / "lamina", tmp_path / "lamina")
    shutil.copytree(ROOT / "grader" / "lamina_grader", tmp_path / "lamina_grader")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "lamina" / "ops" / "rules.py", "a") as f:
        f.write("\nimport torch  # a violation\n")
    out = _lint(tmp_path, str(tmp_path))
    assert out.returncode != 0
    assert "lamina.ops.rules -> torch" in out.stdout
