#!/usr/bin/env bash
# The main job on the bundled data: for every datasets/<id>/, validate, normalise (CSV and .xlsx) and convert the
# file its dataset.json names (CSV or an .xlsx workbook).
# Usage: tools/run-bundled.sh CIVIC_BINARY DATASETS_DIR OUT_DIR
set -uo pipefail
civic=$1 datasets=$2 out=$3
mkdir -p "$out"
status=0
for dir in "$datasets"/*/; do
    id=$(basename "$dir")
    [ -f "$dir/dataset.json" ] || continue
    file=$dir$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["file"])' "$dir/dataset.json")
    [ -f "$file" ] || { echo "$id: no file $file" >&2; status=1; continue; }
    mkdir -p "$out/$id"
    # Exit 1 (invalid: findings with errors) is an answer, not a failure; 2 (unreadable) is a failure.
    "$civic" validate "$file" > "$out/$id/report.txt"; rc=$?
    [ $rc -ge 2 ] && { echo "$id: could not be read" >&2; status=1; continue; }
    "$civic" validate --format json "$file" > "$out/$id/report.json"
    "$civic" normalize --quiet "$file" -o "$out/$id/$id.csv"; [ $? -ge 2 ] && status=1
    "$civic" normalize --quiet "$file" -o "$out/$id/$id.xlsx"; [ $? -ge 2 ] && status=1
    "$civic" convert --quiet "$file" -o "$out/$id/$id.geojson"; [ $? -ge 2 ] && status=1
    verdict=$([ $rc -eq 0 ] && echo "valid 適合" || echo "invalid 不適合")
    summary=$(grep -E '^  (dataset|total):' "$out/$id/report.txt" | sed 's/^  //' | tr '\n' ' ')
    printf '%-28s %s\n    → %s/%s/{%s.csv,%s.xlsx,%s.geojson,report.txt,report.json}\n' "$id" "$summary" "$out" "$id" "$id" "$id" "$id"
done
exit $status
