#!/usr/bin/env bash
# `civic serve` vs pygeoapi 0.24 (PyPI) vs nginx serving Civic's own response bytes as static files, with wrk, on
# the 82-feature 焼津市 AED collection and a 1,000,000-feature synthetic AED collection (made from 市川市's file).
# Installs only what is missing: wrk, nginx-light, libsqlite3-mod-spatialite (pygeoapi's SQLite provider) and
# gdal-bin (ogr2ogr) from Debian; pygeoapi, gunicorn, uvicorn, starlette and pysqlite3-binary in a Python 3.12 venv
# under bench/work (pygeoapi 0.24 needs Python >= 3.12). Builds Civic (release) in .build-bench so that it does not
# disturb a build in .build. Options go to run.py (--duration 10, --connections 32, --repeat 1, --reload …).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/install-deps.sh wrk nginx-light libsqlite3-mod-spatialite gdal-bin

venv=bench/work/pygeoapi-venv
if ! "$venv/bin/python" -c "import pygeoapi, gunicorn, uvicorn, starlette, pysqlite3" 2>/dev/null; then
    python=""
    # pygeoapi 0.24 needs Python 3.12 or later; Debian 12 has 3.11. Use one that is there (pyenv's, or PYTHON=…).
    for candidate in "${PYTHON:-}" python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            python=$candidate
            break
        fi
    done
    if [ -z "$python" ]; then
        echo "pygeoapi 0.24 needs Python 3.12 or later: none found (set PYTHON=/path/to/python3.12)" >&2
        exit 2
    fi
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'pygeoapi==0.24.*' gunicorn uvicorn starlette pysqlite3-binary
fi

swift build -c release --product civic --scratch-path .build-bench
"$venv/bin/python" bench/server/run.py --civic .build-bench/release/civic "$@"
