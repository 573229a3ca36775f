#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing, and checks the Swift toolchain.
# Used by `make` targets and .ci/run; safe to run again (does nothing when all is there).
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "Swift 6.1 or later is needed (https://www.swift.org/install/linux/); 'swift' is not on PATH." >&2
    exit 1
fi

missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# dpkg has been seen to fail once on a good archive ("failed to read archive"): try again before giving up.
for attempt in 1 2 3; do
    if $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then exit 0; fi
    echo "apt-get install failed (attempt $attempt); retrying" >&2
    sleep 3
done
exit 1
