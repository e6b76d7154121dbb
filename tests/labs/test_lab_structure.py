"""The labs' structure: valid nbgrader notebooks, consistent metadata and points, checks per question."""

import json
import os
import re

import nbformat
import pytest

from lamina_grader import datasets
from lamina_grader.checks import load_checks, question_points

from . import labtools as lt

TEST_CELL = re.compile(r'^grader\.check\("(q\d+)"\)\n### BEGIN HIDDEN TESTS\ngrader\.check\("\1", hidden=True\)\n'
                       r'### END HIDDEN TESTS$')


def graded_cells(nb):
    return [c for c in nb.cells if lt.nbgrader_meta(c).get("grade")]


def artifact_points(lab):
    import tomllib

    with open(lt.lab_path(lab, "grading.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return data, sum(a["points"] for a in data.get("artifact", []))


@pytest.mark.parametrize("lab", lt.LABS)
def test_notebook_is_a_valid_nbgrader_source(lab):
    nb = lt.read_source(lab)
    nbformat.validate(nb)
    ids = []
    for cell in nb.cells:
        meta = lt.nbgrader_meta(cell)
        assert meta.get("schema_version") == 3, f"{lab}: a cell without nbgrader metadata: {cell.source[:60]!r}"
        ids.append(meta["grade_id"])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{lab}: outputs committed in {meta}"
        if meta["solution"]:
            assert not meta["grade"] and not meta["locked"] and cell.cell_type == "code"
            src = cell.source
            assert src.count("### BEGIN SOLUTION") == src.count("### END SOLUTION") >= 1, meta["grade_id"]
        elif meta["grade"]:
            assert meta["locked"] and isinstance(meta["points"], (int, float)) and meta["points"] > 0
            assert TEST_CELL.match(cell.source), f"{lab}: test cell {meta['grade_id']} is not in the contract form"
            assert TEST_CELL.match(cell.source).group(1) == meta["grade_id"]
        else:
            assert meta["locked"], f"{lab}: instruction cell {meta['grade_id']} should be locked"
    assert len(ids) == len(set(ids)), f"{lab}: duplicate grade_ids"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import lamina as keras" in text and "import lamina_grader as grader" in text
    assert not re.search(r"^\s*(import keras|from keras)", text, re.M), f"{lab} imports keras"
    first_check = text.index("grader.check(")
    assert text.index("import lamina_grader as grader") < first_check


@pytest.mark.parametrize("lab", lt.LABS)
def test_points_match_checks_and_readme(lab):
    nb = lt.read_source(lab)
    public = load_checks(lt.lab_path(lab, "checks.py"))
    hidden = load_checks(lt.lab_path(lab, "checks_hidden.py"))
    pub, hid = question_points(public), question_points(hidden)
    cells = {lt.nbgrader_meta(c)["grade_id"]: lt.nbgrader_meta(c)["points"] for c in graded_cells(nb)}
    assert set(cells) == set(pub) == set(hid), "every question has a test cell, public and hidden checks"
    for q, points in cells.items():
        assert points == pytest.approx(pub[q] + hid[q]), f"{lab} {q}: cell points vs checks"
    names = [c.name for c in public] + [c.name for c in hidden]
    assert len(names) == len(set(names)), f"{lab}: check names should be unique"
    assert all(c.hint for c in public), f"{lab}: every public check has a hint"
    data, art = artifact_points(lab)
    readme = open(lt.lab_path(lab, "README.md"), encoding="utf-8").read()
    m = re.search(r"\*\*Total: ([\d.]+) points\*\* \(([\d.]+) from the checks, ([\d.]+) from the artifact\)", readme)
    assert m, f"{lab}/README.md states the total points"
    assert (float(m.group(2)), float(m.group(3))) == (sum(cells.values()), art)
    assert float(m.group(1)) == sum(cells.values()) + art
    for q, points in cells.items():
        assert re.search(rf"^\| {q} \| {points:g} \|", readme, re.M), f"{lab}/README.md: points of {q}"


@pytest.mark.parametrize("lab", lt.LABS)
def test_grading_toml_matches_the_notebook(lab):
    data, _ = artifact_points(lab)
    assert data["lab"]["title"] and data["lab"]["goals"]
    text = "\n".join(c.source for c in lt.read_source(lab).cells)
    try:
        from lamina_grader.labconfig import load_lab_config
    except ImportError:  # pragma: no cover - the grader package is written in parallel
        load_lab_config = None
    specs = load_lab_config(lt.lab_path(lab)).artifacts if load_lab_config else []
    for raw in data["artifact"]:
        stem = raw.get("file", raw["name"] + ".keras")[:-len(".keras")]
        assert re.search(rf'grader\.save_model\(\w+, "{stem}"', text), f"{lab}: no save_model for {stem}"
        assert raw["dataset"] in datasets.names()
        for f in raw.get("custom_code", []):
            assert f"%%writefile {f}" in text
        for f in raw.get("substitute", {}).values():
            assert os.path.isfile(lt.lab_path(lab, f))
    assert len(specs) in (0, len(data["artifact"]))


@pytest.mark.parametrize("lab", lt.LABS)
def test_student_version_hides_solutions_and_hidden_tests(lab):
    source = lt.read_source(lab)
    student = lt.student_version(source)
    text = json.dumps(student.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden=True"):
        assert marker not in text
    n_regions = sum(c.source.count("### BEGIN SOLUTION") for c in source.cells)
    assert sum(c.source.count("raise NotImplementedError()") for c in student.cells) == n_regions


def test_lab_index_lists_every_lab():
    index = open(os.path.join(lt.LABS_DIR, "README.md"), encoding="utf-8").read()
    for lab in lt.LABS:
        assert f"]({lab}/README.md)" in index
    assert sorted(d for d in os.listdir(lt.LABS_DIR) if os.path.isdir(lt.lab_path(d))) == sorted(lt.LABS)


def test_lab4_reference_module_is_the_notebook_solution():
    body = open(lt.lab_path("04-custom-layers", "reference_layers.py"), encoding="utf-8").read()
    body = body.split("# -- module body --\n", 1)[1]
    cell = next(c for c in lt.read_source("04-custom-layers").cells if c.source.startswith("%%writefile"))
    assert cell.source == "%%writefile custom_layers.py\n" + body.strip("\n")
