#!/usr/bin/env python3
"""The portal KPI of 50 municipalities × 15 datasets, uncached (release build): `/kpi` (JSON and the HTML
dashboard), `/kpi/{団体コード}` (JSON and HTML), `/kpi.csv`, `/kpi.xlsx` and the datasets table, each asked 20 times with a new Host header (the host
is part of Civic's response-cache key, so every answer is made again). Target: < 200 ms each.

The portal: the bundled datasets (9 files of 3 municipalities: AED, evacuation spaces, public facilities, toilets)
copied under 50 municipality codes, 15 datasets each (the 9, and 6 of them again as second lists), loaded with
`civic load`, then served.

Usage: bench/kpi/run.sh [--civic PATH]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from common import serve  # noqa: E402

BUNDLED = ["ichikawa-aed", "ichikawa-evacuation-space", "ichikawa-public-facility", "takamatsu-aed", "takamatsu-evacuation-space",
           "yaizu-aed", "yaizu-evacuation-space", "yaizu-public-facility", "yaizu-public-toilet"]


def portal(folder, municipalities=50, per=15):
    codes = [f"{100000 + 7919 * i:06d}"[:6] for i in range(municipalities)]
    for code in codes:
        for index in range(per):
            source = BUNDLED[index % len(BUNDLED)]
            target = os.path.join(folder, f"m{code}-{index:02d}")
            os.makedirs(target)
            with open(os.path.join(ROOT, "datasets", source, "dataset.json"), encoding="utf-8") as handle:
                description = json.load(handle)
            os.symlink(os.path.join(ROOT, "datasets", source, description["file"]), os.path.join(target, description["file"]))
            description.update({"id": f"m{code}-{index:02d}", "municipalityCode": code, "municipality": f"試験市{code}",
                                "title": f"試験市{code} {description['title']}"})
            with open(os.path.join(target, "dataset.json"), "w", encoding="utf-8") as out:
                json.dump(description, out, ensure_ascii=False)
    return codes


def timed(port, path, times=20):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    for attempt in range(times):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Host": f"kpi-{random.random()}", "Accept": "*/*"})
        response = connection.getresponse()
        body = response.read()
        latencies.append(time.perf_counter() - started)
        assert response.status == 200 and response.getheader("X-Cache") == "MISS", (path, response.status)
    return latencies, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="civic-kpi-")
    try:
        data = os.path.join(work, "data")
        os.makedirs(data)
        codes = portal(data)
        db = os.path.join(work, "civic.sqlite")
        started = time.time()
        subprocess.run([args.civic, "load", "--data", data, "--db", db], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"portal: {len(codes)} municipalities × 15 datasets loaded in {time.time() - started:.0f} s")
        port = random.randint(20000, 32000)
        # With the shelter lists' status tables (Civic's own, not counted in the KPI).
        server = serve(args.civic, data, db, port, datasets=None)
        try:
            # Use to count: a download and an items page of every dataset (the usage the KPI reads with each answer).
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for code in codes:
                for index in range(15):
                    for path in (f"/datasets/m{code}-{index:02d}.csv", f"/collections/m{code}-{index:02d}/items?limit=1"):
                        connection.request("GET", path)
                        connection.getresponse().read()
            # The downloads checked in the background (the KPI's accessibility) before measuring.
            time.sleep(5)
            code = codes[len(codes) // 2]
            for label, path in [("/kpi (JSON)", "/kpi"), ("/kpi?f=html (dashboard)", "/kpi?f=html"), (f"/kpi/{code} (JSON)", f"/kpi/{code}"),
                                (f"/kpi/{code}?f=html", f"/kpi/{code}?f=html"), ("/kpi.csv", "/kpi.csv"), ("/kpi.xlsx", "/kpi.xlsx"),
                                ("/kpi/datasets.csv", "/kpi/datasets.csv"), ("/kpi/datasets.xlsx", "/kpi/datasets.xlsx")]:
                latencies, size = timed(port, path)
                p50 = statistics.median(latencies) * 1000
                worst = max(latencies) * 1000
                print(f"{label}: uncached p50 {p50:.1f} ms, max {worst:.1f} ms, {size:,} bytes "
                      f"(target < 200 ms: {'met' if worst < 200 else 'MISSED'})")
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
