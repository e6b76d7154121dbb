"""nbgrader's execution pitfalls, fixed: dead kernels, time limits, stderr in test cells (jax pass only)."""

import json

import nbformat
import pytest
from nbgrader.utils import determine_grade

from lamina_grader.nbexec import CELL_TIMEOUTS_ENV, EXEC_REPORT_ENV, DropGradeCellStderr, RobustExecute, cell_timeouts

pytestmark = pytest.mark.backends("jax")


def _grade(src, gid, points=1):
    cell = nbformat.v4.new_code_cell(src)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": points,
                                 "grade_id": gid, "schema_version": 3}
    return cell


def _run(cells, tmp_path, monkeypatch, **kw):
    report = tmp_path / "exec.json"
    monkeypatch.setenv(EXEC_REPORT_ENV, str(report))
    nb = nbformat.v4.new_notebook(cells=cells)
    ex = RobustExecute(kernel_name="python3", **kw)
    ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    nb, _ = DropGradeCellStderr().preprocess(nb, {})
    return nb, json.loads(report.read_text())


def test_dead_kernel_keeps_earlier_points(tmp_path, monkeypatch):
    cells = [nbformat.v4.new_code_cell("import sys\nx = 1"),
             _grade("sys.stderr.write('FutureWarning: noisy framework\\n')\nassert x == 1", "q1"),
             _grade("1.5", "q2", points=2),
             nbformat.v4.new_code_cell("import os\nos._exit(3)"),
             _grade("assert x == 1", "q3")]
    nb, report = _run(cells, tmp_path, monkeypatch, timeout=60)
    grades = [determine_grade(c) for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert grades == [(1.0, 1.0), (1.5, 2.0), (0, 1.0)]
    assert nb.cells[3].outputs[-1].ename == "KernelDied"
    assert nb.cells[4].outputs[0].evalue == "not run: the kernel exited with status 3 in cell 4"
    assert report["died"] == {"cell": "cell 4", "reason": "the kernel exited with status 3"}
    assert report["cells_run"] == 3


def test_cell_and_total_time_limits(tmp_path, monkeypatch):
    slow = nbformat.v4.new_code_cell("import time\ntime.sleep(60)")
    slow.metadata["nbgrader"] = {"grade_id": "train", "solution": True, "grade": False}
    # The limit comes from the lab's source notebook, by grade id ...
    source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", metadata={
        "nbgrader": {"grade_id": "train"}, "lamina": {"timeout": 1}})])
    monkeypatch.setenv(CELL_TIMEOUTS_ENV, json.dumps(cell_timeouts(source)))
    # ... and a submission cannot raise its own.
    greedy = nbformat.v4.new_code_cell("time.sleep(60)", metadata={"lamina": {"timeout": 600}})
    cells = [slow, _grade("x = 2", "q1"), greedy, nbformat.v4.new_code_cell("time.sleep(2)"), _grade("x", "q2")]
    nb, report = _run(cells, tmp_path, monkeypatch, timeout=3, total_timeout=5.0)
    assert any(o.get("ename") == "CellTimeoutError" for o in nb.cells[0].outputs)
    assert any(o.get("ename") == "CellTimeoutError" for o in nb.cells[2].outputs)
    assert report["timeouts"] == [{"cell": "train", "limit_s": 1}, {"cell": "cell 3", "limit_s": 3}]
    assert determine_grade(nb.cells[1]) == (1.0, 1.0)  # the kernel was interrupted, not lost
    assert determine_grade(nb.cells[4]) == (0, 1.0)
    assert report["stopped"]["cell"] == "q2"
    assert "total time limit of 5 s" in nb.cells[4].outputs[0].evalue
