# Every target creates (or reuses) its own virtualenv, so nothing depends on
# what was installed by hand.
#
#   make demo           a gradient, its source and a training run
#   make test           the test suite (.venv, editable install)
#   make dist           the sdist and the wheel, in dist/
#   make test-installed the wheel in a fresh virtualenv outside the checkout,
#                       tested with the tests/ and examples/ of the sdist
#   make test-pythons   the suite on every Python 3.10-3.13 found here
#   make test-lowest    the suite with the lowest versions pyproject.toml
#                       allows, on every Python 3.10-3.13 found here
#   make bench          the benchmarks (prints; WRITE=1 also writes
#                       benchmarks/results.md and results.json)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# the interpreters test-pythons and test-lowest use (override: PYTHONS="...")
PYTHONS ?= $(shell sh tools/find_pythons.sh)
PYTEST := -m pytest -q -p no:cacheprovider

.PHONY: demo test bench bench-scaling fuzz dist test-installed test-pythons test-lowest clean

$(VENV)/.installed-%: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .$(if $(filter base,$*),,[$*])
	touch $@

demo: $(VENV)/.installed-base
	$(PY) examples/demo.py

test: $(VENV)/.installed-dev
	$(PY) -m pytest -q tests ast_ad

bench: $(VENV)/.installed-dev
	$(PY) benchmarks/run.py $(if $(WRITE),--write)
	$(PY) benchmarks/scaling.py $(if $(WRITE),--write)

bench-scaling: $(VENV)/.installed-dev
	$(PY) benchmarks/scaling.py $(if $(WRITE),--write)

dist: $(VENV)/.installed-dev
	$(PY) -m pip install -q build
	rm -rf dist
	$(PY) -m build -q --outdir dist . > /dev/null

test-installed: dist
	PYTHON=$(PYTHON) sh tools/test_installed.sh dist

test-pythons:
	@test -n "$(PYTHONS)" || { echo "no Python 3.10-3.13 found"; exit 1; }
	@set -e; for py in $(PYTHONS); do \
	    v=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    echo "== Python $$v ($$py), newest dependencies"; \
	    $$py -m venv --clear .venv-$$v; \
	    .venv-$$v/bin/python -m pip install -q --upgrade pip; \
	    .venv-$$v/bin/python -m pip install -q -e .[dev]; \
	    .venv-$$v/bin/python -m pip list 2>/dev/null | grep -iE '^(gast|numpy|scipy|pytest) ' | tr -s ' ' | paste -sd ' ' -; \
	    .venv-$$v/bin/python $(PYTEST) tests ast_ad; \
	done

test-lowest:
	@test -n "$(PYTHONS)" || { echo "no Python 3.10-3.13 found"; exit 1; }
	@set -e; for py in $(PYTHONS); do \
	    v=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    d=.venv-lowest-$$v; \
	    $$py -m venv --clear $$d; \
	    $$d/bin/python -m pip install -q --upgrade pip; \
	    $$d/bin/python -m pip install -q packaging tomli; \
	    $$d/bin/python tools/lowest_pins.py dev > $$d/pins.txt; \
	    echo "== Python $$v ($$py), lowest versions: $$(paste -sd ' ' $$d/pins.txt)"; \
	    $$d/bin/python -m pip install -q --only-binary=:all: -r $$d/pins.txt; \
	    $$d/bin/python -m pip install -q --no-deps -e .; \
	    $$d/bin/python -m pip check; \
	    $$d/bin/python $(PYTEST) tests ast_ad; \
	done

# Differential fuzzing (tests/fuzz): make fuzz N=20000 SEED=1 JOBS=2 MINIMIZE=3
# FUZZ_ARGS passes more options, e.g. FUZZ_ARGS="--write-regressions --disable alias".
N ?= 2000
SEED ?= 0
JOBS ?= 2
MINIMIZE ?= 3
fuzz: $(VENV)/.installed-dev
	$(PY) -m tests.fuzz --n $(N) --seed $(SEED) --jobs $(JOBS) --minimize $(MINIMIZE) $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) .venv-* build dist *.egg-info
