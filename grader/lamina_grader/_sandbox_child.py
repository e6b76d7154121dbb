"""The sandboxed process that loads a learner's model and predicts held-out inputs.

Run by :mod:`lamina_grader.sandbox` as ``python -P -m lamina_grader._sandbox_child JOB_DIR``
under resource limits (and in a network namespace when the system allows it).
It never sees the held-out labels: it writes predictions, and the parent
computes the metric with its own code.

``JOB_DIR`` holds ``job.json``, ``model.keras``, ``inputs.npz`` and optionally
``code/*.py`` (learner modules with custom objects). The child writes
``result.json`` and ``predictions.npz``.
"""

import json
import os
import socket
import sys
import time

_BLOCKED_PREFIXES = ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
                     "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg")
_PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn")
_FS_EVENTS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.chmod",
              "os.chown", "os.truncate", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_STATE = {"no_processes": False, "job_dir": None}


def _inside_job(path):
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False  # a file descriptor: refuse, it could name anything
    path = os.fsdecode(path)
    real = os.path.realpath(path)
    return real == os.devnull or real.startswith(_STATE["job_dir"] + os.sep)


def _check_write(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing and path is not None and not _inside_job(path):
            raise PermissionError(f"the grading sandbox allows no writes outside its folder ({path})")
    elif event.startswith(_FS_EVENTS):
        for a in args[:2]:
            if isinstance(a, (str, bytes, os.PathLike)) and not _inside_job(a):
                raise PermissionError(f"the grading sandbox allows no changes outside its folder ({event})")
    elif event.startswith("ctypes."):
        raise PermissionError(f"the grading sandbox allows no native calls from your code ({event})")


def _audit(event, args):
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family not in (socket.AF_UNIX, -1):
            raise PermissionError("the grading sandbox allows no network sockets")
    elif event.startswith(_BLOCKED_PREFIXES):
        raise PermissionError(f"the grading sandbox allows no network access ({event})")
    elif _STATE["no_processes"]:
        if event.startswith(_PROCESS_EVENTS):
            raise PermissionError(f"the grading sandbox allows no new processes ({event})")
        _check_write(event, args)


def _write(job_dir, result):
    tmp = os.path.join(job_dir, "result.json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    os.replace(tmp, os.path.join(job_dir, "result.json"))


def _short(exc):
    text = str(exc).strip()
    if len(text) > 600:
        text = text[:597] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _load_inputs(path):
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        items = {k: data[k] for k in data.files}
    if list(items) == ["x"]:
        return items["x"]
    if all(k.startswith("i:") for k in items):
        return [items[f"i:{i}"] for i in range(len(items))]
    return {k[2:]: v for k, v in items.items()}


def _import_code(code_dir):
    import importlib.util

    for name in sorted(os.listdir(code_dir)):
        if not name.endswith(".py"):
            continue
        mod = name[:-3]
        spec = importlib.util.spec_from_file_location(mod, os.path.join(code_dir, name))
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod] = module
        spec.loader.exec_module(module)


def _warm_up(lamina, np):
    """Imports the framework and its lazy parts (trusted code) before the restrictions start."""
    layers = lamina.layers
    x = np.zeros((1, 4, 4, 1), "float32")
    for layer in (layers.Conv2D(1, 3, padding="same"), layers.Flatten(), layers.Dense(2, activation="softmax")):
        x = layer(x)
    lamina.ops.convert_to_numpy(x)


def main(job_dir):
    job_dir = os.path.realpath(job_dir)
    _STATE["job_dir"] = job_dir
    sys.addaudithook(_audit)
    start = time.time()
    with open(os.path.join(job_dir, "job.json"), encoding="utf-8") as fh:
        job = json.load(fh)
    stage = "importing lamina"
    try:
        import numpy as np

        import lamina

        _warm_up(lamina, np)
        _STATE["no_processes"] = True
        open(os.path.join(job_dir, "started"), "w").close()
        code_dir = os.path.join(job_dir, "code")
        if os.path.isdir(code_dir):
            stage = "importing your custom code"
            _import_code(code_dir)
        stage = "loading your model"
        model = lamina.saving.load_model(os.path.join(job_dir, "model.keras"), compile=False, safe_mode=True)
        stage = "predicting the held-out inputs"
        x = _load_inputs(os.path.join(job_dir, "inputs.npz"))
        preds = model.predict(x, batch_size=int(job.get("batch_size", 256)), verbose=0)
        names = list(getattr(model, "output_names", None) or [])
        if isinstance(preds, dict):
            arrays = {f"o:{k}": np.asarray(v) for k, v in preds.items()}
        elif isinstance(preds, (list, tuple)):
            arrays = {f"o:{names[i] if i < len(names) else i}": np.asarray(v) for i, v in enumerate(preds)}
            arrays.update({f"i:{i}": np.asarray(v) for i, v in enumerate(preds)})
        else:
            arrays = {"y": np.asarray(preds)}
        np.savez(os.path.join(job_dir, "predictions.npz"), **arrays)
        _write(job_dir, {"status": "ok", "seconds": time.time() - start, "backend": lamina.backend.backend(),
                         "model_class": type(model).__name__, "outputs": names})
    except MemoryError as exc:
        _write(job_dir, {"status": "memory", "stage": stage, "message": _short(exc)})
    except BaseException as exc:  # report everything, including SystemExit from learner code
        status = "refused" if stage == "loading your model" else "error"
        text = type(exc).__name__ + " " + str(exc)
        if any(s in text for s in ("RESOURCE_EXHAUSTED", "ResourceExhausted", "Out of memory", "out of memory",
                                   "OOM when allocating", "Cannot allocate memory", "bad_alloc")):
            status = "memory"
        _write(job_dir, {"status": status, "stage": stage, "message": _short(exc)})
    sys.stdout.flush()
    os._exit(0)  # skip framework atexit handlers


if __name__ == "__main__":
    main(sys.argv[1])
