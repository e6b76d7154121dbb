"""The machine description, the targets of the benchmarks issue, and the Markdown tables.

Example:
    >>> def figures(speed):
    ...     return {"train_samples_per_s": speed, "predict_samples_per_s": speed,
    ...             "peak_rss_mb": 300.0, "first_step_s": 2.0}
    >>> summary = {"lamina": figures(900.0), "keras": figures(300.0), "raw": figures(1000.0)}
    >>> targets("tiny", "torch", summary)["train_vs_keras"]["met"]  # 3x Keras, target 2x on torch
    True
"""

import importlib.metadata
import os
import platform

NAMES = {"lamina": "lamina", "keras": "Keras 3", "raw": "raw {backend}"}
RAW = {"jax": "JAX", "torch": "PyTorch", "tensorflow": "TensorFlow"}
PACKAGES = ("lamina", "keras", "jax", "jaxlib", "torch", "tensorflow-cpu", "numpy")
TARGET_COLUMNS = [
    ("train_vs_keras", "train vs Keras"),
    ("predict_vs_keras", "predict vs Keras"),
    ("train_vs_raw", "train vs raw"),
    ("memory_vs_keras", "peak memory vs Keras"),
    ("first_step_vs_keras", "first step vs Keras"),
]


def _read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def machine():
    """CPU model, cores, memory, OS and package versions of this machine.

    Example:
        >>> machine()["cpus"] >= 1
        True
    """
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpu": cpu, "cpus": len(os.sched_getaffinity(0)), "memory_gb": round(mem_kb / 2**20, 1),
            "platform": platform.platform(), "python": platform.python_version(), "versions": versions}


def _cell(ratio, threshold, higher_is_better=True, note=None):
    if ratio is None:
        return {"ratio": None, "threshold": threshold, "met": None, "note": note}
    met = ratio >= threshold if higher_is_better else ratio <= threshold
    return {"ratio": ratio, "threshold": threshold, "met": met, "higher_is_better": higher_is_better,
            "note": note}


def targets(workload, backend, summary):
    """The issue's targets for one (workload, backend) as ``{name: {ratio, threshold, met, note}}``.

    Speed ratios are lamina / other (above 1: lamina faster); memory and first-step ratios are
    lamina / Keras (below 1: lamina better). ``met`` is None where a figure is missing.
    """
    lam, ker, raw = (summary.get(k, {}) for k in ("lamina", "keras", "raw"))
    if "train_samples_per_s" not in lam:
        why = "missing in lamina: " + ", ".join(lam["missing"]) if "missing" in lam else "lamina failed"
        return {key: _cell(None, None, note=why) for key, _ in TARGET_COLUMNS}

    def ratio(a, b, key):
        return a[key] / b[key] if key in a and key in b else None

    speedup = 2.0 if backend == "torch" else 1.0
    cells = {
        "train_vs_keras": _cell(ratio(lam, ker, "train_samples_per_s"), speedup),
        "predict_vs_keras": _cell(ratio(lam, ker, "predict_samples_per_s"), speedup),
        "memory_vs_keras": _cell(ratio(lam, ker, "peak_rss_mb"), 1.0, higher_is_better=False),
        "first_step_vs_keras": _cell(ratio(lam, ker, "first_step_s"), 1.0, higher_is_better=False),
    }
    keras_vs_raw = ratio(ker, raw, "train_samples_per_s")
    to_raw = ratio(lam, raw, "train_samples_per_s")
    if workload == "tiny":
        cells["train_vs_raw"] = _cell(to_raw, 0.5)
    elif keras_vs_raw is not None and keras_vs_raw >= 1 / 1.5:
        cells["train_vs_raw"] = _cell(to_raw, 1 / 1.2)
    else:
        note = (f"no target: Keras is {1 / keras_vs_raw:.1f}x slower than raw" if keras_vs_raw
                else "no target: Keras or raw figure missing")
        cells["train_vs_raw"] = {"ratio": to_raw, "threshold": None, "met": None, "note": note}
    return cells


def _fmt_target(cell):
    if cell["ratio"] is None:
        return cell["note"] or "n/a"
    text = f"{cell['ratio']:.2f}"
    if cell["met"] is None:
        return f"{text} ({cell['note']})"
    sign = ">=" if cell["higher_is_better"] else "<="
    return f"{text} **{'met' if cell['met'] else 'missed'}** ({sign} {cell['threshold']:.2f})"


def _fmt_speed(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _impl_row(backend, impl, s):
    name = NAMES[impl].format(backend=RAW[backend])
    if "missing" in s:
        return f"| {backend} | {name} | missing in {impl}: {', '.join(s['missing'])} | | | | | | | |"
    if "error" in s:
        error = " ".join(str(s["error"]).split())[-160:].replace("|", "/")
        return f"| {backend} | {name} | failed: {error} | | | | | | | |"
    spread = (s["train_max"] - s["train_min"]) / s["train_samples_per_s"] * 100
    return (f"| {backend} | {name} | {_fmt_speed(s['train_samples_per_s'])} | {spread:.0f}% | "
            f"{_fmt_speed(s['train_samples_per_cpu_s']) if 'train_samples_per_cpu_s' in s else ''} | "
            f"{_fmt_speed(s['predict_samples_per_s'])} | {s['first_step_s']:.2f} | {s['peak_rss_mb']:.0f} | "
            f"{s['final_loss']:.3f} | {s['runs']} |")


def markdown(results):
    """The results as Markdown: the machine, then per workload a figures table and a targets table."""
    m, settings = results["machine"], results["settings"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    lines = [
        f"Measured on {m['cpu']}, {m['cpus']} cores, {m['memory_gb']} GB RAM, {m['platform']}, "
        f"Python {m['python']}; {versions}. CPU only.",
        "",
        f"Sizes: {settings['size']}. Each figure is the median of the runs (up to {settings['repeats']}, fewer "
        "where the time budget ran out, see *runs*); every run is a fresh process and the implementations "
        "are interleaved (lamina, Keras 3, raw, lamina...). "
        f"Load average (1, 5, 15 min) at the start: {_load(m.get('load_average_start'))}, at the end: "
        f"{_load(m.get('load_average_end'))}. Whole run: {results.get('elapsed_s', 0) / 60:.1f} min. "
        + (f"Intra-op threads limited to {settings['threads']} in every framework."
           if settings.get("threads") else "Frameworks' default thread settings."),
        "",
    ]
    load = m.get("load_average_start")
    if load and max(load[0], (m.get("load_average_end") or [0])[0]) > m["cpus"]:
        lines += ["**Noisy run**: other work loaded this machine (load average above its core count), "
                  "so wall-clock figures swing between repeats (see *spread*); the per-CPU-second "
                  "figures are steadier. Rerun on a quiet machine before quoting a number.", ""]
    lines += [
        "- *train samples/s*: the epoch after a warm-up epoch (`fit` with shuffling, loss tracked); "
        "*spread*: (max - min) / median of the repeats, the machine's noise. *Train samples/CPU-s*: the "
        "same epoch per CPU second of all the process's threads: steadier than wall time on a machine "
        "that other work loads, and close to samples/s on a quiet one when each framework is limited "
        "to one thread (`--threads 1`).",
        "- *predict samples/s*: the second `predict` over the training data, same batch size.",
        "- *first step*: from before the import to the end of the first training step (import, model "
        "building, compilation, one step). *Peak memory*: the process's maximum resident set size.",
        "- Target ratios: speed is lamina / other (above 1: lamina faster); memory and first step are "
        "lamina / Keras (below 1: lamina better). Targets from the benchmarks issue: at least Keras's "
        "speed (2x on torch), within 1.2x of raw where Keras is within 1.5x (within 2x on the tiny "
        "model), memory and first step no higher than Keras's.",
        "",
    ]
    tally = {True: 0, False: 0, None: 0}
    for name, entry in results["workloads"].items():
        lines += [f"## {name}: {entry['title']}", "",
                  f"{entry['samples']:,} samples, batch {entry['batch_size']}.", "",
                  "| backend | implementation | train samples/s | spread | train samples/CPU-s "
                  "| predict samples/s | first step (s) | peak memory (MB) | final loss | runs |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for backend, b in entry["backends"].items():
            lines += [_impl_row(backend, impl, s) for impl, s in b["impls"].items()]
        lines += ["", "| backend | " + " | ".join(t for _, t in TARGET_COLUMNS) + " |",
                  "|---" * (len(TARGET_COLUMNS) + 1) + "|"]
        for backend, b in entry["backends"].items():
            cells = b["targets"]
            for cell in cells.values():
                if cell["met"] is not None or cell["threshold"] is not None or cell["ratio"] is None:
                    tally[cell["met"]] += 1
            lines.append(f"| {backend} | " + " | ".join(_fmt_target(cells[k]) for k, _ in TARGET_COLUMNS) + " |")
        lines.append("")
    lines += _import_table(results)
    lines += [f"Targets met: {tally[True]}, missed: {tally[False]}, not measured (lamina missing or "
              f"failed): {tally[None]}. A train-vs-raw cell without a target (Keras more than 1.5x slower "
              "than raw) is not counted.", ""]
    return "\n".join(lines)


def _load(values):
    return ", ".join(f"{v:.1f}" for v in values) if values else "?"


def _import_table(results):
    rows = {}
    for entry in results["workloads"].values():
        for backend, b in entry["backends"].items():
            for impl, s in b["impls"].items():
                if "import_s" in s:
                    rows.setdefault(backend, {}).setdefault(impl, []).append(s["import_s"])
    if not rows:
        return []
    impls = [i for i in ("lamina", "keras", "raw") if any(i in r for r in rows.values())]
    lines = ["## Import time", "",
             "Import and one small op (which includes the framework import lamina defers), seconds, "
             "median over the workloads' runs.", "",
             "| backend | " + " | ".join(NAMES[i].format(backend="backend") for i in impls) + " |",
             "|---" * (len(impls) + 1) + "|"]
    for backend, r in rows.items():
        cells = [f"{sorted(r[i])[len(r[i]) // 2]:.2f}" if i in r else "" for i in impls]
        lines.append(f"| {backend} | " + " | ".join(cells) + " |")
    return lines + [""]
