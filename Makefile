# The two commands of the README: `make run` and `make test`. Each sets everything up first
# (virtualenv, Python and npm packages, static assets, translations); a step reruns only when
# its inputs change.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench setup lint clean

run: setup
	$(PY) scripts/dev.py run

# Two pytest processes, a test file each at a time: much of the suite waits on browsers, workers
# and servers, so two keep both cores busy. `PYTEST_ARGS="-n 0"` runs in one process.
test: setup
	$(PY) scripts/dev.py test -n 2 --dist loadfile $(PYTEST_ARGS)

# The benchmark (docs/benchmark.md): BENCH_ARGS="--scale small" for a quick run.
bench: setup
	$(PY) scripts/dev.py bench $(BENCH_ARGS)

setup: $(VENV)/.installed static/vendor/.copied .data/messages.stamp

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.copied: node_modules/.installed $(VENV)/.installed scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py
	@touch $@

.data/messages.stamp: $(VENV)/.installed $(wildcard locale/*/LC_MESSAGES/*.po)
	$(PY) scripts/compile_messages.py
	@mkdir -p .data && touch $@

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) node_modules static/vendor .data/messages.stamp
