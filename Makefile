# Every target bootstraps .venv itself; the install is redone only when pyproject.toml or
# constraints.txt (the pinned versions, `make constraints` rewrites it) changes. One venv serves
# tests, lint, the demo and the benchmarks: it gets the dev, bench and scale extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_SITE := site

.PHONY: demo test dev lint fuzz docs bench clean constraints eval-pages eval-layouts eval-names eval-name-variants

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench,scale]'
	@touch $(STAMP)

# After a deliberate upgrade in the venv: pin what now works.
constraints: $(STAMP)
	( sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable ) > constraints.txt.new
	mv constraints.txt.new constraints.txt

demo: $(STAMP)
	$(BIN)/tuoke demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The demo PII key only when the demo sources are the default (a TUOKE_SOURCES_DIR given means real data).
dev: $(STAMP)
	TUOKE_PII_DEMO_KEY=$${TUOKE_PII_DEMO_KEY:-$${TUOKE_SOURCES_DIR:+0}} TUOKE_PII_DEMO_KEY=$${TUOKE_PII_DEMO_KEY:-1} TUOKE_SOURCES_DIR=$${TUOKE_SOURCES_DIR:-configs/demo/sources} DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/data/dagster_home} \
		sh -c 'mkdir -p "$$DAGSTER_HOME" && $(BIN)/dagster dev -m pipelines.definitions -h 127.0.0.1 -p 3000'

# ruff, then the layer contract of .importlinter (kernel <- scrapers | warehouse <- pipelines <- tuoke),
# then the documentation site: a broken link or a page missing from the nav fails the build.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(DOCS_SITE)

# The hypothesis suites (marker `fuzz`) at the long profile: 10,000 examples per property.
# `make test` runs the same suites at the `ci` profile.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q -m fuzz -n 2 --dist loadfile --hypothesis-show-statistics

# The documentation site (mkdocs.yml, docs/) built into a git-ignored folder; open site/index.html.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir $(DOCS_SITE)
	@echo "docs: $(DOCS_SITE)/index.html"

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_extract
	$(BIN)/python -m benchmarks.bench_extract --corpus
	$(BIN)/python -m benchmarks.bench_crawl
	$(BIN)/python -m benchmarks.resolve
	$(BIN)/python -m benchmarks.resolve.uscc_cases --size 1000000
	$(BIN)/python -m benchmarks.bench_rank

# Extraction on the real-pages corpus (../shared/real-pages or $$TUOKE_REAL_PAGES), kind guessed and given.
eval-pages: $(STAMP)
	$(BIN)/python -m benchmarks.eval_pages

# The same pages re-laid-out the way other portals differ (names, amounts, roles kept): per transform and batch.
eval-layouts: $(STAMP)
	$(BIN)/python -m benchmarks.eval_layouts

# Resolution on the real-names corpus (../shared/real-names or $$TUOKE_REAL_NAMES): P/R by kind, baseline.
eval-names: $(STAMP)
	$(BIN)/python -m benchmarks.eval_names

# The corpus's real full names written again as mentions write them (place shortened, dropped, bracketed; no form...).
eval-name-variants: $(STAMP)
	$(BIN)/python -m benchmarks.eval_name_variants

clean:
	rm -rf data demo/site $(DOCS_SITE) .pytest_cache
