#!/usr/bin/env python3
"""The openpyxl side of bench/xlsx: load_workbook(read_only=True), iterate every row of the first sheet and touch
every value. Prints "ROWS CELLS" (rows after the header, non-empty cells). Usage: read_openpyxl.py FILE.xlsx"""
import sys

from openpyxl import load_workbook


def main() -> None:
    wb = load_workbook(sys.argv[1], read_only=True)
    ws = wb.worksheets[0]
    rows = cells = 0
    chars = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        for value in row:
            if value is not None:
                cells += 1
                chars += len(value) if isinstance(value, str) else 1
    wb.close()
    print(rows - 1, cells)


if __name__ == "__main__":
    main()
