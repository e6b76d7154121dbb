"""nbgrader preprocessors that fix nbgrader's execution pitfalls.

Both are named in the course's ``nbgrader_config.py`` (``Autograde.autograde_preprocessors``):

* :class:`RobustExecute` replaces nbgrader's ``Execute``. A dead kernel
  (``os._exit``, a native crash, memory) no longer drops the whole
  submission: the cell where it died gets an error, every later code cell is
  marked "not run" (its test cells score zero), and everything graded before
  keeps its points. A total time limit stops a notebook whose cells each stay
  under the per-cell limit; a cell of the lab's source notebook can ask for
  its own limit with the metadata ``{"lamina": {"timeout": 300}}`` (the grader
  passes these limits by grade id in ``LAMINA_GRADER_CELL_TIMEOUTS``; the
  submission's own metadata is ignored, or a learner could grant themselves
  more time). What happened is written as JSON to the file named by
  ``LAMINA_GRADER_EXEC_REPORT``.
* :class:`DropGradeCellStderr` removes stderr output from test cells: nbgrader
  zeroes a test cell with any stderr output, so a framework warning printed
  while a check runs would cost a correct answer its points. Checks fail by
  raising or by their returned score, never through stderr.

Example:
    >>> RobustExecute.total_timeout.default_value
    900.0
"""

import json
import os
import signal
import time

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float

__all__ = ["RobustExecute", "DropGradeCellStderr", "EXEC_REPORT_ENV", "CELL_TIMEOUTS_ENV", "cell_timeouts"]

EXEC_REPORT_ENV = "LAMINA_GRADER_EXEC_REPORT"
CELL_TIMEOUTS_ENV = "LAMINA_GRADER_CELL_TIMEOUTS"


def _error(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


def _is_grade(cell):
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def _cell_id(cell, index):
    nbg = cell.metadata.get("nbgrader", {})
    return nbg.get("grade_id") or f"cell {index + 1}"


def cell_timeouts(source_nb):
    """``{grade_id: seconds}`` of the source notebook's cells with ``{"lamina": {"timeout": N}}``.

    Example:
        >>> import nbformat
        >>> cell = nbformat.v4.new_code_cell("fit()", metadata={"nbgrader": {"grade_id": "train"},
        ...                                                     "lamina": {"timeout": 300}})
        >>> cell_timeouts(nbformat.v4.new_notebook(cells=[cell]))
        {'train': 300}
    """
    out = {}
    for cell in source_nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        limit = cell.get("metadata", {}).get("lamina", {}).get("timeout")
        if gid and limit:
            out[gid] = int(limit)
    return out


class RobustExecute(Execute):
    """nbgrader's Execute that survives dead kernels and enforces a total time limit."""

    total_timeout = Float(900.0, help="Seconds for the whole notebook; later cells are not run.").tag(config=True)

    def _cell_timeout(self, cell):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id") if hasattr(cell, "metadata") else None
        own = self._own_timeouts.get(gid) if gid else None
        return int(own) if own else self.timeout

    def preprocess(self, nb, resources=None, km=None):
        self._t0 = time.monotonic()
        self._own_timeouts = json.loads(os.environ.get(CELL_TIMEOUTS_ENV) or "{}")
        self._stop = None
        self._report = {"died": None, "stopped": None, "timeouts": [], "cells_run": 0}
        self.timeout_func = self._cell_timeout
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError as exc:  # died while starting, or outside a cell
            self._report["died"] = self._report["died"] or {"cell": None, "reason": f"the kernel died ({exc})"}
            self._mark_rest(nb, 0, "the kernel died before the notebook could run")
            return nb, resources
        finally:
            self._write_report()

    def _mark_rest(self, nb, start, reason):
        for cell in nb.cells[start:]:
            if cell.cell_type == "code" and not cell.get("outputs"):
                cell.outputs = [_error("NotRun", f"not run: {reason}")]

    def _death_reason(self):
        code = None
        try:
            proc = getattr(self.km.provisioner, "process", None)
            code = proc.poll() if proc is not None else None
        except Exception:
            code = None
        if code is None:
            return "the kernel died"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = " (often: out of memory)" if -code in (signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV) else ""
            return f"the kernel was killed by {name}{hint}"
        return f"the kernel exited with status {code}"

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._stop is None and time.monotonic() - self._t0 > self.total_timeout:
            self._stop = f"the notebook's total time limit of {self.total_timeout:g} s was reached"
            self._report["stopped"] = {"cell": _cell_id(cell, index), "reason": self._stop}
        if self._stop is not None:
            cell.outputs = [_error("NotRun", f"not run: {self._stop}")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            reason = self._death_reason()
            cell.outputs = list(cell.get("outputs", [])) + [_error("KernelDied", f"{reason} in this cell")]
            self._stop = f"{reason} in {_cell_id(cell, index)}"
            self._report["died"] = {"cell": _cell_id(cell, index), "reason": reason}
            return cell, resources
        self._report["cells_run"] += 1
        if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
            self._report["timeouts"].append({"cell": _cell_id(cell, index), "limit_s": self._cell_timeout(cell)})
        return cell, resources

    def _write_report(self):
        path = os.environ.get(EXEC_REPORT_ENV)
        if not path:
            return
        self._report["seconds"] = round(time.monotonic() - self._t0, 2)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self._report, fh)


class DropGradeCellStderr(NbGraderPreprocessor):
    """Removes stderr streams from test cells (framework warnings never cost points)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and _is_grade(cell):
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return cell, resources
