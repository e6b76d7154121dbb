# The README's quick start is `make demo` and `make test`; both create .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BACKENDS ?= jax torch tensorflow numpy

.PHONY: setup demo test api-coverage bench clean

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

bench: $(STAMP)
	$(PY) bench/import_time.py

clean:
	rm -rf $(VENV) tests/.lamina-home
