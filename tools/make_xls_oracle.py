#!/usr/bin/env python3
"""Writes what xlrd reads from each .xls fixture, as the oracle for Civic's own BIFF8 reader (BIFFWorkbook).

    /tmp/xv/bin/python tools/make_xls_oracle.py      # needs xlrd (pip install xlrd==2.0.1)

For every .xls under Tests/CivicExcelTests/Fixtures/xls/{real,libreoffice,features}, writes NAME.xlrd.json beside it:
the date mode, and per sheet its name, visibility, hidden rows and columns, merged ranges and every non-empty cell as
[row, column, kind, value]: kind text (the string), number (the float), date (the serial and xlrd's
xldate_as_tuple), boolean (TRUE/FALSE) or error (xlrd's error text). Rows and columns are 0-based.
"""
import json
import pathlib
import sys

import xlrd

root = pathlib.Path(__file__).resolve().parent.parent / "Tests/CivicExcelTests/Fixtures/xls"


def cells(book, sheet):
    out = []
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_TEXT:
                if cell.value != "":
                    out.append([r, c, "text", cell.value])
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                out.append([r, c, "number", cell.value])
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    parts = list(xlrd.xldate_as_tuple(cell.value, book.datemode))
                except xlrd.xldate.XLDateError:
                    parts = None
                out.append([r, c, "date", cell.value, parts])
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                out.append([r, c, "boolean", "TRUE" if cell.value else "FALSE"])
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                out.append([r, c, "error", xlrd.biffh.error_text_from_code.get(cell.value, "#ERR%d" % cell.value)])
    return out


def dump(oracle):
    """JSON with one cell a line (readable diffs)."""
    one = lambda value: json.dumps(value, ensure_ascii=False)
    lines = ['{"xlrd": %s, "datemode": %s, "sheets": [' % (one(oracle["xlrd"]), one(oracle["datemode"]))]
    for index, sheet in enumerate(oracle["sheets"]):
        head = {k: v for k, v in sheet.items() if k != "cells"}
        lines.append(one(head)[:-1] + ', "cells": [')
        lines.append(",\n".join(one(cell) for cell in sheet["cells"]))
        lines.append("]}" + ("," if index + 1 < len(oracle["sheets"]) else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main():
    names = sorted(p for folder in ("real", "libreoffice", "features", "biff") for p in (root / folder).glob("*.xls"))
    for path in names:
        book = xlrd.open_workbook(str(path), formatting_info=True)
        sheets = []
        for sheet in book.sheets():
            sheets.append({
                "name": sheet.name,
                "hidden": sheet.visibility != 0,
                "hiddenRows": sorted(r for r, info in sheet.rowinfo_map.items() if info.hidden),
                "hiddenColumns": sorted(c for c, info in sheet.colinfo_map.items() if info.hidden),
                "merges": sorted([r0, r1 - 1, c0, c1 - 1] for r0, r1, c0, c1 in sheet.merged_cells),
                "cells": cells(book, sheet),
            })
        oracle = {"xlrd": xlrd.__version__, "datemode": book.datemode, "sheets": sheets}
        target = path.with_suffix(".xlrd.json")
        target.write_text(dump(oracle), encoding="utf-8")
        print(target.relative_to(root), sum(len(s["cells"]) for s in sheets), "cells", file=sys.stderr)


if __name__ == "__main__":
    main()
