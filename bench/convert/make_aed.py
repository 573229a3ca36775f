#!/usr/bin/env python3
"""Makes an N-row AED file (default 1,000,000) from a real one: 焼津市 AED設置箇所一覧 (legacy 22-column layout,
UTF-8, CRLF; 出典：焼津市, PDL1.0). Rows are repeated in order with a unique NO and coordinates jittered by up to
±0.01° (deterministic seed), so every quirk of the real file — (054) phone numbers, full-width digits, the legacy
layout — is in every block of 82 rows."""
import csv
import io
import random
import sys

def main() -> None:
    seed_path, out_path = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    with open(seed_path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        seed = [row for row in reader if any(row)]
    no, lat, lon = header.index("NO"), header.index("緯度"), header.index("経度")
    rng = random.Random(20261122)
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        buffer = io.StringIO()
        for i in range(rows):
            row = list(seed[i % len(seed)])
            row[no] = f"{i + 1:010d}"
            if row[lat] and row[lon]:
                row[lat] = f"{float(row[lat]) + rng.uniform(-0.01, 0.01):.7f}"
                row[lon] = f"{float(row[lon]) + rng.uniform(-0.01, 0.01):.7f}"
            writer.writerow(row)

if __name__ == "__main__":
    main()
