# The README's quick start is `make demo` and `make test`; both create .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BACKENDS ?= jax torch tensorflow numpy

.PHONY: setup demo test api-coverage bench site serve lessons clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[all]"
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(PY) tools/demo.py

test: $(STAMP)
	BACKENDS="$(BACKENDS)" PY=$(PY) tools/run_tests.sh

api-coverage: $(STAMP)
	$(PY) tools/api_coverage.py --missing

# About 15 minutes: the five workloads (11 min budget), then the course's first model (seed MLP).
bench: $(STAMP)
	$(PY) bench/run.py --budget 660 $(BENCH_ARGS)
	$(PY) bench/seed_mlp.py --repeats 2

# The course site (site/mkdocs.yml) into site/build/, strictly; then a check that no page loads another host.
site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(PY) -m mkdocs build --strict -f site/mkdocs.yml
	$(PY) site/check_offline.py site/build

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(PY) -m mkdocs serve -f site/mkdocs.yml -a 127.0.0.1:8000

# Executes course/NN-slug.py on jax, torch and tensorflow and renders site/docs/course/
# (LESSONS_ARGS="--lessons 01 --backends jax", or "--check" to compare with the committed pages).
lessons: $(STAMP)
	$(PY) tools/build_lessons.py $(LESSONS_ARGS)

clean:
	rm -rf $(VENV) tests/.lamina-home
