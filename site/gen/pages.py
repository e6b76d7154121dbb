"""mkdocs-gen-files script: writes the API pages, the lab pages, the benchmarks and instructor's pages."""

import os
import pathlib
import sys

os.environ.setdefault("LAMINA_BACKEND", "numpy")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import mkdocs_gen_files  # noqa: E402

import api  # noqa: E402
import content  # noqa: E402

for path, text in api.api_pages(only=content.api_only()).items():
    content.write_text(mkdocs_gen_files.open, path, text)

lab_dirs = content.labs()
content.write_text(mkdocs_gen_files.open, "labs/index.md", content.labs_index(lab_dirs))
for lab in lab_dirs:
    notebook_name = f"{lab.name}-student.ipynb"
    text, files = content.lab_page(lab, notebook_name)
    content.write_text(mkdocs_gen_files.open, f"labs/{lab.name}.md", text)
    for name, data in files.items():
        content.write_bytes(mkdocs_gen_files.open, f"labs/{name}", data)

content.write_text(mkdocs_gen_files.open, "benchmarks.md", content.benchmarks_page())
content.write_text(mkdocs_gen_files.open, "instructors.md", content.instructors_page())
