"""Runs untrusted model files in a fresh, locked-down process.

What the sandbox enforces, and how:

* **fresh process**: nothing the learner's notebook did (patched ``np.mean``,
  a replaced checker) exists there; the metric is computed afterwards in the
  grader's own process, from predictions, and the held-out labels never
  enter the sandbox.
* **wall time**: ``time_limit_s``; the whole process group is killed after it.
* **memory**: ``RLIMIT_AS`` (address space) of ``memory_mb``; also
  ``RLIMIT_CPU``, ``RLIMIT_FSIZE``, ``RLIMIT_CORE=0``.
* **network**: a new, empty network namespace (``unshare -rn``) when the
  system allows unprivileged user namespaces; in every case an audit hook in
  the child refuses socket creation and name resolution, and process
  creation once the framework is imported. The audit hook alone can be
  bypassed by native code (ctypes); the namespace cannot. :func:`isolation`
  says which one is active and the feedback records it.
* **safe loading**: ``lamina.saving.load_model(..., safe_mode=True)``, which
  never imports a module named in a file nor unmarshals bytecode.

Example:
    >>> isolation() in ("network namespace + audit hook", "audit hook only")
    True
"""

import dataclasses
import functools
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

__all__ = ["SandboxResult", "predict_in_sandbox", "isolation", "net_prefix", "limits_prefix", "limits_preexec"]

MAX_MODEL_BYTES = 256 * 1024 * 1024
_STARTUP_S = 30.0  # importing a framework on a busy machine, on top of the lab's time limit


@dataclasses.dataclass
class SandboxResult:
    """What came back from the sandbox.

    Attributes:
        status: ``ok``, ``refused`` (the file was not loaded), ``error``,
            ``timeout``, ``memory``, ``crashed`` or ``missing``.
        reason: a sentence for the learner when status is not ``ok``.
        predictions: dict of arrays (``y``, or ``o:<output name>`` / ``i:<index>``).
        seconds: wall time of the sandbox.
        isolation: which network isolation was active.
    """

    status: str
    reason: str = ""
    predictions: dict = None
    seconds: float = 0.0
    isolation: str = ""
    stderr_tail: str = ""

    @property
    def ok(self):
        return self.status == "ok"


@functools.lru_cache(maxsize=None)
def _netns_works(with_loopback):
    if not shutil.which("unshare"):
        return False
    cmd = net_prefix(with_loopback, probe=True) + [sys.executable, "-c", "pass"]
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def net_prefix(with_loopback=False, probe=False):
    """Command prefix that runs a program in a new network namespace (or ``[]`` when impossible).

    Args:
        with_loopback: bring ``lo`` up inside (a Jupyter kernel needs it).
    """
    if not probe and (os.environ.get("LAMINA_GRADER_NO_NETNS") or not _netns_works(with_loopback)):
        return []
    if with_loopback:
        if not shutil.which("ip"):
            return [] if not probe else ["false"]
        return ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$0" "$@"']
    return ["unshare", "-rn"]


def isolation():
    """The network isolation the sandbox gets on this machine, in words."""
    return "network namespace + audit hook" if net_prefix() else "audit hook only"


def limits_prefix(memory_mb=None, cpu_s=None, fsize_mb=512):
    """``prlimit`` command prefix with the same limits as :func:`limits_preexec` (``[]`` without prlimit).

    ``prlimit`` sets the limits without a ``preexec_fn``, which is unsafe in
    a parent with threads.
    """
    if not shutil.which("prlimit"):
        return []
    cmd = ["prlimit", "--core=0"]
    if memory_mb:
        cmd.append(f"--as={int(memory_mb) * 1024 * 1024}")
    if cpu_s:
        cmd.append(f"--cpu={int(cpu_s)}:{int(cpu_s) + 5}")
    if fsize_mb:
        cmd.append(f"--fsize={int(fsize_mb) * 1024 * 1024}")
    return cmd + ["--"]


def limits_preexec(memory_mb=None, cpu_s=None, fsize_mb=512):
    """A ``preexec_fn`` that sets resource limits in the child before it starts."""

    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if memory_mb:
            b = int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
        if cpu_s:
            c = int(cpu_s)
            resource.setrlimit(resource.RLIMIT_CPU, (c, c + 5))
        if fsize_mb:
            f = int(fsize_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_FSIZE, (f, f))

    return apply


def _save_inputs(path, x):
    if isinstance(x, dict):
        arrays = {f"n:{k}": np.asarray(v) for k, v in x.items()}
    elif isinstance(x, (list, tuple)):
        arrays = {f"i:{i}": np.asarray(v) for i, v in enumerate(x)}
    else:
        arrays = {"x": np.asarray(x)}
    np.savez(path, **arrays)


def child_env(job_dir, backend=None):
    """A minimal environment for a sandboxed child: no proxies, no tokens, a private HOME."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.find_spec("lamina")
    lib = os.path.dirname(os.path.dirname(os.path.abspath(spec.origin)))
    env.update(HOME=job_dir, LAMINA_HOME=os.path.join(job_dir, ".lamina"), PYTHONPATH=os.pathsep.join([lib, here]),
               LAMINA_BACKEND=backend or os.environ.get("LAMINA_BACKEND", "jax"), TF_CPP_MIN_LOG_LEVEL="3",
               TF_ENABLE_ONEDNN_OPTS="0", OMP_NUM_THREADS="1", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               XLA_FLAGS="--xla_force_host_platform_device_count=1", CUDA_VISIBLE_DEVICES="")
    return env


def _classify_death(returncode, stderr, timed_out, time_limit_s, memory_mb):
    if timed_out:
        return "timeout", f"stopped after the time limit of {time_limit_s:g} s"
    low = stderr.lower()
    if any(s in low for s in ("memoryerror", "bad_alloc", "cannot allocate memory", "out of memory",
                              "resource exhausted", "failed to allocate")):
        return "memory", f"ran out of the memory limit of {memory_mb} MB"
    if returncode == -signal.SIGXCPU or returncode == -signal.SIGKILL:
        return "timeout", f"stopped after using its CPU time limit ({time_limit_s:g} s)"
    return "crashed", f"the grading process crashed (exit status {returncode})"


def _wait(proc, started_flag, time_limit_s):
    """Waits for ``proc``: ``_STARTUP_S`` to import the framework, then ``time_limit_s``.

    Returns True when it had to kill the process group.
    """
    t0 = time.monotonic()
    deadline = t0 + _STARTUP_S + time_limit_s
    started = False
    while proc.poll() is None:
        now = time.monotonic()
        if not started and os.path.exists(started_flag):
            started = True
            deadline = min(deadline, now + time_limit_s)
        if now > deadline:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            return True
        time.sleep(0.05)
    return False


def predict_in_sandbox(model_path, x, *, time_limit_s=60.0, memory_mb=3000, backend=None,
                       custom_code=(), batch_size=256):
    """Loads ``model_path`` in a sandbox and returns its predictions on ``x``.

    Args:
        model_path: the learner's ``.keras`` file (copied; links are refused).
        x: held-out inputs (array, list or dict of arrays). Labels stay here.
        time_limit_s: wall-time budget for loading and predicting (plus a
            fixed allowance for importing the framework).
        memory_mb: address-space limit.
        backend: ``LAMINA_BACKEND`` of the sandbox.
        custom_code: learner ``.py`` files imported before loading.

    Returns:
        :class:`SandboxResult`.
    """
    start = time.time()
    iso = isolation()
    if not os.path.lexists(model_path):
        return SandboxResult("missing", f"no file {os.path.basename(model_path)} was handed in", isolation=iso)
    if os.path.islink(model_path) or not os.path.isfile(model_path):
        return SandboxResult("refused", f"{os.path.basename(model_path)} is not a regular file", isolation=iso)
    if os.path.getsize(model_path) > MAX_MODEL_BYTES:
        return SandboxResult("refused", f"{os.path.basename(model_path)} is larger than "
                             f"{MAX_MODEL_BYTES // 2**20} MB", isolation=iso)
    job_dir = tempfile.mkdtemp(prefix="lamina-sandbox-")
    try:
        shutil.copyfile(model_path, os.path.join(job_dir, "model.keras"))
        code = [p for p in custom_code if p]
        if code:
            os.makedirs(os.path.join(job_dir, "code"))
            for p in code:
                if os.path.islink(p) or not os.path.isfile(p):
                    return SandboxResult("missing", f"no file {os.path.basename(p)} was handed in",
                                         isolation=iso)
                shutil.copyfile(p, os.path.join(job_dir, "code", os.path.basename(p)))
        _save_inputs(os.path.join(job_dir, "inputs.npz"), x)
        with open(os.path.join(job_dir, "job.json"), "w", encoding="utf-8") as fh:
            json.dump({"batch_size": batch_size}, fh)
        lim = limits_prefix(memory_mb, cpu_s=float(time_limit_s) + _STARTUP_S + 10)
        cmd = lim + net_prefix() + [sys.executable, "-P", "-m", "lamina_grader._sandbox_child", job_dir]
        err_path = os.path.join(job_dir, "stderr.txt")
        with open(err_path, "wb") as err_fh:
            proc = subprocess.Popen(cmd, cwd=job_dir, env=child_env(job_dir, backend), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err_fh, start_new_session=True,
                                    preexec_fn=None if lim else limits_preexec(
                                        memory_mb, cpu_s=float(time_limit_s) + _STARTUP_S + 10))
            timed_out = _wait(proc, os.path.join(job_dir, "started"), float(time_limit_s))
        with open(err_path, "rb") as fh:
            err = fh.read()[-4000:].decode("utf-8", "replace")
        seconds = time.time() - start
        result_path = os.path.join(job_dir, "result.json")
        if timed_out or not os.path.exists(result_path):
            status, reason = _classify_death(proc.returncode, err, timed_out, time_limit_s, memory_mb)
            return SandboxResult(status, reason, seconds=seconds, isolation=iso, stderr_tail=err)
        with open(result_path, encoding="utf-8") as fh:
            res = json.load(fh)
        if res["status"] == "memory":
            return SandboxResult("memory", f"ran out of the memory limit of {memory_mb} MB while "
                                 f"{res.get('stage')}", seconds=seconds, isolation=iso)
        if res["status"] != "ok":
            verb = "was refused" if res["status"] == "refused" else "failed"
            return SandboxResult(res["status"], f"{res.get('stage', 'grading')} {verb}: {res.get('message')}",
                                 seconds=seconds, isolation=iso, stderr_tail=err)
        with np.load(os.path.join(job_dir, "predictions.npz"), allow_pickle=False) as data:
            preds = {k: np.array(data[k]) for k in data.files}
        return SandboxResult("ok", "", preds, seconds, iso)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
