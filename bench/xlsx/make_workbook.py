#!/usr/bin/env python3
"""Makes an N-row AED workbook (.xlsx, one sheet "Sheet1", header in row 1) from a real file: 焼津市 AED設置箇所一覧
(出典：焼津市, PDL1.0). The rows are exactly those bench/convert/make_aed.py makes for the same N (repeated in order,
unique 10-digit NO, coordinates jittered by up to ±0.01° with the same seed), so the CSV and the xlsx benchmarks read
the same records. Written with openpyxl in write_only mode; each cell is a string except unambiguous numbers (text
matching ^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$ whose str() of the number is the same text: 222127, 34.8669183; not
0000000001 or 138.3000000), empty cells are left out — the rule of tools/make_xlsx_fixtures.py.

Usage: make_workbook.py SEED.csv OUT.xlsx [ROWS]   (needs openpyxl)
"""
import csv
import os
import random
import re
import sys

NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")


def typed(text: str):
    if text == "":
        return None
    if NUMBER.match(text):
        if "." in text:
            value = float(text)
            if str(value) == text:
                return value
        else:
            value = int(text)
            if str(value) == text and abs(value) < 2 ** 53:
                return value
    return text


def main() -> None:
    from openpyxl import Workbook
    seed_path, out_path = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    with open(seed_path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        seed = [row for row in reader if any(row)]
    no, lat, lon = header.index("NO"), header.index("緯度"), header.index("経度")
    rng = random.Random(20261122)  # as make_aed.py
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(header)
    for i in range(rows):
        row = list(seed[i % len(seed)])
        row[no] = f"{i + 1:010d}"
        if row[lat] and row[lon]:
            row[lat] = f"{float(row[lat]) + rng.uniform(-0.01, 0.01):.7f}"
            row[lon] = f"{float(row[lon]) + rng.uniform(-0.01, 0.01):.7f}"
        ws.append([typed(text) for text in row])
    tmp = out_path + ".part"
    wb.save(tmp)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
