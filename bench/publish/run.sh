#!/usr/bin/env bash
# Publishing through the server vs civic convert, and kill -9 during publishes (release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product civic
tools/install-deps.sh wrk
python3 bench/publish/run.py "$@"
