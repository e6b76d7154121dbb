"""The strict build of the whole site, its API coverage, and the check that nothing loads from another host.

The build runs once per test run (see conftest.py) on the numpy pass only.
"""

import html.parser
import importlib.util
import io
import pathlib
import re
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "site" / "gen"))
sys.path.insert(0, str(ROOT / "site"))
import api  # noqa: E402
import check_offline  # noqa: E402
import content  # noqa: E402

pytestmark = pytest.mark.backends("numpy")


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.headings = set(), []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag in ("h1", "h2"):
            self._heading = [tag, ""]

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((tag, self._heading[1].replace("\u00b6", "").strip()))
            self._heading = None


def _parse(path):
    parser = _Ids()
    parser.feed(path.read_text())
    return parser


def test_the_site_builds_strictly_with_every_section(built_site):
    site = built_site["dir"]
    for page in ("index.html", "labs/index.html", "instructors.html", "benchmarks.html", "api/index.html",
                 "search/search_index.json", "assets/katex/katex.min.js", "assets/katex/fonts/KaTeX_Main-Regular.woff2"):
        assert (site / page).is_file(), f"the build has no {page}"
    home = _parse(site / "index.html")
    assert ("h1", "Lamina") in home.headings
    assert {"Quick start", "A first example", "Choosing a backend"} <= {h for _, h in home.headings}
    for lesson in content.course_pages():
        assert (site / lesson.replace(".md", ".html")).is_file(), f"lesson {lesson} was not built"
    labs = content.labs()
    assert labs, "no lab in labs/"
    for lab in labs:
        page = (site / "labs" / f"{lab.name}.html").read_text()
        for download in (f"{lab.name}-student.ipynb", f"{lab.name}.zip"):
            assert f'href="{download}"' in page, f"the page of {lab.name} does not offer {download}"
            assert (site / "labs" / download).stat().st_size > 1000
        student = (site / "labs" / f"{lab.name}-student.ipynb").read_text()
        assert "BEGIN SOLUTION" not in student and "BEGIN HIDDEN TESTS" not in student
        with zipfile.ZipFile(site / "labs" / f"{lab.name}.zip") as bundle:
            names = {pathlib.PurePosixPath(n).name for n in bundle.namelist()}
        assert {f"{lab.name}.ipynb", "checks.py"} <= names and "checks_hidden.py" not in names, names
    guide = (site / "instructors.html").read_text()
    for step in ("init", "release", "collect", "autograde", "feedback", "export"):
        assert f"lamina-grader {step}" in guide, f"the instructor's guide does not show lamina-grader {step}"


def test_every_public_module_has_an_api_page_and_every_name_one_home(built_site):
    site = built_site["dir"]
    names = api.public_names()
    pages = {ns: _parse(site / api.page_path(ns).replace(".md", ".html")) for ns in names}
    assert len(pages) >= 20
    for namespace, parsed in pages.items():
        assert ("h1", api.dotted(namespace)) in parsed.headings, f"{namespace}: {parsed.headings[:3]}"
        # Examples render as code: a ">>>" line left to Markdown would become a blockquote.
        assert "<blockquote>" not in (site / api.page_path(namespace).replace(".md", ".html")).read_text()
    home = api.placement(names)
    checked = 0
    for namespace, entries in names.items():
        for name, obj in entries:
            where = home[(id(obj) if api._documentable(obj) else (namespace, name))]
            anchor = api.identifier(where[0], where[1], obj)
            holders = [ns for ns, parsed in pages.items() if anchor in parsed.ids]
            assert holders == [where[0]], f"{api.dotted(namespace)}.{name} ({anchor}) is documented on {holders}"
            checked += 1
    assert checked > 1000


def test_the_benchmarks_page_includes_every_result_table(built_site):
    text = (built_site["dir"] / "benchmarks.html").read_text()
    tables = sorted((ROOT / "bench" / "results").glob("*.md"))
    assert tables, "bench/results has no *.md table"
    for table in tables:
        assert f"bench/results/{table.name}" in text
    assert text.count("<table") >= len(tables)


def test_no_page_loads_anything_from_another_host(built_site):
    assert check_offline.external_loads(built_site["dir"]) == {}


def test_the_offline_check_catches_external_loads(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.jsdelivr.net/npm/katex/dist/katex.min.js"></script>'
        '<script src="assets/local.js"></script><style>@import "http://evil.example/x.css";</style>'
        '</head><body><img srcset="a.png 1x, https://img.example/b.png 2x"><a href="https://github.com/">ok</a>'
        '<div style="background: url(\'https://img.example/c.png\')"></div>'
        '<img src="http://127.0.0.1:8000/local.png"></body></html>')
    (tmp_path / "x.css").write_text("@font-face{src:url(https://fonts.gstatic.com/r.woff2)} .a{background:url(b.png)}")
    found = check_offline.external_loads(tmp_path)
    assert sorted(found) == ["index.html", "x.css"]
    assert len(found["index.html"]) == 5
    assert found["x.css"] == ["https://fonts.gstatic.com/r.woff2"]


def test_docstring_normalizer_splits_grouped_parameters_and_fixes_example_headers():
    from griffe_lamina import normalize

    documented = []
    text = normalize("Sum.\n\nArgs:\n    a, b,\n    c: numbers\n        wrapped.\n    *_init: inits.\n    **kwargs: rest.\n\n"
                     "Example:\n    >>> f(:class:`X`)\n", ["a", "b", "c", "k_init", "b_init", "kwargs"], documented)
    assert text == ("Sum.\n\nArgs:\n    a: numbers\n        wrapped.\n    b: numbers\n        wrapped.\n"
                    "    c: numbers\n        wrapped.\n    k_init: inits.\n    b_init: inits.\n    **kwargs: rest.\n\n"
                    "Examples:\n    >>> f(``X``)\n")
    assert documented == ["a", "b", "c", "k_init", "b_init", "kwargs"]


def test_api_pages_document_each_object_once_and_link_the_aliases():
    import lamina

    home = api.placement()
    assert home[id(lamina.layers.Dense)] == ("layers", "Dense")
    assert home[id(lamina.Sequential)] == ("models", "Sequential")
    assert home[id(lamina.ops.matmul)] == ("ops.numpy", "matmul")
    pages = api.api_pages(only=["ops.numpy", "ops"])
    assert sorted(pages) == ["api/index.md", "api/ops.md", "api/ops.numpy.md"]
    assert "::: lamina.ops.numpy.linear.matmul" in pages["api/ops.numpy.md"] or re.search(
        r"::: lamina\.ops\.numpy\.\w+\.matmul\n", pages["api/ops.numpy.md"])
    assert re.search(r"\| `matmul` \| \[`lamina\.ops\.numpy\.matmul`\]\(ops\.numpy\.md#lamina\.ops\.numpy\.\w+\.matmul\)",
                     pages["api/ops.md"])
    assert "::: lamina.ops.numpy" in pages["api/ops.numpy.md"]
    # A name whose page is left out of a partial build is plain text, not a broken link.
    partial = api.api_pages(only=["ops"])["api/ops.md"]
    assert "| `matmul` | `lamina.ops.numpy.matmul` |" in partial


def _fake_lab(tmp_path, monkeypatch, with_release):
    lab = tmp_path / "labs" / "01-first-model"
    lab.mkdir(parents=True)
    (lab / "README.md").write_text("# Lab 1: your first model\n\nOpen [the notebook](first-model.ipynb), "
                                   "see [the data recipe](data.py) and ![curve](curve.png).\n")
    (lab / "first-model.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    monkeypatch.setattr(content, "ROOT", tmp_path)
    if with_release:
        module = type(sys)("lamina_grader.release")
        module.student_notebook = lambda path: {"cells": [], "metadata": {"student": str(path)}, "nbformat": 4,
                                                "nbformat_minor": 5}
    else:
        module = type(sys)("lamina_grader.release")
    monkeypatch.setitem(sys.modules, "lamina_grader.release", module)
    import lamina_grader

    monkeypatch.setattr(lamina_grader, "release", module, raising=False)
    return lab


def test_a_lab_page_offers_the_student_notebook(tmp_path, monkeypatch):
    pytest.importorskip("nbformat")
    lab = _fake_lab(tmp_path, monkeypatch, with_release=True)
    assert content.labs() == [lab]
    (lab / "checks.py").write_text("CHECKS = []\n")
    (lab / "checks_hidden.py").write_text("HIDDEN = []\n")
    text, files = content.lab_page(lab, "01-first-model-student.ipynb")
    assert text.startswith("# Lab 1: your first model\n")
    assert "[the notebook](01-first-model-student.ipynb)" in text
    assert "(01-first-model.zip){ .lamina-download download }" in text
    assert "](data.py)" not in text and "](curve.png)" not in text
    notebook = files["01-first-model-student.ipynb"]
    assert b'"student"' in notebook and b"first-model.ipynb" in notebook
    with zipfile.ZipFile(io.BytesIO(files["01-first-model.zip"])) as bundle:
        assert sorted(bundle.namelist()) == ["01-first-model/README.md", "01-first-model/checks.py",
                                             "01-first-model/first-model.ipynb"]
        assert bundle.read("01-first-model/first-model.ipynb") == notebook


def test_a_lab_page_says_clearly_when_the_grader_cannot_make_the_notebook(tmp_path, monkeypatch):
    lab = _fake_lab(tmp_path, monkeypatch, with_release=False)
    text, files = content.lab_page(lab, "01-first-model-student.ipynb")
    assert files == {}
    assert '!!! warning "Student notebook not available"' in text
    assert "lamina_grader.release.student_notebook is not available" in text


def test_partial_builds_are_selected_by_environment(monkeypatch):
    monkeypatch.setenv("LAMINA_SITE_API", "layers, ops.nn")
    assert content.api_only() == ["layers", "ops.nn"]
    monkeypatch.delenv("LAMINA_SITE_API")
    assert content.api_only() is None
    assert importlib.util.find_spec("mkdocs_gen_files") is not None
