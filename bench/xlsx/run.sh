#!/usr/bin/env bash
# Reading .xlsx: civic convert vs openpyxl (read_only) vs ogr2ogr (GDAL XLSX driver) on a 100,000- and a
# 200,000-row AED workbook (release build, in .build-bench). Installs only what is missing: gdal-bin and time from Debian, openpyxl in
# the .venv-xlsx venv (shared with tools/make_xlsx_fixtures.py). Options go to run.py (--rows, --repeat, --civic …).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/install-deps.sh gdal-bin time
venv=.venv-xlsx
if ! "$venv/bin/python" -c "import openpyxl" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'openpyxl==3.1.*'
fi
swift build -c release --product civic --scratch-path .build-bench
"$venv/bin/python" bench/xlsx/run.py --civic .build-bench/release/civic "$@"
