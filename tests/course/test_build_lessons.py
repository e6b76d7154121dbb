"""The lesson renderer: grouping of identical outputs, backend tabs, agreement checks, errors.

Most tests feed hand-made "executed" notebooks to ``render`` (no kernel); one test runs a
tiny lesson in a real kernel to check that a failing cell fails the build.
"""

import base64

import nbformat
import pytest

from tests.course._build import load

bl = load()
BACKENDS = ("jax", "torch", "tensorflow")

SOURCE = '''# %% [markdown]
# # Lesson 9: Tiny
#
# A synthetic lesson.

# %%
print("shared")

# %% tags=["per-backend"]
print("native")

# %% atol=0.05
print("accuracy")

# %% tags=["only-jax"]
print("jax only")

# %% tags=["only-torch"]
print("torch only")

# %% tags=["only-tensorflow"]
print("tf only")

# %% tags=["remove-cell"]
print("hidden")

# %% alt="A plot"
plot()
'''


def lesson(tmp_path, source=SOURCE):
    path = tmp_path / "09-tiny.py"
    path.write_text(source)
    return bl.read_lesson(path)


def stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def png(data):
    return nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(data).decode()})


def executed(the_lesson, outputs):
    """``outputs``: {backend: {lesson cell index: [outputs]}}; returns {backend: notebook}."""
    result = {}
    for backend in BACKENDS:
        notebook = bl.notebook_for_backend(the_lesson.notebook, backend)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = outputs.get(backend, {}).get(cell.metadata["lesson_index"], [])
        result[backend] = notebook
    return result


def default_outputs(**changes):
    outputs = {}
    for backend in BACKENDS:
        outputs[backend] = {
            1: [stream("shared 1.5\n")],
            2: [stream(f"native {backend}\n")],
            3: [stream("accuracy 0.95\n")],
            4: [stream("jax only\n")] if backend == "jax" else [],
            5: [stream("torch only\n")] if backend == "torch" else [],
            6: [stream("tf only\n")] if backend == "tensorflow" else [],
            7: [stream("hidden\n")],
            8: [png(b"same picture")],
        }
    for key, value in changes.items():
        backend, index = key.split("_")
        outputs[backend][int(index)] = value
    return outputs


def test_reading_a_lesson_finds_title_summary_and_cell_lines(tmp_path):
    tiny = lesson(tmp_path)
    assert (tiny.number, tiny.slug, tiny.title) == ("09", "09-tiny", "Lesson 9: Tiny")
    assert tiny.summary == "A synthetic lesson."
    assert tiny.cell_lines[1] == 6


def test_only_cells_run_only_on_their_backend(tmp_path):
    tiny = lesson(tmp_path)
    sources = [c.source for c in bl.notebook_for_backend(tiny.notebook, "torch").cells]
    assert 'print("torch only")' in sources
    assert 'print("jax only")' not in sources and 'print("tf only")' not in sources


def test_identical_outputs_are_shown_once_and_others_as_tabs(tmp_path):
    tiny = lesson(tmp_path)
    markdown, images, _ = bl.render(tiny, executed(tiny, default_outputs()))
    assert markdown.count('print("shared")') == 1
    assert markdown.count("shared 1.5") == 1
    # the per-backend cell: code once, one tab per backend with its own output
    assert markdown.count('print("native")') == 1
    for backend, label in (("jax", "JAX"), ("torch", "PyTorch"), ("tensorflow", "TensorFlow")):
        assert f'=== "{label}"\n\n    ```text\n    native {backend}\n    ```' in markdown
    # the only-* cells form one tab set, each tab with its own code
    assert '=== "PyTorch"\n\n    ```python\n    print("torch only")' in markdown
    # hidden cell, identical plot shown once
    assert "hidden" not in markdown
    assert list(images) == ["09-tiny-cell09-1.png"]
    assert "![A plot](images/09-tiny-cell09-1.png)" in markdown


def test_numbers_within_tolerance_become_tabs(tmp_path):
    tiny = lesson(tmp_path)
    outputs = default_outputs(torch_3=[stream("accuracy 0.97\n")], jax_1=[stream("shared 1.50001\n")])
    markdown, _, _ = bl.render(tiny, executed(tiny, outputs))
    assert "accuracy 0.97" in markdown and "accuracy 0.95" in markdown
    assert markdown.count('=== "JAX"') == 4  # shared (within 1e-4), accuracy, native, only-*


def test_a_disagreement_fails_the_build_with_a_clear_message(tmp_path):
    tiny = lesson(tmp_path)
    outputs = default_outputs(tensorflow_3=[stream("accuracy 0.80\n")])
    with pytest.raises(bl.BuildError) as info:
        bl.render(tiny, executed(tiny, outputs))
    message = str(info.value)
    assert "lesson 09-tiny, cell 4, line 12 of 09-tiny.py" in message
    assert "jax and tensorflow disagree (rtol=0.0001, atol=0.05)" in message
    assert "accuracy 0.95" in message and "accuracy 0.80" in message


def test_a_text_difference_in_a_compared_cell_fails(tmp_path):
    tiny = lesson(tmp_path)
    with pytest.raises(bl.BuildError, match="cell 2.*jax and torch disagree"):
        bl.render(tiny, executed(tiny, default_outputs(torch_1=[stream("shared 1.5 extra\n")])))


def test_a_plot_on_one_backend_only_fails(tmp_path):
    tiny = lesson(tmp_path)
    with pytest.raises(bl.BuildError, match="different parts"):
        bl.render(tiny, executed(tiny, default_outputs(torch_8=[])))


def test_different_plots_are_shown_per_backend(tmp_path):
    tiny = lesson(tmp_path)
    markdown, images, _ = bl.render(tiny, executed(tiny, default_outputs(torch_8=[png(b"other")])))
    assert sorted(images) == [f"09-tiny-cell09-1-{b}.png" for b in sorted(BACKENDS)]
    assert images["09-tiny-cell09-1-torch.png"] == b"other"
    assert "![A plot (PyTorch)](images/09-tiny-cell09-1-torch.png)" in markdown


def test_stderr_is_neither_shown_nor_compared_but_reported(tmp_path):
    tiny = lesson(tmp_path)
    outputs = default_outputs(torch_1=[stream("shared 1.5\n"), stream("W0000 a warning\n", "stderr")])
    markdown, _, warnings = bl.render(tiny, executed(tiny, outputs))
    assert "a warning" not in markdown
    assert len(warnings) == 1 and "cell 2" in warnings[0] and "torch" in warnings[0]


def test_expected_errors_are_shown():
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                           traceback=[])]
    assert bl.cell_outputs(cell) == ([("text", "ZeroDivisionError: division by zero")], "")


def test_compare_texts():
    assert bl.compare_texts({"a": "loss 0.500001 [1 2]", "b": "loss 0.5  [1 2]"}) is None
    assert bl.compare_texts({"a": "x nan", "b": "x nan"}) is None
    assert bl.compare_texts({"a": "-0.00", "b": "0.00"}) is None
    assert "disagree" in bl.compare_texts({"a": "loss 0.51", "b": "loss 0.5"})
    assert "(output ends here)" in bl.compare_texts({"a": "1 2 3", "b": "1 2"})
    assert bl.compare_texts({"a": "acc 0.91", "b": "acc 0.95"}, atol=0.05) is None


def test_terminal_text_applies_carriage_returns_and_backspaces():
    assert bl.terminal_text("10%\r55%\r100%\nnext") == "100%\nnext"
    assert bl.terminal_text("abc\b\bX") == "aXc"


def test_fences_and_tabs_nest_safely():
    assert bl.fence("a ``` b") == "````text\na ``` b\n````\n"
    assert bl.tabs({"JAX": "```text\n1\n```"}) == '=== "JAX"\n\n    ```text\n    1\n    ```\n'


def test_check_lists_differing_missing_and_stale_files(tmp_path):
    tiny = lesson(tmp_path)
    built, committed = tmp_path / "built", tmp_path / "committed"
    for folder in (built, committed):
        (folder / "images").mkdir(parents=True)
        (folder / "index.md").write_text("index")
        (folder / "09-tiny.ipynb").write_text("{}")
    (built / "09-tiny.md").write_text("new")
    (committed / "09-tiny.md").write_text("old")
    (committed / "images" / "09-tiny-cell02-1.png").write_bytes(b"x")
    assert bl.compare_dirs([tiny], built, committed) == [
        "09-tiny.md: differs", "images/09-tiny-cell02-1.png: stale, no longer produced"]
    assert bl.compare_dirs([tiny], built, built) == []


def test_unknown_lesson_is_refused():
    with pytest.raises(bl.BuildError, match="no lesson \\['99'\\]"):
        bl.find_lessons(bl.COURSE_DIR, ["99"])


@pytest.mark.backends("jax")
def test_a_real_kernel_runs_on_the_asked_backend_and_a_failing_cell_fails_the_build(tmp_path):
    good = lesson(tmp_path, '# %% [markdown]\n# # Good\n\n# %%\nimport lamina\nprint(lamina.backend.backend())\n')
    notebook = bl.execute(good, "jax", timeout=60)
    assert bl.cell_outputs(notebook.cells[1]) == ([("text", "jax")], "")
    assert len(notebook.cells) == 2 and notebook.metadata["cpu_seconds"] > 0
    tiny = lesson(tmp_path, '# %% [markdown]\n# # Broken\n\n# %%\nx = 1\n\n# %%\nraise ValueError("bad lesson")\n')
    with pytest.raises(bl.BuildError) as info:
        bl.execute(tiny, "jax", timeout=60)
    message = str(info.value)
    assert "lesson 09-tiny, cell 3, line 7 of 09-tiny.py failed on jax" in message
    assert "ValueError: bad lesson" in message


def test_written_files_page_images_and_notebook(tmp_path):
    import nbformat as nbf

    tiny = lesson(tmp_path)
    out = tmp_path / "out"
    (out / "images").mkdir(parents=True)
    (out / "images" / "09-tiny-cell01-1.png").write_bytes(b"stale")
    bl.write_lesson(tiny, "# page\n", {"09-tiny-cell09-1.png": b"png"}, out)
    assert (out / "09-tiny.md").read_text() == "# page\n"
    assert sorted(p.name for p in (out / "images").iterdir()) == ["09-tiny-cell09-1.png"]
    notebook = nbf.read(out / "09-tiny.ipynb", as_version=4)
    notes = [i for i, c in enumerate(notebook.cells) if "run only the one for your backend" in c.source]
    assert len(notes) == 1 and "jax only" in notebook.cells[notes[0] + 1].source
    assert len(notebook.cells) == len(tiny.notebook.cells) + 1
    assert [c.id for c in notebook.cells[:2]] == ["cell-00", "cell-01"]  # stable, so --check can compare
