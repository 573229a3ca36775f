#!/usr/bin/env python3
"""Makes the coordinate test fixtures from a real file (焼津市 AED, JGD2011 lat/lon; 出典：焼津市) with PROJ's own
command-line tools (Debian proj-bin 9.1.1), so the tests compare Civic with PROJ:

- yaizu_aed_plane.csv: 緯度/経度 replaced by JGD2011 平面直角座標系 VIII系 X座標/Y座標 (EPSG:6676, X = northing).
- yaizu_aed_plane_swapped.csv: the same with the two columns' values exchanged (X = easting), as some GIS exports do.
- yaizu_aed_tokyo.csv: 緯度/経度 moved to the Tokyo datum with the inverse of the GSI TKY2JGD grid, plus a
  測地系 column saying 日本測地系.
Usage: tools/make_geo_fixtures.py SOURCE.csv OUTDIR
"""
import csv
import io
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GRIDS = os.path.join(os.path.dirname(HERE), "grids")


def run(command: list[str], points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    text = "".join(f"{a:.10f} {b:.10f} 0 0\n" for a, b in points)
    out = subprocess.run(command, input=text, capture_output=True, text=True, check=True).stdout
    return [tuple(map(float, line.split()[:2])) for line in out.strip().splitlines()]


def main() -> None:
    source, outdir = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    lat, lon = header.index("緯度"), header.index("経度")
    points = [(float(r[lat]), float(r[lon])) for r in data]

    # cs2cs uses the authority axis order: 6668 lat lon → 6676 X (north) Y (east).
    plane = run(["cs2cs", "-f", "%.4f", "EPSG:6668", "EPSG:6676"], points)
    # cct takes lon lat; the inverse of the TKY2JGD grid shift takes JGD2000 (= JGD2011 outside Tōhoku) to Tokyo.
    tokyo_pipeline = (
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +inv +proj=hgridshift +grids={GRIDS}/TKY2JGD.tif +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    )
    lonlat = run(["cct", "-d", "10", *tokyo_pipeline.split()], [(b, a) for a, b in points])
    tokyo = [(t_lat, t_lon) for t_lon, t_lat in lonlat]

    def write(name: str, new_header: list[str], new_rows: list[list[str]]) -> None:
        with open(os.path.join(outdir, name), "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(new_header)
            writer.writerows(new_rows)

    keep = [i for i in range(len(header)) if i not in (lat, lon)]
    plane_header = [header[i] for i in keep] + ["X座標", "Y座標"]
    write("yaizu_aed_plane.csv", plane_header, [[r[i] for i in keep] + [f"{x:.4f}", f"{y:.4f}"] for r, (x, y) in zip(data, plane)])
    write("yaizu_aed_plane_swapped.csv", plane_header, [[r[i] for i in keep] + [f"{y:.4f}", f"{x:.4f}"] for r, (x, y) in zip(data, plane)])
    tokyo_rows = []
    for r, (t_lat, t_lon) in zip(data, tokyo):
        row = list(r)
        row[lat], row[lon] = f"{t_lat:.10f}", f"{t_lon:.10f}"
        tokyo_rows.append(row + ["日本測地系"])
    write("yaizu_aed_tokyo.csv", header + ["測地系"], tokyo_rows)


if __name__ == "__main__":
    main()
