"""Where lamina's per-step time goes, for one workload on one backend.

Trains the workload through lamina (one warm-up epoch, then ``--epochs`` profiled
epochs) and prints the functions that take the time: self time (the function's own
code) and inclusive time (the function and what it calls), as a share of the
profiled epochs. Uses py-spy (a sampling profiler, no slow-down of the program) when
it is installed, else cProfile (deterministic, but it inflates the cost of Python
calls, so per-step overhead looks bigger than it is).

Usage:
    python bench/profile_step.py WORKLOAD [--backend torch] [--tool py-spy|cprofile] [--native]

Example:
    $ python bench/profile_step.py tiny --backend torch --top 20
"""

import argparse
import collections
import cProfile
import math
import os
import pathlib
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
REGION = "profiled_region"


def profiled_region(model, x, y, batch_size, epochs):
    """The profiled epochs (py-spy keeps only the samples under this function)."""
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)


def _setup(args):
    os.environ["LAMINA_BACKEND"] = os.environ["KERAS_BACKEND"] = args.backend
    import lamina

    import workloads

    (x, y), settings = workloads.make_data(args.workload, args.size)
    model = workloads.build_model(lamina, args.workload)
    bs = settings["batch_size"]
    model.fit(x, y, batch_size=bs, epochs=1, verbose=0)  # warm-up: building, compilation
    start = time.perf_counter()
    model.fit(x, y, batch_size=bs, epochs=1, verbose=0)
    epoch_s = time.perf_counter() - start
    step_us = epoch_s / (len(x) // bs) * 1e6
    epochs = max(args.epochs, math.ceil(args.seconds / epoch_s))
    print(f"{args.workload} on {args.backend}: {step_us:.0f} us per training step without a profiler "
          f"(batch {bs}, {len(x) // bs} steps per epoch); profiling {epochs} epochs", flush=True)
    return model, x, y, bs, epochs


def _short(frame):
    """'fit (/x/library/lamina/trainers/trainer.py:12)' -> 'fit (lamina/trainers/trainer.py)'."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    name, path = match.groups()
    for marker in ("site-packages/", "library/", "bench/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def summarize_collapsed(text, region=REGION):
    """Self and inclusive sample counts per function from py-spy's raw (collapsed) output.

    Only samples whose stack passes through ``region`` count.

    Example:
        >>> total, own, incl = summarize_collapsed("a (x.py:1);profiled_region (p.py:2);f (y.py:3) 5\\n")
        >>> total, own["f (y.py)"]
        (5, 5)
    """
    own, inclusive, total = collections.Counter(), collections.Counter(), 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        marks = [i for i, f in enumerate(frames) if f.startswith(region + " ")]
        if not marks:
            continue
        frames = [_short(f) for f in frames[marks[0] + 1:]] or [region]
        n = int(count)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    return total, own, inclusive


def _print_table(title, counter, total, top):
    print(f"\n{title}")
    for frame, n in counter.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {frame}")


def run_py_spy(args, py_spy):
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "stacks.txt"
        command = [py_spy, "record", "--format", "raw", "-o", str(out), "--rate", str(args.rate)]
        if args.native:
            command.append("--native")
        command += ["--", sys.executable, __file__, args.workload, "--backend", args.backend, "--size",
                    args.size, "--epochs", str(args.epochs), "--seconds", str(args.seconds), "--tool", "none"]
        proc = subprocess.run(command, capture_output=True, text=True)
        print(proc.stdout.strip())
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"py-spy failed ({proc.returncode}): {proc.stderr[-1500:]}")
        total, own, inclusive = summarize_collapsed(out.read_text())
    if not total:
        raise RuntimeError("py-spy recorded no sample inside the profiled epochs")
    print(f"py-spy: {total} samples in the profiled epochs")
    _print_table("Self time (the function's own code):", own, total, args.top)
    _print_table("Inclusive time (the function and what it calls):", inclusive, total, args.top)


def run_cprofile(args):
    model, x, y, bs, epochs = _setup(args)
    profiler = cProfile.Profile()
    profiler.enable()
    profiled_region(model, x, y, bs, epochs)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload")
    parser.add_argument("--backend", default=os.environ.get("LAMINA_BACKEND", "torch"),
                        choices=["jax", "torch", "tensorflow"])
    parser.add_argument("--size", default="full", choices=["full", "quick", "smoke"])
    parser.add_argument("--epochs", type=int, default=1, help="profiled epochs after the warm-up one (at least)")
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="profile at least this long (more epochs for a fast workload)")
    parser.add_argument("--tool", default="auto", choices=["auto", "py-spy", "cprofile", "none"])
    parser.add_argument("--native", action="store_true", help="py-spy: include C/C++ frames")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads (see run.py)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from run import thread_env

    os.environ.update(thread_env(args.threads))
    py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(pathlib.Path(sys.executable).parent))
    tool = args.tool if args.tool != "auto" else ("py-spy" if py_spy else "cprofile")
    if tool == "py-spy":
        if not py_spy:
            raise SystemExit("py-spy is not installed: pip install py-spy, or use --tool cprofile")
        run_py_spy(args, py_spy)
    elif tool == "cprofile":
        run_cprofile(args)
    else:  # the program py-spy records
        model, x, y, bs, epochs = _setup(args)
        profiled_region(model, x, y, bs, epochs)


if __name__ == "__main__":
    main()
