# Civic — one entry point for people and CI. `make run` and `make test` install what is missing first.
SWIFT ?= swift
BIN := .build/debug/civic
APT_PACKAGES := python3-venv pkg-config libproj-dev libgeos-dev libsqlite3-dev zlib1g-dev
# For the real-client checks: Chromium opens the map pages; Leaflet is served from Debian's package.
CLIENT_PACKAGES := chromium libjs-leaflet fonts-noto-cjk
VENV := .venv

.PHONY: all deps build run test bench clean

all: build

deps:
	@tools/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build --product civic

# The main job on the bundled data: validate, normalise and convert every file in datasets/ into out/, then serve
# them (OGC API Features, downloads, reports) on http://127.0.0.1:8080 until Ctrl-C. PORT=… to change the port.
PORT ?= 8080
run: build
	@tools/run-bundled.sh $(BIN) datasets out
	@echo "serving datasets/ on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN) serve --data datasets --db out/civic.sqlite --port $(PORT)

# Every test: format lint, unit and real-data tests, the README example, the main job, the reports against their
# JSON Schema, real clients against `civic serve` (GDAL/pyogrio, ckanapi, schemathesis), and the schema generator's check.
test: deps $(VENV)/bin/python
	@tools/install-deps.sh $(CLIENT_PACKAGES)
	$(SWIFT) format lint --strict -r Sources Tests examples
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) run --skip-build civic-example datasets/ichikawa-aed/data.csv
	@tools/run-bundled.sh $(BIN) datasets .build/run-check > /dev/null && echo "make run: every bundled dataset read"
	@$(VENV)/bin/python tools/check-report-schema.py .build/run-check/*/report.json
	CIVIC=$(BIN) tests/clients/run.sh
	@if [ -f ../shared/reference/datasets-spec.json ]; then python3 tools/make_schemas.py --check; fi

# Benchmarks (release builds): civic convert vs ogr2ogr (installs gdal-bin), and the geo benchmarks vs a C loop
# over PROJ, pyproj and shapely 2 (in a venv under bench/work).
bench:
	@tools/install-deps.sh gdal-bin time
	bench/convert/run.sh
	bench/geo/run.sh

# Python tools for the checks (JSON Schema validation of reports).
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check jsonschema

clean:
	rm -rf .build out $(VENV)
