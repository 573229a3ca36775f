#!/usr/bin/env bash
# The portal KPI pages and JSON for 50 municipalities × 15 datasets, uncached — release build; CIVIC=path/to/civic to
# measure another binary without building.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CIVIC:-}" ]; then
    swift build -c release --product civic
    CIVIC=.build/release/civic
fi
python3 bench/kpi/run.py --civic "$CIVIC" "$@"
