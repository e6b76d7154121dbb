"""glibc malloc thresholds for XLA's per-call scratch buffers (lamina.backend.common.malloc)."""

import os
import subprocess
import sys

import pytest

from lamina.backend.common import malloc

GLIBC = sys.platform.startswith("linux") and \
    os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")

# What XLA:CPU does on each call: an aligned 20 MB scratch buffer, written, then freed.
CYCLES = """
import ctypes, resource, sys
libc = ctypes.CDLL(None)
libc.posix_memalign.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t, ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
if sys.argv[1] == "tuned":
    from lamina.backend.common import malloc
    assert malloc.keep_scratch_buffers() and malloc.keep_scratch_buffers()

def cycle(size=20_000_000):
    p = ctypes.c_void_p()
    libc.posix_memalign(ctypes.byref(p), 64, size)
    libc.memset(p, 1, size)
    libc.free(p)

cycle()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    cycle()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


def _run(*args, **env):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env={**os.environ, **env}, check=True).stdout.strip()


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_aligned_scratch_buffers_are_reused_instead_of_faulted_in_again():
    # glibc alone maps the buffer afresh on every cycle: ~4,000 page faults for 20 MB
    # (fewer with transparent huge pages).
    default = float(_run("-c", CYCLES, "default"))
    tuned = float(_run("-c", CYCLES, "tuned"))
    assert tuned < 100 and tuned <= default


def test_can_be_switched_off():
    out = _run("-c", "from lamina.backend.common import malloc; "
                     "print(malloc.keep_scratch_buffers())", LAMINA_MALLOC_TUNING="0")
    assert out == "False"


def test_returns_a_bool():
    assert malloc.keep_scratch_buffers() in (True, False)
