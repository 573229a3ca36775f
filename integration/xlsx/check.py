#!/usr/bin/env python3
"""Workbooks Civic writes, opened by the real programs people use: every bundled dataset is normalised to CSV and to
.xlsx by `civic normalize`; LibreOffice (headless) converts each .xlsx back to CSV, which must hold the same table as
Civic's CSV (numbers compared as numbers: a workbook stores 138.309570 as the number 138.30957); openpyxl opens each
.xlsx and finds codes and IDs stored as text (leading zeros kept), 緯度/経度 as numbers, and the header in row 1.

Usage: integration/xlsx/check.py CIVIC_BINARY [DATASETS_DIR]   (needs soffice on PATH and openpyxl)
The last line is `xlsx: N passed, M failed`; the exit status is 0 only if every check passed.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import openpyxl

civic = sys.argv[1]
datasets = sys.argv[2] if len(sys.argv) > 2 else "datasets"
passed = failed = 0


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


def same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


with tempfile.TemporaryDirectory(prefix="civic-xlsx-") as work:
    ids = []
    for name in sorted(os.listdir(datasets)):
        descriptor = os.path.join(datasets, name, "dataset.json")
        if not os.path.exists(descriptor):
            continue
        source = os.path.join(datasets, name, json.load(open(descriptor, encoding="utf-8"))["file"])
        for extension in ("csv", "xlsx"):
            result = subprocess.run([civic, "normalize", "--quiet", source, "-o", os.path.join(work, f"{name}.{extension}")])
            check(result.returncode in (0, 1), f"{name}: civic normalize -o {name}.{extension} exited {result.returncode}")
        ids.append(name)

    # LibreOffice: every workbook back to CSV (UTF-8, comma, cells as shown: dates as their yyyy-mm-dd format).
    out = os.path.join(work, "libreoffice")
    os.makedirs(out)
    profile = "file://" + os.path.join(work, "lo-profile")
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", out]
        + [os.path.join(work, f"{name}.xlsx") for name in ids],
        capture_output=True, text=True, timeout=600)
    check(result.returncode == 0, f"soffice exited {result.returncode}: {result.stderr[-400:]}")
    complaints = [line for line in result.stderr.splitlines() if any(w in line.lower() for w in ("repair", "corrupt", "error"))]
    check(not complaints, f"LibreOffice complained: {complaints[:3]}")

    for name in ids:
        with open(os.path.join(work, f"{name}.csv"), encoding="utf-8-sig", newline="") as f:
            expected = list(csv.reader(f))
        path = os.path.join(out, f"{name}.csv")
        if not os.path.exists(path):
            check(False, f"{name}: LibreOffice wrote no CSV")
            continue
        with open(path, encoding="utf-8", newline="") as f:
            actual = list(csv.reader(f))
        # LibreOffice writes as many cells per row as the widest row; Civic's CSV has the header's count.
        width = len(expected[0])
        actual = [row + [""] * (width - len(row)) for row in actual]
        check(len(actual) == len(expected), f"{name}: LibreOffice read {len(actual)} rows, Civic wrote {len(expected)}")
        mismatches = [(r + 1, expected[0][c], expected[r][c], actual[r][c])
                      for r in range(min(len(actual), len(expected))) for c in range(width)
                      if not same(expected[r][c], actual[r][c])]
        check(not mismatches, f"{name}: {len(mismatches)} cells differ in LibreOffice, e.g. {mismatches[:3]}")

        book = openpyxl.load_workbook(os.path.join(work, f"{name}.xlsx"))
        sheet = book.worksheets[0]
        check(len(book.worksheets) == 1 and not sheet.merged_cells.ranges, f"{name}: one sheet, no merged cells")
        header = [cell.value for cell in sheet[1]]
        check(header == expected[0], f"{name}: header in row 1")
        types = {}
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for column, value in zip(header, row):
                if value is not None:
                    types.setdefault(column, set()).add(type(value).__name__)
        for column in ("全国地方公共団体コード", "ID", "電話番号", "郵便番号"):
            if column in types:
                check(types[column] == {"str"}, f"{name}: {column} stored as text ({types[column]})")
        for column in ("緯度", "経度"):
            if column in types:
                check(types[column] <= {"float", "int"}, f"{name}: {column} stored as numbers ({types[column]})")

print(f"xlsx: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
