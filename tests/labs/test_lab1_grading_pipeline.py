"""Lab 1 through the real grading pipeline (`lamina-grader demo`: init, release, collect,
autograde with the sandboxed artifact, feedback, export) with its five sample submissions:
each gets exactly the grade it deserves. jax pass only (the grader picks its own backend)."""

import csv
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

EXPECTED = {  # student: (q1, q2, q3, q4, q5, digits_model, total)
    "01-correct": (2, 2, 1, 3, 3, 4, 15),
    "01-partly-wrong": (1.5, 1.5, 1, 2, 1, 4, 11),
    "01-syntax-error": (2, 0, 0, 0, 0, 0, 2),
    "01-forges-numpy": (2, 2, 1, 0, 0, 0, 5),
    "01-forges-checker": (2, 2, 1, 0, 0, 0, 5),
}


@pytest.mark.backends("jax")
def test_lab1_samples_get_exact_grades_through_lamina_grader(tmp_path):
    grader = pathlib.Path(sys.executable).with_name("lamina-grader")
    course = tmp_path / "course"
    env = dict(os.environ, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([str(grader), "demo", "01-first-model", "--labs", "labs", "--submissions",
                           "tests/labs/submissions", "--course", str(course), "--jobs", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(course / "export" / "01-first-model" / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(EXPECTED)
    for student, expected in EXPECTED.items():
        row = rows[student]
        got = tuple(float(row[k]) for k in ("q1", "q2", "q3", "q4", "q5", "digits_model", "score"))
        assert got == tuple(float(v) for v in expected), (student, got, row["notes"])
    assert float(rows["01-forges-numpy"]["digits_model_value"]) < 0.3
    for student in EXPECTED:
        assert (course / "feedback" / student / "01-first-model" / "01-first-model.html").exists()
