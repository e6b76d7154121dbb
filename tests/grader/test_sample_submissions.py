"""Every lab's sample submissions through the real grading pipeline, each with the exact grade it deserves.

The learners are built by ``submissions/build.py`` (what each one does is listed there). Each
training backend's pass grades, for every lab, the reference solution (``correct``: full marks on
that backend) and a third of the other learners, so that one full ``make test`` grades every
sample once and stays within the CI budget. The kernels run on the pass's backend; the reference
solution's saved model is scored on that backend too, the other learners' on numpy (see samples.py).
"""

import importlib.util
import json

import nbformat
import pytest

import lamina

from .samples import CELL_TIMEOUT_S, ROOT, SUBMISSIONS, grade_class

pytestmark = pytest.mark.training
BACKEND = lamina.backend.backend()
ROTATION = ("jax", "torch", "tensorflow")
FULL = "full"  # the artifact's full points
REFUSED = "loading your model was refused: ValueError: Could not locate class 'system' (module 'os'"

# learner: ({question or artifact: points}, notes the grader must give). Points not listed are full.
EXPECTED = {
    "01-first-model": {
        "correct": ({}, []),
        "partly-wrong": ({"q1": 1.5, "q2": 1.5, "q4": 2, "q5": 1}, []),
        "syntax-error": ({"q2": 0, "q3": 0, "q4": 0, "q5": 0, "digits_model": 0}, []),
        "exits-kernel": ({"q3": 0, "q4": 0, "q5": 0, "digits_model": 0},
                         ["the kernel exited with status 1 while running q3_code"]),
        "endless-loop": ({"q4": 2}, [f"q4_code was stopped after its time limit of {CELL_TIMEOUT_S} s"]),
        "memory-hog": ({"q4": 0, "q5": 2, "digits_model": 0}, ["q4_code ran out of memory"]),
        "forges-numpy": ({"q4": 0, "q5": 0, "digits_model": 0}, []),
        "forges-metrics": ({"q4": 0, "q5": 0, "digits_model": 0}, []),
        "forges-checker": ({"q4": 0, "q5": 0, "digits_model": 0}, ["q4: the notebook reported"]),
        "edits-check-cell": ({"q2": 1.5}, ["test cell q2 was edited (restored for grading)"]),
        "deletes-check-cell": ({"q3": 0.5}, ["test cell q3 was deleted (restored for grading)"]),
        "fake-artifact": ({"digits_model": 0}, [REFUSED]),
        "noisy-warnings": ({}, []),
    },
    "02-training-well": {
        "correct": ({}, []),
        "partly-wrong": ({"q2": 0.5, "q3": 1, "q4": 3, "q5": 2}, []),
        "syntax-error": ({"q3": 0}, []),
        "exits-kernel": ({"q4": 0, "q5": 0, "regularized_model": 0},
                         ["the kernel exited with status 1 while running q4_code"]),
        "endless-loop": ({"q2": 0}, [f"q2_code was stopped after its time limit of {CELL_TIMEOUT_S} s"]),
        "memory-hog": ({"q5": 0, "regularized_model": 0}, ["q5_code ran out of memory"]),
        "forges-numpy": ({"q5": 0, "regularized_model": 0}, []),
        "forges-metrics": ({"q5": 0, "regularized_model": 0}, []),
        "forges-checker": ({"q4": 0, "q5": 0, "regularized_model": 0}, ["q4: the notebook reported 4 points"]),
        "edits-check-cell": ({"q3": 1}, ["test cell q3 was edited (restored for grading)"]),
        "deletes-check-cell": ({"q4": 2}, ["test cell q4 was deleted (restored for grading)"]),
        "fake-artifact": ({"regularized_model": 0}, [REFUSED]),
        "noisy-warnings": ({}, []),
    },
    "03-functional-api": {
        "correct": ({}, []),
        "partly-wrong": ({"q1": 2, "q2": 2, "q3": 1.5, "q4": 0}, []),
        "syntax-error": ({"q2": 0, "q3": 0, "q4": 0, "two_heads_digit": 0, "two_heads_total": 0}, []),
        "exits-kernel": ({"q3": 0, "q4": 0, "two_heads_digit": 0, "two_heads_total": 0},
                         ["the kernel exited with status 1 while running q3_code"]),
        "endless-loop": ({}, [f"q4_code was stopped after its time limit of {CELL_TIMEOUT_S} s"]),
        "memory-hog": ({"q4": 0, "two_heads_digit": 0, "two_heads_total": 0}, ["q4_code ran out of memory"]),
        "forges-numpy": ({"q4": 0, "two_heads_digit": 0, "two_heads_total": 0}, []),
        "forges-metrics": ({"q4": 0, "two_heads_digit": 0, "two_heads_total": 0}, []),
        "forges-checker": ({"q3": 0, "q4": 0, "two_heads_digit": 0, "two_heads_total": 0},
                           ["q3: the notebook reported 2.5 points"]),
        "edits-check-cell": ({"q2": 1.5, "q4": 2, "two_heads_digit": 0}, ["test cell q2 was edited (restored"]),
        "deletes-check-cell": ({"q3": 1.5}, ["test cell q3 was deleted (restored for grading)"]),
        "fake-artifact": ({"two_heads_digit": 0, "two_heads_total": 0}, [REFUSED]),
        "noisy-warnings": ({}, []),
    },
    "04-custom-layers": {
        "correct": ({}, []),
        "partly-wrong": ({"q1": 1.5, "q3": 0.5, "q5": 0.5}, []),
        "syntax-error": ({"q4": 0, "q5": 0, "custom_model": 0}, []),
        "exits-kernel": ({"q4": 0, "q5": 0, "custom_model": 0},
                         ["the kernel exited with status 1 while running q4_code"]),
        "endless-loop": ({}, [f"q4_code was stopped after its time limit of {CELL_TIMEOUT_S} s"]),
        "memory-hog": ({"q4": 0, "q5": 0, "custom_model": 0}, ["q4_code ran out of memory"]),
        "forges-numpy": ({"q4": 0, "q5": 0, "custom_model": 0}, []),
        "forges-metrics": ({"q4": 0, "q5": 0, "custom_model": 0}, []),
        "forges-checker": ({"q4": 0, "q5": 0, "custom_model": 0}, ["q4: the notebook reported 3 points"]),
        "edits-check-cell": ({"q2": 0.5}, ["test cell q2 was edited (restored for grading)"]),
        # Without units in get_config the saved model cannot be rebuilt: the lab's point is lost too.
        "deletes-check-cell": ({"q3": 0.5, "q5": 0.5, "custom_model": 0},
                               ["test cell q3 was deleted (restored for grading)", "could not build the layer"]),
        "fake-artifact": ({"custom_model": 0}, [REFUSED]),
        "noisy-warnings": ({}, []),
    },
}


def _learners(lab):
    """The reference solution and this backend's share of the other learners of ``lab``."""
    others = [name for name in EXPECTED[lab] if name != "correct"]
    shift = sorted(EXPECTED).index(lab)
    return ["correct"] + [name for i, name in enumerate(others)
                          if ROTATION[(i + shift) % len(ROTATION)] == BACKEND]


@pytest.mark.parametrize("lab", sorted(EXPECTED))
def test_samples_get_exactly_their_grade(lab, tmp_path):
    learners = _learners(lab)
    results, rows = grade_class(lab, learners, BACKEND, tmp_path)
    for learner in learners:
        res = results[learner]
        assert res is not None, f"{lab}/{learner} was not graded"
        points, notes = EXPECTED[lab][learner]
        got = {gid: q["score"] for gid, q in res["questions"].items()}
        want = {gid: points.get(gid, q["max"]) for gid, q in res["questions"].items()}
        for art in res["artifacts"]:
            got[art["name"]] = round(art["points"], 4)
            want[art["name"]] = art["max_points"] if points.get(art["name"], FULL) == FULL else points[art["name"]]
        assert got == want, (lab, learner, res["notes"], [a.get("reason") for a in res["artifacts"]])
        said = res["notes"] + [a.get("reason") or "" for a in res["artifacts"]]
        for note in notes:
            assert any(note in n for n in said), (lab, learner, note, said)
        assert float(rows[learner]["score"]) == pytest.approx(sum(want.values()))
    assert not list(tmp_path.rglob("pwned.txt")), "a model file ran a command"


@pytest.mark.backends("jax")
def test_samples_are_built_from_the_current_labs():
    """The committed notebooks are what build.py makes of today's labs (rebuild after changing a lab)."""
    spec = importlib.util.spec_from_file_location("build_samples", SUBMISSIONS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert sorted(build.LABS) == sorted(EXPECTED)
    for lab in build.LABS:
        assert sorted(build.LEARNERS) == sorted(EXPECTED[lab]) == sorted(p.stem for p in (SUBMISSIONS / lab).glob("*.ipynb"))
        source = nbformat.read(ROOT / "labs" / lab / f"{lab}.ipynb", as_version=4)
        for learner in build.LEARNERS:
            want = build.learner_notebook(lab, learner, source)
            got = nbformat.read(SUBMISSIONS / lab / f"{learner}.ipynb", as_version=4)
            assert [c.source for c in got.cells] == [c.source for c in want.cells], \
                f"{lab}/{learner} is stale: run tests/grader/submissions/build.py"
            text = json.dumps(got.cells)
            assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "hidden=True" not in text
