"""Helpers the benchmarks share."""
import json
import subprocess
import sys
import time
import urllib.request


def serve(civic, data, db, port, datasets=1, timeout=900):
    """`civic serve` of the folder `data` into the store `db` on `port`, once it has loaded `datasets` datasets."""
    process = subprocess.Popen([civic, "serve", "--data", data, "--db", db, "--port", str(port), "--log-level", "critical"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                health = json.load(response)
            if not health.get("loading") and health.get("datasets") == datasets:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    sys.exit(f"the server did not load the data in {timeout // 60} minutes")
