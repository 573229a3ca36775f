#!/bin/sh
# Makes the legacy .xls (BIFF8) fixtures of Tests/CivicExcelTests/Fixtures/xls/ again:
#
#     tools/make_xls_fixtures.sh            # needs soffice (Debian 12: apt-get install libreoffice-calc-nogui)
#
# - real/: the genuine .xls of 宇部市 (copied from /work/shared/realdata, see SOURCES.md there), and the same
#   saved again as .xls by LibreOffice;
# - libreoffice/, features/: LibreOffice-made .xlsx of Fixtures/realdata (the ones whose cells are the CSV's, see
#   manifest.json) and some of Fixtures/features, saved again as .xls by LibreOffice headless ("MS Excel 97"
#   filter; LibreOffice 7.4.7.2 made the committed files), so that the .xls and the .xlsx hold the same cells;
# - biff/: more of Fixtures/features saved as .xls the same way (hidden rows and columns, merged cells, formulas with
#   cached values and errors, hidden sheets, rich shared strings, sparse cells): FreeXL cannot tell these, so only
#   Civic's own BIFF8 reader is tested on them, against xlrd (tools/make_xls_oracle.py);
# - hostile/: a truncated .xls (first 4,096 bytes of a good one), random bytes behind the OLE2 signature, and an
#   .xls named .csv.
set -eu
cd "$(dirname "$0")/.."
out=Tests/CivicExcelTests/Fixtures/xls
mkdir -p "$out/real" "$out/libreoffice" "$out/features" "$out/biff" "$out/hostile"
real=${REALDATA:-/work/shared/realdata}
if [ -f "$real/ube-352021__ube_cultural_property.xls" ]; then
    cp "$real/ube-352021__ube_cultural_property.xls" "$out/real/"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert() { # folder of .xlsx (or .xls) → folder of .xls
    soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to 'xls:MS Excel 97' --outdir "$2" "$1"/*.xls* >/dev/null
}
# FreeXL 1.0.6 gives no workbook for the genuine file; LibreOffice's re-save of it is read.
mkdir "$tmp/ube" "$tmp/ube-out"
cp "$out/real/ube-352021__ube_cultural_property.xls" "$tmp/ube/"
convert "$tmp/ube" "$tmp/ube-out"
mv "$tmp/ube-out/ube-352021__ube_cultural_property.xls" "$out/real/ube-352021__ube_cultural_property.resaved.xls"
cp Tests/CivicExcelTests/Fixtures/realdata/libreoffice-textcols/yaizu-222127__222127_aed.xlsx \
   Tests/CivicExcelTests/Fixtures/realdata/libreoffice/komae-132195__132195_aed.xlsx \
   Tests/CivicExcelTests/Fixtures/realdata/libreoffice/ichikawa-122033__122033_108_aed.xlsx "$tmp/"
mkdir "$tmp/real" && mv "$tmp"/*.xlsx "$tmp/real/"
convert "$tmp/real" "$out/libreoffice"
mkdir "$tmp/features"
for name in dates_1900 dates_1904 title_rows blank_spacer two_tables numbers_as_text numbers_bools; do
    cp "Tests/CivicExcelTests/Fixtures/features/$name.xlsx" "$tmp/features/"
done
convert "$tmp/features" "$out/features"
mkdir "$tmp/biff"
for name in hidden_rows_cols merged_cells formula_cached sheet_choice shared_strings_rich sparse_cells inline_strings; do
    cp "Tests/CivicExcelTests/Fixtures/features/$name.xlsx" "$tmp/biff/"
done
convert "$tmp/biff" "$out/biff"
good="$out/libreoffice/yaizu-222127__222127_aed.xls"
head -c 4096 "$good" > "$out/hostile/truncated.xls"
python3 -c 'import random, sys; random.seed(352021); sys.stdout.buffer.write(bytes.fromhex("D0CF11E0A1B11AE1") + random.randbytes(8184))' \
    > "$out/hostile/random_after_signature.xls"
cp "$good" "$out/hostile/xls_named.csv"
