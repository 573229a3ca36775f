"""Helpers the benchmarks share."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request


def serve(civic, data, db, port, datasets=1, timeout=900):
    """`civic serve` of the folder `data` into the store `db` on `port`, once it has loaded `datasets` datasets (None:
    once it has loaded what the folder holds, however many)."""
    process = subprocess.Popen([civic, "serve", "--data", data, "--db", db, "--port", str(port), "--log-level", "critical"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                health = json.load(response)
            if not health.get("loading") and (datasets is None or health.get("datasets") == datasets):
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    sys.exit(f"the server did not load the data in {timeout // 60} minutes")


def settle(process, timeout=300):
    """Waits until the server `process` has been idle for two seconds in a row (under 3 % of a core): work it does in
    the background after loading (download sizes, point grids) would otherwise be measured with the first requests."""
    def cpu():
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    ticks = os.sysconf("SC_CLK_TCK")
    deadline = time.time() + timeout
    quiet = 0
    last = cpu()
    while quiet < 2 and time.time() < deadline:
        time.sleep(1)
        now = cpu()
        quiet = quiet + 1 if now - last < 0.03 * ticks else 0
        last = now


def request(url, method="GET", token=None, body=None, timeout=60, headers=None, content_type="application/json"):
    """(status, body), or (None, b"") when the server did not answer (killed, not yet up)."""
    headers = {**({"Content-Type": content_type} if body is not None else {}), **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, b""


def nginx_config(port, root, scratch, default_type, http_extra="", server_extra="", keepalive_timeout=None):
    """nginx serving the files under `root` on 127.0.0.1:`port` as the practical limit the server benchmarks compare
    Civic with: a worker a core, sendfile, no access log, connections kept for the whole run; its pid, log and
    temporary files under `scratch`. `http_extra` and `server_extra` are lines added to those blocks."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    timeout = f"    keepalive_timeout {keepalive_timeout};\n" if keepalive_timeout is not None else ""
    return f"""{user}worker_processes 2;
daemon off;
pid {scratch}/nginx.pid;
error_log {scratch}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
{timeout}    client_body_temp_path {scratch}/body;
    proxy_temp_path {scratch}/proxy;
    fastcgi_temp_path {scratch}/fastcgi;
    uwsgi_temp_path {scratch}/uwsgi;
    scgi_temp_path {scratch}/scgi;
    types {{ }}
    default_type {default_type};
{http_extra}    server {{
        listen 127.0.0.1:{port};
        root {root};
{server_extra}    }}
}}
"""

