#!/usr/bin/env python3
"""Incremental harvest of 1,000 datasets from a second Civic instance (release build).

The source: 1,000 small datasets (the bundled AED and facility CSV files' first 30 rows, under 50 municipality codes × 20 datasets), loaded
and served by `civic serve`. The harvester: `civic harvest --ckan` into a store of its own, with no politeness delay
(loopback). Four runs:

1. first harvest: every file fetched (the full cost, what a harvester without conditional requests pays every time);
2. again, nothing changed: conditional requests only (304), nothing fetched;
3. after 10 datasets changed and 3 deleted at the source (the source restarted on its store, as a reload does):
   only the 10 are fetched, 987 answer 304, the 3 are tombstoned (grace period 0);
4. the same changes harvested by a harvester that fetches every file (a fresh store): the peer behaviour.

Prints each run's wall time, requests, files downloaded, 304s and bytes, and the ratio of the incremental run to the
full one.

Usage: bench/harvest/run.sh [--civic PATH]
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from common import serve  # noqa: E402

# CSV files (cut to their first rows), not the shelter lists: each would bring a status table of its own (a dataset more).
BUNDLED = ["ichikawa-aed", "ichikawa-public-facility", "takamatsu-aed", "yaizu-aed", "yaizu-public-facility"]


def check_digit(five):
    total = sum(int(d) * w for d, w in zip(five, [6, 5, 4, 3, 2]))
    remainder = total % 11
    return str((11 - remainder) % 10) if remainder else "1"


def source_folder(folder, municipalities=50, per=20, rows=30):
    """1,000 dataset folders: the bundled files cut to `rows` rows, each under a municipality code of its own."""
    ids = []
    for m in range(municipalities):
        five = f"{10000 + 1777 * m:05d}"[:5]
        code = five + check_digit(five)
        for index in range(per):
            source = BUNDLED[(m + index) % len(BUNDLED)]
            with open(os.path.join(ROOT, "datasets", source, "dataset.json"), encoding="utf-8") as handle:
                description = json.load(handle)
            dataset_id = f"m{code}-{index:02d}"
            target = os.path.join(folder, dataset_id)
            os.makedirs(target)
            with open(os.path.join(ROOT, "datasets", source, description["file"]), "rb") as handle:
                lines = handle.read().splitlines(keepends=True)
            with open(os.path.join(target, description["file"]), "wb") as out:
                out.writelines(lines[:rows + 1])
            description.update({"id": dataset_id, "municipalityCode": code, "municipality": f"試験市{code}",
                                "title": f"試験市{code} {description['title']}"})
            with open(os.path.join(target, "dataset.json"), "w", encoding="utf-8") as out:
                json.dump(description, out, ensure_ascii=False)
            ids.append((dataset_id, os.path.join(target, description["file"])))
    return ids


def harvest(civic, db, url, grace=None):
    """One `civic harvest` run: (report, wall seconds, peak RSS in MiB of the harvester)."""
    command = [civic, "harvest", "--db", db, "--ckan", url, "--name", "source", "--delay", "0", "--json"]
    if grace is not None:
        command += ["--grace-days", str(grace)]
    # Run under a small Python wrapper that prints the harvester's own peak RSS (this process's children include the
    # source server and its loads).
    wrapper = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", wrapper] + command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"civic harvest failed ({result.returncode}): {result.stderr[-2000:]}")
    peak = int(result.stderr.strip().splitlines()[-1]) / 1024
    return json.loads(result.stdout)[0], seconds, peak


def line(label, report, seconds):
    counts = report["counts"]
    shown = ", ".join(f"{counts[k]} {k}" for k in ["new", "changed", "unchanged", "deleted", "missing", "failed", "skipped"] if counts.get(k))
    print(f"{label}: {seconds:.2f} s wall — {report['requests']} requests, {report['downloaded']} downloaded, "
          f"{report['notModified']} × 304, {report['bytes']:,} bytes; {shown}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="civic-harvest-")
    server = None
    try:
        data = os.path.join(work, "data")
        os.makedirs(data)
        ids = source_folder(data)
        source_db = os.path.join(work, "source.sqlite")
        started = time.time()
        subprocess.run([args.civic, "load", "--data", data, "--db", source_db], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"source: {len(ids)} datasets loaded in {time.time() - started:.0f} s")
        port = random.randint(20000, 32000)
        server = serve(args.civic, data, source_db, port, datasets=None)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/3/action/package_search?rows=0") as response:
            listed = json.load(response)["result"]["count"]
        url = f"http://127.0.0.1:{port}/"
        portal = os.path.join(work, "portal.sqlite")

        first, first_seconds, first_peak = harvest(args.civic, portal, url)
        line("1. first harvest (every file fetched)", first, first_seconds)
        second, second_seconds, _ = harvest(args.civic, portal, url)
        line("2. nothing changed (conditional requests)", second, second_seconds)

        # 10 changed (a row less), 3 deleted; the source restarted on its store picks them up as a reload does.
        rng = random.Random(14)
        chosen = rng.sample(ids, 13)
        for dataset_id, path in chosen[:10]:
            with open(path, "rb") as handle:
                lines = handle.read().splitlines(keepends=True)
            with open(path, "wb") as out:
                out.writelines(lines[:-1])
        for dataset_id, path in chosen[10:]:
            shutil.rmtree(os.path.dirname(path))
        server.terminate()
        server.wait()
        server = serve(args.civic, data, source_db, port, datasets=listed - 3)

        third, third_seconds, peak = harvest(args.civic, portal, url, grace=0)
        line("3. after 10 changed and 3 deleted (incremental)", third, third_seconds)
        fetched = sorted(item["dataset"] for item in third["items"] if item["outcome"] in ("changed", "new"))
        tombstoned = sorted(item["dataset"] for item in third["items"] if item["outcome"] == "deleted")
        expected_changed = sorted(dataset_id for dataset_id, _ in chosen[:10])
        expected_deleted = sorted(dataset_id for dataset_id, _ in chosen[10:])
        # The harvester's own catalogue feed (catalog_state, what /catalog/changes serves) holds the 3 as tombstones.
        with sqlite3.connect(portal) as db:
            tombstones = sorted(row[0] for row in db.execute("SELECT dataset_id FROM catalog_state WHERE state = 'deleted'"))
        print(f"   fetched exactly the 10 changed: {'yes' if fetched == expected_changed and third['downloaded'] == 10 else 'NO'}; "
              f"the 3 deleted tombstoned: {'yes' if tombstoned == expected_deleted == tombstones else 'NO'}")

        full, full_seconds, _ = harvest(args.civic, os.path.join(work, "full.sqlite"), url)
        line("4. peer behaviour: the same catalogue fetched whole", full, full_seconds)
        print(f"incremental / full: {third_seconds / full_seconds:.2f}× the wall time, "
              f"{third['bytes'] / max(1, full['bytes']):.4f}× the bytes; harvester peak RSS {first_peak:.0f} MiB (first), {peak:.0f} MiB (incremental)")
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
