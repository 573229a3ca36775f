# Civic — one entry point for people and CI. `make run` and `make test` install what is missing first.
SWIFT ?= swift
BIN := .build/debug/civic
APT_PACKAGES := python3-venv pkg-config libproj-dev libgeos-dev libsqlite3-dev zlib1g-dev libxml2-dev libfreexl-dev libjemalloc-dev
# For the real-client checks: Chromium opens the map pages; Leaflet is served from Debian's package; LibreOffice
# (headless) opens the workbooks Civic writes.
CLIENT_PACKAGES := chromium libjs-leaflet fonts-noto-cjk libreoffice-calc-nogui
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
# JSON Schema, real clients against `civic serve` (GDAL/pyogrio, ckanapi, schemathesis), the workbooks Civic writes
# opened by LibreOffice and openpyxl, and the schema generator's check.
test: deps $(VENV)/bin/python
	@tools/install-deps.sh $(CLIENT_PACKAGES)
	$(SWIFT) format lint --strict -r Sources Tests examples
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) run --skip-build civic-example datasets/ichikawa-aed/data.csv
	@tools/run-bundled.sh $(BIN) datasets .build/run-check > /dev/null && echo "make run: every bundled dataset read"
	@$(VENV)/bin/python tools/check-report-schema.py .build/run-check/*/report.json
	CIVIC=$(BIN) integration/clients/run.sh
	@$(VENV)/bin/python -c "import openpyxl" 2> /dev/null || $(VENV)/bin/pip install --quiet --disable-pip-version-check 'openpyxl==3.1.*'
	$(VENV)/bin/python integration/xlsx/check.py $(BIN) datasets
	@if [ -f ../shared/reference/datasets-spec.json ]; then python3 tools/make_schemas.py --check; fi

# Benchmarks (release builds): civic convert vs ogr2ogr (installs gdal-bin), the geo benchmarks vs a C loop
# over PROJ, pyproj and shapely 2 (in a venv under bench/work), reading .xlsx vs openpyxl and ogr2ogr, a large
# GeoJSON vs ogr2ogr, publishing through the server vs convert (and kill -9 during publishes), the server vs
# pygeoapi and nginx (wrk), live status, vector tiles vs nginx and tippecanoe, and the portal KPI.
bench:
	@tools/install-deps.sh gdal-bin time
	bench/convert/run.sh
	bench/geo/run.sh
	bench/xlsx/run.sh
	bench/geojson/run.sh
	bench/publish/run.sh
	bench/pages/run.sh
	bench/server/run.sh
	bench/load/run.sh
	bench/status/run.sh
	bench/tiles/run.sh
	bench/kpi/run.sh
	bench/harvest/run.sh

# Python tools for the checks (JSON Schema validation of reports).
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check jsonschema 'openpyxl==3.1.*'

clean:
	rm -rf .build out $(VENV)
