#!/usr/bin/env bash
# Incremental harvest of 1,000 datasets from a second Civic instance — release build; CIVIC=path/to/civic to measure
# another binary without building.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CIVIC:-}" ]; then
    swift build -c release --product civic
    CIVIC=.build/release/civic
fi
python3 bench/harvest/run.py --civic "$CIVIC" "$@"
