"""glibc malloc settings for compiled steps that allocate large scratch buffers per call.

XLA:CPU allocates one scratch buffer for each call of a compiled function (about
25 MB for an Embedding + LSTM(64) training step on batches of 64 by 100 steps) and
frees it when the call returns. glibc serves a request above its mmap threshold
with a fresh ``mmap`` and returns it with ``munmap`` on free, so every call
page-faults the whole buffer back in (6,300 faults, ~10 ms, half of that training
step's time). glibc raises the threshold by itself only after freeing a *larger*
mapped block: the scratch buffer itself, aligned, stays just above the threshold it
sets, and whether an earlier, larger block happened to be freed depends on what
else the process did (Keras 3's processes usually get there by accident, lamina's
did not). :func:`keep_scratch_buffers` sets the threshold to glibc's own ceiling for
the dynamic threshold (32 MiB) and the trim threshold to twice that, the values a
long-running glibc process converges to, so such buffers are reused from the heap.

Only on Linux with glibc; ``LAMINA_MALLOC_TUNING=0`` leaves malloc alone.

Example:
    >>> keep_scratch_buffers()  # idempotent; True where the settings were applied
    True
"""

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_CEILING = 32 * 1024 * 1024  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems
_applied = None


def keep_scratch_buffers():
    """Raises glibc's mmap and trim thresholds once per process (see the module doc).

    Returns True where they were set, False where this is not glibc or it was disabled.
    """
    global _applied
    if _applied is None:
        _applied = _apply()
    return _applied


def _apply():
    if os.environ.get("LAMINA_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 -- only glibc has it (musl's mallopt is a no-op)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _CEILING) and
                mallopt(_M_TRIM_THRESHOLD, 2 * _CEILING))
