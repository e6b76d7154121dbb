"""Feedback HTML (teaches without leaking), Gradescope results, reference aggregation."""

import base64
import json
import os
import re

import pytest

from lamina_grader import reference as ref_mod
from lamina_grader.export import gradescope_results
from lamina_grader.feedback import confusion_png, learning_curve_png, render

RESULT = {
    "lab": "00-tiny", "student": "bob", "notebook": "00-tiny", "backend": "jax", "status": "graded",
    "score": 2.61, "max_score": 6.0, "graded_at": "2026-01-01T00:00:00",
    "notes": ["test cell q2 was deleted (restored for grading)"],
    "questions": {"q1": {"score": 1.0, "max": 2.0, "checks": [
        {"question": "q1", "name": "n_features_is_64", "points": 1.0, "status": "failed",
         "message": "n_features should be 64, it is 63", "hint": "Look at x_train.shape.", "hidden": False},
        {"question": "q1", "name": "accuracy_above_0_97", "points": 1.0, "status": "failed",
         "message": "SECRET threshold 0.97", "hint": "Train longer.", "hidden": True}]}},
    "artifacts": [{"name": "tiny_model", "points": 0.61, "max_points": 2.0, "status": "graded", "value": 0.491,
                   "metric": "accuracy", "reason": "", "band": {"backend": "jax"},
                   "line": "accuracy: your 0.491 against reference 0.946 ± 0.011 (full marks from 0.924)",
                   "confusion": [[3, 1], [0, 4]], "origin": "the file you handed in"}],
    "histories": {"tiny_model": {"loss": [2.0, 1.5], "val_loss": [2.1, 1.7], "accuracy": [0.2, 0.4]}},
}


def test_feedback_teaches_without_leaking():
    page = render(RESULT, title="Tiny lab", goals=["train a model"],
                  reference={"tiny_model": {"backends": {"jax": {"curves": {
                      "loss": {"mean": [1.0, 0.5], "std": [0.1, 0.1]}}}}}})
    assert "n_features should be 64, it is 63" in page and "hint: Look at x_train.shape." in page
    assert "hidden check 1" in page and "hint: Train longer." in page
    assert "SECRET" not in page and "accuracy_above" not in page and "0.97" not in page
    assert "your 0.491 against reference 0.946 ± 0.011 (full marks from 0.924)" in page
    assert "test cell q2 was deleted" in page and "2.61 / 6 points" in page
    pngs = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert len(pngs) == 2 and all(base64.b64decode(p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_plots_are_png():
    assert base64.b64decode(confusion_png([[1, 0], [2, 3]]))[:4] == b"\x89PNG"
    assert learning_curve_png({}) is None


def test_gradescope_results():
    out = gradescope_results(RESULT)
    assert out["score"] == 2.61
    assert [t["name"] for t in out["tests"]] == ["q1: n features is 64", "q1: hidden check 1", "model tiny_model"]
    pub, hid, art = out["tests"]
    assert pub == {"name": "q1: n features is 64", "score": 0.0, "max_score": 1.0,
                   "output": "n_features should be 64, it is 63 — hint: Look at x_train.shape.",
                   "visibility": "visible"}
    assert hid["visibility"] == "after_published" and "SECRET" not in json.dumps(out)
    assert art["score"] == 0.61 and art["max_score"] == 2.0
    assert out["output"] == "test cell q2 was deleted (restored for grading)"


def test_reference_aggregates_runs(tmp_path, monkeypatch):
    lab = tmp_path / "00-x"
    lab.mkdir()
    (lab / "grading.toml").write_text('[[artifact]]\nname = "m"\npoints = 1\ndataset = "digits"\n')
    values = iter([0.90, 0.92, 0.94])

    def fake_run(lab_dir, backend, seed, timeout):
        return {"m": {"value": next(values), "history": {"loss": [1.0 + seed, 0.5], "accuracy": [0.5]}}}, []

    monkeypatch.setattr(ref_mod, "_run_in_fresh_process", fake_run)
    path, summary = ref_mod.compute_reference(str(lab), backends=["jax"], runs=3, progress=lambda s: None)
    data = json.load(open(path))
    entry = data["artifacts"]["m"]["backends"]["jax"]
    assert entry["mean"] == pytest.approx(0.92) and entry["std"] == pytest.approx(0.02) and entry["n"] == 3
    assert entry["seeds"] == [0, 1, 2] and entry["values"] == [0.9, 0.92, 0.94]
    assert entry["curves"]["loss"]["mean"] == [2.0, 0.5] and entry["curves"]["loss"]["std"] == [1.0, 0.0]
    assert entry["env"]["python"] and "date" in entry["env"]
    assert summary == "m on jax: accuracy 0.9200 ± 0.0200 (n=3)"

    def failing(lab_dir, backend, seed, timeout):
        return {}, ["checks that did not pass: ['q1/a']"]

    monkeypatch.setattr(ref_mod, "_run_in_fresh_process", failing)
    with pytest.raises(RuntimeError, match="reference 00-x on torch, seed 0: checks that did not pass"):
        ref_mod.compute_reference(str(lab), backends=["torch"], runs=1, progress=lambda s: None)
    assert os.path.exists(path)  # the previous file is kept
