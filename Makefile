# ccus: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo demo-batch test validate bench lint clean venv check-report

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ccus.engines.native.warmup
	touch $(STAMP)

venv: $(STAMP)

## demo: create .venv, install, run the CarbFix1 field case (experiments/carbfix1.toml: native reactive
## transport, 100 cells, 2 years) and write its HDF5 store and report (under 2 minutes once installed)
demo: $(STAMP)
	@mkdir -p $(OUT)
	$(VENV)/bin/ccus run experiments/carbfix1.toml -o $(OUT)/carbfix1.h5
	$(VENV)/bin/ccus report $(OUT)/carbfix1.h5 -o $(OUT)/carbfix1_report.html
	@echo "store:  $(OUT)/carbfix1.h5"
	@echo "report: $(OUT)/carbfix1_report.html"

## demo-batch: the CarbFix1 batch reactor (experiments/carbfix1_batch.toml), store and report
demo-batch: $(STAMP)
	@mkdir -p $(OUT)
	$(VENV)/bin/ccus run experiments/carbfix1_batch.toml -o $(OUT)/carbfix1_batch.h5
	$(VENV)/bin/ccus report $(OUT)/carbfix1_batch.h5 -o $(OUT)/carbfix1_batch_report.html
	@echo "store:  $(OUT)/carbfix1_batch.h5"
	@echo "report: $(OUT)/carbfix1_batch_report.html"

## test: create/refresh .venv and run the default test suite (slow validation excluded)
test: $(STAMP)
	$(PY) -m pytest -q

## validate: the slow validation tests (PHREEQC oracle grids, long runs), then regenerate
## docs/validation.md, its figures (docs/figures/validation/) and outputs (docs/validation/) from scratch
## (the start time below, taken when make starts, lets the page state how long the whole run took)
validate: export CCUS_VALIDATE_STARTED := $(shell date +%s)
## The slow tests run on every core (pytest-xdist); the tests of one field case share a worker (loadgroup).
validate: $(STAMP)
	$(PY) -m pytest -q -m slow -n auto --dist loadgroup
	$(PY) -m ccus.validation.document

## bench: benchmarks, native vs PHREEQC ratios measured in the same run
bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

## check-report: render the CarbFix1 report in headless Chromium (needs Debian's chromium) and save a PNG
check-report: $(STAMP)
	sh tests/report_screenshot.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check ccus tests bench

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
