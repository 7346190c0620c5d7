# Every target creates (or reuses) a local virtualenv in .venv, so nothing
# depends on what was installed by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test bench clean

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
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
