"""The generated pages other than the API reference: labs, benchmarks, instructor's guide, the nav.

Everything here reads the repository as it is at build time: ``labs/NN-slug/``,
``bench/results/*.md``, ``grader/README.md`` and the lessons rendered into
``site/docs/course/``.

Example:
    >>> [entry for entry in nav() if "Home" in entry]
    [{'Home': 'index.md'}]
"""

import io
import os
import pathlib
import re
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "site" / "docs"
_LAB_DIR = re.compile(r"^\d\d-[a-z0-9-]+$")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def api_only():
    """The namespaces of a partial API build (``LAMINA_SITE_API="layers,ops.nn"``), or None for all."""
    value = os.environ.get("LAMINA_SITE_API", "").strip()
    return [v.strip() for v in value.split(",") if v.strip()] or None


def labs():
    """The lab folders ``labs/NN-slug/`` that have a README.md, in order.

    Example:
        >>> all(p.name[:2].isdigit() for p in labs())
        True
    """
    base = ROOT / "labs"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if _LAB_DIR.match(p.name) and (p / "README.md").is_file())


def source_notebook(lab):
    """The lab's source notebook: the only ``*.ipynb`` in its folder, else the one named after the lab."""
    notebooks = sorted(lab.glob("*.ipynb"))
    if len(notebooks) == 1:
        return notebooks[0]
    for nb in notebooks:
        if nb.stem in (lab.name, lab.name[3:], "source", "lab"):
            return nb
    return None


def student_notebook_bytes(source):
    """The student version of a source notebook as .ipynb bytes, through the grader's release step.

    Raises:
        LookupError: ``lamina_grader.release.student_notebook`` is not available.
    """
    try:
        from lamina_grader import release
        make = release.student_notebook
    except (ImportError, AttributeError) as exc:
        raise LookupError(f"lamina_grader.release.student_notebook is not available ({exc})") from exc
    result = make(source)
    if isinstance(result, (bytes, bytearray)):
        return bytes(result)
    if isinstance(result, str):
        return result.encode()
    if isinstance(result, os.PathLike):
        return pathlib.Path(result).read_bytes()
    import nbformat

    return nbformat.writes(nbformat.from_dict(result)).encode()


def _rewrite_links(text, folder, keep):
    """Turns relative links that point outside the site into plain text, and ``keep`` links into site paths."""

    def fix(match):
        bang, label, target = match.groups()
        if re.match(r"^[a-z]+:|^#|^/", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = (folder / path).resolve()
        if resolved in keep:
            return f"{bang}[{label}]({keep[resolved]}{'#' + anchor if anchor else ''})"
        if bang:
            return f"*(image `{path}` is not part of the site)*"
        return label if label.startswith("`") else f"`{label}`" if label == path else label
    return _LINK.sub(fix, text)


def site_targets(prefix):
    """Repository files that have a page on the site: ``{path: link}``, links relative to a page in ``prefix``.

    Lab READMEs map to the lab pages and lesson sources to the rendered lessons.

    Example:
        >>> targets = site_targets("labs/")
        >>> all(link.endswith(".md") for link in targets.values())
        True
    """
    up = "../" * prefix.count("/")
    targets = {(lab / "README.md").resolve(): f"{up}labs/{lab.name}.md" for lab in labs()}
    targets[(ROOT / "labs" / "README.md").resolve()] = f"{up}labs/index.md"
    for page in course_pages():
        source = ROOT / "course" / pathlib.PurePosixPath(page).with_suffix(".py").name
        targets[source.resolve()] = f"{up}{page}"
    return targets


_DEFAULT_EXCLUDE = ("checks_hidden.py", "grading.toml", "reference.json", "reference")


def _release_exclude():
    try:
        from lamina_grader import release
    except ImportError:
        return _DEFAULT_EXCLUDE
    return tuple(getattr(release, "RELEASE_EXCLUDE", _DEFAULT_EXCLUDE))


def lab_bundle(lab, source, notebook):
    """A zip of what a learner needs: the student notebook and the lab's public files (``checks.py``...).

    Grader-only files (``lamina_grader.release.RELEASE_EXCLUDE``: hidden checks,
    grading settings, reference results) and the source notebook are left out.
    """
    exclude = set(_release_exclude())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(lab.rglob("*")):
            rel = path.relative_to(lab)
            if (path == source or not path.is_file() or rel.parts[0] in exclude
                    or "__pycache__" in rel.parts or path.name.startswith(".")):
                continue
            bundle.writestr(zipfile.ZipInfo(f"{lab.name}/{rel.as_posix()}", (2024, 1, 1, 0, 0, 0)), path.read_bytes())
        bundle.writestr(zipfile.ZipInfo(f"{lab.name}/{source.name}", (2024, 1, 1, 0, 0, 0)), notebook)
    return buffer.getvalue()


def lab_page(lab, notebook_name):
    """One lab's page, and the files it offers for download: ``(markdown, {file name: bytes})``.

    The downloads are the student notebook (``notebook_name``) and a zip of the
    notebook with the lab's public files; when the grader cannot make the student
    notebook, the page says why instead.
    """
    text = (lab / "README.md").read_text()
    source = source_notebook(lab)
    notebook, note = None, ""
    if source is None:
        note = f"No source notebook (`*.ipynb`) was found in `labs/{lab.name}/` at build time."
    else:
        try:
            notebook = student_notebook_bytes(source)
        except LookupError as exc:
            note = f"The student notebook could not be generated in this build: {exc}."
    keep, files = site_targets("labs/"), {}
    bundle_name = f"{lab.name}.zip"
    if notebook is not None:
        keep[source.resolve()] = notebook_name
        files = {notebook_name: notebook, bundle_name: lab_bundle(lab, source, notebook)}
    text = _rewrite_links(text, lab, keep)
    if notebook is not None:
        box = ["", '!!! tip "Download"', "",
               f"    - [The lab folder (`{bundle_name}`)]({bundle_name}){{ .lamina-download download }}: "
               "the student notebook with the files it uses (`checks.py`, ...). Unzip it and open the "
               "notebook from that folder.",
               f"    - [The student notebook alone (`{notebook_name}`)]({notebook_name}){{ download }}", "",
               "    Work through the notebook, run it from top to bottom, and hand it in with the model it saves.",
               ""]
    else:
        box = ["", '!!! warning "Student notebook not available"', "", f"    {note}", ""]
    lesson = DOCS / "course" / f"{lab.name}.md"
    if lesson.is_file():
        title = _first_heading(lesson) or lab.name
        box = ["", f"The lesson that goes with this lab: [{title}](../course/{lab.name}.md)."] + box
    lines = text.splitlines()
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    if at == 0:
        lines.insert(0, f"# Lab {lab.name[:2]}: {lab.name[3:].replace('-', ' ')}")
        at = 1
    return "\n".join(lines[:at] + box + lines[at:]) + "\n", files


def labs_index(lab_dirs):
    """The labs overview page."""
    lines = ["# Labs", "",
             "Each lab pairs with a lesson of the course. You build and train a model in a notebook, "
             "save it, and hand the notebook in. The grader loads your saved model in a separate, "
             "locked-down process and measures it on held-out data you never saw, so your grade "
             "reflects what your model does, not what your notebook prints.", ""]
    if not lab_dirs:
        lines += ['!!! warning "No labs in this build"', "",
                  "    No `labs/NN-slug/README.md` existed when the site was built.", ""]
    for lab in lab_dirs:
        title = _first_heading(lab / "README.md") or lab.name
        lines.append(f"- [{title}]({lab.name}.md)")
    return "\n".join(lines) + "\n"


def _first_heading(path):
    for line in path.read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _demote(text):
    """Pushes every ATX heading one level down, outside fenced code."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def benchmarks_page():
    """The benchmarks page: every ``bench/results/*.md`` table present at build time.

    Example:
        >>> benchmarks_page().startswith("# Benchmarks")
        True
    """
    results = ROOT / "bench" / "results"
    tables = sorted(results.glob("*.md")) if results.is_dir() else []
    lines = ["# Benchmarks", "",
             "Lamina against Keras 3 and hand-written loops in the raw frameworks, measured by the "
             "scripts in `bench/` (`make bench`). The tables below are the result files in "
             "`bench/results/` when this site was built.", ""]
    if not tables:
        lines += ['!!! warning "No results in this build"', "", "    `bench/results/` had no `*.md` table.", ""]
    for table in tables:
        lines += [_demote(table.read_text()).strip(), "", f"*Source: `bench/results/{table.name}`*", ""]
    return "\n".join(lines) + "\n"


def instructors_page():
    """The instructor's guide: ``grader/README.md`` when it exists, with the CLI's help appended."""
    readme = ROOT / "grader" / "README.md"
    help_text = _grader_help()
    if readme.is_file():
        text = _rewrite_links(readme.read_text(), readme.parent, site_targets(""))
        lines = text.splitlines()
        if lines and lines[0].startswith("# "):
            lines[0] = "# Instructor's guide"
        else:
            lines[:0] = ["# Instructor's guide", ""]
        body = "\n".join(lines)
    else:
        body = ("# Instructor's guide\n\n!!! warning \"The grader's guide is not in this build\"\n\n"
                "    `grader/README.md` did not exist when the site was built.\n")
    if help_text:
        body += ("\n\n## Command reference\n\nThe help of `lamina-grader` and of each of its commands, "
                 "as the installed grader prints it.\n\n" + help_text)
    return body


def _grader_help():
    """``lamina-grader --help`` and each subcommand's help, as Markdown sections ("" without the grader)."""
    try:
        from lamina_grader.cli import build_parser
    except ImportError:
        return ""
    import argparse

    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parser = build_parser()
        parts = [("lamina-grader", parser.format_help())]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parts += [(f"lamina-grader {name}", sub.format_help()) for name, sub in action.choices.items()]
    finally:
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns
    return "\n".join(f"### `{title}`\n\n```text\n{text.rstrip()}\n```\n" for title, text in parts)


def course_pages():
    """The rendered lessons in ``site/docs/course/``: ``index.md`` first, then ``NN-*.md`` in order."""
    folder = DOCS / "course"
    if not folder.is_dir():
        return []
    pages = sorted(p.name for p in folder.glob("*.md") if p.name != "index.md")
    first = ["course/index.md"] if (folder / "index.md").is_file() else []
    return first + [f"course/{name}" for name in pages]


def _titled(source, page):
    """``{title: page}`` with the title of ``source``'s first heading (mkdocs misses it after a comment)."""
    title = _first_heading(source) if source.is_file() else None
    return {title: page} if title else page


def nav(api_pages=()):
    """The site's navigation, built from what exists at build time."""
    lab_dirs = labs()
    course = course_pages()
    entries = [{"Home": "index.md"}]
    if course:
        entries.append({"Course": [_titled(DOCS / page, page) for page in course]})
    labs_nav = ["labs/index.md"] + [_titled(lab / "README.md", f"labs/{lab.name}.md") for lab in lab_dirs]
    entries.append({"Labs": labs_nav})
    entries.append({"Instructor's guide": "instructors.md"})
    entries.append({"API reference": ["api/index.md"] + [p for p in api_pages if p != "api/index.md"]})
    entries.append({"Benchmarks": "benchmarks.md"})
    return entries


def write_text(opener, path, text):
    """Writes ``text`` through ``opener`` (mkdocs_gen_files.open or open)."""
    with opener(path, "w") as handle:
        handle.write(text)


def write_bytes(opener, path, data):
    """Writes ``data`` through ``opener`` in binary mode."""
    with opener(path, "wb") as handle:
        handle.write(data)
