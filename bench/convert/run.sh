#!/usr/bin/env bash
# civic convert vs ogr2ogr on a 1,000,000-row AED file (release build). `make bench` installs gdal-bin first.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product civic
python3 bench/convert/run.py "$@"
