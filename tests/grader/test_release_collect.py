"""Student notebooks, release-time consistency checks, tampering detection, collection."""

import json
import os
import shutil

import nbformat
import pytest

from lamina_grader.autograde import question_scores, tampering
from lamina_grader.checks import Check, CheckResult
from lamina_grader.collect import collect, student_id
from lamina_grader.course import CourseError, init_course
from lamina_grader.release import _check_points, _strip_release, grade_cells, student_notebook

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "fixtures", "00-tiny")
SUBS = os.path.join(HERE, "fixtures", "submissions")


def test_student_notebook_has_no_solution_no_hidden_no_output(tmp_path):
    src = nbformat.read(os.path.join(LAB, "00-tiny.ipynb"), as_version=4)
    src.cells[3].outputs = [nbformat.v4.new_output("stream", text="secret output")]
    nbformat.write(src, str(tmp_path / "lab.ipynb"))
    nb = student_notebook(tmp_path / "lab.ipynb")
    text = "\n".join(c.source for c in nb.cells)
    for leaked in ("BEGIN SOLUTION", "HIDDEN", "hidden=True", "x_train.shape[1]", "Adam(0.05)"):
        assert leaked not in text
    assert "secret output" not in json.dumps(nb)
    assert "raise NotImplementedError()" in text
    assert 'grader.save_model(model, "tiny_model")' in text  # code outside the solution region stays
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.source for c in tests] == ['grader.check("q1")', 'grader.check("q2")']
    assert all(c.metadata["nbgrader"]["locked"] for c in tests)


def test_points_of_checks_must_match_test_cells(tmp_path):
    lab = tmp_path / "00-tiny"
    shutil.copytree(LAB, lab)
    nb = nbformat.read(str(lab / "00-tiny.ipynb"), as_version=4)
    assert grade_cells(nb) == {"q1": 2.0, "q2": 2.0}
    assert _check_points(str(lab), nb) == []
    (lab / "checks_hidden.py").write_text("")
    assert _check_points(str(lab), nb) == ["test cell q1 is worth 2 points but its checks add up to 1",
                                           "test cell q2 is worth 2 points but its checks add up to 1"]


def test_strip_release_removes_grader_files_and_finds_leftovers(tmp_path):
    for name in ("checks.py", "checks_hidden.py", "grading.toml", "notes.md", "reference_layers.py"):
        (tmp_path / name).write_text("ok")
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "layers.py").write_text("x = 1")
    removed, problems = _strip_release(str(tmp_path), extra=["reference_layers.py"])  # substitute targets
    assert sorted(removed) == ["checks_hidden.py", "grading.toml", "reference", "reference_layers.py"]
    assert sorted(os.listdir(tmp_path)) == ["checks.py", "notes.md"]
    assert problems == []
    (tmp_path / "notes.md").write_text("### BEGIN HIDDEN TESTS\n")
    assert _strip_release(str(tmp_path))[1] == ["notes.md still holds ['BEGIN HIDDEN TESTS']"]


def test_tampering_reports_deleted_and_edited_test_cells():
    src = nbformat.read(os.path.join(LAB, "00-tiny.ipynb"), as_version=4)
    bob = nbformat.read(os.path.join(SUBS, "bob", "00-tiny.ipynb"), as_version=4)
    assert tampering(src, bob) == ["test cell q2 was deleted (restored for grading)"]
    alice = nbformat.read(os.path.join(SUBS, "alice", "00-tiny.ipynb"), as_version=4)
    assert tampering(src, alice) == []
    q1 = [c for c in alice.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1"][0]
    q1.source = "pass  # grader.check('q1')"
    assert tampering(src, alice) == ["test cell q1 was edited (restored for grading)"]


def test_question_scores_trust_only_checks_that_ran():
    expected = [(Check("q1", len, 1, name="a"), False), (Check("q1", len, 2, name="b"), True),
                (Check("q2", len, 1, name="c"), False)]
    recorded = [CheckResult("q1", "a", 1, "failed", "x"), CheckResult("q1", "a", 1, "passed"),  # last wins
                CheckResult("q1", "b", 99, "passed", hidden=True),  # points come from the file, not the kernel
                CheckResult("q9", "forged", 5, "passed")]
    out = question_scores(expected, recorded)
    assert out["q1"]["score"] == 3.0 and out["q1"]["max"] == 3.0
    assert out["q2"]["score"] == 0.0 and out["q2"]["missing"] == 1
    assert out["q2"]["checks"][0]["status"] == "not_run"
    assert "q9" not in out


def test_collect_from_folder_keeps_only_declared_files(tmp_path):
    labs = tmp_path / "labs"
    shutil.copytree(LAB, labs / "00-tiny")
    course = init_course(str(tmp_path / "course"), labs_dir=str(labs))
    inbox = tmp_path / "inbox"
    (inbox / "ann").mkdir(parents=True)
    shutil.copy(os.path.join(SUBS, "alice", "00-tiny.ipynb"), inbox / "ann" / "00-tiny.ipynb")
    for extra in ("tiny_model.keras", "tiny_model.history.json", "numpy.py", "checks.py"):
        (inbox / "ann" / extra).write_text("x")
    shutil.copy(os.path.join(SUBS, "alice", "00-tiny.ipynb"), inbox / "ben.ipynb")
    shutil.copy(os.path.join(SUBS, "alice", "00-tiny.ipynb"), inbox / "bad name!.ipynb")
    os.symlink(inbox / "ben.ipynb", inbox / "link.ipynb")
    lines = []
    assert collect(course, "00-tiny", str(inbox), progress=lines.append) == ["ann", "ben"]
    assert sorted(os.listdir(course.path("submitted", "ann", "00-tiny"))) == [
        "00-tiny.ipynb", "timestamp.txt", "tiny_model.history.json", "tiny_model.keras"]
    assert any("'bad name!' is not a usable learner id" in s for s in lines)
    assert "skipped link.ipynb: a link" in lines
    assert student_id("../x") is None and student_id("a..b") is None
    with pytest.raises(CourseError, match="no lab 'nope'"):
        collect(course, "nope", str(inbox))
    cfg = open(course.path("nbgrader_config.py")).read()
    assert "add_missing_cells = True" in cfg and "RobustExecute" in cfg
    json.loads(json.dumps(course.lab_config("00-tiny").artifacts[0].__dict__))
