"""The site tests share one strict build per test run, even across pytest-xdist workers."""

import fcntl
import os
import pathlib
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "site" / "mkdocs.yml"


def build_site(site_dir, extra_env=None):
    """Runs ``mkdocs build --strict`` into ``site_dir``; returns (exit code, log, seconds)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "LAMINA_BACKEND": "numpy", **(extra_env or {})}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG),
                           "-d", str(site_dir)], cwd=ROOT, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - start


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The full site, built once per test run (the first worker builds, the others wait for it).

    It lives in pytest's base temporary folder, which xdist workers share (its
    parent, for a worker) and pytest removes after a few runs.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    base = root / "lamina-site"
    base.mkdir(exist_ok=True)
    site_dir, result = base / "build", base / "result.txt"
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            code, log, seconds = build_site(site_dir)
            (base / "log.txt").write_text(log)
            result.write_text(f"{code} {seconds:.1f}")
    code, seconds = result.read_text().split()
    if code != "0":
        pytest.fail(f"mkdocs build --strict failed (exit {code}):\n{(base / 'log.txt').read_text()[-6000:]}")
    return {"dir": site_dir, "seconds": float(seconds), "log": (base / "log.txt").read_text()}
