"""The guard against notebooks that patch what the checks rely on (numpy, builtins, lamina)."""

import builtins
import json

import numpy as np
import pytest

import lamina
import lamina_grader as grader
from lamina_grader import integrity
from lamina_grader.checks import CheckResult

from .test_checks import CHECKS


def test_nothing_is_replaced_after_ordinary_use():
    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.predict(np.ones((2, 4), "float32"), verbose=0)
    assert integrity.replaced() == []


@pytest.mark.parametrize("owner, name, fake, reported", [
    (np, "mean", lambda *a, **k: 0.99, "numpy.mean"),
    (np, "isclose", np.equal, "numpy.isclose"),  # a genuine numpy function, but not the one it was
    (builtins, "abs", lambda x: 0, "builtins.abs"),
    (lamina.Model, "evaluate", lambda self, *a, **k: [0.0, 1.0], "lamina.Model.evaluate"),
    (lamina.metrics.SparseCategoricalAccuracy, "result", lambda self: 1.0,
     "lamina.metrics.SparseCategoricalAccuracy.result"),
    (lamina.layers.Layer, "__call__", lambda self, *a, **k: None, "lamina.layers.Layer.__call__"),
])
def test_each_kind_of_patch_is_named(monkeypatch, owner, name, fake, reported):
    integrity.snapshot()
    monkeypatch.setattr(owner, name, fake)
    assert reported in integrity.replaced()
    monkeypatch.undo()
    assert integrity.replaced() == []


def test_a_learner_subclass_is_not_a_patch():
    class Mine(lamina.layers.Layer):
        def call(self, x):
            return x

    class MyMetric(lamina.metrics.Mean):
        def result(self):
            return 1.0

    assert integrity.replaced() == []


def test_checks_of_a_patched_notebook_score_zero_with_the_reason(tmp_path, monkeypatch, capsys):
    (tmp_path / "checks.py").write_text(CHECKS)
    monkeypatch.chdir(tmp_path)
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(grader.RESULTS_ENV, str(results))
    grader._EARNED.clear()
    ns = {"x_train": np.zeros((2, 64)), "y_train": np.zeros(2, "int32"), "grader": grader}
    assert float(eval("grader.check('q1')", ns)) == 3.0
    monkeypatch.setattr(np, "mean", lambda *a, **k: 0.99)
    assert float(eval("grader.check('q1')", ns)) == 0.0
    out = capsys.readouterr().out
    assert "not checked: the notebook replaced numpy.mean" in out and "restart the kernel" in out
    rows = [CheckResult.from_dict(json.loads(line)) for line in results.read_text().splitlines()]
    assert [r.status for r in rows] == ["passed", "passed", "failed", "failed"]
