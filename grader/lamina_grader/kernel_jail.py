"""A Jupyter kernel launcher that makes the file system read-only for the learner's notebook.

nbgrader runs the learner's notebook as the grading user: without this, the
notebook could rewrite ``reference.json``, the gradebook, another learner's
files or the grader's own code before the grader reads them. When the system
allows unprivileged user and mount namespaces, the grading kernel starts as

    unshare -rm sh -c '<bind the writable folders; remount everything else read-only>' python -m ipykernel_launcher

Writable: the learner's autograded folder (the notebook's working directory)
and the folder of its check records (``LAMINA_GRADER_RW``); ``TMPDIR`` points
inside the autograded folder. Everything else, the course and the Python
installation included, is read-only. :func:`available` probes it once; where
it is not available the kernel runs unconfined and the grade record says so.

Example:
    >>> "mount -o remount,bind,ro /" in jail_script(["/tmp/a"], "/tmp")
    True
"""

import functools
import json
import os
import shlex
import shutil
import subprocess
import sys

__all__ = ["jail_script", "available", "write_kernelspec", "KERNEL_NAME", "RW_ENV", "PROTECT_ENV"]

KERNEL_NAME = "lamina-jail"
RW_ENV = "LAMINA_GRADER_RW"
PROTECT_ENV = "LAMINA_GRADER_PROTECT"
_SKIP = ("/proc", "/sys", "/dev")


def jail_script(rw_dirs, protect):
    """The ``sh`` script run inside ``unshare -rm``; it ends by exec'ing its arguments."""
    q = [shlex.quote(os.path.realpath(d)) for d in rw_dirs]
    lines = ["set -e"] + [f"mount --bind {d} {d}" for d in q] + ["mount -o remount,bind,ro /"]
    keep = " ".join(q) or "''"
    lines.append(
        "for m in $(awk '{print $2}' /proc/self/mounts | sort -u); do\n"
        f"  case \"$m\" in /|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue;; esac\n"
        f"  for k in {keep}; do [ \"$m\" = \"$k\" ] && continue 2; done\n"
        "  mount -o remount,bind,ro \"$m\" 2>/dev/null || true\n"
        "done")
    p = shlex.quote(os.path.realpath(protect))
    lines.append(f"if touch {p}/.lamina-jail-probe 2>/dev/null; then rm -f {p}/.lamina-jail-probe; "
                 "echo 'lamina kernel jail: the course is still writable' >&2; exit 97; fi")
    # The working directory was resolved before the bind mounts: enter it again, through them.
    lines.append('cd -- "$(pwd)"')
    lines.append('exec "$@"')
    return "\n".join(lines)


def _command(rw_dirs, protect, argv):
    return ["unshare", "-rm", "sh", "-c", jail_script(rw_dirs, protect), "sh"] + list(argv)


@functools.lru_cache(maxsize=None)
def _probe(rw, protect, prefix=()):
    if not shutil.which("unshare") or os.environ.get("LAMINA_GRADER_NO_JAIL"):
        return False
    rw_dirs = [d for d in rw.split(os.pathsep) if d]
    code = ("import os, sys\nopen(os.path.join(sys.argv[1], '.lamina-jail-ok'), 'w').close()\n"
            "try:\n    open(os.path.join(sys.argv[2], '.lamina-jail-bad'), 'w').close()\nexcept OSError:\n"
            "    sys.exit(0)\nsys.exit(3)\n")
    try:
        proc = subprocess.run(list(prefix) + _command(rw_dirs, protect,
                                                      [sys.executable, "-c", code, rw_dirs[0], protect]),
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    ok = os.path.join(rw_dirs[0], ".lamina-jail-ok")
    good = proc.returncode == 0 and os.path.exists(ok)
    for leftover in (ok, os.path.join(protect, ".lamina-jail-bad")):
        if os.path.exists(leftover):
            os.remove(leftover)
    return good


def available(rw_dirs, protect, prefix=()):
    """Whether the jail works here for these folders (probed once per process).

    Args:
        prefix: the command prefix the kernel's parent runs under (e.g. a network namespace).
    """
    return _probe(os.pathsep.join(os.path.realpath(d) for d in rw_dirs), os.path.realpath(protect), tuple(prefix))


def write_kernelspec(jupyter_dir):
    """Writes ``<jupyter_dir>/kernels/lamina-jail/kernel.json``; put ``jupyter_dir`` on ``JUPYTER_PATH``."""
    folder = os.path.join(jupyter_dir, "kernels", KERNEL_NAME)
    os.makedirs(folder, exist_ok=True)
    spec = {"argv": [sys.executable, "-m", "lamina_grader.kernel_jail", "-f", "{connection_file}"],
            "display_name": "Python 3 (lamina grading jail)", "language": "python"}
    with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as fh:
        json.dump(spec, fh)
    return folder


def main(argv=None):
    """Kernel entry point: ``python -m lamina_grader.kernel_jail -f CONNECTION_FILE``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    rw_dirs = [d for d in os.environ.get(RW_ENV, "").split(os.pathsep) if d]
    protect = os.environ.get(PROTECT_ENV)
    kernel = [sys.executable, "-m", "ipykernel_launcher"] + argv
    if not rw_dirs or not protect:
        os.execv(sys.executable, kernel)
    cmd = _command(rw_dirs, protect, kernel)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
