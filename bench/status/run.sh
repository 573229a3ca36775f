#!/usr/bin/env bash
# Live shelter status: 1,000 SSE subscribers while 100 updates/s are written, resume with Last-Event-ID, and kill -9
# during bursts of updates (release build; CIVIC=path/to/civic to measure another binary without building).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CIVIC:-}" ]; then
    swift build -c release --product civic
    CIVIC=.build/release/civic
fi
python3 bench/status/run.py --civic "$CIVIC" "$@"
