# Two commands matter (see README): `make demo` and `make test`.
# Both bootstrap everything they need: system packages (apt) and a project-local .venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint system-deps venv bench clean

demo: system-deps venv
	$(PY) -m autograder demo --out demo-output

test: system-deps venv
	$(PY) -m pytest $(PYTEST_ARGS)

# The quick tier for every commit: everything but end-to-end grading, hostile submissions,
# batches, Dask, the browser and Gradescope (tests marked slow). CI runs `make test`.
test-fast: system-deps venv
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check autograder reference tests bench

venv: $(STAMP)

$(STAMP): pyproject.toml scripts/bootstrap-venv
	PYTHON=$(PYTHON) scripts/bootstrap-venv $(VENV)
	touch $@

system-deps:
	scripts/install-system-deps

bench: venv
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) demo-output .pytest_cache
