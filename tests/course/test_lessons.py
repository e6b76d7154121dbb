"""The lessons in course/: structure, code, the committed rendering, and one real run."""

import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from tests.course._build import ROOT, load

bl = load()
SLUGS = ["01-first-model", "02-training-well", "03-functional-api", "04-custom-layers"]
KNOWN_TAGS = {"per-backend", "remove-cell", "raises-exception"} | {f"only-{b}" for b in bl.BACKENDS}
LESSONS = {lesson.slug: lesson for lesson in bl.find_lessons()}
RENDERED = bl.OUT_DIR


def markdown_text(lesson):
    return "\n".join(c.source for c in lesson.notebook.cells if c.cell_type == "markdown")


def test_the_four_lessons_exist():
    assert sorted(LESSONS) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_lesson_has_goals_quiz_and_lab_link(slug):
    lesson = LESSONS[slug]
    text = markdown_text(lesson)
    assert lesson.title.startswith(f"Lesson {int(lesson.number)}: ")
    goals = text.split("## Learning goals", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^- ", goals, flags=re.M)) >= 3, "expected at least three learning goals"
    quiz = text.split("## Self-check", 1)[1].split("\n## ", 1)[0]
    questions = re.findall(r"^\*\*\d\.\*\* ", quiz, flags=re.M)
    answers = re.findall(r'^\?\?\? success "Answer"\n    \S', quiz, flags=re.M)
    assert len(questions) >= 3 and len(answers) == len(questions), (len(questions), len(answers))
    assert f"](../labs/{slug}.md)" in text.split("## Your lab", 1)[1]


@pytest.mark.parametrize("slug", SLUGS)
def test_lesson_code_cells_compile_and_use_known_tags(slug):
    lesson = LESSONS[slug]
    code = [c for c in lesson.notebook.cells if c.cell_type == "code"]
    assert len(code) >= 8
    assert "import lamina as keras" in code[0].source
    for index, cell in enumerate(code):
        compile(cell.source, f"{slug} code cell {index}", "exec")
        assert set(cell.metadata.get("tags", [])) <= KNOWN_TAGS, cell.metadata
        for key in ("atol", "rtol"):
            if key in cell.metadata:
                assert 0 < float(cell.metadata[key]) < 1


def test_lessons_pass_ruff():
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).with_name("ruff"))
    out = subprocess.run([ruff, "check", "course"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]


@pytest.mark.parametrize("slug", SLUGS)
def test_committed_page_matches_its_lesson(slug):
    """The rendered page was built on the three backends from the current lesson source."""
    page = (RENDERED / f"{slug}.md").read_text()
    lesson = LESSONS[slug]
    for label in ("JAX", "PyTorch", "TensorFlow"):
        assert f'=== "{label}"' in page
    for cell in lesson.notebook.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and "remove-cell" not in tags:
            lines = cell.source.strip("\n").splitlines()
            indent = "    " if any(t.startswith("only-") for t in tags) else ""
            body = "\n".join(indent + line if line else "" for line in lines)
            assert body in page, f"page of {slug} is stale (run `make lessons`): {lines[0]!r}"
    images = re.findall(r"\]\((images/[^)]+\.png)\)", page)
    assert images, "expected at least one plot"
    for image in images:
        assert (RENDERED / image).is_file(), image
    assert (RENDERED / f"{slug}.ipynb").is_file()
    index = (RENDERED / "index.md").read_text()
    assert f"]({slug}.md)" in index and f"](../labs/{slug}.md)" in index


@pytest.mark.training
@pytest.mark.backends("jax")
def test_lesson_one_runs_and_renders_on_this_backend(tmp_path):
    """Executes lesson 1 in a fresh kernel on jax and renders it (the full build is `make lessons`)."""
    lesson = LESSONS["01-first-model"]
    markdown = bl.build_lesson(lesson, ["jax"], tmp_path, log=lambda *_: None)
    assert "Total params: 4,810 (18.79 KB)" in markdown
    assert "each row sums to 1: True" in markdown
    accuracy = float(re.search(r"test accuracy: (\d\.\d+)", markdown).group(1))
    assert accuracy > 0.9
    pngs = sorted(p.name for p in (tmp_path / "images").glob("*.png"))
    assert len(pngs) == 2 and all((tmp_path / "images" / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)
