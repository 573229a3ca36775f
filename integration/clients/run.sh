#!/usr/bin/env bash
# Real clients against `civic serve` on the bundled datasets: GDAL's OGC API Features driver (pyogrio), the CKAN
# project's Python client (ckanapi) and plain HTTP, and schemathesis fuzzing the OpenAPI definition at /api.
#
# Usage: integration/clients/run.sh [pytest arguments, e.g. -k ckan]
#   CIVIC=path/to/civic   the binary to serve with (default .build/debug/civic; this script never builds it)
#   CLIENTS_LOG_DIR=dir   server log, JUnit XML and schemathesis output (default .build/clients)
# The Python packages (integration/clients/requirements.txt, from PyPI) go into .venv-clients, reused while the
# requirements file is unchanged. The last line is `clients: N passed, M failed`; the exit status is 0 only if
# every check passed.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
civic=${CIVIC:-.build/debug/civic}
venv=.venv-clients
requirements=integration/clients/requirements.txt
log_dir=${CLIENTS_LOG_DIR:-.build/clients}
server_pid=

give_up() {  # a failure before any check ran: say why, still end on the summary line
    echo "clients: $1" >&2
    echo "clients: 0 passed, 1 failed"
    exit 1
}

stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
        kill -TERM "$server_pid" 2> /dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2> /dev/null || true
        wait "$server_pid" 2> /dev/null || true
    fi
    server_pid=
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM

[ -x "$civic" ] || give_up "no civic binary at $civic (swift build --product civic, or set CIVIC=…)"
mkdir -p "$log_dir"
log_dir=$(cd "$log_dir" && pwd)

# The virtual environment: made once, reinstalled only when requirements.txt changes.
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || give_up "python3 -m venv failed (apt-get install python3-venv)"
fi
if [ "$(cat "$stamp" 2> /dev/null)" != "$wanted" ]; then
    echo "clients: installing $(grep -cv '^\s*\(#\|$\)' "$requirements") packages into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || give_up "pip install failed"
    echo "$wanted" > "$stamp"
fi
python="$root/$venv/bin/python"

# A free port on the loopback interface (bound and released; the server takes it a moment later).
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"

# A new store file each run (datasets/ loaded afresh), with API tokens for the publishing clients: 焼津市's publisher
# and editor, and 市川市's publisher (who may not write 焼津市's data).
db="$log_dir/clients.sqlite"
rm -rf "$db" "$db-wal" "$db-shm" "$db-reports"
token() { "$civic" token create --db "$db" --municipality "$1" --role "$2" --name "clients $1 $2" 2> /dev/null; }
CIVIC_TOKEN_PUBLISHER=$(token 222127 publisher) || give_up "civic token create failed"
CIVIC_TOKEN_EDITOR=$(token 222127 editor) || give_up "civic token create failed"
CIVIC_TOKEN_OTHER=$(token 122033 publisher) || give_up "civic token create failed"
export CIVIC_TOKEN_PUBLISHER CIVIC_TOKEN_EDITOR CIVIC_TOKEN_OTHER
# The binary, for the checks that run its commands (civic tiles).
CIVIC_BIN="$root/$civic"
case "$civic" in /*) CIVIC_BIN=$civic ;; esac
export CIVIC_BIN
"$civic" serve --data datasets --db "$db" --host 127.0.0.1 --port "$port" > "$log_dir/server.log" 2>&1 &
server_pid=$!

# /health answers at once; the datasets load in the background until it says "loading": false. 60 s at most.
if ! "$python" - "$url/health" "$server_pid" << 'EOF'; then
import json, os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"the server exited before answering {url}")
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            health = json.load(response)
        if health.get("loading"):
            time.sleep(0.2)
            continue
        if health.get("status") != "ok":
            sys.exit(f"the datasets did not all load: {health}")
        print(f"clients: server up at {url.rsplit('/', 1)[0]}: {health}")
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"no answer from {url}, or still loading, after 60 s")
EOF
    tail -n 30 "$log_dir/server.log" >&2 || true
    give_up "civic serve did not start (log: $log_dir/server.log)"
fi

rc=0
CIVIC_URL=$url CLIENTS_LOG_DIR=$log_dir PYTHONDONTWRITEBYTECODE=1 \
    "$python" -m pytest -p no:cacheprovider -q -rfE --tb=short \
    --junitxml="$log_dir/junit.xml" integration/clients "$@" || rc=$?

stop_server

# pytest's counts from its JUnit XML, as the one line CI reads.
summary=$("$python" - "$log_dir/junit.xml" "$rc" << 'EOF'
import sys, xml.etree.ElementTree as ET
path, rc = sys.argv[1], int(sys.argv[2])
try:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    count = lambda name: sum(int(s.get(name, 0)) for s in suites)
    failed = count("failures") + count("errors")
    passed = count("tests") - failed - count("skipped")
except (OSError, ET.ParseError):
    passed, failed = 0, 0
if rc not in (0, 1) and failed == 0:  # pytest itself failed (usage, collection, internal error)
    failed = 1
print(passed, failed)
EOF
)
read -r passed failed <<< "$summary"
echo "clients: logs in $log_dir"
echo "clients: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
