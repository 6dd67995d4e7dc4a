# The entry point for humans and CI alike. `make demo` and `make test` install what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
OUT    ?= out
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench docs clean wheel-check samples

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# pip byte-compiles installed packages, not an editable checkout: do it here, so that
	# no run compiles register's modules again (where PYTHONDONTWRITEBYTECODE is set, none
	# would be cached otherwise).
	$(PY) -m compileall -q register
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh "$(VENV)/bin/register" "$(OUT)"

test: $(STAMP)
	$(PY) -m pytest -q -n auto

# The package as users install it: a wheel in a fresh venv, run from an unrelated folder, with
# the same outputs byte for byte as this checkout's.
wheel-check: $(STAMP)
	@bash scripts/wheel-check.sh "$(VENV)"

lint: $(STAMP)
	$(VENV)/bin/ruff check register tests benchmarks

# Rebuild every bundled register from its builder, in dependency order: the sample register,
# its xlsx and CSV forms, the per-rule registers, the seeds' registers and the officer's ledger.
samples: $(STAMP)
	$(PY) sample_data/build_sample.py
	$(PY) sample_data/build_forms.py
	$(PY) sample_data/build_inp.py
	$(PY) sample_data/build_inc.py
	$(PY) sample_data/build_web.py
	$(PY) sample_data/build_ju.py
	$(PY) sample_data/build_ja.py
	$(PY) sample_data/build_pub.py
	$(PY) sample_data/build_ledger_ja.py

docs: $(STAMP)
	$(PY) -m register.docs

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .hypothesis
