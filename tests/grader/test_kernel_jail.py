"""The grading kernel's jail: read-only file system outside the learner's folder."""

import subprocess
import sys

import pytest

from lamina_grader import kernel_jail

pytestmark = pytest.mark.backends("jax")


def test_jail_script_binds_then_remounts_read_only():
    script = kernel_jail.jail_script(["/course/autograded/s/lab", "/course/grading/lab/s/kernel"], "/course")
    lines = script.splitlines()
    assert lines[:4] == ["set -e", "mount --bind /course/autograded/s/lab /course/autograded/s/lab",
                         "mount --bind /course/grading/lab/s/kernel /course/grading/lab/s/kernel",
                         "mount -o remount,bind,ro /"]
    assert "exit 97" in script and lines[-2:] == ['cd -- "$(pwd)"', 'exec "$@"']


def test_a_jailed_process_writes_only_its_folders(tmp_path):
    course, rw = tmp_path / "course", tmp_path / "course" / "autograded"
    rw.mkdir(parents=True)
    if not kernel_jail.available([str(rw)], str(course)):
        pytest.skip("no unprivileged user and mount namespaces here (the grader then records it)")
    code = ("import sys\nopen(sys.argv[1] + '/ok.txt', 'w').write('ok')\nopen('relative.txt', 'w').write('ok')\n"
            "try:\n    open(sys.argv[2] + '/gradebook.db', 'w')\nexcept OSError as e:\n    print(e.errno)\n")
    cmd = kernel_jail._command([str(rw)], str(course), [sys.executable, "-c", code, str(rw), str(course)])
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=rw)  # as a kernel starts
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "30"  # EROFS
    assert (rw / "ok.txt").read_text() == "ok" and (rw / "relative.txt").read_text() == "ok"
    assert not (course / "gradebook.db").exists()
