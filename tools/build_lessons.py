"""Execute the course's lessons on each backend and render them to Markdown.

Each lesson ``course/NN-slug.py`` (jupytext percent format) runs in a fresh
Jupyter kernel per backend (``LAMINA_BACKEND`` set in the kernel's
environment). The executed notebooks are merged into one mkdocs-material page,
``site/docs/course/NN-slug.md``, with the plots as PNG files in
``site/docs/course/images/`` and the lesson as a notebook next to the page.

How a code cell is shown:

* Untagged cell: the code once. The text outputs of all backends are compared
  (see :func:`compare_texts`); identical outputs are shown once, outputs that
  differ only within tolerance are shown as backend tabs, and outputs that
  differ beyond it fail the build. Plots are shown once when every backend drew
  the same bytes, otherwise as tabs (plots are not compared).
* ``tags=["per-backend"]``: the code once, each backend's output in a tab, no
  comparison (training logs, tensors printed with the framework's own repr).
* ``tags=["only-jax"]`` (``only-torch``, ``only-tensorflow``): the cell runs
  only on that backend; consecutive ``only-*`` cells become one tab set, each
  tab with that backend's code and output.
* ``tags=["remove-cell"]``: runs, but is not shown.
* ``tags=["raises-exception"]``: the error is expected and shown as output.
* Metadata ``atol=0.02`` / ``rtol=0.01``: widens the comparison of one cell;
  ``alt="..."``: the alt text of the cell's plots.

Numbers are compared as ``|a - b| <= atol + rtol * max(|a|, |b|)`` with the
default ``rtol=1e-4`` and ``atol=1e-6`` (float32 round-off between backends);
all other text must match exactly, except that runs of spaces count as one.
Any cell error (other than a ``raises-exception`` cell) fails the build.
Output on stderr (framework warnings) is neither shown nor compared; the build
log lists it.

Usage::

    python tools/build_lessons.py                      # all lessons, jax torch tensorflow
    python tools/build_lessons.py --lessons 01 --backends jax
    python tools/build_lessons.py --check              # build to a temp dir, diff with site/docs/course
"""

import argparse
import base64
import copy
import filecmp
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = ROOT / "course"
OUT_DIR = ROOT / "site" / "docs" / "course"
BACKENDS = ("jax", "torch", "tensorflow")
LABELS = {"jax": "JAX", "torch": "PyTorch", "tensorflow": "TensorFlow", "numpy": "NumPy"}
RTOL = 1e-4
ATOL = 1e-6
TIMEOUT = 300
LESSON_NAME = re.compile(r"^(\d\d)-([a-z0-9-]+)\.py$")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\bnan\b|[-+]?\binf\b")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class BuildError(Exception):
    """A lesson failed to build: a cell raised, or backends disagreed."""


@dataclass
class Lesson:
    """One lesson file: ``number`` ("01"), ``slug`` ("01-first-model"), its notebook."""

    number: str
    slug: str
    path: Path
    notebook: object
    title: str = ""
    summary: str = ""
    cell_lines: list = field(default_factory=list)


# ---------------------------------------------------------------------------- reading


def read_lesson(path):
    """Reads ``course/NN-slug.py`` into a :class:`Lesson` (does not execute it)."""
    import jupytext

    path = Path(path)
    match = LESSON_NAME.match(path.name)
    if not match:
        raise BuildError(f"Lesson file {path.name!r}: expected a name like '01-first-model.py'.")
    text = path.read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="py:percent")
    lesson = Lesson(match.group(1), path.stem, path, notebook)
    markers = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("# %%")]
    lesson.cell_lines = markers if len(markers) == len(notebook.cells) else []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        if lines and lines[0].startswith("# "):
            lesson.title = lines[0][2:].strip()
            paragraph = []
            for line in lines[1:]:
                if not line.strip():
                    if paragraph:
                        break
                    continue
                paragraph.append(line.strip())
            lesson.summary = " ".join(paragraph)
            break
    if not lesson.title:
        raise BuildError(f"Lesson {lesson.slug}: expected a first Markdown cell starting with '# Title'.")
    return lesson


def find_lessons(course_dir=COURSE_DIR, wanted=None):
    """The lessons in ``course_dir``, optionally only those whose number or slug is in ``wanted``."""
    lessons = [read_lesson(p) for p in sorted(Path(course_dir).glob("*.py")) if LESSON_NAME.match(p.name)]
    if wanted:
        chosen = [lesson for lesson in lessons if lesson.number in wanted or lesson.slug in wanted]
        missing = set(wanted) - {x.number for x in chosen} - {x.slug for x in chosen}
        if missing:
            known = ", ".join(lesson.slug for lesson in lessons)
            raise BuildError(f"--lessons: no lesson {sorted(missing)}; expected one of: {known}.")
        lessons = chosen
    return lessons


def tags(cell):
    return set(cell.metadata.get("tags", []))


def only_backend(cell):
    """The backend an ``only-<backend>`` cell runs on, or ``None``."""
    found = [t[5:] for t in tags(cell) if t.startswith("only-")]
    if len(found) > 1:
        raise BuildError(f"A cell has several only-* tags {sorted(found)}; expected at most one.")
    return found[0] if found else None


def where(lesson, index):
    line = f", line {lesson.cell_lines[index]} of {lesson.path.name}" if lesson.cell_lines else ""
    return f"lesson {lesson.slug}, cell {index + 1}{line}"


# ---------------------------------------------------------------------------- executing


def notebook_for_backend(notebook, backend):
    """A copy of ``notebook`` without the ``only-*`` cells of other backends.

    Every kept cell records its index in the lesson as ``metadata.lesson_index``.
    """
    result = copy.deepcopy(notebook)
    kept = []
    for index, cell in enumerate(result.cells):
        if cell.cell_type == "code" and only_backend(cell) not in (None, backend):
            continue
        cell.metadata["lesson_index"] = index
        kept.append(cell)
    result.cells = kept
    result.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return result


def kernel_env(backend, home):
    env = dict(os.environ)
    env.update(LAMINA_BACKEND=backend, KERAS_BACKEND=backend, LAMINA_HOME=str(home),
               TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0", PYTHONHASHSEED="0",
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    return env


CPU_PROBE = ("import resource as _resource\n"
             "_usage = _resource.getrusage(_resource.RUSAGE_SELF)\n"
             "print(_usage.ru_utime + _usage.ru_stime)")


def execute(lesson, backend, timeout=TIMEOUT):
    """Runs ``lesson`` in a fresh kernel on ``backend``; returns the executed notebook.

    The kernel's CPU time (seconds, all threads) is stored as ``metadata.cpu_seconds``:
    unlike the wall time, it hardly depends on what else the machine is doing.

    Raises:
        BuildError: naming the lesson, cell, backend and the error, when a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = notebook_for_backend(lesson.notebook, backend)
    probe = nbformat.v4.new_code_cell(CPU_PROBE, metadata={"lesson_index": None})
    notebook.cells.append(probe)
    with tempfile.TemporaryDirectory(prefix=f"lesson-{lesson.number}-{backend}-") as work:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": work}})
        try:
            client.execute(env=kernel_env(backend, Path(work) / ".lamina"))
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
            failed = _failed_cell(notebook)
            place = where(lesson, failed) if failed is not None else f"lesson {lesson.slug}"
            message = ANSI.sub("", str(error)).strip()
            raise BuildError(f"{place} failed on {backend}:\n{message[-3000:]}") from None
    notebook.cells.pop()
    try:
        notebook.metadata["cpu_seconds"] = float(probe.outputs[0]["text"])
    except (IndexError, KeyError, ValueError):
        notebook.metadata["cpu_seconds"] = None
    return notebook


def _failed_cell(notebook):
    for cell in notebook.cells:
        if "raises-exception" in tags(cell):
            continue
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return cell.metadata["lesson_index"]
    return None


def terminal_text(text):
    """What a terminal shows for ``text``: ``\\r`` rewinds the line, ``\\b`` deletes a character."""
    lines = []
    for line in text.split("\n"):
        shown, column = [], 0
        for char in line:
            if char == "\r":
                column = 0
            elif char == "\b":
                column = max(0, column - 1)
            else:
                if column < len(shown):
                    shown[column] = char
                else:
                    shown.append(char)
                column += 1
        lines.append("".join(shown).rstrip())
    return "\n".join(lines)


def cell_outputs(cell):
    """The outputs of an executed cell as ``(items, stderr)``.

    ``items`` is a list of ``("text", str)`` and ``("image", bytes)`` in order,
    consecutive texts merged; ``stderr`` is the text written to stderr.
    """
    items, stderr = [], []

    def add_text(text):
        if items and items[-1][0] == "text":
            items[-1] = ("text", items[-1][1] + text)
        else:
            items.append(("text", text))

    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            (stderr.append if output.get("name") == "stderr" else add_text)(output.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "image/png" in data:
                items.append(("image", base64.b64decode(data["image/png"])))
            elif "text/plain" in data:
                text = data["text/plain"]
                add_text(text if text.endswith("\n") else text + "\n")
        elif kind == "error":
            add_text(f"{output.get('ename')}: {ANSI.sub('', output.get('evalue', ''))}\n")
    items = [(k, terminal_text(v).strip("\n")) if k == "text" else (k, v) for k, v in items]
    return [item for item in items if item[1]], "".join(stderr)


# ---------------------------------------------------------------------------- comparing


def compare_texts(texts, rtol=RTOL, atol=ATOL):
    """Checks that the texts of several backends agree; returns ``None`` or what differs.

    Args:
        texts: ``{backend: text}``.
        rtol, atol: the tolerance for numbers, ``|a - b| <= atol + rtol * max(|a|, |b|)``.

    Example:
        >>> compare_texts({"jax": "loss 0.50001", "torch": "loss 0.5"}) is None
        True
    """
    backends = list(texts)
    first = backends[0]
    reference = _tokens(texts[first])
    for other in backends[1:]:
        tokens = _tokens(texts[other])
        for i in range(max(len(reference), len(tokens))):
            a = reference[i] if i < len(reference) else None
            b = tokens[i] if i < len(tokens) else None
            if _token_agrees(a, b, rtol, atol):
                continue
            line_a = _line_of(texts[first], reference, i)
            line_b = _line_of(texts[other], tokens, i)
            return (f"{first} and {other} disagree (rtol={rtol}, atol={atol}):\n"
                    f"  {first:>10}: {line_a}\n  {other:>10}: {line_b}")
    return None


def _tokens(text):
    tokens, position = [], 0
    for match in NUMBER.finditer(text):
        if match.start() > position:
            tokens.append(("text", " ".join(text[position:match.start()].split(" ")).split(), position))
        tokens.append(("number", float(match.group()), match.start()))
        position = match.end()
    if position < len(text):
        tokens.append(("text", text[position:].split(), position))
    return [t for t in tokens if not (t[0] == "text" and not t[1])]


def _token_agrees(a, b, rtol, atol):
    if a is None or b is None or a[0] != b[0]:
        return False
    if a[0] == "text":
        return a[1] == b[1]
    x, y = a[1], b[1]
    if x != x or y != y:
        return x != x and y != y
    if x == y:
        return True
    return abs(x - y) <= atol + rtol * max(abs(x), abs(y))


def _line_of(text, tokens, index):
    if index >= len(tokens):
        return "(output ends here)"
    start = tokens[index][2]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return text[line_start:line_end if line_end >= 0 else len(text)]


# ---------------------------------------------------------------------------- rendering


def fence(text, language="text", indent=""):
    ticks = "```"
    while ticks in text:
        ticks += "`"
    body = "\n".join(indent + line if line else "" for line in text.splitlines())
    return f"{indent}{ticks}{language}\n{body}\n{indent}{ticks}\n"


def tabs(contents, indent=""):
    """A ``pymdownx.tabbed`` tab set: ``contents`` is ``{label: markdown}``."""
    parts = []
    for label, body in contents.items():
        inner = "\n".join("    " + line if line.strip() else "" for line in body.strip("\n").splitlines())
        parts.append(f'{indent}=== "{label}"\n\n{inner}\n')
    return "\n".join(parts)


class _Renderer:
    def __init__(self, lesson, executed, image_dir_name):
        self.lesson = lesson
        self.backends = list(executed)
        self.image_dir_name = image_dir_name
        self.images = {}
        self.warnings = []
        self.cells = {}
        for backend, notebook in executed.items():
            for cell in notebook.cells:
                self.cells.setdefault(cell.metadata["lesson_index"], {})[backend] = cell

    def outputs(self, index, backend):
        items, stderr = cell_outputs(self.cells[index][backend])
        if stderr.strip():
            self.warnings.append(f"{where(self.lesson, index)} wrote to stderr on {backend}: "
                                 f"{stderr.strip()[:300]}")
        return items

    def image(self, index, number, backend, data, alt):
        suffix = f"-{backend}" if backend else ""
        name = f"{self.lesson.slug}-cell{index + 1:02d}-{number}{suffix}.png"
        self.images[name] = data
        return f"![{alt}]({self.image_dir_name}/{name})\n"

    def items_markdown(self, index, items, backend, cell):
        alt = cell.metadata.get("alt") or f"Plot from cell {index + 1} of {self.lesson.title}"
        if backend:
            alt = f"{alt} ({LABELS.get(backend, backend)})"
        parts, number = [], 0
        for kind, value in items:
            if kind == "text":
                parts.append(fence(value))
            else:
                number += 1
                parts.append(self.image(index, number, backend, value, alt))
        return "\n".join(parts)

    def code_cell(self, index):
        cells = self.cells[index]
        cell = next(iter(cells.values()))
        source = cell.source.strip("\n")
        cell_tags = tags(cell)
        if "remove-cell" in cell_tags:
            for backend in cells:
                self.outputs(index, backend)
            return ""
        parts = [fence(source, "python")] if source else []
        outputs = {backend: self.outputs(index, backend) for backend in self.backends}
        if all(not items for items in outputs.values()):
            return "\n".join(parts)
        same = all(items == outputs[self.backends[0]] for items in outputs.values())
        if "per-backend" not in cell_tags:
            shapes = {b: [k for k, _ in items] for b, items in outputs.items()}
            if len({tuple(s) for s in shapes.values()}) > 1:
                raise BuildError(f"{where(self.lesson, index)}: the backends' outputs have different "
                                 f"parts (text or plot): {shapes}. Tag the cell 'per-backend' if "
                                 "that is expected.")
            for part in range(len(shapes[self.backends[0]])):
                if shapes[self.backends[0]][part] != "text":
                    continue
                texts = {b: outputs[b][part][1] for b in self.backends}
                problem = compare_texts(texts, float(cell.metadata.get("rtol", RTOL)),
                                        float(cell.metadata.get("atol", ATOL)))
                if problem:
                    raise BuildError(f"{where(self.lesson, index)}: outputs that should agree do not; "
                                     f"{problem}\nFix the lesson, widen the cell's tolerance "
                                     "(atol=..., rtol=...) or tag it 'per-backend'.")
        if same:
            parts.append(self.items_markdown(index, outputs[self.backends[0]], None, cell))
        else:
            parts.append(tabs({LABELS.get(b, b): self.items_markdown(index, outputs[b], b, cell)
                               for b in self.backends}))
        return "\n".join(parts)

    def only_group(self, indices):
        contents = {}
        for backend in self.backends:
            parts = []
            for index in indices:
                cell = self.cells.get(index, {}).get(backend)
                if cell is None:
                    continue
                parts.append(fence(cell.source.strip("\n"), "python"))
                items = self.outputs(index, backend)
                if items:
                    parts.append(self.items_markdown(index, items, backend, cell))
            if parts:
                contents[LABELS.get(backend, backend)] = "\n".join(parts)
        return tabs(contents) if contents else ""


def render(lesson, executed, image_dir_name="images"):
    """Merges the executed notebooks of one lesson into Markdown.

    Args:
        lesson: the :class:`Lesson`.
        executed: ``{backend: executed notebook}`` (from :func:`execute`), in display order.
        image_dir_name: the folder of the PNG files, relative to the page.

    Returns:
        ``(markdown, images, warnings)``: the page, ``{file name: PNG bytes}`` and
        the stderr notes.

    Raises:
        BuildError: when outputs that should agree do not.
    """
    renderer = _Renderer(lesson, executed, image_dir_name)
    names = ", ".join(LABELS.get(b, b) for b in executed)
    blocks = [f"<!-- Generated by tools/build_lessons.py from course/{lesson.path.name}; "
              "edit the lesson, not this page. -->\n"]
    cells = lesson.notebook.cells
    index = 0
    while index < len(cells):
        cell = cells[index]
        if cell.cell_type == "markdown":
            blocks.append(cell.source.strip("\n") + "\n")
            if index == 0:
                blocks.append(f'!!! info "Executed on {names}"\n\n'
                              "    Every output on this page is real: the lesson ran on each backend. "
                              "Where the backends print different things, tabs show each one's output.\n"
                              f"    Get the lesson as a notebook: [{lesson.slug}.ipynb]({lesson.slug}.ipynb).\n")
            index += 1
        elif cell.cell_type == "code" and only_backend(cell):
            group = []
            while index < len(cells) and cells[index].cell_type == "code" and only_backend(cells[index]):
                group.append(index)
                index += 1
            blocks.append(renderer.only_group(group))
        elif cell.cell_type == "code":
            if index in renderer.cells:
                blocks.append(renderer.code_cell(index))
            index += 1
        else:
            index += 1
    markdown = "\n".join(block for block in blocks if block.strip()).rstrip("\n") + "\n"
    return markdown, renderer.images, renderer.warnings


def render_index(lessons):
    """The course's ``index.md``: every lesson with its summary and lab."""
    lines = ["<!-- Generated by tools/build_lessons.py; edit the lessons in course/, not this page. -->\n",
             "# Course\n",
             "Four lessons, one per lab. Each explains one step of building and training networks with "
             "`import lamina as keras`, runs on JAX, PyTorch and TensorFlow with real outputs, and ends "
             "with a short quiz and a link to its lab.\n"]
    for lesson in lessons:
        lines.append(f"{int(lesson.number)}. **[{lesson.title}]({lesson.slug}.md)**: {lesson.summary} "
                     f"Lab: [{lesson.slug}](../labs/{lesson.slug}.md).")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- building


def write_lesson(lesson, markdown, images, out_dir):
    """Writes the page, its PNG files (removing the lesson's old ones) and the notebook."""
    out_dir = Path(out_dir)
    image_dir = out_dir / "images"
    image_dir.mkdir(parents=True, exist_ok=True)
    for old in image_dir.glob(f"{lesson.slug}-*.png"):
        old.unlink()
    (out_dir / f"{lesson.slug}.md").write_text(markdown, encoding="utf-8")
    for name, data in images.items():
        (image_dir / name).write_bytes(data)
    write_notebook(lesson, out_dir)


def write_notebook(lesson, out_dir):
    """Writes the lesson as an unexecuted notebook, ``NN-slug.ipynb``, with stable cell ids."""
    import jupytext
    import nbformat

    notebook = copy.deepcopy(lesson.notebook)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and only_backend(cell) and not (cells and only_backend(cells[-1])):
            cells.append(nbformat.v4.new_markdown_cell(
                "*The next cells do the same thing on each backend: run only the one for your backend "
                "(`keras.backend.backend()` names it).*"))
        cells.append(cell)
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number:02d}"
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.pop("jupytext", None)
    jupytext.write(notebook, str(Path(out_dir) / f"{lesson.slug}.ipynb"), fmt="ipynb")


def build_lesson(lesson, backends, out_dir, jobs=1, timeout=TIMEOUT, log=print):
    """Executes one lesson on ``backends``, renders it and writes it to ``out_dir``."""
    def run(backend):
        start = time.time()
        notebook = execute(lesson, backend, timeout)
        cpu = notebook.metadata.get("cpu_seconds")
        cpu = f", {cpu:.1f} s of CPU in the kernel" if cpu is not None else ""
        log(f"  {lesson.slug} on {backend}: {time.time() - start:.1f} s{cpu}")
        return notebook

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(run, backends))
    markdown, images, warnings = render(lesson, dict(zip(backends, results)))
    for warning in warnings:
        log("  note: " + warning)
    write_lesson(lesson, markdown, images, out_dir)
    return markdown


def build(wanted=None, backends=BACKENDS, out_dir=OUT_DIR, jobs=1, timeout=TIMEOUT, log=print):
    """Builds the chosen lessons (all by default) and the index into ``out_dir``."""
    lessons = find_lessons(COURSE_DIR, wanted)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for lesson in lessons:
        start = time.time()
        log(f"{lesson.slug}: executing on {', '.join(backends)}")
        build_lesson(lesson, backends, out_dir, jobs, timeout, log)
        log(f"{lesson.slug}: done in {time.time() - start:.1f} s")
    (out_dir / "index.md").write_text(render_index(find_lessons(COURSE_DIR)), encoding="utf-8")
    return lessons


def compare_dirs(lessons, built, committed):
    """Lists the files of ``lessons`` (and the index) that differ between two build folders."""
    built, committed = Path(built), Path(committed)
    names = ["index.md"]
    for lesson in lessons:
        names += [f"{lesson.slug}.md", f"{lesson.slug}.ipynb"]
        for folder in (built, committed):
            names += [f"images/{p.name}" for p in (folder / "images").glob(f"{lesson.slug}-*.png")]
    problems = []
    for name in sorted(set(names)):
        a, b = built / name, committed / name
        if not b.exists():
            problems.append(f"{name}: missing from {committed}")
        elif not a.exists():
            problems.append(f"{name}: stale, no longer produced")
        elif not filecmp.cmp(a, b, shallow=False):
            problems.append(f"{name}: differs")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", nargs="+", help="lesson numbers or slugs (default: all)")
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=list(LABELS))
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary folder and compare with the committed pages")
    parser.add_argument("--out", default=str(OUT_DIR), help="output folder (default: site/docs/course)")
    parser.add_argument("--jobs", type=int, default=1, help="backends executed at once (default 1)")
    parser.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)
    start = time.time()
    try:
        if args.check:
            with tempfile.TemporaryDirectory(prefix="lessons-check-") as tmp:
                lessons = build(args.lessons, args.backends, tmp, args.jobs, args.timeout)
                problems = compare_dirs(lessons, tmp, args.out)
            if problems:
                print("The committed lesson pages are out of date (run `make lessons`):", file=sys.stderr)
                print("\n".join("  " + p for p in problems), file=sys.stderr)
                return 1
            print(f"The committed lesson pages are up to date ({time.time() - start:.0f} s).")
            return 0
        build(args.lessons, args.backends, args.out, args.jobs, args.timeout)
    except BuildError as error:
        print(f"build_lessons: {error}", file=sys.stderr)
        return 1
    print(f"Built in {time.time() - start:.0f} s into {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
