"""Reports how much of the Keras 3 API lamina provides, namespace by namespace.

Usage: ``python tools/api_coverage.py [--json out.json] [--missing]``. The
reference list is ``../shared/reference/keras_api_names.json`` (or the path in
``LAMINA_API_REFERENCE``).
"""

import argparse
import importlib
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "keras_api_names.json"


def _target(namespace):
    """The lamina object whose attributes stand for ``namespace``."""
    if namespace == "(top level)":
        return importlib.import_module("lamina")
    if namespace.startswith("Model ("):
        return getattr(importlib.import_module("lamina"), "Model", None)
    if namespace.startswith("Layer ("):
        layers = _import("lamina.layers")
        return getattr(layers, "Layer", None) if layers else None
    return _import(f"lamina.{namespace}")


def _import(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def coverage(reference):
    rows = []
    for namespace, names in reference["namespaces"].items():
        target = _target(namespace)
        have = [n for n in names if target is not None and hasattr(target, n)]
        missing = [n for n in names if n not in have]
        rows.append({"namespace": namespace, "provided": len(have), "total": len(names), "missing": missing})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", help="also write the report as JSON to this path")
    parser.add_argument("--missing", action="store_true", help="list the missing names")
    parser.add_argument("--reference", default=os.environ.get("LAMINA_API_REFERENCE", DEFAULT_REFERENCE))
    args = parser.parse_args(argv)
    reference_path = pathlib.Path(args.reference)
    if not reference_path.exists():
        print(f"api-coverage: reference file {reference_path} not found", file=sys.stderr)
        return 2
    rows = coverage(json.loads(reference_path.read_text()))
    width = max(len(r["namespace"]) for r in rows)
    print(f"{'namespace':<{width}}  provided / total")
    for r in rows:
        line = f"{r['namespace']:<{width}}  {r['provided']:>8} / {r['total']:<5}"
        if args.missing and r["missing"]:
            line += "  missing: " + " ".join(r["missing"])
        print(line)
    total = sum(r["provided"] for r in rows), sum(r["total"] for r in rows)
    print(f"{'all':<{width}}  {total[0]:>8} / {total[1]}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
