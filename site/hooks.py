"""mkdocs hooks: the navigation is built from what exists at build time (lessons, labs, API pages)."""

import os
import pathlib
import sys

os.environ.setdefault("LAMINA_BACKEND", "numpy")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "gen"))

import api  # noqa: E402
import content  # noqa: E402


def on_config(config):
    """Sets ``nav`` to Home, Course, Labs, Instructor's guide, API reference, Benchmarks."""
    only = content.api_only()
    present = api.public_names()
    namespaces = [ns for ns in api.display_order() if ns in present and (only is None or ns in only)]
    config["nav"] = content.nav([api.page_path(ns) for ns in namespaces])
    return config


def on_page_markdown(markdown, page, config, files):
    """Points the home page's course links at the lessons when they are rendered, else at its own section."""
    if page.file.src_uri == "index.md" and files.get_file_from_path("course/index.md") is None:
        markdown = markdown.replace("(course/index.md)", "(#the-course)")
    return markdown
