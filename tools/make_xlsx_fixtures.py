#!/usr/bin/env python3
"""Makes the .xlsx test fixtures of CivicExcelTests (issue 5): real municipal CSVs converted by two real producers,
small hand-made workbooks with one feature each (and what a reader must make of them), and hostile packages.

    python3 -m venv .venv-xlsx && .venv-xlsx/bin/pip install openpyxl      # openpyxl 3.1.5 made the committed files
    apt-get install -y libreoffice-calc-nogui                              # LibreOffice 7.4.7 (Debian 12) made them
    .venv-xlsx/bin/python tools/make_xlsx_fixtures.py --out Tests/CivicExcelTests/Fixtures

Deterministic: every zip entry written here has a fixed timestamp, openpyxl's core properties are fixed, and the
timestamps in LibreOffice's zip headers are patched in place (nothing else of LibreOffice's bytes is touched, so its
data descriptors and part order stay as LibreOffice writes them). --no-libreoffice skips the LibreOffice steps (the
files it made are left as they are).

Layout of --out:
  realdata/openpyxl/*.xlsx, realdata/libreoffice/*.xlsx, realdata/libreoffice-textcols/*.xlsx, realdata/manifest.json
  features/<name>.xlsx + <name>.expected.json (see features/README.md for the rendering rules and the JSON)
  hostile/*.xlsx + hostile/README.md
  SOURCES.md
"""
import argparse
import csv
import datetime
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REALDATA = os.path.join(ROOT, "Tests", "CivicDataTests", "Fixtures", "realdata")
SOURCES = [
    "yaizu-222127__222127_aed.csv",
    "takamatsu-372013__0002_aed_location.csv",
    "ichikawa-122033__122033_108_aed.csv",
    "komae-132195__132195_aed.csv",
    "yaizu-222127__222127_evacuation_space.csv",
    "ichikawa-122033__122033_101_public_facility.csv",
]
FIXED = (2024, 4, 1, 0, 0, 0)
FIXED_DT = datetime.datetime(*FIXED)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"m": MAIN_NS}
# CSV import options (https://help.libreoffice.org/latest/en-US/text/shared/guide/csv_params.html):
# 1 separator 44 (,), 2 text delimiter 34 ("), 3 charset 76 (UTF-8), 4 first line 1, 5 column formats
# (column/code pairs, code 2 = Text), 6 language 1041 (Japanese), 7 quoted field as text = true,
# 8 detect special numbers = false (only plain decimals become numbers; dates, times, %, scientific stay text),
# 9-11 export-only / remove spaces = false.
LO_INFILTER = "CSV:44,34,76,1,{columns},1041,true,false,false,false,false"
LO_OUTFILTER = 'xlsx:Calc MS Excel 2007 XML'
NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")


# ---------------------------------------------------------------------------------------------------- basic helpers

def col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def split_ref(r: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)([0-9]+)", r)
    return int(m.group(2)), col_number(m.group(1))


def typed(text: str):
    """The cell typing rule: None for an empty cell, an int/float only when the text is an unambiguous number whose
    str() gives back exactly the same text (so 035, 1.50, 138.3231710 and 054-… stay text), else the text."""
    if text == "":
        return None
    if NUMBER.match(text):
        if "." in text:
            value = float(text)
            if str(value) == text:
                return value
        else:
            value = int(text)
            if str(value) == text and abs(value) < 2 ** 53:  # beyond 2^53 a double (what Excel holds) is not exact
                return value
    return text


def render_number(x: float) -> str:
    """How a reader renders a number cell without a date format: the shortest decimal that reads back as the same
    double, written out positionally (no exponent), with no trailing .0; -0 as 0."""
    if x == 0:
        return "0"
    s = format(Decimal(repr(float(x))), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def render_typed(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return render_number(v)
    return v


def read_csv(path: str) -> tuple[list[list[str]], str]:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8-sig")
        encoding = "UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        text = data.decode("cp932")
        encoding = "CP932"
    return list(csv.reader(io.StringIO(text, newline=""))), encoding


def write_zip(path: str, parts: list[tuple[str, bytes]], compresslevel: int = 6) -> None:
    """A zip with fixed timestamps and attributes, parts in the given order."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=compresslevel)


class FixedTimeZip(zipfile.ZipFile):
    """What openpyxl writes into: every entry gets the fixed timestamp instead of the time of day."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED)
            info.compress_type = self.compression
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zinfo_or_arcname = info
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl streams worksheets to a temporary file and adds it with write(): that would take the file's mtime
        with open(filename, "rb") as f:
            self.writestr(arcname or os.path.basename(filename), f.read(), compress_type, compresslevel)


def save_openpyxl(wb, path: str) -> None:
    from openpyxl.writer.excel import ExcelWriter
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT  # openpyxl's save_workbook() would set this to now: ExcelWriter directly
    wb.properties.creator = "openpyxl"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ExcelWriter(wb, FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()


def patch_zip_times(data: bytes) -> bytes:
    """Sets the DOS time/date of every local and central header to FIXED, in place (same length, CRCs untouched)."""
    b = bytearray(data)
    t = (FIXED[3] << 11) | (FIXED[4] << 5) | (FIXED[5] // 2)
    d = ((FIXED[0] - 1980) << 9) | (FIXED[1] << 5) | FIXED[2]
    eocd = b.rfind(b"PK\x05\x06")
    count = struct.unpack_from("<H", b, eocd + 10)[0]
    p = struct.unpack_from("<I", b, eocd + 16)[0]
    for _ in range(count):
        assert b[p:p + 4] == b"PK\x01\x02", "central directory"
        struct.pack_into("<HH", b, p + 12, t, d)
        local = struct.unpack_from("<I", b, p + 42)[0]
        assert b[local:local + 4] == b"PK\x03\x04", "local header"
        struct.pack_into("<HH", b, local + 10, t, d)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", b, p + 28)
        p += 46 + name_len + extra_len + comment_len
    return bytes(b)


def dump_json(path: str, obj) -> None:
    """JSON with every list of plain values on one line (rows stay readable)."""
    def emit(v, indent):
        pad = "  " * indent
        if isinstance(v, dict):
            if not v:
                return "{}"
            items = [f'{pad}  {json.dumps(k, ensure_ascii=False)}: {emit(x, indent + 1)}' for k, x in v.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(v, list):
            if all(not isinstance(x, (list, dict)) for x in v):
                return json.dumps(v, ensure_ascii=False)
            items = [f"{pad}  {emit(x, indent + 1)}" for x in v]
            return "[\n" + ",\n".join(items) + "\n" + pad + "]"
        return json.dumps(v, ensure_ascii=False)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(emit(obj, 0) + "\n")


# ----------------------------------------------------------------------------------- a small reference reader (checks)

def _decode_escapes(s: str) -> str:
    # OOXML ST_Xstring: _xHHHH_ stands for a UTF-16 code unit; _x005F_ escapes the underscore itself.
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def _string_item(el) -> str:
    """Text of an <si> or <is>: the <t> directly inside, or the <t> of each <r> run; <rPh> (phonetic) left out."""
    parts = []
    for child in el:
        tag = child.tag.split("}")[1]
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            t = child.find("m:t", NS)
            parts.append((t.text or "") if t is not None else "")
    return _decode_escapes("".join(parts))


def read_xlsx_raw(path: str) -> dict:
    """{sheet name: {(row, col): (type, text)}} with strings resolved; numbers, booleans and errors as stored."""
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            shared = [_string_item(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        out = {}
        for sheet in wb.find("m:sheets", NS):
            target = targets[sheet.get(f"{{{REL_NS}}}id")]
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            root = ET.fromstring(z.read(target))
            cells, row_no = {}, 0
            for row in root.find("m:sheetData", NS):
                row_no = int(row.get("r")) if row.get("r") else row_no + 1
                col_no = 0
                for c in row.findall("m:c", NS):
                    col_no = split_ref(c.get("r"))[1] if c.get("r") else col_no + 1
                    t = c.get("t", "n")
                    v = c.find("m:v", NS)
                    if t == "s":
                        cells[(row_no, col_no)] = ("s", shared[int(v.text)])
                    elif t == "inlineStr":
                        cells[(row_no, col_no)] = ("s", _string_item(c.find("m:is", NS)))
                    elif v is not None:
                        cells[(row_no, col_no)] = (t, v.text or "")
            out[sheet.get("name")] = cells
        return out


def render_raw(cell) -> str:
    t, text = cell
    if t == "n":
        return render_number(float(text))
    if t == "b":
        return "TRUE" if text == "1" else "FALSE"
    return text


def grid_of(cells: dict) -> list[list[str]]:
    if not cells:
        return []
    rows = max(r for r, _ in cells)
    cols = max(c for _, c in cells)
    return [[render_raw(cells[(r, c)]) if (r, c) in cells else "" for c in range(1, cols + 1)] for r in range(1, rows + 1)]


# ------------------------------------------------------------------------------------------------------ LibreOffice

class LibreOffice:
    def __init__(self):
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        if not self.binary:
            sys.exit("soffice not found: apt-get install -y libreoffice-calc-nogui (or pass --no-libreoffice)")
        self.profile = tempfile.mkdtemp(prefix="lo-profile-")
        out = subprocess.run([self.binary, "--version"], capture_output=True, text=True).stdout.strip()
        self.version = out.split()[1] if out.startswith("LibreOffice") else out  # "LibreOffice 7.4.7.2 40(Build:2)"

    def run(self, args: list[str]) -> None:
        command = [self.binary, f"-env:UserInstallation=file://{self.profile}", "--headless", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            sys.exit(f"soffice failed: {' '.join(command)}\n{result.stdout}{result.stderr}")

    def csv_to_xlsx(self, csv_paths: list[str], outdir: str, columns: str = "") -> None:
        self.run(["--infilter=" + LO_INFILTER.format(columns=columns), "--convert-to", LO_OUTFILTER,
                  "--outdir", outdir, *csv_paths])

    def xlsx_to_csv(self, xlsx: str, outdir: str, sheet: int = 1) -> list[list[str]]:
        # export options: UTF-8, first line 1, no column formats, system language, quote text = false,
        # 9 save contents as shown = true, 10 formulas = false, 11 remove spaces = false, 12 sheet number
        self.run(["--convert-to", f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{sheet}",
                  "--outdir", outdir, xlsx])
        base = os.path.splitext(os.path.basename(xlsx))[0]
        candidates = [f for f in os.listdir(outdir) if f.startswith(base) and f.endswith(".csv")]
        if len(candidates) != 1:
            raise RuntimeError(f"LibreOffice wrote {candidates} for {xlsx}")
        path = os.path.join(outdir, candidates[0])
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        os.remove(path)
        return rows

    def close(self) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)


# ------------------------------------------------------------------------------------------------------- realdata

def make_realdata(out: str, lo: "LibreOffice | None") -> None:
    import openpyxl
    manifest_path = os.path.join(out, "realdata", "manifest.json")
    old = {}
    if os.path.exists(manifest_path):
        old = {e["file"]: e for e in json.load(open(manifest_path, encoding="utf-8"))["files"]}
    entries = []
    decoded = {}
    for name in SOURCES:
        rows, encoding = read_csv(os.path.join(REALDATA, name))
        decoded[name] = (rows, encoding)
        base = os.path.splitext(name)[0]
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        for row in rows:
            ws.append([typed(text) for text in row])
        rel = f"openpyxl/{base}.xlsx"
        path = os.path.join(out, "realdata", rel)
        save_openpyxl(wb, path)
        entries.append(realdata_entry(rel, path, name, encoding, rows, "openpyxl", openpyxl.__version__))

    if lo is None:
        entries += [e for f, e in old.items() if not f.startswith("openpyxl/")]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            inputs = []
            for name in SOURCES:
                p = os.path.join(tmp, name)
                with open(p, "w", encoding="utf-8", newline="") as f:  # UTF-8 without BOM, CRLF, minimal quoting
                    csv.writer(f, lineterminator="\r\n").writerows(decoded[name][0])
                inputs.append(p)
            lo_dir = os.path.join(tmp, "lo")
            lo.csv_to_xlsx(inputs, lo_dir)
            variants = []
            for name in SOURCES:
                base = os.path.splitext(name)[0]
                rows, encoding = decoded[name]
                rel = f"libreoffice/{base}.xlsx"
                path = os.path.join(out, "realdata", rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(patch_zip_times(open(os.path.join(lo_dir, base + ".xlsx"), "rb").read()))
                entry = realdata_entry(rel, path, name, encoding, rows, "LibreOffice", lo.version)
                entry["infilter"] = LO_INFILTER.format(columns="")
                entries.append(entry)
                if entry["differing_cells"]:
                    variants.append((name, sorted({split_ref(d["cell"].split("!")[1])[1]
                                                   for d in entry["differing_cells"]})))
            for name, columns in variants:
                base = os.path.splitext(name)[0]
                rows, encoding = decoded[name]
                token = "/".join(f"{c}/2" for c in columns)
                vdir = os.path.join(tmp, "variant-" + base)
                lo.csv_to_xlsx([os.path.join(tmp, name)], vdir, token)
                rel = f"libreoffice-textcols/{base}.xlsx"
                path = os.path.join(out, "realdata", rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(patch_zip_times(open(os.path.join(vdir, base + ".xlsx"), "rb").read()))
                entry = realdata_entry(rel, path, name, encoding, rows, "LibreOffice", lo.version)
                entry["infilter"] = LO_INFILTER.format(columns=token)
                entry["text_columns"] = [col_letter(c) + (f" ({rows[0][c - 1]})" if rows[0][c - 1] else "") for c in columns]
                entries.append(entry)
    entries.sort(key=lambda e: e["file"])
    dump_json(manifest_path, {
        "about": "Real municipal CSV files (Tests/CivicDataTests/Fixtures/realdata, see ../SOURCES.md) converted to "
                 "xlsx by real producers. rows = CSV records = worksheet rows (header included). differing_cells: "
                 "every cell whose stored value is not the CSV text (stored = the <v> of a number cell, or the "
                 "string); a reader renders those as the stored value, so they are producer changes, not reader bugs.",
        "files": entries,
    })


def realdata_entry(rel, path, source, encoding, rows, producer, version) -> dict:
    sheets = read_xlsx_raw(path)
    (sheet_name, cells), = sheets.items()
    differing = []
    width = max(len(r) for r in rows)
    for r, row in enumerate(rows, start=1):
        for c in range(1, width + 1):
            text = row[c - 1] if c <= len(row) else ""
            cell = cells.get((r, c))
            stored = cell[1] if cell else ""
            if stored != text or (cell and render_raw(cell) != text):
                differing.append({"cell": f"{sheet_name}!{ref(r, c)}", "column": rows[0][c - 1] if c <= len(rows[0]) else "",
                                  "csv": text, "stored": stored, "type": cell[0] if cell else None})
    extra = [k for k in cells if k[0] > len(rows) or k[1] > width]
    assert not extra, f"{rel}: cells outside the CSV: {extra[:5]}"
    types = {}
    for t, _ in cells.values():
        types[t] = types.get(t, 0) + 1
    return {"file": rel, "source_csv": source, "source_encoding": encoding, "producer": producer,
            "producer_version": version, "sheet": sheet_name, "rows": len(rows), "columns": width,
            "cell_types": dict(sorted(types.items())), "differing_cells": differing}


# ------------------------------------------------------------------------------------------------ OOXML by hand

CT_PARTS = {
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "sharedStrings": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
}
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def package(sheets: list[tuple[str, str]], shared: "str | None" = None, styles: "str | None" = None,
            workbook_pr: str = "") -> list[tuple[str, bytes]]:
    """A minimal valid SpreadsheetML package: [Content_Types].xml, _rels/.rels, xl/workbook.xml,
    xl/_rels/workbook.xml.rels, xl/worksheets/sheetN.xml, optional xl/sharedStrings.xml and xl/styles.xml."""
    ct = ['<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          f'<Override PartName="/xl/workbook.xml" ContentType="{CT_PARTS["workbook"]}"/>']
    rels = []
    sheet_entries = []
    for i, (name, _) in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_PARTS["worksheet"]}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        sheet_entries.append(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>')
    n = len(sheets)
    if shared is not None:
        n += 1
        ct.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_PARTS["sharedStrings"]}"/>')
        rels.append(f'<Relationship Id="rId{n}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        n += 1
        ct.append(f'<Override PartName="/xl/styles.xml" ContentType="{CT_PARTS["styles"]}"/>')
        rels.append(f'<Relationship Id="rId{n}" Type="{REL_NS}/styles" Target="styles.xml"/>')
    ct.append("</Types>")
    parts = [
        ("[Content_Types].xml", XML_DECL + "".join(ct)),
        ("_rels/.rels", XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", XML_DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}'
         f'<bookViews><workbookView/></bookViews><sheets>{"".join(sheet_entries)}</sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
         f'2006/relationships">{"".join(rels)}</Relationships>'),
    ]
    for i, (_, xml) in enumerate(sheets, start=1):
        parts.append((f"xl/worksheets/sheet{i}.xml", xml))
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", shared))
    if styles is not None:
        parts.append(("xl/styles.xml", styles))
    return [(name, data.encode("utf-8") if isinstance(data, str) else data) for name, data in parts]


def worksheet(rows_xml: str, before: str = "", after: str = "") -> str:
    return XML_DECL + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{before}<sheetData>{rows_xml}</sheetData>{after}</worksheet>'


def styles_xml(numfmts: list[tuple[int, str]] = (), xfs: list[int] = ()) -> str:
    """cellXfs: index 0 = General, then one xf per numFmtId in xfs (s="1", s="2", …)."""
    nf = ""
    if numfmts:
        nf = f'<numFmts count="{len(numfmts)}">' + "".join(
            f'<numFmt numFmtId="{i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>' for i, code in numfmts) + "</numFmts>"
    xf = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'] + [
        f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' for i in xfs]
    return (XML_DECL + f'<styleSheet xmlns="{MAIN_NS}">{nf}'
            '<fonts count="1"><font><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xf)}">{"".join(xf)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="標準" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def x(text: str) -> str:
    return escape(text)


def t_elem(text: str) -> str:
    """<t>, with xml:space="preserve" when the text has white space at an end (as Excel writes it)."""
    if text != text.strip() or "\n" in text:
        return f'<t xml:space="preserve">{x(text)}</t>'
    return f"<t>{x(text)}</t>"


class SharedStrings:
    def __init__(self):
        self.items, self.index, self.count = [], {}, 0

    def add(self, text: str) -> int:
        self.count += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(f"<si>{t_elem(text)}</si>")
        return self.index[text]

    def add_raw(self, si_xml: str) -> int:
        self.count += 1
        self.items.append(si_xml)
        return len(self.items) - 1

    def xml(self) -> str:
        return (XML_DECL + f'<sst xmlns="{MAIN_NS}" count="{self.count}" uniqueCount="{len(self.items)}">'
                + "".join(self.items) + "</sst>")


def cell_xml(r: "str | None", value, sst: "SharedStrings | None" = None, s: "int | None" = None) -> str:
    """One <c> for a typed value: None → nothing, number → <v>, str → shared string (or inline without sst)."""
    if value is None:
        return ""
    attrs = (f' r="{r}"' if r else "") + (f' s="{s}"' if s is not None else "")
    if isinstance(value, bool):
        return f'<c{attrs} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c{attrs}><v>{value}</v></c>"
    if sst is None:
        return f'<c{attrs} t="inlineStr"><is>{t_elem(value)}</is></c>'
    return f'<c{attrs} t="s"><v>{sst.add(value)}</v></c>'


# ------------------------------------------------------------------------------------------------------- features

def aed() -> tuple[list[str], list[list[str]]]:
    rows, _ = read_csv(os.path.join(REALDATA, "yaizu-222127__222127_aed.csv"))
    return rows[0], rows[1:]


# Finding codes the sidecars use that Sources/CivicData/Validation/FindingCode.swift does not have (yet): listed under
# "proposed_findings", apart from "findings" (whose codes all exist there).
PROPOSED = {"workbook.blankRow", "workbook.nonexistentDate"}


def finding(code: str, cell: str, severity: str, note: str) -> dict:
    return {"code": code, "cell": cell, "severity": severity, "note": note}


def expected(name: str, feature: str, sheet: str, cells: list[list[str]], table: "dict | None",
             findings: list[dict], **extra) -> dict:
    obj = {"fixture": f"{name}.xlsx", "feature": feature, "sheet": sheet}
    obj.update(extra)
    obj["cells"] = cells
    if table is not None:
        obj["table"] = table
    obj["findings"] = [f for f in findings if f["code"] not in PROPOSED]
    proposed = [f for f in findings if f["code"] in PROPOSED]
    if proposed:
        obj["proposed_findings"] = proposed
    return obj


def pad(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def openpyxl_sheet(ws, grid: dict) -> None:
    """grid: {(row, col): typed value or (typed value, number_format)}."""
    for (r, c), v in sorted(grid.items()):
        fmt = None
        if isinstance(v, tuple):
            v, fmt = v
        if v is None:
            continue
        cell = ws.cell(row=r, column=c, value=v)
        if fmt:
            cell.number_format = fmt


def grid_from_rows(rows: list[list[str]], top: int = 1, left: int = 1, as_text: bool = False) -> dict:
    g = {}
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            v = (text or None) if as_text else typed(text)
            if v is not None:
                g[(top + i, left + j)] = v
    return g


def rendered(grid: dict) -> list[list[str]]:
    if not grid:
        return []
    rows = max(r for r, _ in grid)
    cols = max(c for _, c in grid)
    out = []
    for r in range(1, rows + 1):
        line = []
        for c in range(1, cols + 1):
            v = grid.get((r, c))
            line.append(render_typed(v[0] if isinstance(v, tuple) else v))
        out.append(line)
    return out


def make_features(out: str) -> dict:
    """Writes every features/<name>.xlsx and its sidecar; returns {name: (expected, sheet number)}."""
    import openpyxl
    from openpyxl.styles import Font
    fdir = os.path.join(out, "features")
    header, data = aed()
    made = {}

    def save(name, wb_or_parts, exp, lo_sheet=1):
        path = os.path.join(fdir, name + ".xlsx")
        if isinstance(wb_or_parts, list):
            write_zip(path, wb_or_parts)
        else:
            save_openpyxl(wb_or_parts, path)
        dump_json(os.path.join(fdir, name + ".expected.json"), exp)
        made[name] = (exp, lo_sheet)

    # dates_1900 ------------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    lines = [  # (description, value, number format, expected text)
        ("組込み書式14 (numFmtId 14)", 45383, "mm-dd-yy", "2024-04-01"),
        ("yyyy/mm/dd", 45016, "yyyy/mm/dd", "2023-03-31"),
        ('yyyy"年"m"月"d"日"', 43586, 'yyyy"年"m"月"d"日"', "2019-05-01"),
        ('[$-411]ggge"年"m"月"d"日" (和暦)', 43586, '[$-411]ggge"年"m"月"d"日"', "2019-05-01"),
        ("日時 yyyy/mm/dd hh:mm", 45383.375, "yyyy/mm/dd hh:mm", "2024-04-01T09:00:00"),
        ("組込み書式22 (m/d/yy h:mm)", 45383.5208333333, "m/d/yy h:mm", "2024-04-01T12:30:00"),
        ("時刻 hh:mm", 0.375, "hh:mm", "09:00"),
        ("時刻 h:mm (17:30, 2進小数で不正確)", 0.7291666666666666, "h:mm", "17:30"),
        ("時刻 hh:mm:ss", 0.5000115740740741, "hh:mm:ss", "12:00:01"),
        ("シリアル1", 1, "mm-dd-yy", "1900-01-01"),
        ("シリアル59", 59, "mm-dd-yy", "1900-02-28"),
        ("シリアル60 (1900年2月29日は存在しない)", 60, "mm-dd-yy", "1900-02-29"),
        ("シリアル61", 61, "mm-dd-yy", "1900-03-01"),
        ("標準書式の数値 (日付ではない)", 45383, "General", "45383"),
        ("小数書式 0.00 (日付ではない)", 1.5, "0.00", "1.5"),
        ("日付書式の文字列", "2024/4/1", "yyyy/mm/dd", "2024/4/1"),
    ]
    grid = {(1, 1): "説明", (1, 2): "値"}
    cells = [["説明", "値"]]
    for i, (desc, value, fmt, text) in enumerate(lines, start=2):
        grid[(i, 1)] = desc
        grid[(i, 2)] = (value, fmt)
        cells.append([desc, text])
    openpyxl_sheet(ws, grid)
    leap_row = 2 + [l[0] for l in lines].index("シリアル60 (1900年2月29日は存在しない)")
    save("dates_1900", wb, expected(
        "dates_1900", "Number cells with date/time formats in the 1900 date system: builtin numFmtId 14 and 22, custom "
        "yyyy/mm/dd, yyyy\"年\"m\"月\"d\"日\", a 和暦 format, times, serials 1/59/60/61 (Excel's 1900 leap-year bug: "
        "serial 60 is the nonexistent 1900-02-29; serials below 60 are one day off from a plain day count); a General "
        "and a 0.00 number (not dates) and a string in a date-formatted cell (stays as typed).",
        "Sheet1", cells, {"header_row": 1, "rows": cells},
        [finding("workbook.nonexistentDate", f"Sheet1!B{leap_row}", "warning",
                 "serial 60 is 1900-02-29 in Excel's 1900 system, a day that does not exist; rendered as Excel shows it")],
        date_system="1900"))

    # dates_1904 (by hand: workbookPr date1904="1") ---------------------------------------------------------------
    sst = SharedStrings()
    lines = [
        ("シリアル0 (1904年1月1日)", "0", 1, "1904-01-01"),
        ("yyyy/mm/dd 43921", "43921", 2, "2024-04-01"),
        ("組込み書式14 41554", "41554", 1, "2017-10-08"),
        ("日時 43921.5", "43921.5", 3, "2024-04-01T12:00:00"),
        ("時刻 hh:mm (日付系に依存しない)", "0.375", 4, "09:00"),
        ("標準書式の数値", "43921", None, "43921"),
    ]
    rows_xml = f'<row r="1">{cell_xml("A1", "説明", sst)}{cell_xml("B1", "値", sst)}</row>'
    cells = [["説明", "値"]]
    for i, (desc, v, s, text) in enumerate(lines, start=2):
        sattr = f' s="{s}"' if s else ""
        rows_xml += f'<row r="{i}">{cell_xml(f"A{i}", desc, sst)}<c r="B{i}"{sattr}><v>{v}</v></c></row>'
        cells.append([desc, text])
    parts = package([("Sheet1", worksheet(rows_xml))], sst.xml(),
                    styles_xml([(164, "yyyy/mm/dd"), (165, "yyyy/mm/dd hh:mm")], [14, 164, 165, 20]),
                    workbook_pr='<workbookPr date1904="1"/>')
    save("dates_1904", parts, expected(
        "dates_1904", "The 1904 date system (<workbookPr date1904=\"1\"/>, as old Mac Excel wrote): serial 0 is "
        "1904-01-01 and every serial is 1462 days after the same serial in the 1900 system; times are unaffected.",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, [], date_system="1904"))

    # numbers_bools (by hand: lexical forms of numbers, t="b", t="e") --------------------------------------------
    sst = SharedStrings()
    lines = [  # (description, cell xml body after <c r=..>, expected text, finding)
        ("整数", '><v>42</v>', "42", None),
        ("負の数", '><v>-273.15</v>', "-273.15", None),
        ("0.1", '><v>0.1</v>', "0.1", None),
        ("1e-7 (指数表記 e)", '><v>1e-7</v>', "0.0000001", None),
        ("1E-07 (指数表記 E)", '><v>1E-07</v>', "0.0000001", None),
        ("139.123456789", '><v>139.123456789</v>', "139.123456789", None),
        ("大きな整数 1234567890123", '><v>1234567890123</v>', "1234567890123", None),
        ("1.0 (整数値)", '><v>1.0</v>', "1", None),
        ("1.5E+20", '><v>1.5E+20</v>', "150000000000000000000", None),
        ('t="n" 明示', ' t="n"><v>34.866918</v>', "34.866918", None),
        ("真 (t=\"b\")", ' t="b"><v>1</v>', "TRUE", None),
        ("偽 (t=\"b\")", ' t="b"><v>0</v>', "FALSE", None),
        ("#N/A (t=\"e\")", ' t="e"><v>#N/A</v>', "#N/A", "workbook.errorValue"),
        ("#DIV/0! (t=\"e\")", ' t="e"><v>#DIV/0!</v>', "#DIV/0!", "workbook.errorValue"),
        ("#VALUE! (t=\"e\")", ' t="e"><v>#VALUE!</v>', "#VALUE!", "workbook.errorValue"),
        ("値なしの書式付きセル", ' s="0"/>', "", None),
    ]
    rows_xml = f'<row r="1">{cell_xml("A1", "説明", sst)}{cell_xml("B1", "値", sst)}</row>'
    cells, findings = [["説明", "値"]], []
    for i, (desc, body, text, code) in enumerate(lines, start=2):
        if body.endswith("/>"):
            c = f'<c r="B{i}"{body}'
        else:
            c = f'<c r="B{i}"{body}</c>'
        rows_xml += f'<row r="{i}">{cell_xml(f"A{i}", desc, sst)}{c}</row>'
        cells.append([desc, text])
        if code:
            findings.append(finding(code, f"Sheet1!B{i}", "warning", f"error value {text} kept as its text"))
    save("numbers_bools", package([("Sheet1", worksheet(rows_xml))], sst.xml(), styles_xml()), expected(
        "numbers_bools", "Numbers in several lexical forms of xsd:double (exponents e/E, 1.0, a 13-digit integer), "
        "booleans t=\"b\" and error values t=\"e\"; an empty styled cell.",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, findings))

    # formula_cached (by hand) ----------------------------------------------------------------------------------
    sst = SharedStrings()
    lines = [  # (description, cell xml, expected text, finding)
        ("数値の結果", '<c r="B2"><f>20*2+2</f><v>42</v></c>', "42", None),
        ("文字列の結果 t=\"str\"", '<c r="B3" t="str"><f>CONCATENATE("焼津","市")</f><v>焼津市</v></c>', "焼津市", None),
        ("真偽値の結果 t=\"b\"", '<c r="B4" t="b"><f>1=1</f><v>1</v></c>', "TRUE", None),
        ("エラーの結果 t=\"e\"", '<c r="B5" t="e"><f>1/0</f><v>#DIV/0!</v></c>', "#DIV/0!", "workbook.errorValue"),
        ("共有数式 (先頭)", '<c r="B6"><f t="shared" ref="B6:B7" si="0">ROW()*10</f><v>60</v></c>', "60", None),
        ("共有数式 (従属)", '<c r="B7"><f t="shared" si="0"/><v>70</v></c>', "70", None),
        ("小数の結果", '<c r="B8"><f>ROUND(34.8669184,6)</f><v>34.866918</v></c>', "34.866918", None),
        ("キャッシュ値なし", '<c r="B9"><f>B2+1</f></c>', "", "workbook.formulaWithoutValue"),
    ]
    rows_xml = f'<row r="1">{cell_xml("A1", "説明", sst)}{cell_xml("B1", "値", sst)}</row>'
    cells, findings = [["説明", "値"]], []
    for i, (desc, c, text, code) in enumerate(lines, start=2):
        rows_xml += f'<row r="{i}">{cell_xml(f"A{i}", desc, sst)}{c}</row>'
        cells.append([desc, text])
        if code == "workbook.errorValue":
            findings.append(finding(code, f"Sheet1!B{i}", "warning", "the formula's cached result is an error value"))
        elif code:
            findings.append(finding(code, f"Sheet1!B{i}", "warning",
                                    "formula without a cached value (never recalculated): the cell is empty"))
    save("formula_cached", package([("Sheet1", worksheet(rows_xml))], sst.xml(), styles_xml()), expected(
        "formula_cached", "Formula cells: the reader uses the cached <v> (never evaluates <f>); t=\"str\" string "
        "results, boolean and error results, a shared formula, and a formula with no cached value.",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, findings))

    # inline_strings (by hand: AED table, every string inline) --------------------------------------------------
    rows = [header] + data[:3]
    rows_xml = ""
    for i, row in enumerate(rows, start=1):
        cs = "".join(cell_xml(ref(i, j), typed(text)) for j, text in enumerate(row, start=1))
        rows_xml += f'<row r="{i}">{cs}</row>'
    # a rich inline string (runs) in 設置位置 of the last row, and a <t> with preserved spaces in 備考
    last = len(rows) + 1
    rich = ('<c r="K{0}" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>１階</t></r>'
            '<r><rPr><sz val="11"/></rPr><t xml:space="preserve"> 受付横</t></r></is></c>').format(last)
    row = list(data[3])
    assert row[11], "電話番号 of the 4th record (the rich cell goes before it)"
    row[10] = "１階 受付横"
    cs = "".join(cell_xml(ref(last, j), typed(text)) for j, text in enumerate(row, start=1) if j != 11)
    cs = cs.replace(f'<c r="L{last}"', rich + f'<c r="L{last}"', 1)
    rows_xml += f'<row r="{last}">{cs}</row>'
    rows.append(row)
    cells = pad(rows)
    save("inline_strings", package([("Sheet1", worksheet(rows_xml))], None, styles_xml()), expected(
        "inline_strings", "Every string is an inline string (t=\"inlineStr\" <is><t>), as many non-Excel writers "
        "produce; no sharedStrings part. One is rich text made of runs (<is><r><t>…</t></r><r><t xml:space=\"preserve\">"
        " …</t></r></is>) whose texts are joined.",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, []))

    # shared_strings_rich (by hand) ------------------------------------------------------------------------------
    sst = SharedStrings()
    lines = [  # (description, <si> xml, expected text)
        ("単純", "<si><t>焼津市</t></si>", "焼津市"),
        ("書式付きの runs", '<si><r><t>市役所</t></r><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/>'
         '<rFont val="游ゴシック"/></rPr><t>本館</t></r></si>', "市役所本館"),
        ("ふりがな rPh (含めない)", '<si><t>焼津市役所</t><rPh sb="0" eb="3"><t>ヤイヅシ</t></rPh>'
         '<rPh sb="3" eb="5"><t>ヤクショ</t></rPh><phoneticPr fontId="1"/></si>', "焼津市役所"),
        ("runs と rPh", '<si><r><t>大井川</t></r><r><rPr><sz val="11"/></rPr><t>庁舎</t></r>'
         '<rPh sb="0" eb="3"><t>オオイガワ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>', "大井川庁舎"),
        ("前後の空白 xml:space=\"preserve\"", '<si><t xml:space="preserve">  ２階正面入口 </t></si>', "  ２階正面入口 "),
        ("全角空白", '<si><t>本館\u3000１階</t></si>', "本館\u3000１階"),
        ("セル内改行 (LF)", '<si><t xml:space="preserve">１階\n受付横</t></si>', "１階\n受付横"),
        ("CR のエスケープ x000D", '<si><t xml:space="preserve">１階_x000D_\n受付横</t></si>', "１階\r\n受付横"),
        ("下線のエスケープ x005F", '<si><t>_x005F_x000D_</t></si>', "_x000D_"),
        ("XML 文字参照", '<si><t>A&amp;B &lt;C&gt; &#x2460;</t></si>', "A&B <C> ①"),
        ("空の文字列", "<si><t/></si>", ""),
        ("サロゲートペア", "<si><t>𠮷野家</t></si>", "𠮷野家"),
    ]
    rows_xml = ""
    cells = [["説明", "値"]]
    head = [sst.add("説明"), sst.add("値")]
    rows_xml += f'<row r="1"><c r="A1" t="s"><v>{head[0]}</v></c><c r="B1" t="s"><v>{head[1]}</v></c></row>'
    for i, (desc, si, text) in enumerate(lines, start=2):
        k = sst.add_raw(si)
        rows_xml += f'<row r="{i}">{cell_xml(f"A{i}", desc, sst)}<c r="B{i}" t="s"><v>{k}</v></c></row>'
        cells.append([desc, text])
    save("shared_strings_rich", package([("Sheet1", worksheet(rows_xml))], sst.xml(), styles_xml()), expected(
        "shared_strings_rich", "Shared strings: rich-text runs (joined), phonetic <rPh> runs (ふりがな, left out) "
        "with <phoneticPr>, leading/trailing and full-width spaces kept (xml:space=\"preserve\"), line breaks, "
        "Excel's _xHHHH_ escapes (_x000D_ is a CR; _x005F_ an underscore), character references, an empty <t/>, "
        "a character outside the BMP. Cell text is exactly as stored; trimming is the normaliser's job.",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, []))

    # sheet_choice -----------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "表紙"
    cover["A1"] = "焼津市 AED設置箇所一覧"
    cover["A1"].font = Font(bold=True, size=16)
    cover["A3"] = "出典：焼津市オープンデータ"
    cover["A4"] = "2024年4月1日現在"
    ws = wb.create_sheet("AED一覧")
    rows = [header] + data[:8]
    grid = grid_from_rows(rows)
    openpyxl_sheet(ws, grid)
    notes = wb.create_sheet("注記")
    notes["A1"] = "注記"
    notes["A2"] = "※設置位置は変更になる場合があります。"
    cells = rendered(grid)
    save("sheet_choice", wb, expected(
        "sheet_choice", "Three sheets: a cover sheet first (the active one), the AED table on the 2nd sheet named "
        "AED一覧, notes on the 3rd. The reader picks the sheet whose header is a recognised dataset (or the one named "
        "with a sheet option), not simply the first.",
        "AED一覧", cells, {"header_row": 1, "rows": cells}, [], sheets=["表紙", "AED一覧", "注記"]),
        lo_sheet=2)

    # sparse_cells (by hand) -------------------------------------------------------------------------------------
    extra_header = ["管理番号", "点検日", "バッテリー期限", "パッド期限", "設置業者", "メモ"]  # W..AB
    extras = {  # data row index → {column: text}
        0: {23: "AED-001", 27: "株式会社サンプル"},
        1: {28: "2台目"},
        3: {24: "2024-03-01", 25: "2026-03", 26: "2025-09"},
        5: {27: "株式会社サンプル", 28: "屋外ボックス"},
    }
    sst = SharedStrings()
    full = [header + extra_header]
    for k, row in enumerate(data[:8]):
        line = list(row) + [""] * 6
        for c, text in extras.get(k, {}).items():
            line[c - 1] = text
        full.append(line)
    rows_xml = ""
    for i, line in enumerate(full, start=1):
        omit_row_r = i in (3, 4, 7)  # rows without r (their number follows the previous row)
        present = [(c, typed(t)) for c, t in enumerate(line, start=1) if typed(t) is not None]
        cs, prev = "", 0
        for c, v in present:
            # cells without r where they directly follow the previous cell (row 2, 5 and 9 everywhere they can)
            no_r = c == prev + 1 and i in (2, 5, 9)
            cs += cell_xml(None if no_r else ref(i, c), v, sst)
            prev = c
        spans = f' spans="1:{len(line)}"' if i == 1 else ""
        rows_xml += f"<row{'' if omit_row_r else f' r={chr(34)}{i}{chr(34)}'}{spans}>{cs}</row>"
    cells = pad(full)
    save("sparse_cells", package([("Sheet1", worksheet(rows_xml, before=f'<dimension ref="A1:AB{len(full)}"/>'))],
                                 sst.xml(), styles_xml()), expected(
        "sparse_cells", "Cells addressed sparsely: empty cells simply absent (r attributes skip columns), rows "
        "3, 4 and 7 without an r attribute (each is the previous row + 1), cells without r in rows 2, 5 and 9 where "
        "they follow the previous cell (each is the previous column + 1), and six extra columns W..AB beyond Z "
        "(AA, AB). Missing cells render as \"\".",
        "Sheet1", cells, {"header_row": 1, "rows": cells}, []))

    # title_rows -------------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:8]
    grid = {(1, 1): "焼津市AED設置箇所一覧", (2, 1): "2024年4月1日現在"}
    grid.update(grid_from_rows(rows, top=3))
    openpyxl_sheet(ws, grid)
    ws["A1"].font = Font(bold=True, size=14)
    table = pad(rows)
    save("title_rows", wb, expected(
        "title_rows", "A title (row 1) and a date line (row 2) above the header; the header is row 3.",
        "Sheet1", rendered(grid), {"header_row": 3, "rows": table},
        [finding("workbook.titleRows", "Sheet1!1:2", "info", "rows above the header skipped (title, 2024年4月1日現在)")]))

    # merged_cells -----------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:8]
    grid = {(1, 1): "焼津市AED設置箇所一覧"}
    grid.update(grid_from_rows(rows, top=2))
    del grid[(4, 5)]  # E4 (名称 of the 2nd record) is covered by the merge E3:E4 (both records are 市役所本館)
    assert data[0][4] == data[1][4] == "市役所本館"
    openpyxl_sheet(ws, grid)
    ws.merge_cells("A1:V1")
    ws.merge_cells("E3:E4")
    table = pad(rows)
    save("merged_cells", wb, expected(
        "merged_cells", "A title merged across A1:V1 above the header (row 2), and a merged data cell E3:E4: two AEDs "
        "in the same building (市役所本館) share one 名称 cell. Only the top-left cell of a merge holds a value; the "
        "table fills the value into every cell the merge covers.",
        "Sheet1", rendered(grid), {"header_row": 2, "rows": table},
        [finding("workbook.titleRows", "Sheet1!1:1", "info", "row above the header skipped (title)"),
         finding("workbook.mergedCells", "Sheet1!A1:V1", "warning", "merged cells (title)"),
         finding("workbook.mergedCells", "Sheet1!E3:E4", "warning", "merged cells: value of E3 used for E4")]))

    # hidden_rows_cols -------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:8]
    grid = grid_from_rows(rows)
    openpyxl_sheet(ws, grid)
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["H"].hidden = True
    ws.column_dimensions["N"].hidden = True
    cells = rendered(grid)
    save("hidden_rows_cols", wb, expected(
        "hidden_rows_cols", "Row 5 and columns H (方書) and N (法人番号) hidden. Hidden rows and columns are data: the "
        "table keeps them, and each is reported.",
        "Sheet1", cells, {"header_row": 1, "rows": cells},
        [finding("workbook.hiddenRow", "Sheet1!5:5", "warning", "hidden row read like the others"),
         finding("workbook.hiddenColumn", "Sheet1!H:H", "warning", "hidden column read like the others"),
         finding("workbook.hiddenColumn", "Sheet1!N:N", "warning", "hidden column read like the others")]))

    # blank_spacer -----------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:7]
    spaced = [r[:4] + [""] + r[4:] for r in rows]   # blank spacer column E between 市区町村名 and 名称
    spaced.insert(4, [""] * len(spaced[0]))         # blank row 5 between data rows 4 and 6
    grid = grid_from_rows(spaced)
    openpyxl_sheet(ws, grid)
    ws.column_dimensions["E"].width = 2
    save("blank_spacer", wb, expected(
        "blank_spacer", "A blank row (row 5) between data rows and a blank spacer column (E, also empty in the "
        "header) between 市区町村名 and 名称. The table leaves both out.",
        "Sheet1", rendered(grid), {"header_row": 1, "rows": pad(rows)},
        [finding("workbook.blankRow", "Sheet1!5:5", "info", "blank row skipped"),
         finding("workbook.blankColumn", "Sheet1!E:E", "info", "blank column (no header, no values) skipped")]))

    # two_tables -------------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:5]
    second = [["名称", "設置位置", "撤去日"],
              [data[5][4], data[5][10], "2023-03-31"],
              [data[6][4], data[6][10], "2023-09-30"]]
    grid = grid_from_rows(rows)
    grid[(9, 1)] = "撤去済みAED"
    grid.update(grid_from_rows(second, top=10))
    openpyxl_sheet(ws, grid)
    save("two_tables", wb, expected(
        "two_tables", "Two tables on one sheet: the AED table (rows 1–6), two blank rows, then a caption (row 9) and a "
        "second, different table (撤去済みAED, rows 10–12, 3 columns). The table is the first one; the second is "
        "reported, not appended.",
        "Sheet1", rendered(grid), {"header_row": 1, "rows": pad(rows)},
        [finding("workbook.blankRow", "Sheet1!7:8", "info", "blank rows end the table"),
         finding("workbook.otherTable", "Sheet1!9:12", "warning",
                 "a second table after blank rows: not read as records (one finding per row is as good)")]))

    # numbers_as_text --------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [header] + data[:8]
    grid = grid_from_rows(rows, as_text=True)
    openpyxl_sheet(ws, grid)
    for (r, c) in grid:
        ws.cell(row=r, column=c).number_format = "@"
    cells = rendered(grid)
    assert cells == pad(rows)
    c_lat, c_lon = header.index("緯度") + 1, header.index("経度") + 1
    save("numbers_as_text", wb, expected(
        "numbers_as_text", "Every cell stored as a string (Text format @), numeric columns too: 都道府県コード又は市区町村"
        "コード 222127, NO 0000000001, 緯度/経度 34.866918. Read exactly as stored (text is never turned into a "
        "number); the numbers in number columns (緯度, 経度) are reported as stored as text. Codes and NO are not "
        "numbers (their leading zeros matter).",
        "Sheet1", cells, {"header_row": 1, "rows": cells},
        [finding("workbook.numberAsText", f"Sheet1!{ref(r, c)}", "warning", "a number stored as text")
         for r in range(2, len(rows) + 1) for c in (c_lat, c_lon) if rows[r - 1][c - 1]]))

    # notes_in_cells ---------------------------------------------------------------------------------------------
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [list(header)] + [list(r) for r in data[:8]]
    c_lat, c_days, c_phone = header.index("緯度") + 1, header.index("利用可能曜日") + 1, header.index("電話番号") + 1
    rows[1][c_lat - 1] = rows[1][c_lat - 1] + "(参考値)"
    rows[3][c_days - 1] = "※休館中"
    rows[4][c_phone - 1] = "※休館中"
    grid = grid_from_rows(rows)
    openpyxl_sheet(ws, grid)
    cells = rendered(grid)
    save("notes_in_cells", wb, expected(
        "notes_in_cells", "Notes written into value cells, as people do in Excel: 緯度 34.866918(参考値) (row 2), "
        "利用可能曜日 ※休館中 (row 4), 電話番号 ※休館中 (row 5). The reader renders them as text; the checks that "
        "follow report them exactly as for the same CSV (codes from `civic validate` of the CSV).",
        "Sheet1", cells, {"header_row": 1, "rows": cells},
        [finding("coordinate.notNumber", f"Sheet1!{ref(2, c_lat)}", "error", "緯度 with a note: not a number"),
         finding("weekdays.invalid", f"Sheet1!{ref(4, c_days)}", "warning", "利用可能曜日 holds a note"),
         finding("phone.implausible", f"Sheet1!{ref(5, c_phone)}", "warning", "電話番号 holds a note")],
        findings_are="at least these (the same rows also give the fixes the CSV gives, e.g. phone.format)"))
    return made


def check_features(out: str, made: dict, lo: "LibreOffice | None") -> list[str]:
    """Reads every feature workbook back with the reference reader above (non-date cells must equal the sidecar) and,
    with LibreOffice, converts each to CSV and compares it with the sidecar (display-only differences listed)."""
    notes: list[str] = []
    date_fixtures = {"dates_1900", "dates_1904"}
    for name, (exp, lo_sheet) in sorted(made.items()):
        path = os.path.join(out, "features", name + ".xlsx")
        sheets = read_xlsx_raw(path)
        got = grid_of(sheets[exp["sheet"]])
        want = exp["cells"]
        if name in date_fixtures:  # the reference reader does not render dates: compare column A only
            ok = [row[:1] for row in got] == [row[:1] for row in want]
        else:
            ok = got == want
        if not ok:
            raise AssertionError(f"{name}: reference reader disagrees with the sidecar:\n{got}\n{want}")
        if lo is None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            lo_rows = pad(lo.xlsx_to_csv(path, tmp, lo_sheet))
        diffs = []
        for r, row in enumerate(pad(want), start=1):
            for c, text in enumerate(row, start=1):
                shown = lo_rows[r - 1][c - 1] if r <= len(lo_rows) and c <= len(lo_rows[r - 1]) else ""
                if shown != text:
                    diffs.append(f"{ref(r, c)} sidecar {text!r} LibreOffice {shown!r}")
        extra = [r for r in lo_rows[len(want):] if any(r)]
        if extra:
            diffs.append(f"LibreOffice has {len(extra)} more non-empty rows")
        notes.append(f"{name}: LibreOffice {lo.version} opened it; " + (
            f"{len(diffs)} display differences: " + "; ".join(diffs) if diffs else "its CSV equals the sidecar cells"))
    return notes


# -------------------------------------------------------------------------------------------------------- hostile

def make_hostile(out: str, realdata_xlsx: str) -> None:
    hdir = os.path.join(out, "hostile")
    os.makedirs(hdir, exist_ok=True)
    header, data = aed()
    simple_rows = "".join(
        f'<row r="{i}">' + "".join(cell_xml(ref(i, j), typed(t)) for j, t in enumerate(row, start=1)) + "</row>"
        for i, row in enumerate([header] + data[:3], start=1))
    good = package([("Sheet1", worksheet(simple_rows))], None, styles_xml())

    # not_a_zip: the real CSV renamed
    shutil.copyfile(os.path.join(REALDATA, "yaizu-222127__222127_aed.csv"), os.path.join(hdir, "not_a_zip.xlsx"))

    # truncated: a valid workbook (openpyxl's yaizu AED) cut in half — no end of central directory
    data_bytes = open(realdata_xlsx, "rb").read()
    with open(os.path.join(hdir, "truncated.xlsx"), "wb") as f:
        f.write(data_bytes[: len(data_bytes) // 2])

    # zip_bomb_ratio: honest headers, sheet1.xml inflates to 200 MiB of <row/> (compression ratio ~1000:1)
    bomb_size = 200 * 1024 * 1024
    head = XML_DECL.encode() + f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    unit = b"<row/>"
    body_len = bomb_size - len(head) - len(tail)
    path = os.path.join(hdir, "zip_bomb_ratio.xlsx")
    with zipfile.ZipFile(path, "w") as z:
        for name, part in good:
            if name == "xl/worksheets/sheet1.xml":
                info = zipfile.ZipInfo(name, date_time=FIXED)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                info.file_size = bomb_size
                with z.open(info, "w", force_zip64=False) as w:
                    w.write(head)
                    units, spaces = divmod(body_len, len(unit))
                    chunk = unit * 100_000
                    for _ in range(units // 100_000):
                        w.write(chunk)
                    w.write(unit * (units % 100_000) + b" " * spaces)
                    w.write(tail)
            else:
                info = zipfile.ZipInfo(name, date_time=FIXED)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                z.writestr(info, part)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == bomb_size

    # zip_bomb_lying_header: the headers claim sheet1.xml is 4,096 bytes; its deflate stream inflates to 100 MiB
    lie_size = 100 * 1024 * 1024
    claimed = 4096
    body = head + unit * ((lie_size - len(head) - len(tail)) // len(unit)) + tail
    body += b" " * (lie_size - len(body))
    parts = [(n, body if n == "xl/worksheets/sheet1.xml" else p) for n, p in good]
    path = os.path.join(hdir, "zip_bomb_lying_header.xlsx")
    write_zip(path, parts, compresslevel=9)
    b = bytearray(open(path, "rb").read())
    target = b"xl/worksheets/sheet1.xml"
    eocd = b.rfind(b"PK\x05\x06")
    count = struct.unpack_from("<H", b, eocd + 10)[0]
    p = struct.unpack_from("<I", b, eocd + 16)[0]
    patched = 0
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", b, p + 28)
        if bytes(b[p + 46:p + 46 + name_len]) == target:
            assert struct.unpack_from("<I", b, p + 24)[0] == lie_size
            struct.pack_into("<I", b, p + 24, claimed)             # central: uncompressed size
            local = struct.unpack_from("<I", b, p + 42)[0]
            assert struct.unpack_from("<I", b, local + 22)[0] == lie_size
            struct.pack_into("<I", b, local + 22, claimed)         # local: uncompressed size
            patched += 1
        p += 46 + name_len + extra_len + comment_len
    assert patched == 1
    open(path, "wb").write(bytes(b))

    # missing_workbook: content types and _rels/.rels name xl/workbook.xml, which is absent
    write_zip(os.path.join(hdir, "missing_workbook.xlsx"), [(n, p) for n, p in good if n != "xl/workbook.xml"])

    # missing_sheet: workbook.xml names sheet rId1 → worksheets/sheet1.xml, which is absent
    write_zip(os.path.join(hdir, "missing_sheet.xlsx"), [(n, p) for n, p in good if n != "xl/worksheets/sheet1.xml"])

    # huge_shared_strings: count/uniqueCount claim 2,000,000,000; 1,000,000 tiny <si> really there
    n = 1_000_000
    sst = (XML_DECL + f'<sst xmlns="{MAIN_NS}" count="2000000000" uniqueCount="2000000000">').encode() + b"".join(
        b"<si><t>%d</t></si>" % (i % 1000) for i in range(n)) + b"</sst>"
    rows_xml = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>999999</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>1999999999</v></c></row>')
    parts = package([("Sheet1", worksheet(rows_xml))], "", styles_xml())
    parts = [(nm, sst if nm == "xl/sharedStrings.xml" else p) for nm, p in parts]
    write_zip(os.path.join(hdir, "huge_shared_strings.xlsx"), parts, compresslevel=9)

    # malformed_xml: an unclosed tag in sheet1.xml
    bad = worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row><row r="2"><c r="A2"><v>1</v>')
    write_zip(os.path.join(hdir, "malformed_xml.xlsx"),
              [(n, bad.encode() if n == "xl/worksheets/sheet1.xml" else p) for n, p in good])

    # xxe_external: an external entity in sheet1.xml
    xxe = (XML_DECL.replace(' standalone="yes"', "") + '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
           f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
           '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
    write_zip(os.path.join(hdir, "xxe_external.xlsx"),
              [(n, xxe.encode() if n == "xl/worksheets/sheet1.xml" else p) for n, p in good])

    # billion_laughs: nested internal entities in sharedStrings.xml (10^9 "lol" if expanded)
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    laughs = (XML_DECL.replace(' standalone="yes"', "") + f"<!DOCTYPE sst [{ents}]>\n"
              f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    rows_xml = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    parts = package([("Sheet1", worksheet(rows_xml))], laughs, styles_xml())
    write_zip(os.path.join(hdir, "billion_laughs.xlsx"), parts)

    # endless_deflate: sheet1.xml, the last entry, is a deflate stream that never ends (one non-final stored block
    # whose LEN runs past the end of the file), declared as 1,000,000 bytes: inflating it runs into the central
    # directory and then the end of the file. (ZIPFoundation's inflate loop does not stop at the entry's end.)
    sheet = dict(good)["xl/worksheets/sheet1.xml"]
    endless = b"\x00" + struct.pack("<HH", 0xFFFF, 0x0000) + sheet[:200]
    path = os.path.join(hdir, "endless_deflate.xlsx")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in [(n, p) for n, p in good if n != "xl/worksheets/sheet1.xml"] + [("xl/worksheets/sheet1.xml", endless)]:
            info = zipfile.ZipInfo(n, date_time=FIXED)
            # The crafted stream is stored as is; its headers are then patched to say "deflate, 1,000,000 bytes".
            info.compress_type = zipfile.ZIP_STORED if n == "xl/worksheets/sheet1.xml" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, data)
    raw = bytearray(open(path, "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    for signature, method_at, size_at, name_at in ((b"PK\x03\x04", 8, 22, 30), (b"PK\x01\x02", 10, 24, 46)):
        at = raw.find(signature)
        while at >= 0:
            length = struct.unpack("<H", raw[at + name_at - (4 if signature == b"PK\x03\x04" else 18):][:2])[0]
            if raw[at + name_at:at + name_at + length] == name:
                raw[at + method_at:at + method_at + 2] = struct.pack("<H", 8)
                raw[at + size_at:at + size_at + 4] = struct.pack("<I", 1_000_000)
            at = raw.find(signature, at + 4)
    with open(path, "wb") as f:
        f.write(raw)


# ------------------------------------------------------------------------------------------------------------ docs

def write_sources(out: str, lo_version: str, openpyxl_version: str) -> None:
    manifest = json.load(open(os.path.join(out, "realdata", "manifest.json"), encoding="utf-8"))["files"]
    diff_lines = []
    for e in manifest:
        if e["file"].startswith("libreoffice/"):
            by_column = {}
            for d in e["differing_cells"]:
                key = re.sub(r"[0-9]+$", "", d["cell"].split("!")[1]) + (f" ({d['column']})" if d["column"] else "")
                by_column.setdefault(key, []).append(f"{d['csv']} → {d['stored']}")
            text = "; ".join(f"{k}: {len(v)} (e.g. {v[0]})" for k, v in by_column.items()) or "none"
            diff_lines.append(f"  - {e['source_csv']}: {text}")
    text = open(os.path.join(REALDATA, "SOURCES.md"), encoding="utf-8").read()
    blocks = {}
    for block in re.split(r"\n(?=## )", text):
        m = re.match(r"## (\S+)", block)
        if m:
            blocks[m.group(1)] = block
    lines = [
        "# Sources of the xlsx fixtures",
        "",
        "Made by `tools/make_xlsx_fixtures.py` (run it again to remake them; the command is at its top).",
        "",
        "## realdata/",
        "",
        "Real municipal CSV files from `Tests/CivicDataTests/Fixtures/realdata/` (byte-for-byte copies of what the",
        "cities published; attribution: 出典：焼津市 / 高松市 / 市川市 / 狛江市 open data), decoded (UTF-8 with or without",
        "BOM, else CP932) and written as .xlsx with the same base name by two real producers:",
        "",
        f"- `realdata/openpyxl/`: openpyxl {openpyxl_version} (PyPI), one sheet `Sheet1`, CSV row n = sheet row n",
        "  (header in row 1). Every cell is a string except unambiguous numbers: text matching",
        "  `^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$` whose Python str() of the int/float is exactly the same text (so `035`,",
        "  `1.50`, `138.3231710`, `054-…` stay strings); integers of 2^53 or more stay strings. Empty CSV cells have no",
        "  cell. Dates and times stay text. Core properties dated 2024-04-01 and zip timestamps fixed. openpyxl 3.1",
        "  writes every string as an inline string (`t=\"inlineStr\"`, no sharedStrings part) and plain zip headers.",
        f"- `realdata/libreoffice/`: LibreOffice {lo_version} (Debian 12 `libreoffice-calc-nogui`), headless:",
        "  the decoded CSV written as UTF-8 without BOM, then",
        f"  `soffice --headless --infilter=\"{LO_INFILTER.format(columns='')}\" --convert-to \"{LO_OUTFILTER}\"`",
        "  (UTF-8, Japanese, quoted fields as text, detect special numbers off). LibreOffice still turns every plain",
        "  decimal into a number, so leading and trailing zeros are lost; `realdata/manifest.json` lists every such cell.",
        "  The only change to LibreOffice's bytes: the zip headers' timestamps are set to 2024-04-01. LibreOffice",
        "  writes shared strings (`xl/sharedStrings.xml`) and zip entries with data descriptors (flag bit 3) and",
        "  UTF-8 names (bit 11). Cells whose stored value is not the CSV text:",
        *diff_lines,
        "- `realdata/libreoffice-textcols/`: the same, with the columns that had such cells typed as Text through the",
        "  column-format token (e.g. `2/2` = column 2 as Text); `manifest.json` gives the token and the columns.",
        "",
        "Sources and licences of the CSV files (copied from `Tests/CivicDataTests/Fixtures/realdata/SOURCES.md`):",
        "",
    ]
    for name in SOURCES:
        block = blocks[name].strip().splitlines()
        lines.append(block[0].replace("## ", "### "))
        lines += [l for l in block[1:] if l.startswith(("- municipality", "- source", "- licence"))]
        lines.append("")
    lines += [
        "## features/ and hostile/",
        "",
        "Made for these tests. Hand-written OOXML parts (zipped by Python's zipfile with fixed timestamps) where openpyxl",
        "cannot produce the feature; openpyxl for the rest. The AED rows in them are the first rows of",
        "`yaizu-222127__222127_aed.csv` (静岡県焼津市 AED設置箇所一覧; repo `yaizu-city/opendata`; 公共データ利用規約",
        "（第1.0版）(PDL1.0) / CC BY 4.0; 出典：焼津市). `hostile/not_a_zip.xlsx` is that CSV file itself, renamed.",
        "See `features/README.md` and `hostile/README.md`.",
        "",
    ]
    with open(os.path.join(out, "SOURCES.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


FEATURES_README = """# Feature workbooks

One feature each. `<name>.xlsx` and `<name>.expected.json`:

| key | meaning |
|---|---|
| `sheet` | the sheet a reader should read (`sheets`: all sheet names, when there are several) |
| `cells` | that sheet as rendered text, rows 1 … last non-empty row, columns A … last used column; `""` = no cell (or an empty one). Merged areas: only the top-left cell has the value |
| `table` | what the reader should yield as records: `header_row` (1-based sheet row) and `rows` (header first, then every record, as text; blank rows/columns left out, merged values filled in) |
| `findings` | each finding the reader (or, for `notes_in_cells`, the checks after it) should report: `code`, `cell` (`Sheet!B12`, a range `Sheet!A1:V1`, whole rows `Sheet!5:5` or columns `Sheet!H:H`), `severity`, `note`. Every code is one of `Sources/CivicData/Validation/FindingCode.swift` |
| `proposed_findings` | the same, with codes that file does not have: `workbook.blankRow` (a blank row skipped inside or after the table) and `workbook.nonexistentDate` (serial 60 = 1900-02-29). Suggestions, not requirements |
| `date_system` | `1900` or `1904` where it matters |

## Rendering rules the sidecars follow

- Strings (shared, inline, `t="str"` formula results): exactly as stored. Rich-text runs joined; phonetic runs
  (`<rPh>`) left out; `_xHHHH_` decoded (`_x000D_` = CR, `_x005F_` = `_`); no trimming (the normaliser trims and
  reports `cell.trimmed`).
- Numbers without a date/time format: the shortest decimal that reads back as the same double, positional (no
  exponent: `1e-7` → `0.0000001`, `1.5E+20` → `150000000000000000000`), no trailing `.0` (`1.0` → `1`). Other number
  formats (`0.00`, `#,##0`) are not applied: `1.5` with `0.00` → `1.5`.
- Numbers with a date/time format (builtin ids 14–22, 27–36, 45–47, 50–58, or a custom code with y/m/d/h/s outside
  quotes, brackets and escapes): date → `YYYY-MM-DD`; date and time → `YYYY-MM-DDThh:mm:ss`; time only → `hh:mm`
  (or `hh:mm:ss` when the format shows seconds); the time rounded to the nearest second. 1900 system: serial 1 =
  1900-01-01, 59 = 1900-02-28, 60 = 1900-02-29 (Excel's phantom day: rendered as Excel shows it, reported as
  `workbook.nonexistentDate`), 61 = 1900-03-01. 1904 system: serial 0 = 1904-01-01.
- A string in a date-formatted cell stays the string.
- Booleans: `TRUE` / `FALSE`. Errors: their text (`#N/A`), reported as `workbook.errorValue`.
- Formulas: the cached value (`<v>`), never evaluated; none cached → `""` and `workbook.formulaWithoutValue`.

## Table rules the sidecars follow

- The sheet: the one whose header is a recognised dataset (`sheet_choice`: the 2nd, `AED一覧`), not the first.
- Rows above the header (title, 作成日) are skipped → `workbook.titleRows`.
- Merged areas → `workbook.mergedCells` each; in the table the value fills every covered cell.
- Hidden rows/columns are kept → `workbook.hiddenRow` / `workbook.hiddenColumn`.
- A blank row inside the table is skipped → `workbook.blankRow`; a column with neither header nor values is dropped →
  `workbook.blankColumn`. Content after blank rows that starts another table is not appended → `workbook.otherTable`.
- Numbers stored as text in number columns (緯度, 経度, counts) → `workbook.numberAsText`; the text is kept as is.

## Checked

`tools/make_xlsx_fixtures.py` reads each workbook back with a small reference reader (non-date cells must equal
`cells`) and converts each with LibreOffice 7.4 to CSV: every file opens. LibreOffice's CSV shows cells as formatted
for display, so dates (2024/04/01 …), `0.00` and 1.5E+20 differ there by design; LibreOffice also recalculates the
formula that has no cached value (B9 = 43), drops the CR of `_x000D_`, and has no phantom 1900-02-29 (its serial 1
is 1899-12-31, so serials below 61 show one day earlier than in Excel).

| fixture | made with |
|---|---|
{made_with}
"""

HOSTILE_README = """# Hostile packages

Each must end in a clear error (or, where said, a correct read) that names the file and, where there is one, the
part (`xl/worksheets/sheet1.xml` …): no crash, no hang, no unbounded memory, no file read from outside the package.

| file | what | expected behaviour |
|---|---|---|
| `not_a_zip.xlsx` | a CSV file (焼津市 AED) renamed to .xlsx | "not an xlsx (zip) file"; a reader may suggest reading it as CSV, never read it as xlsx |
| `truncated.xlsx` | a valid workbook (realdata/openpyxl yaizu AED) cut to its first half: no central directory | "truncated or damaged zip (no end of central directory)" |
| `zip_bomb_ratio.xlsx` | honest headers; `xl/worksheets/sheet1.xml` inflates to 200 MiB (209,715,200 bytes) of `<row/>` (about 35 million empty rows) from {ratio_size} (ratio {ratio}:1) | refused by a size or ratio limit before inflating it all (name the part, the sizes, the limit); memory stays small either way (stream, never inflate the part into memory) |
| `zip_bomb_lying_header.xlsx` | local and central headers claim `sheet1.xml` is 4,096 bytes; its deflate stream ({lying_size}) inflates to 100 MiB (CRC is that of the 100 MiB) | stop at the declared size (never trust, never exceed it): "part larger than its header says" / CRC mismatch naming the part; never a buffer sized from the header that then overflows |
| `missing_workbook.xlsx` | no `xl/workbook.xml` (content types and `_rels/.rels` still point to it) | "xl/workbook.xml missing" |
| `missing_sheet.xlsx` | workbook names sheet `Sheet1` → `worksheets/sheet1.xml`, absent | error naming the sheet and `xl/worksheets/sheet1.xml` |
| `huge_shared_strings.xlsx` | `xl/sharedStrings.xml` says count = uniqueCount = 2,000,000,000; it really holds 1,000,000 `<si>` (`0` … `999`, repeated); the sheet refers to 0, 999999 and 1999999999 | never preallocate from the count attributes; either stop at a documented limit with an error naming the part, or read the 1,000,000 strings (A1 = `0`, B1 = `999`) and then fail clearly on A2's index 1999999999 (out of range, naming the cell) |
| `malformed_xml.xlsx` | `xl/worksheets/sheet1.xml` ends inside an unclosed `<row>`/`<c>` | XML error naming the part (and line/column if known) |
| `xxe_external.xlsx` | `sheet1.xml` has `<!DOCTYPE … [<!ENTITY e SYSTEM "file:///etc/passwd">]>` and `&e;` in A2 | refused (DTDs are not allowed in OOXML parts) or the entity left unexpanded; `/etc/passwd` is never read |
| `billion_laughs.xlsx` | `xl/sharedStrings.xml` with nested internal entities (`lol9` → 10^9 × "lol", 3 GB) | refused (DTD) quickly with small memory; never expanded |
| `endless_deflate.xlsx` | `sheet1.xml` (the last entry, declared 1,000,000 bytes) is a deflate stream that never ends: one non-final stored block whose length runs past the end of the file | a clear error (the inflated bytes run into the central directory, which is not XML), never a hang; ZIPFoundation's inflate loop itself does not stop at the entry's end |
"""


# ------------------------------------------------------------------------------------------------------------ main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "Tests", "CivicExcelTests", "Fixtures"))
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice steps")
    args = parser.parse_args()
    try:
        import openpyxl
    except ImportError:
        sys.exit("openpyxl is needed: python3 -m venv .venv-xlsx && .venv-xlsx/bin/pip install openpyxl, "
                 "then run this with .venv-xlsx/bin/python")
    out = os.path.abspath(args.out)
    lo = None if args.no_libreoffice else LibreOffice()
    notes: list[str] = []
    try:
        for sub in ("realdata/openpyxl", "features", "hostile") + (() if lo is None else
                                                                    ("realdata/libreoffice", "realdata/libreoffice-textcols")):
            shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
        make_realdata(out, lo)
        made = make_features(out)
        notes = check_features(out, made, lo)
        make_hostile(out, os.path.join(out, "realdata", "openpyxl", "yaizu-222127__222127_aed.xlsx"))
        lo_version = lo.version if lo else "?"
        if lo is None:
            for e in json.load(open(os.path.join(out, "realdata", "manifest.json"), encoding="utf-8"))["files"]:
                if e["producer"] == "LibreOffice":
                    lo_version = e["producer_version"]
        write_sources(out, lo_version, openpyxl.__version__)
        hand = {"dates_1904", "numbers_bools", "formula_cached", "inline_strings", "shared_strings_rich", "sparse_cells"}
        made_with = "\n".join(f"| `{n}` | {'OOXML parts by hand' if n in hand else f'openpyxl {openpyxl.__version__}'} |"
                              for n in sorted(made))
        with open(os.path.join(out, "features", "README.md"), "w", encoding="utf-8") as f:
            f.write(FEATURES_README.replace("{made_with}", made_with))
            if notes:
                f.write("\nLibreOffice's CSV of each, compared with `cells` (last run):\n\n" +
                        "".join(f"- {n}\n" for n in notes))
        with open(os.path.join(out, "hostile", "README.md"), "w", encoding="utf-8") as f:
            hostile = os.path.join(out, "hostile")
            with zipfile.ZipFile(os.path.join(hostile, "zip_bomb_ratio.xlsx")) as z:
                info = z.getinfo("xl/worksheets/sheet1.xml")
            with zipfile.ZipFile(os.path.join(hostile, "zip_bomb_lying_header.xlsx")) as z:
                lying = z.getinfo("xl/worksheets/sheet1.xml").compress_size
            f.write(HOSTILE_README.replace("{ratio_size}", f"{info.compress_size:,} bytes")
                    .replace("{ratio}", f"{info.file_size // info.compress_size:,}")
                    .replace("{lying_size}", f"{lying:,} bytes"))
    finally:
        if lo:
            lo.close()
    for note in notes:
        print(note)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    print(f"{out}: {sum(len(fs) for _, _, fs in os.walk(out))} files, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
