#!/usr/bin/env bash
# civic convert of a large GeoJSON FeatureCollection (streamed) vs ogr2ogr (release build). `make bench` installs gdal-bin.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product civic
python3 bench/geojson/run.py "$@"
