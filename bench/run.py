"""The benchmark runner: lamina against Keras 3 and hand-written backend loops.

Every (workload, backend) is run in rounds of lamina, Keras 3 and the raw loop,
each in a fresh process (``job.py``), interleaved (A B C A B C...) so the
machine's noise falls on all of them alike. Every cell gets one round before any
gets a second; a later round runs only while it fits into ``--budget`` seconds
(``make bench`` stays under 15 minutes). Medians are reported with the
spread of the repeats, the ratios lamina/Keras and lamina/raw, and the targets of
the benchmarks issue as met or missed. Writes ``results/bench.json`` and
``results/bench.md`` (``results/quick/`` or ``results/smoke/`` for the small sizes).

Usage:
    python bench/run.py [--quick] [--repeats 3] [--workloads mlp cnn] [--backends jax torch]

Example:
    $ python bench/run.py --quick --workloads tiny --backends torch --repeats 1
"""

import argparse
import json
import os
import pathlib
import re
import resource
import statistics
import subprocess
import sys
import time

import report
import workloads

HERE = pathlib.Path(__file__).resolve().parent
IMPLS = ("lamina", "keras", "raw")
METRICS = ("train_samples_per_s", "train_samples_per_cpu_s", "predict_samples_per_s", "first_step_s",
           "peak_rss_mb", "import_s", "predict_first_s")


def thread_env(threads):
    """Environment variables that limit every framework's intra-op threads to ``threads``."""
    if not threads:
        return {}
    n = str(threads)
    env = {"OMP_NUM_THREADS": n, "MKL_NUM_THREADS": n, "TF_NUM_INTRAOP_THREADS": n, "TF_NUM_INTEROP_THREADS": n}
    if threads == 1:  # XLA:CPU has no thread-count flag, only on/off
        env["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()
    return env


def run_job(impl, backend, workload, size, timeout, threads=None):
    """Runs ``job.py`` in a fresh process; returns its result, ``{"missing": [...]}`` or ``{"error"}``."""
    env = dict(os.environ, LAMINA_BACKEND=backend, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
               **thread_env(threads))
    command = [sys.executable, str(HERE / "job.py"), impl, workload, "--size", size]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    try:
        proc = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the whole process: unlike wall time, hardly changed by other load on the machine.
    process = {"process_wall_s": time.perf_counter() - start,
               "process_cpu_s": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]), **process)
    return {"error": f"exit status {proc.returncode}: {proc.stderr.strip()[-1500:]}"}


def error_line(text):
    """The line of a traceback that names the exception (else its last line), shortened."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()] or ["?"]
    named = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Interrupt)\b", line)]
    return (named or lines)[-1][:200]


def summarize(runs):
    """Medians (and min/max of the training speed) over the successful runs of one implementation."""
    good = [r for r in runs if "error" not in r and "missing" not in r]
    if not good:
        first = runs[0] if runs else {"error": "not run"}
        if "missing" in first:
            return {"missing": first["missing"]}
        return {"error": error_line(str(first.get("error")))}
    out = {key: statistics.median(r[key] for r in good) for key in METRICS}
    speeds = [r["train_samples_per_s"] for r in good]
    out.update(runs=len(good), failed=len(runs) - len(good), train_min=min(speeds), train_max=max(speeds),
               final_loss=statistics.median(r["losses"][-1] for r in good),
               first_loss=statistics.median(r["first_loss"] for r in good))
    return out


def bench_round(workload, backend, runs, repeat, size, timeout, log, threads=None):
    """One round of one (workload, backend): each implementation once, in order, appended to ``runs``."""
    for impl, impl_runs in runs.items():
        if impl_runs and "missing" in impl_runs[0]:
            continue  # a missing layer stays missing: report it once, spend no more time
        started = time.perf_counter()
        result = run_job(impl, backend, workload, size, timeout, threads)
        impl_runs.append(result)
        if "missing" in result:
            note = f"missing in {impl}: {', '.join(result['missing'])}"
        elif "error" in result:
            note = "ERROR " + error_line(result["error"])
        else:
            note = (f"train {result['train_samples_per_s']:.0f}/s, predict "
                    f"{result['predict_samples_per_s']:.0f}/s, first step {result['first_step_s']:.2f} s")
        log(f"  {workload:11s} {backend:10s} #{repeat + 1} {impl:6s} "
            f"({time.perf_counter() - started:5.1f} s) {note}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const="quick", dest="size", help="small sizes")
    size.add_argument("--smoke", action="store_const", const="smoke", dest="size",
                      help="a couple of steps (tests)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (at most; see --budget)")
    parser.add_argument("--budget", type=float, default=840,
                        help="seconds: after the first round, a (workload, backend) gets another round only "
                             "while its last round still fits (0: no limit)")
    parser.add_argument("--workloads", nargs="+", default=list(workloads.WORKLOADS),
                        choices=list(workloads.WORKLOADS))
    parser.add_argument("--backends", nargs="+", default=["jax", "torch", "tensorflow"],
                        choices=["jax", "torch", "tensorflow"])
    parser.add_argument("--impls", nargs="+", default=list(IMPLS), choices=list(IMPLS))
    parser.add_argument("--timeout", type=float, default=300, help="seconds per process")
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads of every framework (default: the frameworks' own default); "
                             "1 steadies the figures on a machine loaded by other work")
    parser.add_argument("--out", type=pathlib.Path, default=None,
                        help="folder for bench.json and bench.md (default results/, results/SIZE/ "
                             "for the small sizes, which the site does not show)")
    args = parser.parse_args(argv)
    size = args.size or "full"
    stem = "bench"
    args.out = args.out or (HERE / "results" if size == "full" else HERE / "results" / size)
    args.out.mkdir(parents=True, exist_ok=True)

    def log(message):
        print(message, flush=True)

    started = time.time()
    results = {"settings": {"size": size, "repeats": args.repeats, "budget_s": args.budget,
                            "impls": args.impls, "backends": args.backends, "workloads": args.workloads,
                            "threads": args.threads},
               "machine": report.machine(), "workloads": {}}
    results["machine"]["load_average_start"] = os.getloadavg()
    cells = [(name, backend) for name in args.workloads for backend in args.backends]
    runs = {cell: {impl: [] for impl in args.impls} for cell in cells}
    cost, skipped = {}, []
    # Rounds outermost: every (workload, backend) gets its first run before any gets a second, and
    # later rounds run only where the cell's last round still fits into the time budget.
    for repeat in range(args.repeats):
        for cell in cells:
            if repeat and args.budget and time.time() - started + cost[cell] > args.budget:
                skipped.append(f"{cell[0]}/{cell[1]} round {repeat + 1}")
                continue
            t = time.perf_counter()
            bench_round(*cell, runs[cell], repeat, size, args.timeout, log, args.threads)
            cost[cell] = time.perf_counter() - t
        results["workloads"] = collect(runs, size)
        results["skipped_for_budget"] = skipped
        results["machine"]["load_average_end"] = os.getloadavg()
        results["elapsed_s"] = time.time() - started
        (args.out / f"{stem}.json").write_text(json.dumps(results, indent=1))
    if skipped:
        log(f"skipped to stay within {args.budget:.0f} s: {', '.join(skipped)}")
    (args.out / f"{stem}.md").write_text(report.markdown(results))
    log(f"wrote {args.out / (stem + '.json')} and {stem}.md in {results['elapsed_s']:.0f} s")


def collect(runs, size):
    """Per workload: its settings, and per backend the raw runs, the medians and the targets."""
    out = {}
    for (name, backend), impl_runs in runs.items():
        settings = workloads.spec(name, size)
        entry = out.setdefault(name, {"title": settings["title"], "samples": settings["samples"],
                                      "batch_size": settings["batch_size"], "backends": {}, "runs": {}})
        summary = {impl: summarize(r) for impl, r in impl_runs.items()}
        entry["runs"][backend] = impl_runs
        entry["backends"][backend] = {"impls": summary, "targets": report.targets(name, backend, summary)}
    return out


if __name__ == "__main__":
    main()
