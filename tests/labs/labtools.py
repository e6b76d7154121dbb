"""Helpers of the lab tests: where the labs are, how to read them, and what a learner receives."""

import json
import os
import re

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABS_DIR = os.path.join(ROOT, "labs")
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
