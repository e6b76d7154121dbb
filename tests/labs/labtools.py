"""Helpers of the lab tests: read a lab, make learner versions, execute a notebook and collect checks.

The execution mirrors what the grader does with a submission: the lab's locked
cells (test cells with their hidden regions) are taken from the source
notebook, ``checks.py`` and ``checks_hidden.py`` are copied next to it, and
the kernel runs with ``LAMINA_GRADER_RESULTS`` set, so every check result is
written to a JSON-lines file instead of stopping the notebook.
"""

import json
import os
import re
import shutil
import time

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABS_DIR = os.path.join(ROOT, "labs")
SUBMISSIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "submissions")
LABS = ("01-first-model", "02-training-well", "03-functional-api", "04-custom-layers")

_SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION[ \t]*\n?", re.S | re.M)
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.S | re.M)


def lab_path(lab, *parts):
    return os.path.join(LABS_DIR, lab, *parts)


def read_source(lab):
    """The lab's nbgrader source notebook."""
    return nbformat.read(lab_path(lab, f"{lab}.ipynb"), as_version=4)


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def student_version(nb):
    """What a learner receives: solution regions replaced, hidden test regions removed."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            cell.source = _SOLUTION.sub(lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}"
                                        "raise NotImplementedError()\n", cell.source)
        if meta.get("grade") and cell.cell_type == "code":
            cell.source = _HIDDEN.sub("", cell.source).rstrip("\n")
    return nb


def with_source_tests(nb, source):
    """``nb`` with every locked cell of ``source`` put back (as the grader does before running)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    locked = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if nbgrader_meta(c).get("locked")}
    for i, cell in enumerate(nb.cells):
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in locked:
            nb.cells[i] = nbformat.from_dict(json.loads(json.dumps(locked[gid])))
    return nb


def execute(nb, lab, workdir, backend, timeout=240, hidden=True):
    """Runs ``nb`` in a fresh kernel in ``workdir`` with the lab's checks.

    Returns:
        dict with ``nb`` (executed), ``results`` (check result dicts), ``errors``
        (cell index -> error name), ``seconds`` and ``score`` (question -> points).
    """
    from nbclient import NotebookClient

    os.makedirs(workdir, exist_ok=True)
    shutil.copy(lab_path(lab, "checks.py"), workdir)
    if hidden:
        shutil.copy(lab_path(lab, "checks_hidden.py"), workdir)
    results_path = os.path.join(workdir, "results.jsonl")
    if os.path.exists(results_path):
        os.remove(results_path)
    env = dict(os.environ, LAMINA_BACKEND=backend, KERAS_BACKEND=backend, LAMINA_GRADER_RESULTS=results_path,
               OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0", MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "library"), os.path.join(ROOT, "grader")]))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": workdir}})
    start = time.time()
    client.execute(env=env)
    seconds = time.time() - start
    results = []
    if os.path.exists(results_path):
        with open(results_path, encoding="utf-8") as fh:
            results = [json.loads(line) for line in fh if line.strip()]
    errors = {}
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors[i] = out.get("ename")
    score = {}
    for r in results:
        score[r["question"]] = score.get(r["question"], 0.0) + (r["points"] if r["status"] == "passed" else 0.0)
    return {"nb": nb, "results": results, "errors": errors, "seconds": seconds, "score": score}


def check_status(results):
    """``{(question, check name, hidden): status}`` of a run."""
    return {(r["question"], r["name"], bool(r.get("hidden"))): r["status"] for r in results}
