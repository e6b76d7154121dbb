"""End to end on the tiny synthetic lab: init -> release -> collect -> autograde -> feedback -> export.

Runs in the jax pass only; the grading subprocesses pick their backend themselves (notebooks on
jax, saved models loaded on the numpy inference backend). Sample submissions: see
fixtures/build_tiny_lab.py.
"""

import csv
import json
import os
import shutil

import nbformat
import pytest

from lamina_grader import cli
from lamina_grader.autograde import autograde
from lamina_grader.bands import band_for
from lamina_grader.collect import collect
from lamina_grader.course import Course
from lamina_grader.export import export
from lamina_grader.feedback import write_feedback
from lamina_grader.release import release

pytestmark = [pytest.mark.backends("jax"), pytest.mark.training]
HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")

EXPECTED = {  # student: (q1, q2, tiny_model or None for "strictly between 0 and 2", status)
    "alice": (2, 2, 2.0, "graded"),  # its q2 check writes a warning to stderr: still full marks
    "bob": (1, 1, None, "graded"),
    "carol": (2, 0, 0.0, "graded"),
    "dave": (2, 0, 0.0, "graded"),
    "eve": (2, 0, 0.0, "graded"),
    "frank": (2, 2, 0.0, "graded"),
    "gina": (0, 0, 0.0, "invalid_notebook"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    labs = root / "labs"
    shutil.copytree(os.path.join(FIX, "00-tiny"), labs / "00-tiny")
    cwd = os.getcwd()
    os.chdir(root)  # the commands must not depend on the caller's working directory
    try:
        assert cli.main(["init", str(root / "course"), "--labs", str(labs)]) == 0
    finally:
        os.chdir(cwd)
    course = Course(str(root / "course"))
    messages, report = release(course, "00-tiny", validate=True, sandbox_backend="numpy")
    assert report.ok, report.summary()
    collect(course, "00-tiny", os.path.join(FIX, "submissions"), progress=lambda s: None)
    with open(course.path("canary.txt"), "w") as fh:
        fh.write("intact")
    lines = []
    results = autograde(course, "00-tiny", jobs=2, backend="jax", sandbox_backend="numpy", progress=lines.append)
    yield course, results, lines, report


def test_release_is_clean_and_validated(graded):
    course, _, _, report = graded
    assert sorted(os.listdir(course.path("release", "00-tiny"))) == ["00-tiny.ipynb", "checks.py"]
    text = open(course.path("release", "00-tiny", "00-tiny.ipynb")).read()
    assert "BEGIN SOLUTION" not in text and "hidden=True" not in text
    assert [c.status for c in report.checks] == ["passed"] * 4
    assert report.artifacts[0]["points"] == 2.0


def test_every_submission_gets_the_grade_it_deserves(graded):
    course, results, lines, _ = graded
    assert len(lines) == 7 and all(s in " ".join(lines) for s in EXPECTED)
    reference = course.reference("00-tiny")["artifacts"]["tiny_model"]
    band = band_for(course.lab_config("00-tiny").artifacts[0], reference)
    for student, (q1, q2, art, status) in EXPECTED.items():
        r = results[student]
        assert r["status"] == status, student
        assert (r["questions"]["q1"]["score"], r["questions"]["q2"]["score"]) == (q1, q2), student
        a = r["artifacts"][0]
        if art is None:
            assert 0 < a["points"] < 2 and a["points"] == band.score(a["value"]), (student, a)
        else:
            assert a["points"] == art, (student, a)
        assert r["score"] == pytest.approx(q1 + q2 + a["points"])
    notes = {s: " ".join(results[s]["notes"]) for s in EXPECTED}
    assert notes["alice"] == "" and notes["frank"] == ""
    assert notes["carol"] == "cell 6 ran out of memory (MemoryError; a notebook may use 4000 MB): the rest of that " \
                             "cell did not run"
    assert notes["bob"] == "test cell q2 was deleted (restored for grading)"
    assert "the kernel exited with status 1 while running train" in notes["dave"]
    assert "q2: the notebook reported 2 points but the checks the grader saw give 0" in notes["eve"]
    assert "not a valid notebook (NotJSONError" in notes["gina"]
    assert results["carol"]["artifacts"][0]["reason"] == "no file tiny_model.keras was handed in"
    carol = nbformat.read(course.path("autograded", "carol", "00-tiny", "00-tiny.ipynb"), as_version=4)
    hog = [c for c in carol.cells if c.source.startswith("hog = ")][0]
    assert [o.get("ename") for o in hog.outputs] == ["MemoryError"]  # the kernel's memory limit, kernel alive
    assert results["frank"]["artifacts"][0]["status"] == "refused"
    assert "Could not locate class 'system'" in results["frank"]["artifacts"][0]["reason"]
    assert not os.path.exists("/tmp/lamina-grader-pwned")


def test_the_notebook_cannot_write_to_the_course(graded):
    from lamina_grader import kernel_jail

    course, results, _, _ = graded
    canary = open(course.path("canary.txt")).read()
    if kernel_jail.available([course.path("grading")], course.root):
        assert canary == "intact"
        assert results["eve"]["kernel_isolation"].startswith("read-only file system except its folder")
    else:  # no user namespaces here: the documented limitation
        assert results["eve"]["kernel_isolation"].startswith("file system not protected")


def test_patched_numpy_does_not_change_the_artifact_grade(graded):
    import lamina
    from lamina_grader.datasets import load_heldout

    course, results, _, _ = graded
    model = lamina.saving.load_model(course.path("autograded", "eve", "00-tiny", "tiny_model.keras"))
    x, y = load_heldout("digits")
    accuracy = float((model.predict(x, verbose=0).argmax(-1) == y).sum()) / len(y)
    assert results["eve"]["artifacts"][0]["value"] == pytest.approx(accuracy, abs=1e-9)
    assert accuracy < 0.5


def test_gradebook_holds_the_final_scores(graded):
    course, _, _, _ = graded
    with course.gradebook() as gb:
        scores = {s: gb.find_submission("00-tiny", s).score for s in EXPECTED}
    assert scores == {s: q1 + q2 for s, (q1, q2, _, _) in EXPECTED.items()}
    rows = {r[0]: r[2] for r in course.artifact_rows("00-tiny")}
    assert rows["alice"] == 2.0 and rows["frank"] == 0.0 and len(rows) == 7


def test_feedback_and_export(graded):
    course, results, _, _ = graded
    paths = write_feedback(course, "00-tiny")
    assert len(paths) == 7
    page = open(course.path("feedback", "bob", "00-tiny", "00-tiny.html"), encoding="utf-8").read()
    assert "n_features should be 64, it is 63" in page and "hidden check 1" in page
    assert "fewer than the 3 asked" not in page and "x_train has values above" not in page
    assert "full marks from" in page and page.count("data:image/png;base64,") == 2
    csv_path, table = export(course, "00-tiny")
    rows = {r["student"]: r for r in csv.DictReader(open(csv_path))}
    assert float(rows["alice"]["score"]) == 6.0 and float(rows["gina"]["score"]) == 0.0
    assert float(rows["bob"]["tiny_model"]) == results["bob"]["artifacts"][0]["points"]
    gs = json.load(open(course.path("export", "00-tiny", "dave", "results.json")))
    assert gs["score"] == 2.0 and len(gs["tests"]) == 5


def test_grading_again_is_idempotent(graded):
    course, results, _, _ = graded
    again = autograde(course, "00-tiny", students=["gina", "carol"], jobs=2, backend="jax",
                      sandbox_backend="numpy", progress=lambda s: None)
    for s in ("gina", "carol"):
        assert again[s]["score"] == results[s]["score"]
        assert again[s]["questions"] == results[s]["questions"]
    assert len(course.artifact_rows("00-tiny")) == 7
