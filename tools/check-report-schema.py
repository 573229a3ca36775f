#!/usr/bin/env python3
"""Validates report JSON files against docs/report.schema.json (JSON Schema 2020-12). Usage: FILE…"""
import json
import pathlib
import sys

import jsonschema

schema = json.loads((pathlib.Path(__file__).parent.parent / "docs" / "report.schema.json").read_text(encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for path in sys.argv[1:]:
    document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    for report in document if isinstance(document, list) else [document]:
        for error in validator.iter_errors(report):
            failed += 1
            print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}", file=sys.stderr)
print(f"report schema: {len(sys.argv) - 1} files checked, {failed} problems")
sys.exit(1 if failed else 0)
