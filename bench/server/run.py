#!/usr/bin/env python3
"""`civic serve` vs pygeoapi 0.24 vs nginx (Civic's own response bytes as static files), measured with wrk in one run.

Collections (the same ids on all three servers, so every URL is the same):
  yaizu-aed      the bundled 焼津市 AED file (82 features; 出典：焼津市, PDL1.0)
  synthetic-aed  1,000,000 AED sites made from 市川市's file (datasets/ichikawa-aed, current layout, CP932): its 191
                 records repeated in order with unique IDs (S0000001 …) and coordinates jittered over about
                 0.4° × 0.4° around 市川市 (deterministic seed), written as UTF-8 CSV with a dataset.json (EPSG:6668)

Servers, one at a time under load, on 127.0.0.1 only, all stopped at the end (and by run.sh's trap):
  Civic     the release `civic serve --data bench/work/server-data --db bench/work/server.sqlite`; the store is
            loaded from scratch (load time) and then the server is restarted on the existing store (restart time)
  pygeoapi  0.24 from PyPI, gunicorn with its Starlette app and 2 uvicorn workers, limits.max_items 10000 and
            default_items 100 (its default of 10 would cut limit=100 to 10); yaizu-aed with its GeoJSON provider
            on Civic's /datasets/yaizu-aed.geojson, synthetic-aed with its SQLiteGPKG provider on a SpatiaLite
            file made by ogr2ogr from Civic's /datasets/synthetic-aed.geojson (plus an index on ID, which its
            single-feature query filters on)
  nginx     the exact bytes Civic answered for each URL, saved to files and served statically (sendfile,
            keep-alive, no access log, 2 workers): the practical limit for serving those responses here

Requests: items?limit=100, a bbox query with limit=100, one feature, and (1M collection) pages at rotating offsets.
Civic "cached": the same URL again and again (Civic keeps GET responses in memory, with an ETag), the case nginx
bounds. Civic "uncached": every request a cache miss (wrk rotates the Host header, which is part of Civic's cache
key, so each page is queried and rendered again; its links then name that host). pygeoapi has no response cache:
each of its requests does the full work.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "bench" / "work"
DATA = WORK / "server-data"
DB = WORK / "server.sqlite"
SCRATCH = WORK / "server"
PIDS = SCRATCH / "pids"
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "bench"))
import common  # noqa: E402

YAIZU = "yaizu-aed"
SYNTHETIC = "synthetic-aed"
SEED = ROOT / "datasets" / "ichikawa-aed" / "data.csv"

# (collection, request name, path); feature paths are filled in once Civic answers.
YAIZU_BBOX = "138.30,34.85,138.35,34.90"
SYNTHETIC_BBOX = "139.950,35.700,139.955,35.705"


# ---------------------------------------------------------------------------------------------------------------
# Processes: every server is started in its own session and stopped by its pid (also listed in PIDS for run.sh).

started: list[subprocess.Popen] = []


def start(command: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    handle = open(log, "wb")
    process = subprocess.Popen(
        command, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
    )
    started.append(process)
    PIDS.write_text("".join(f"{p.pid}\n" for p in started if p.poll() is None))
    return process


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
    if process in started:
        started.remove(process)
    PIDS.write_text("".join(f"{p.pid}\n" for p in started if p.poll() is None))


def stop_all(*_args) -> None:
    for process in list(reversed(started)):
        stop(process)
    if _args:  # called as a signal handler
        sys.exit(130)


taken_ports: set[int] = set()


def free_port(preferred: int) -> int:
    """A port nothing listens on (SO_REUSEADDR as the servers set it, so connections left in TIME_WAIT by an
    earlier run do not count), never one already handed out in this run."""
    for port in [preferred] + list(range(preferred + 10, preferred + 400)):
        if port in taken_ports:
            continue
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken_ports.add(port)
        return port
    raise SystemExit("no free port")


def wait_http(url: str, process: subprocess.Popen, timeout: float, log: Path, server: str) -> float:
    """Seconds until `url` answers 200 (polling every 20 ms), from the server named `server` (its Server header)."""
    begin = time.monotonic()
    while time.monotonic() - begin < timeout:
        if process.poll() is not None:
            raise SystemExit(f"server exited ({process.returncode}); see {log}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    elapsed = time.monotonic() - begin
                    answered = response.headers.get("Server", "")
                    if server.lower() not in answered.lower():
                        raise SystemExit(f"{url} was answered by '{answered}', not {server}: is the port taken?")
                    return elapsed
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not answer within {timeout} s; see {log}")


def fetch(url: str, host: str | None = None, timeout: float = 600) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def session_cpu_seconds(session: int) -> float:
    """CPU time used so far by every process of a session (a server started with start_new_session)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6, the session id
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def wait_idle(process: subprocess.Popen, limit: float = 240) -> float:
    """Waits until the server stops using CPU (requests wrk gave up on when its time was over can still be running,
    and would run into the next measurement). Returns the seconds waited."""
    began = time.monotonic()
    last = session_cpu_seconds(process.pid)
    while time.monotonic() - began < limit:
        time.sleep(0.5)
        now = session_cpu_seconds(process.pid)
        if now - last < 0.03:
            return time.monotonic() - began
        last = now
    print(f"    (still busy after {limit:.0f} s; going on)")
    return time.monotonic() - began


def rss_mib(pid: int, field: str = "VmHWM") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# ---------------------------------------------------------------------------------------------------------------
# Data


def make_synthetic(rows: int) -> Path:
    folder = DATA / SYNTHETIC
    csv_path = folder / "data.csv"
    descriptor = {
        "id": SYNTHETIC,
        "title": f"合成 AED設置箇所一覧（{rows:,} 件、市川市のデータから生成）",
        "municipalityCode": "122033",
        "municipality": "千葉県市川市",
        "dataset": "aed",
        "file": "data.csv",
        "license": "CC-BY-4.0",
        "licenseNote": "synthetic: 市川市's AED records repeated with jittered coordinates and unique IDs (bench/server/run.py)",
        "attribution": "出典：市川市（加工して作成）",
        "source": "bench/server/run.py from datasets/ichikawa-aed/data.csv",
        "crs": "EPSG:6668",
    }
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".rows"
    if csv_path.exists() and stamp.exists() and stamp.read_text() == str(rows):
        return csv_path
    began = time.monotonic()
    with open(SEED, encoding="cp932", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        seed = [row for row in reader if any(row)]
    identifier, lat, lon = header.index("ID"), header.index("緯度"), header.index("経度")
    rng = random.Random(20261123)
    tmp = csv_path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for i in range(rows):
            row = list(seed[i % len(seed)])
            row[identifier] = f"S{i + 1:07d}"
            if row[lat] and row[lon]:
                # Inside 千葉県's box (the prefecture check), ~0.4° × 0.4° around 市川市.
                row[lat] = f"{float(row[lat]) + rng.uniform(-0.15, 0.15):.7f}"
                row[lon] = f"{float(row[lon]) + rng.uniform(-0.10, 0.20):.7f}"
            writer.writerow(row)
    tmp.replace(csv_path)
    (folder / "dataset.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stamp.write_text(str(rows))
    print(f"  made {csv_path.relative_to(ROOT)}: {rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB in {time.monotonic() - began:.1f} s")
    return csv_path


def copy_yaizu() -> None:
    folder = DATA / YAIZU
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("data.csv", "dataset.json"):
        source, target = ROOT / "datasets" / YAIZU / name, folder / name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)  # keeps the modification time: unchanged files are not reloaded


# ---------------------------------------------------------------------------------------------------------------
# Civic


CIVIC_EXTRA: list[str] = []


def civic_command(civic: str, port: int) -> list[str]:
    return [civic, "serve", "--data", str(DATA), "--db", str(DB), "--host", "127.0.0.1", "--port", str(port)] + CIVIC_EXTRA


def run_civic(civic: str, port: int, log: Path) -> tuple[subprocess.Popen, float, float | None]:
    process = start(civic_command(civic, port), log)
    wait_http(f"http://127.0.0.1:{port}/health", process, 3600, log, "Civic")
    # Civic answers at once and loads in the background: the load is done when /health stops saying "loading".
    begin = time.monotonic()
    while json.loads(fetch(f"http://127.0.0.1:{port}/health")[1]).get("loading"):
        if process.poll() is not None:
            raise SystemExit(f"server exited ({process.returncode}); see {log}")
        time.sleep(0.05)
    seconds = time.monotonic() - begin
    logged = None
    match = re.search(r"seconds[=:]\s*\"?([\d.]+)", log.read_text(errors="replace"))
    if match:
        logged = float(match.group(1))
    return process, seconds, logged


# ---------------------------------------------------------------------------------------------------------------
# pygeoapi


def pygeoapi_config(port: int, yaizu_geojson: Path, spatialite: Path, table: str) -> str:
    return f"""# written by bench/server/run.py
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  gzip: false
  languages: [ja, en-US]
  pretty_print: false
  limits:
    default_items: 100
    max_items: 10000
  map:
    url: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png
    attribution: OpenStreetMap
logging:
  level: ERROR
metadata:
  identification:
    title: Civic benchmark peer
    description: the same AED collections as civic serve
    keywords: [aed]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1:{port}
  license:
    name: CC-BY 4.0
    url: https://creativecommons.org/licenses/by/4.0/
  provider:
    name: bench
    url: http://127.0.0.1
  contact:
    name: bench
resources:
  {YAIZU}:
    type: collection
    title: 焼津市 AED設置箇所一覧
    description: 出典：焼津市
    keywords: [aed]
    extents:
      spatial:
        bbox: [138.2, 34.8, 138.4, 35.0]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: GeoJSON
        data: {yaizu_geojson}
        id_field: ID
  {SYNTHETIC}:
    type: collection
    title: 合成 AED (1,000,000)
    description: 出典：市川市（加工して作成）
    keywords: [aed]
    extents:
      spatial:
        bbox: [139.7, 35.4, 140.3, 36.0]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {spatialite}
        id_field: ID
        table: {table}
"""


def make_spatialite(geojson: Path, spatialite: Path, table: str) -> None:
    if spatialite.exists() and spatialite.stat().st_mtime > geojson.stat().st_mtime:
        return
    began = time.monotonic()
    tmp = spatialite.with_suffix(".tmp.sqlite")
    tmp.unlink(missing_ok=True)
    subprocess.run(
        ["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", "-nln", table, "-lco", "GEOMETRY_NAME=geometry",
         "-gt", "65536", str(tmp), str(geojson)],
        check=True,
    )
    # GDAL reads each feature's "id" member as a field "id" and then renames the "ID" property (the same values) to
    # "id2", SQLite names being case-insensitive: drop the first and give the property its name back. pygeoapi's
    # single-feature query is `WHERE ID == ?`: index it, as anyone serving it would.
    db = sqlite_module().connect(str(tmp))
    db.enable_load_extension(True)
    db.execute("SELECT load_extension('mod_spatialite.so')")
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    if "id" in columns and "id2" in columns:
        db.execute(f"ALTER TABLE {table} DROP COLUMN id")
        db.execute(f'ALTER TABLE {table} RENAME COLUMN id2 TO "ID"')
    # pygeoapi's SQLite provider puts column names into its SQL unquoted, so "建物名等(方書)" reads as a call of
    # 方書 ("no such column"): write such punctuation full-width (建物名等（方書）), the one property name that differs.
    for column in [row[1] for row in db.execute(f"PRAGMA table_info({table})")]:
        safe = column.translate(UNQUOTABLE)
        if safe != column:
            db.execute(f'ALTER TABLE {table} RENAME COLUMN "{column}" TO "{safe}"')
    db.execute(f'CREATE INDEX IF NOT EXISTS {table}_id ON {table}("ID")')
    db.commit()
    db.close()
    tmp.replace(spatialite)
    print(f"  made {spatialite.relative_to(ROOT)} with ogr2ogr in {time.monotonic() - began:.1f} s")


UNQUOTABLE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "()[],.-+*/%<>=!&|~ "})


def sqlite_module():
    """An sqlite3 that can load extensions (pyenv's Python is built without; pysqlite3-binary has it)."""
    import sqlite3

    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    import pysqlite3

    return pysqlite3


# ---------------------------------------------------------------------------------------------------------------
# nginx


def nginx_config(port: int, docroot: Path, files: dict[str, str]) -> str:
    """nginx serving each benchmarked URI's response bytes (a file named in `files`) from `docroot`."""
    entries = "\n".join(f'        "{uri}" /{name};' for uri, name in files.items())
    http = f"""    map_hash_bucket_size 512;
    map $request_uri $bench_file {{
        default /missing;
{entries}
    }}
"""
    return "# written by bench/server/run.py: Civic's response bytes as static files\n" + common.nginx_config(
        port, docroot, SCRATCH / "nginx", "application/geo+json", http_extra=http,
        server_extra="        location / { try_files $bench_file =404; }\n", keepalive_timeout=65)


# ---------------------------------------------------------------------------------------------------------------
# wrk

DONE = r"""
done = function(summary, latency, requests)
  io.write(string.format('BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

ROTATE_HOST = r"""
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, {["Host"] = "t" .. tid .. "-" .. n .. ".%RUN%.bench"})
end
"""

ROTATE_OFFSET = r"""
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
request = function()
  n = n + 1
  -- pages spread over the whole collection, each thread on its own sequence (no URL repeats in a run)
  local page = ((n * 2 + tid) * 7919) % %PAGES%
  return wrk.format("GET", "%PATH%&offset=" .. (page * 100), {["Host"] = "t" .. tid .. "-" .. n .. ".%RUN%.bench"})
end
"""


wrk_runs = 0


def wrk(url: str, args, script: str = "", name: str = "run", duration: float | None = None) -> dict:
    path = SCRATCH / "wrk" / f"{name}.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    global wrk_runs
    wrk_runs += 1
    path.write_text(script.replace("%RUN%", f"r{wrk_runs}") + DONE)
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{max(1, round(duration or args.duration))}s",
        f"--timeout", f"{args.timeout}s", "-s", str(path), url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=(duration or args.duration) + args.timeout + 60)
    match = re.search(r"BENCHJSON (\{.*\})", result.stdout)
    if not match:
        raise SystemExit(f"wrk failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = data["status"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    data["command"] = " ".join(command)
    return data


# ---------------------------------------------------------------------------------------------------------------
# Checks


def features_of(body: bytes) -> tuple[int, list[str], int | None]:
    document = json.loads(body)
    if document.get("type") == "Feature":
        return 1, [str(document.get("id"))], None
    features = document.get("features", [])
    return len(features), [str(f.get("id")) for f in features], document.get("numberMatched")


def fmt_rps(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def fmt_ms(us: float | None) -> str:
    if us is None:
        return "n/a"
    return f"{us / 1000:,.2f}" if us < 100_000 else f"{us / 1000:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--civic", default=str(ROOT / ".build-bench/release/civic"))
    parser.add_argument("--rows", type=int, default=1_000_000, help="features in the synthetic collection")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (at most 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30, help="wrk's per-request timeout, seconds")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of wrk before each measured run")
    parser.add_argument("--repeat", type=int, default=1, help="measure each cell N times and keep the median")
    parser.add_argument("--reuse-store", action="store_true", help="keep bench/work/server.sqlite (no fresh-load timing)")
    parser.add_argument("--port", type=int, default=18080, help="Civic's port; pygeoapi +1, nginx +2")
    parser.add_argument("--civic-arg", action="append", default=[], metavar="ARG",
                        help="one more argument for civic serve (repeat: --civic-arg=--log-level --civic-arg=info); "
                             "default --log-level notice (no request lines, like the peers' settings)")
    args = parser.parse_args()
    # Request logs off by default, as for the peers (nginx: access_log off; gunicorn: --log-level warning).
    CIVIC_EXTRA.extend(args.civic_arg if args.civic_arg else ["--log-level", "notice"])
    if args.duration > 10 or args.connections > 32 or args.threads > 2:
        raise SystemExit("keep every load bounded: --duration ≤ 10, --connections ≤ 32, --threads ≤ 2")

    SCRATCH.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    try:
        run(args)
    finally:
        stop_all()
        PIDS.unlink(missing_ok=True)


def run(args) -> None:
    civic_port = free_port(args.port)
    pygeoapi_port = free_port(args.port + 1)
    nginx_port = free_port(args.port + 2)
    logs = SCRATCH / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    print("Data")
    copy_yaizu()
    make_synthetic(args.rows)

    # --- Civic: a fresh load, then a restart on the existing store --------------------------------------------
    print("Civic store")
    fresh = None
    if not args.reuse_store or not DB.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(DB) + suffix).unlink(missing_ok=True)
        process, seconds, logged = run_civic(args.civic, civic_port, logs / "civic-load.log")
        fresh = (seconds, logged, rss_mib(process.pid))
        print(f"  fresh load: ready in {seconds:.1f} s (loader {logged} s), peak RSS {fresh[2]:,.0f} MiB")
        stop(process)
    process, restart_seconds, restart_logged = run_civic(args.civic, civic_port, logs / "civic.log")
    civic_process = process
    civic_pid = process.pid
    print(f"  restart on the existing store: ready in {restart_seconds:.2f} s (loader {restart_logged} s)")
    civic_base = f"http://127.0.0.1:{civic_port}"
    civic_host = f"127.0.0.1:{civic_port}"

    # Feature ids to ask for: the middle of each collection.
    status, body = fetch(f"{civic_base}/collections/{YAIZU}/items?limit=100")
    yaizu_ids = features_of(body)[1]
    yaizu_feature = yaizu_ids[len(yaizu_ids) // 2]
    synthetic_feature = f"S{args.rows // 2:07d}"
    requests = [
        (YAIZU, "items", f"/collections/{YAIZU}/items?limit=100"),
        (YAIZU, "bbox", f"/collections/{YAIZU}/items?bbox={YAIZU_BBOX}&limit=100"),
        (YAIZU, "feature", f"/collections/{YAIZU}/items/{yaizu_feature}"),
        (SYNTHETIC, "items", f"/collections/{SYNTHETIC}/items?limit=100"),
        (SYNTHETIC, "bbox", f"/collections/{SYNTHETIC}/items?bbox={SYNTHETIC_BBOX}&limit=100"),
        (SYNTHETIC, "feature", f"/collections/{SYNTHETIC}/items/{synthetic_feature}"),
        (SYNTHETIC, "paging", f"/collections/{SYNTHETIC}/items?limit=100"),  # + rotating offset
    ]

    # --- nginx: Civic's bytes for each URL ---------------------------------------------------------------------
    print("nginx docroot (Civic's response bytes)")
    docroot = SCRATCH / "nginx" / "docroot"
    shutil.rmtree(docroot, ignore_errors=True)
    docroot.mkdir(parents=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (SCRATCH / "nginx" / sub).mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    civic_bytes: dict[str, bytes] = {}
    for index, (collection, name, path) in enumerate(requests):
        if name == "paging":
            continue
        status, body = fetch(civic_base + path, host=civic_host)
        if status != 200:
            raise SystemExit(f"Civic answered {status} for {path}: {body[:300]!r}")
        filename = f"r{index}-{collection}-{name}.json"
        (docroot / filename).write_bytes(body)
        files[path] = filename
        civic_bytes[path] = body
        print(f"  {path}: {len(body):,} B")
    nginx_conf = SCRATCH / "nginx" / "nginx.conf"
    nginx_conf.write_text(nginx_config(nginx_port, docroot, files))
    nginx = start(["nginx", "-p", str(SCRATCH / "nginx"), "-c", str(nginx_conf), "-e", str(SCRATCH / "nginx" / "error.log")],
                  logs / "nginx.log")
    wait_http(f"http://127.0.0.1:{nginx_port}{requests[0][2]}", nginx, 30, logs / "nginx.log", "nginx")

    # --- pygeoapi: the same collections --------------------------------------------------------------------------
    print("pygeoapi")
    pg = SCRATCH / "pygeoapi"
    pg.mkdir(parents=True, exist_ok=True)
    yaizu_geojson = pg / f"{YAIZU}.geojson"
    status, body = fetch(f"{civic_base}/datasets/{YAIZU}.geojson")
    yaizu_geojson.write_bytes(body)
    synthetic_geojson = pg / f"{SYNTHETIC}.geojson"
    spatialite = pg / f"{SYNTHETIC}.sqlite"
    synthetic_csv = DATA / SYNTHETIC / "data.csv"
    if not synthetic_geojson.exists() or synthetic_geojson.stat().st_mtime < synthetic_csv.stat().st_mtime:
        began = time.monotonic()
        request = urllib.request.Request(f"{civic_base}/datasets/{SYNTHETIC}.geojson")
        with urllib.request.urlopen(request, timeout=1800) as response, open(synthetic_geojson.with_suffix(".tmp"), "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
        synthetic_geojson.with_suffix(".tmp").replace(synthetic_geojson)
        print(f"  fetched Civic's /datasets/{SYNTHETIC}.geojson ({synthetic_geojson.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - began:.1f} s")
    table = "synthetic_aed"
    make_spatialite(synthetic_geojson, spatialite, table)
    config = pg / "pygeoapi-config.yml"
    config.write_text(pygeoapi_config(pygeoapi_port, yaizu_geojson, spatialite, table), encoding="utf-8")
    openapi = pg / "pygeoapi-openapi.yml"
    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi), PYTHONPATH=str(HERE))
    subprocess.run([sys.executable, str(HERE / "pygeoapi_app.py"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                   env=env, check=True, capture_output=True)
    pygeoapi = start(
        [str(venv_bin / "gunicorn"), "pygeoapi_app:APP", "--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker",
         "--bind", f"127.0.0.1:{pygeoapi_port}", "--timeout", "300", "--log-level", "warning"],
        logs / "pygeoapi.log", env=env, cwd=HERE,
    )
    wait_http(f"http://127.0.0.1:{pygeoapi_port}/collections/{YAIZU}/items?limit=1", pygeoapi, 120, logs / "pygeoapi.log", "uvicorn")

    bases = {
        "civic": civic_base,
        "pygeoapi": f"http://127.0.0.1:{pygeoapi_port}",
        "nginx": f"http://127.0.0.1:{nginx_port}",
    }

    # --- Same answers? ------------------------------------------------------------------------------------------
    print("\nSame features from all three (one fetch each)")
    print(f"  {'collection':<14} {'request':<8} {'civic':>6} {'pygeoapi':>8} {'nginx':>6}  {'ids':<16} {'numberMatched':<22} {'bytes civic / pygeoapi / nginx'}")
    mismatches = 0
    for collection, name, path in requests:
        if name == "paging":
            path = path + f"&offset={args.rows // 200 * 100}"
        counts, idsets, sizes, matched_by = {}, {}, {}, {}
        for tool, base in bases.items():
            if tool == "nginx" and path not in files:
                continue
            status, body = fetch(base + path, timeout=600)
            if status != 200:
                counts[tool], idsets[tool], sizes[tool] = f"HTTP {status}", None, len(body)
                continue
            count, ids, matched = features_of(body)
            counts[tool], idsets[tool], sizes[tool], matched_by[tool] = count, ids, len(body), matched
        sets = [set(v) for v in idsets.values() if v is not None]
        same_count = len(set(map(str, counts.values()))) == 1
        same_ids = len(sets) == len(idsets) and all(s == sets[0] for s in sets)
        ordered = same_ids and len({tuple(v) for v in idsets.values()}) == 1
        if not (same_count and same_ids):
            mismatches += 1
        print(
            f"  {collection:<14} {name:<8} {counts.get('civic', '-')!s:>6} {counts.get('pygeoapi', '-')!s:>8} {counts.get('nginx', '-')!s:>6}"
            f"  {('same' + (' order' if ordered else ', other order')) if same_ids else 'DIFFER':<16}"
            f" {' / '.join(str(matched_by.get(t, '-')) for t in ('civic', 'pygeoapi')):<22}"
            f" {' / '.join(f'{sizes[t]:,}' if t in sizes else '-' for t in bases)}"
        )

    # --- Load ---------------------------------------------------------------------------------------------------
    print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration:g}s (loopback, the server and wrk share the 2 cores)")
    results: dict[tuple[str, str], dict[str, dict]] = {}

    servers = {"civic": lambda: civic_process, "pygeoapi": lambda: pygeoapi, "nginx": lambda: nginx}

    def measure(tool: str, url: str, script: str, key: tuple[str, str], label: str) -> None:
        runs = []
        server = servers[tool]()
        for _ in range(args.repeat):
            # Warm-up: one request, then (when that was quick) a short wrk run; then the measured run; then wait
            # until the server is idle again, so that requests wrk left behind do not load the next measurement.
            began = time.monotonic()
            fetch(url if "offset" not in script else url + "&offset=100", timeout=300)
            if args.warmup > 0 and time.monotonic() - began < 0.5:
                wrk(url, args, script, name="warmup", duration=args.warmup)
            wait_idle(server)
            runs.append(wrk(url, args, script, name=f"{key[0]}-{key[1]}-{label}"))
            runs[-1]["idle_wait_s"] = wait_idle(server)
        best = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        note = ""
        if best["requests"] < 5:
            # Too slow for wrk's window (32 requests queue on 2 workers and few finish within it): time requests
            # one at a time instead, and take 2 workers in parallel as its best possible throughput.
            times = []
            for i in range(3):
                began = time.monotonic()
                target = url if "offset" not in script else url + f"&offset={(args.rows // 3 * (i + 1)) // 100 * 100}"
                status, _ = fetch(target, timeout=300)
                times.append(time.monotonic() - began)
                if sum(times) > 60:
                    break
            best["alone_s"] = statistics.median(times)
            best["rps_bound"] = 2 / best["alone_s"]
            note = f"  (one request alone {best['alone_s']:.2f} s: at most {best['rps_bound']:.1f} req/s on 2 workers)"
        results.setdefault(key, {})[label] = best
        print(f"  {key[0]:<14} {key[1]:<8} {label:<16} {fmt_rps(best['rps']):>10} req/s  p99 {fmt_ms(best['p99_us'] if best['requests'] else None):>8} ms  errors {best['errors']}{note}",
              flush=True)

    for collection, name, path in requests:
        key = (collection, name)
        if name == "paging":
            pages = max(1, (args.rows - 100) // 100)
            script = ROTATE_OFFSET.replace("%PAGES%", str(pages)).replace("%PATH%", path)
            measure("civic", bases["civic"] + path, script, key, "civic uncached")
            measure("pygeoapi", bases["pygeoapi"] + path, script, key, "pygeoapi")
            continue
        measure("nginx", bases["nginx"] + path, "", key, "nginx")
        measure("civic", bases["civic"] + path, "", key, "civic cached")
        measure("civic", bases["civic"] + path, ROTATE_HOST, key, "civic uncached")
        measure("pygeoapi", bases["pygeoapi"] + path, "", key, "pygeoapi")

    civic_rss = rss_mib(civic_pid, "VmRSS")

    # --- Table --------------------------------------------------------------------------------------------------
    print()
    if CIVIC_EXTRA:
        print(f"civic serve … {' '.join(CIVIC_EXTRA)}")
    print(f"Civic vs pygeoapi 0.24 vs nginx — wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s, "
          f"{'median of ' + str(args.repeat) if args.repeat > 1 else 'one run each'}; "
          "errors = non-2xx/3xx responses + socket errors/timeouts")
    if fresh:
        print(f"Civic store: fresh load of {args.rows:,} + 82 features ready in {fresh[0]:.1f} s (loader {fresh[1]} s, "
              f"peak RSS {fresh[2]:,.0f} MiB); restart on the existing store {restart_seconds:.2f} s (loader {restart_logged} s, "
              f"files unchanged); RSS after the runs {civic_rss:,.0f} MiB")
    else:
        print(f"Civic store: restart on the existing store {restart_seconds:.2f} s (loader {restart_logged} s)")
    paths = {(c, n): p for c, n, p in requests}
    verdicts = []
    for key, cells in results.items():
        path = paths[key] + ("&offset=<rotating>" if key[1] == "paging" else "")
        print(f"\n{key[0]} — {key[1]}: {path}")
        print(f"  {'tool':<16} {'req/s':>10} {'p99 ms':>9} {'errors':>7} {'MB/s':>8}")
        for label, r in cells.items():
            mbps = r["bytes"] / (r["duration_us"] / 1e6) / 1e6
            extra = f"  {r['requests']} answered in {r['duration_us'] / 1e6:.0f} s; one request alone {r['alone_s']:.2f} s" if "alone_s" in r else ""
            print(f"  {label:<16} {fmt_rps(r['rps']):>10} {fmt_ms(r['p99_us'] if r['requests'] else None):>9} {r['errors']:>7} {mbps:>8.1f}{extra}")
        pyg = cells.get("pygeoapi", {}).get("rps")
        at_least = ""
        if "rps_bound" in cells.get("pygeoapi", {}):
            # Compared with the most pygeoapi could do (2 workers, each one request at a time).
            pyg, at_least = cells["pygeoapi"]["rps_bound"], "≥ "
        ngx = cells.get("nginx", {}).get("rps")
        cached = cells.get("civic cached", {}).get("rps")
        uncached = cells.get("civic uncached", {}).get("rps")
        parts = []
        if cached and pyg:
            ratio = cached / pyg
            parts.append(f"cached/pygeoapi {at_least}{ratio:,.1f}× ({'meets' if ratio >= 20 else 'MISSES'} ≥ 20×)")
            verdicts.append(ratio >= 20)
        if uncached and pyg:
            parts.append(f"uncached/pygeoapi {at_least}{uncached / pyg:,.1f}×" + ("" if uncached / pyg >= 20 else " (< 20×)"))
        if cached and ngx:
            ratio = cached / ngx
            parts.append(f"cached/nginx {ratio:.2f} ({'meets' if ratio >= 0.5 else 'MISSES'} ≥ 0.5)")
            verdicts.append(ratio >= 0.5)
        if uncached and ngx:
            parts.append(f"uncached/nginx {uncached / ngx:.2f}")
        print("  ratios: " + "; ".join(parts))
    print(f"\nTargets (cached pages): {sum(verdicts)} of {len(verdicts)} met. Feature-count check: "
          f"{'all three agree' if mismatches == 0 else f'{mismatches} request(s) DIFFER'}.")
    (SCRATCH / "results.json").write_text(json.dumps(
        {f"{k[0]} {k[1]}": v for k, v in results.items()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
