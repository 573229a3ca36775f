#!/usr/bin/env python3
"""Publishing through the server, measured (release build): a 50,000-row AED file uploaded as a draft (pipeline,
report, diff) and published, side by side with `civic convert` of the same file; one record PATCHed again and again
while 32 connections (wrk) read pages of the collection, timing each PATCH until a reader gets the new ETag and
content; then `kill -9` of the server at random moments while it takes uploads and publishes (--kills times) and
while it takes record edits (--edit-kills times), checking the store after each restart.

Prints rows/s of upload+publish and of convert, their ratio, peak memory of the server, PATCH-to-visible latency
percentiles with the readers' throughput, and the kill results.
"""
import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "convert"))
from run import benchmark_file  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "bench"))
from common import request  # noqa: E402


def upload(url, token, path, timeout=600):
    """POSTs a file with curl (streamed from disk); (status, body) or (None, b"")."""
    try:
        result = subprocess.run(
            ["curl", "-s", "-S", "--max-time", str(timeout), "-X", "POST", "-H", f"Authorization: Bearer {token}",
             "-H", "Content-Type: text/csv", "-H", "Expect:", "--data-binary", f"@{path}", "-w", "\n%{http_code}", url],
            capture_output=True, timeout=timeout + 5,
        )
    except subprocess.TimeoutExpired:
        return None, b""
    body, _, code = result.stdout.rpartition(b"\n")
    return (int(code), body) if code.strip().isdigit() and int(code) > 0 else (None, b"")


# The record the PATCH and edit-kill phases change (the file's first ID, which the published file keeps).
EDITED = None


def request_json(url, method, token, document, headers=None, timeout=60):
    """A merge patch (or other JSON) request; (status, body) as `request`."""
    return request(url, method, token, json.dumps(document).encode(), timeout, headers, "application/merge-patch+json")


def patch_under_readers(base, token, count):
    """`count` PATCHes of one record (each with If-Match), each timed until a plain GET returns the new ETag and the
    new value, while wrk keeps 32 connections reading the collection's pages (an edit drops the cached pages that
    hold the record). Returns the latencies (s) and wrk's summary line."""
    item = f"{base}/collections/aed-bench/items/{EDITED}"
    lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    lua.write('counter = 0\nrequest = function()\n  counter = counter + 1\n'
              '  return wrk.format("GET", "/collections/aed-bench/items?limit=100&offset=" .. ((counter * 100) % 49900))\nend\n')
    lua.close()
    wrk = subprocess.Popen(["wrk", "-t", "2", "-c", "32", "-d", "600s", "-s", lua.name, base + "/"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    time.sleep(2)
    latencies = []
    try:
        with urllib.request.urlopen(item, timeout=10) as response:
            tag = response.headers["ETag"]
        for index in range(count):
            value = f"patch-{index}"
            started = time.perf_counter()
            status, body = request_json(item, "PATCH", token, {"properties": {"備考": value}}, {"If-Match": tag})
            if status != 200:
                sys.exit(f"PATCH {status}: {body[:300]!r}")
            new_tag = None
            while True:
                with urllib.request.urlopen(item, timeout=10) as response:
                    new_tag = response.headers["ETag"]
                    seen = json.load(response)["properties"]["備考"]
                if new_tag != tag and seen == value:
                    break
            latencies.append(time.perf_counter() - started)
            tag = new_tag
    finally:
        wrk.send_signal(signal.SIGINT)
        output = wrk.communicate(timeout=30)[0]
        os.unlink(lua.name)
    requests_line = next((line.strip() for line in output.splitlines() if "Requests/sec" in line), "wrk: no summary")
    errors = next((line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line), "")
    return latencies, (requests_line + (" " + errors if errors else "")).strip()


def start(civic, data, db, port):
    process = subprocess.Popen([civic, "serve", "--data", data, "--db", db, "--port", str(port), "--log-level", "critical"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # /health answers at once; the data folder loads in the background until it says "loading": false.
    for _ in range(1200):
        status, body = request(f"http://127.0.0.1:{port}/health", timeout=2)
        if status == 200 and not json.loads(body).get("loading"):
            return process
        time.sleep(0.05)
    process.kill()
    sys.exit("the server did not start")


# Ports for the servers: below the kernel's ephemeral range (32768 and up), which clients' connections take, so a
# server never finds its port in use by one (a run stopped on "Address already in use").


def kill_during(civic, data, db, client, latest):
    """Starts the server, runs `client(port)` on a thread, kills the server with SIGKILL 0.05 to `latest` s later, and
    waits for the client to see it go."""
    port = random.randint(20000, 32000)
    server = start(civic, data, db, port)
    thread = threading.Thread(target=client, args=(port,), daemon=True)
    thread.start()
    time.sleep(random.uniform(0.05, latest))
    server.send_signal(signal.SIGKILL)
    server.wait()
    thread.join(timeout=5)


def check(db):
    """The store after a crash, read as a restarted server would (read-only: the server recovers, this only checks)."""
    connection = sqlite3.connect(db)
    problems = []
    if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check")
    live = connection.execute("SELECT v.key, v.record_count FROM dataset d JOIN version v ON v.key = d.live_version").fetchall()
    for key, count in live:
        rows = connection.execute("SELECT COUNT(*) FROM feature WHERE version = ?", (key,)).fetchone()[0]
        if rows != count:
            problems.append(f"live version {key}: {rows} rows for {count}")
    for number, version, count in connection.execute("SELECT number, version, record_count FROM release WHERE state = 'draft'"):
        rows = connection.execute("SELECT COUNT(*) FROM feature WHERE version = ?", (version,)).fetchone()[0]
        if rows != count:
            problems.append(f"draft {number}: {rows} rows for {count}")
    live_count = live[0][1] if live else None
    connection.close()
    return problems, live_count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--edit-kills", type=int, default=50)
    parser.add_argument("--patches", type=int, default=300)
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    args = parser.parse_args()
    source = benchmark_file(args.rows)
    work = tempfile.mkdtemp(prefix="civic-publish-")
    try:
        data = os.path.join(work, "data")
        folder = os.path.join(data, "aed-bench")
        os.makedirs(folder)
        with open(source, "rb") as full, open(os.path.join(folder, "data.csv"), "wb") as seed:
            for index, line in enumerate(full):
                if index > 82:
                    break
                seed.write(line)
        with open(os.path.join(folder, "dataset.json"), "w") as descriptor:
            json.dump({"id": "aed-bench", "title": "AED", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}, descriptor)
        db = os.path.join(work, "civic.sqlite")
        token = subprocess.run([args.civic, "token", "create", "--db", db, "--municipality", "222127", "--role", "publisher"],
                               capture_output=True, text=True, check=True).stdout.strip()
        body = open(source, "rb").read()
        global EDITED
        header, first = body.split(b"\n", 2)[:2]
        names = header.decode("utf-8").split(",")
        EDITED = first.decode("utf-8").split(",")[names.index("ID") if "ID" in names else names.index("NO")]
        half = body[: body.index(b"\n", len(body) // 2) + 1]
        half_path = os.path.join(work, "half.csv")
        with open(half_path, "wb") as out:
            out.write(half)

        # Speed: upload + publish vs convert, each from a quiet disk (the convert's output, hundreds of MB, is removed
        # and written back first: its write-back during the upload took the publish's disk).
        os.sync()
        started = time.time()
        subprocess.run([args.civic, "convert", "--quiet", source, "-o", os.path.join(work, "out.geojson")], check=False)
        convert = time.time() - started
        for name in os.listdir(work):
            if name.startswith("out."):
                os.remove(os.path.join(work, name))
        os.sync()
        port = random.randint(20000, 32000)
        server = start(args.civic, data, db, port)
        base = f"http://127.0.0.1:{port}/datasets/aed-bench"
        started = time.time()
        status, answer = upload(f"{base}/releases", token, source)
        uploaded = time.time() - started
        number = json.loads(answer)["number"] if status == 201 else None
        status2, _ = request(f"{base}/releases/{number}/publish", "POST", token, timeout=600)
        published = time.time() - started
        rss = int(open(f"/proc/{server.pid}/status").read().split("VmHWM:")[1].split()[0])
        server.terminate()
        server.wait()
        if status != 201 or status2 != 200:
            sys.exit(f"upload {status} / publish {status2}: {answer[:300]!r}")
        print(f"input: {args.rows:,} rows ({len(body) / 1e6:.1f} MB)")
        print(f"civic convert                 {convert:7.2f} s {args.rows / convert:>10,.0f} rows/s")
        print(f"upload → draft (report, diff) {uploaded:7.2f} s")
        print(f"upload + publish              {published:7.2f} s {args.rows / published:>10,.0f} rows/s   server peak {rss / 1024:.1f} MiB")
        print(f"ratio upload+publish / convert: {convert / published:.2f}x")

        # One record PATCHed while 32 connections read.
        port = random.randint(20000, 32000)
        server = start(args.civic, data, db, port)
        latencies, readers = patch_under_readers(f"http://127.0.0.1:{port}", token, args.patches)
        server.terminate()
        server.wait()
        latencies.sort()
        def percentile(q):
            return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
        print(f"PATCH → visible to readers ({len(latencies)} PATCHes, 32 wrk connections reading pages): "
              f"p50 {percentile(0.5):.1f} ms, p99 {percentile(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms; readers {readers}")

        # kill -9 during record edits.
        edit_kills, edits_acknowledged, edit_bad = 0, 0, []
        for round_number in range(args.edit_kills):
            state = {"acknowledged": None, "sent": None, "count": 0}

            def editor(port):
                url = f"http://127.0.0.1:{port}/collections/aed-bench/items"
                index = 0
                while True:
                    value = f"kill{round_number}-{index}"
                    state["sent"] = value
                    status, _ = request_json(f"{url}/{EDITED}", "PATCH", token, {"properties": {"備考": value}})
                    if status != 200:
                        return
                    state["acknowledged"] = value
                    state["count"] += 1
                    index += 1

            kill_during(args.civic, data, db, editor, 1.0)
            edit_kills += 1
            edits_acknowledged += state["count"]
            problems, _ = check(db)
            # The record holds the last acknowledged edit, or the one in flight when the server died: never a mix.
            connection = sqlite3.connect(db)
            row = connection.execute(
                "SELECT f.vals FROM dataset d JOIN feature f ON f.version = d.live_version AND f.feature_id = ? WHERE d.id = 'aed-bench'",
                (EDITED,),
            ).fetchone()
            connection.close()
            value = json.loads(row[0])[-1] if row else None
            allowed = {state["acknowledged"], state["sent"]} if state["acknowledged"] else {state["sent"], value}
            if value not in allowed:
                problems.append(f"the record holds {value!r}, acknowledged {state['acknowledged']!r}, in flight {state['sent']!r}")
            edit_bad += [f"edit round {round_number}: {p}" for p in problems]
        if args.edit_kills:
            print(f"kill -9 during record edits: {edit_kills} kills, {edits_acknowledged} PATCHes acknowledged between them; "
                  f"after every restart integrity ok, counts whole, the record the last acknowledged or in-flight edit: {'yes' if not edit_bad else 'NO'}")
            for problem in edit_bad[:20]:
                print("  " + problem)

        # kill -9 during uploads and publishes.
        killed, publishes, bad = 0, 0, []
        counts = set()
        for round_number in range(args.kills):
            done = {"publishes": 0}

            def client(port):
                base = f"http://127.0.0.1:{port}/datasets/aed-bench"
                index = round_number
                while True:
                    status, answer = upload(f"{base}/releases", token, source if index % 2 == 0 else half_path)
                    if status != 201:
                        return
                    number = json.loads(answer)["number"]
                    if request(f"{base}/releases/{number}/publish", "POST", token, timeout=600)[0] != 200:
                        return
                    done["publishes"] += 1
                    index += 1

            kill_during(args.civic, data, db, client, 1.5)
            killed += 1
            publishes += done["publishes"]
            problems, live = check(db)
            counts.add(live)
            bad += [f"round {round_number}: {p}" for p in problems]
        expected = {args.rows, half.count(b"\n") - 1, 82}
        unexpected = counts - expected
        print(f"kill -9: {killed} kills, {publishes} publishes completed between them; live record counts seen {sorted(c for c in counts if c)}")
        print(f"after every restart: integrity ok, live and draft releases whole: {'yes' if not bad and not unexpected else 'NO'}")
        for problem in bad[:20]:
            print("  " + problem)
        if bad or unexpected or edit_bad:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
