"""The check registry, the runner and the learner-side check()/save_model()."""

import json
import os
import textwrap

import numpy as np
import pytest

import lamina_grader as grader
from lamina_grader.checks import (Check, CheckResult, format_report, load_checks,
                                  question_points, run_question)

CHECKS = textwrap.dedent('''
    from lamina_grader.checks import check, CheckFailed

    @check("q1", points=1, hint="Look at x_train.shape: rows are samples.")
    def x_train_has_64_features(ns):
        x = ns.get("x_train")
        if x is None:
            raise CheckFailed("x_train is not defined")
        if x.shape[1] != 64:
            raise CheckFailed(f"x_train should have 64 features per sample, it has {x.shape[1]}")

    @check("q1", points=2)
    def labels_are_ints(ns):
        y = ns["y_train"]
        if y.dtype.kind not in "iu":
            raise CheckFailed("y_train should hold integer labels", hint="Use y.astype(int).")
        return "labels look right"

    @check("q2", points=1.5)
    def uses_learner_object(ns):
        return ns["model"].summary_text()
''')

HIDDEN = textwrap.dedent('''
    from lamina_grader.checks import check, CheckFailed

    @check("q1", points=1, hint="Scale the features.")
    def features_scaled(ns):
        if ns["x_train"].max() > 1.0:
            raise CheckFailed("max 16.0 is above the threshold 1.0")
''')


@pytest.fixture
def lab(tmp_path, monkeypatch):
    (tmp_path / "checks.py").write_text(CHECKS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(grader.RESULTS_ENV, raising=False)
    grader._EARNED.clear()
    return tmp_path


def test_load_checks_keeps_order_points_and_hints(lab):
    checks = load_checks(lab / "checks.py")
    assert [c.name for c in checks] == ["x_train_has_64_features", "labels_are_ints", "uses_learner_object"]
    assert question_points(checks) == {"q1": 3.0, "q2": 1.5}
    assert checks[0].hint.startswith("Look at")
    # loading twice gives fresh, independent lists
    assert len(load_checks(lab / "checks.py")) == 3


def test_statuses_messages_and_hints(lab):
    checks = load_checks(lab / "checks.py")
    ns = {"x_train": np.zeros((3, 10)), "y_train": np.zeros(3, "float32")}
    r = run_question("q1", checks, ns)
    assert [x.status for x in r] == ["failed", "failed"]
    assert r[0].message == "x_train should have 64 features per sample, it has 10"
    assert r[0].hint == "Look at x_train.shape: rows are samples."
    assert r[1].hint == "Use y.astype(int)."  # CheckFailed's hint overrides the default
    ns = {"x_train": np.zeros((3, 64)), "y_train": np.zeros(3, "int64")}
    r = run_question("q1", checks, ns)
    assert [x.score for x in r] == [1.0, 2.0]
    assert r[1].message == "labels look right"


def test_learner_error_is_reported_without_traceback(lab):
    checks = load_checks(lab / "checks.py")
    r = run_question("q2", checks, {"model": 3})
    assert r[0].status == "error" and r[0].score == 0
    assert r[0].message == "your code raised AttributeError: 'int' object has no attribute 'summary_text'"
    assert "Traceback" not in format_report("q2", r)
    r = run_question("q2", checks, {})
    assert r[0].message == "your code raised KeyError: 'model'"


def test_unknown_question_and_bad_declarations():
    with pytest.raises(KeyError, match="no check registered for question 'q7'.*q1"):
        run_question("q7", [Check("q1", len)], {})
    with pytest.raises(ValueError, match="points should be a number, received 'two'"):
        Check("q1", len, points="two")
    with pytest.raises(ValueError, match="question should be a non-empty string"):
        Check("", len)


def test_check_prints_report_and_raises_for_the_learner(lab, capsys):
    ns = {"x_train": np.zeros((2, 64)), "y_train": np.zeros(2, "float32"), "grader": grader}
    with pytest.raises(AssertionError, match="q1: 1 of 2 checks did not pass"):
        exec("grader.check('q1')", ns)
    out = capsys.readouterr().out
    assert "q1: 1/3 points" in out
    assert "✓ x train has 64 features (1/1)" in out
    assert "✗ labels are ints (0/2)" in out and "hint: Use y.astype(int)." in out
    ns["y_train"] = np.zeros(2, "int32")
    assert eval("grader.check('q1')", ns) is None
    # hidden checks are absent for learners: a note, no failure
    assert eval("grader.check('q1', hidden=True)", ns) is None
    assert "run only when your work is graded" in capsys.readouterr().out


def test_check_in_grading_mode_records_and_returns_partial_credit(lab, monkeypatch, capsys):
    (lab / "checks_hidden.py").write_text(HIDDEN)
    results = lab / "results.jsonl"
    monkeypatch.setenv(grader.RESULTS_ENV, str(results))
    ns = {"x_train": np.full((2, 64), 16.0), "y_train": np.zeros(2, "int32"), "grader": grader}
    public = eval("grader.check('q1')", ns)
    assert repr(public) == "3" and float(public) == 3.0
    total = eval("grader.check('q1', hidden=True)", ns)
    assert float(total) == 3.0  # 3 public + 0 hidden
    out = capsys.readouterr().out
    # hidden checks never show their message (it may name a threshold)
    assert "hidden check 1 (0/1)" in out and "threshold" not in out and "hint: Scale the features." in out
    rows = [CheckResult.from_dict(json.loads(line)) for line in results.read_text().splitlines()]
    assert [(r.name, r.status, r.hidden) for r in rows] == [
        ("x_train_has_64_features", "passed", False), ("labels_are_ints", "passed", False),
        ("features_scaled", "failed", True)]
    assert rows[2].message == "max 16.0 is above the threshold 1.0"


def test_check_without_checks_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="no checks.py in"):
        grader.check("q1")


class _FakeModel:
    history = None

    def __init__(self, fail=False):
        self.fail = fail

    def count_params(self):
        return 4810

    def save(self, path):
        assert path.endswith(".keras")
        with open(path, "wb") as fh:
            fh.write(b"PK-partial")
            if self.fail:
                raise OSError("disk full")
            fh.write(b"x" * 2000)


def test_save_model_is_atomic_and_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = grader.save_model(_FakeModel(), "digits_model", history={"loss": [1.0, 0.5]})
    assert path == os.path.join(str(tmp_path), "digits_model.keras")
    assert os.path.getsize(path) == 2010
    assert json.loads((tmp_path / "digits_model.history.json").read_text()) == {"loss": [1.0, 0.5]}
    out = capsys.readouterr().out
    assert "saved digits_model.keras (_FakeModel, 4,810 parameters, 2.0 KB); history of 2 epochs" in out
    # a failed save leaves the previous file intact and no temporary file behind
    with pytest.raises(OSError, match="disk full"):
        grader.save_model(_FakeModel(fail=True), "digits_model")
    assert os.path.getsize(path) == 2010
    assert sorted(os.listdir(tmp_path)) == ["digits_model.history.json", "digits_model.keras"]
    for bad in ("../evil", "a/b", "m.keras", "", 3):
        with pytest.raises(ValueError, match="save_model: name should be a short file stem"):
            grader.save_model(_FakeModel(), bad)
    with pytest.raises(TypeError, match="expected a model .* received str"):
        grader.save_model("model", "m")


@pytest.mark.training
def test_save_model_real_model_round_trip(tmp_path, monkeypatch):
    import lamina as keras

    monkeypatch.chdir(tmp_path)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((8, 4)).astype("float32")
    model.fit(x, np.arange(8) % 3, epochs=2, verbose=0)
    grader.save_model(model, "tiny")
    hist = json.loads((tmp_path / "tiny.history.json").read_text())
    assert len(hist["loss"]) == 2
    again = keras.saving.load_model(str(tmp_path / "tiny.keras"))
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
