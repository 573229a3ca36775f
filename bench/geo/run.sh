#!/usr/bin/env bash
# Civic's transform and point-in-polygon join vs a C loop over PROJ and vs pyproj / shapely (release build).
# Installs only what is missing (PROJ and GEOS from Debian; pyproj, shapely, numpy in bench/work/venv).
# Builds in .build-bench so that it does not disturb a build in .build. Options go to run.py (--points, --repeat …).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/install-deps.sh proj-bin libproj-dev libgeos-dev
venv=bench/work/venv
if ! "$venv/bin/python" -c "import pyproj, shapely, numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyproj shapely numpy
fi
swift build -c release --product civic-bench --scratch-path .build-bench
"$venv/bin/python" bench/geo/run.py --civic-bench .build-bench/release/civic-bench "$@"
