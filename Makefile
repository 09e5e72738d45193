# Two commands matter (see README): `make demo` and `make test`.
# Both bootstrap everything they need: system packages (apt) and a project-local .venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint catalogue system-deps venv bench clean

demo: system-deps venv
	$(PY) -m autograder demo --out demo-output

# Two workers (pytest-xdist), each test file on one of them (`--dist loadfile`: a file's module
# fixtures, e.g. a class graded in batch, are built once); the example gradings that files share
# are made once per run for both (tests/conftest.py). `make test XDIST=` runs serially.
XDIST ?= -n 2 --dist loadfile

test: system-deps venv
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# The quick tier for every commit: everything but end-to-end grading, hostile submissions,
# batches, Dask, the browser and Gradescope (tests marked slow). CI runs `make test`.
test-fast: system-deps venv
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check autograder reference tests bench

# Re-extract the message ids of the code and templates (autograder/i18n/babel.cfg) and merge
# them into the Dutch catalogue; new ones arrive untranslated (tests/test_i18n.py names them).
catalogue: venv
	mkdir -p build
	$(VENV)/bin/pybabel extract -F autograder/i18n/babel.cfg -k _ -k N_ -k ngettext:1,2 --no-default-keywords \
		--sort-by-file --no-wrap --project autograder -o build/messages.pot .
	$(VENV)/bin/pybabel update -i build/messages.pot -o autograder/i18n/nl.po -l nl --no-wrap --ignore-obsolete

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
