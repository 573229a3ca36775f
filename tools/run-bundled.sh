#!/usr/bin/env bash
# The main job on the bundled data: for every datasets/<id>/, validate, normalise and convert the file.
# Usage: tools/run-bundled.sh CIVIC_BINARY DATASETS_DIR OUT_DIR
set -uo pipefail
civic=$1 datasets=$2 out=$3
mkdir -p "$out"
status=0
for dir in "$datasets"/*/; do
    id=$(basename "$dir")
    [ -f "$dir/data.csv" ] || continue
    mkdir -p "$out/$id"
    # Exit 1 (invalid: findings with errors) is an answer, not a failure; 2 (unreadable) is a failure.
    "$civic" validate "$dir/data.csv" > "$out/$id/report.txt"; rc=$?
    [ $rc -ge 2 ] && { echo "$id: could not be read" >&2; status=1; continue; }
    "$civic" validate --format json "$dir/data.csv" > "$out/$id/report.json"
    "$civic" normalize --quiet "$dir/data.csv" -o "$out/$id/$id.csv"; [ $? -ge 2 ] && status=1
    "$civic" convert --quiet "$dir/data.csv" -o "$out/$id/$id.geojson"; [ $? -ge 2 ] && status=1
    verdict=$([ $rc -eq 0 ] && echo "valid 適合" || echo "invalid 不適合")
    summary=$(grep -E '^  (dataset|total):' "$out/$id/report.txt" | sed 's/^  //' | tr '\n' ' ')
    printf '%-28s %s\n    → %s/%s/{%s.csv,%s.geojson,report.txt,report.json}\n' "$id" "$summary" "$out" "$id" "$id" "$id"
done
exit $status
