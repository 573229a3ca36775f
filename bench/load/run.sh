#!/usr/bin/env bash
# Store load (civic load: read, validate, georeference, insert) vs civic convert on the same 1,000,000-row AED file
# (release build), in one run; prints the rows/s ratio. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product civic
python3 bench/load/run.py "$@"
