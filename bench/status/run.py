#!/usr/bin/env python3
"""Live shelter status, measured (release build): the change feed as Server-Sent Events under load, and kill -9.

1. Fan-out: --subscribers concurrent SSE subscribers (`GET /collections/yaizu-evacuation-space-status/changes`,
   `Accept: text/event-stream`, on loopback; held by `sse_client.c`, one epoll loop reading HTTP/1.1 by hand — a
   Python asyncio client cost about 17 µs of CPU per event, which the 2-core machine's server needed) while --rate
   status updates per second (`PATCH` merge patches of 避難者数 and 状態, paced evenly, from --writers keep-alive
   connections, round the table's shelters) are written for --duration seconds. Each update carries a unique
   避難者数; after the run the JSON change feed maps each acknowledged update to its event id. For every subscriber:
   every event id expected received exactly once (0 lost, 0 duplicated), ids strictly increasing; a subscriber the
   server closes (fell more than 4,096 events behind) reconnects with Last-Event-ID and is still checked
   exactly-once. Latency per (subscriber, event) = time received − time the PATCH was acknowledged (and − time it was
   sent); target p99 ≤ 1 s. The server's RSS is sampled every second (target: flat); the CPU of the server, the
   client, the writers and the rest of the machine is measured (the client must not be the bottleneck).
2. Resume: --resumers of the subscribers drop their connection mid-run for --gap seconds and come back with
   Last-Event-ID: they must get exactly the events they missed (then the live ones), none twice.
3. kill -9 (--kills rounds): a burst of PATCHes from --burst-writers threads (each owning its shelters), the server
   killed at a random moment, the store checked (`PRAGMA integrity_check` on a copy of the files as the crash left
   them), the server restarted on the same --db: each shelter holds its last acknowledged value or the one in flight,
   every acknowledged update is in the change feed, the JSON feed's ids strictly increase, and one subscriber connected
   all along (it reconnects with Last-Event-ID after each restart) has every change of the feed exactly once.

Prints the figures of all three in one run; exits 1 when a check fails (targets missed are printed, not fatal).
"""
import argparse
import array
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from common import request  # noqa: E402
HOST = "127.0.0.1"
COLLECTION = "yaizu-evacuation-space-status"  # 焼津市's 指定緊急避難場所 status table
MUNICIPALITY = "222127"
STATES = ["開設", "満員", "開設", "閉鎖", "開設準備中", "未開設"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the server ------------------------------------------------------------------------------------------------------


def start(civic, data, db, port):
    """Starts `civic serve` on `db` and waits until /health says the data folder is loaded (it loads in the
    background)."""
    process = subprocess.Popen(
        [civic, "serve", "--data", data, "--db", db, "--host", HOST, "--port", str(port), "--log-level", "critical"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"civic serve exited ({process.returncode}) before answering")
        status, body = request(f"http://{HOST}:{port}/health", timeout=2)
        if status == 200 and not json.loads(body).get("loading"):
            return process
        time.sleep(0.1)
    process.kill()
    sys.exit("the server did not start")


def stop(server):
    """Stops the server with SIGTERM (SIGKILL after 40 s); the seconds it took, None when it had to be killed. The
    caller closes its event streams first: a graceful shutdown waits for open responses, an event stream never ends
    on its own, and the server notices a subscriber that left only when it next writes to it (a heartbeat, 15 s)."""
    started = time.monotonic()
    server.terminate()
    try:
        server.wait(timeout=40)
        return time.monotonic() - started
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return None


def free_port():
    """A port for a server: below the kernel's ephemeral range (32768 and up), which client connections take."""
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
                return port
            except OSError:
                continue


def rss_kib(pid, field="VmRSS"):
    """The process's resident memory (VmRSS; RssAnon: its own allocations, not the store's mapped pages), KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time the process has used, s."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy():
    """CPU time all the machine's cores have been busy since boot, s (from /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


def changes(base, since):
    """The collection's JSON change feed after `since`: [(seq, feature id, 避難者数, 状態)], every page."""
    out = []
    while True:
        status, body = request(f"{base}/collections/{COLLECTION}/changes?since={since}&limit=10000")
        if status != 200:
            sys.exit(f"GET changes: {status} {body[:300]!r}")
        page = json.loads(body)
        for change in page["changes"]:
            properties = (change.get("feature") or {}).get("properties") or {}
            out.append((change["seq"], change["id"], properties.get("避難者数"), properties.get("状態")))
        if not page["more"]:
            return out
        since = int(page["next"])


def latest(base):
    """The collection's latest change id."""
    feed = changes(base, 0)
    return feed[-1][0] if feed else 0


def shelters(base):
    """The status table's feature ids."""
    status, body = request(f"{base}/collections/{COLLECTION}/items?limit=1000")
    if status != 200:
        sys.exit(f"GET items: {status} {body[:300]!r}")
    return [feature["id"] for feature in json.loads(body)["features"]]


# --- Server-Sent Events, read by hand ---------------------------------------------------------------------------------

ID_LINE = re.compile(rb"(?m)^id: (\d+)$")


class SSEParser:
    """An HTTP/1.1 response carrying an event stream: the status line and headers, then the chunked body (the
    server sends one chunk per write), then the events; yields each event's id. `finished` once the server ended the
    body (the zero chunk: it closed a subscriber that fell behind)."""

    def __init__(self):
        self.buffer = bytearray()
        self.events = bytearray()
        self.headers = None
        self.finished = False

    def feed(self, data):
        """The ids of the events completed by `data`."""
        buffer = self.buffer
        buffer += data
        if self.headers is None:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return []
            head = bytes(buffer[:end]).decode("latin-1")
            del buffer[: end + 4]
            status = head.split("\r\n", 1)[0]
            if " 200 " not in status + " ":
                raise ConnectionError(f"event stream refused: {head[:200]}")
            if "transfer-encoding: chunked" not in head.lower():
                raise ConnectionError(f"event stream not chunked: {head[:300]}")
            self.headers = head
        position, length = 0, len(buffer)
        while True:
            line_end = buffer.find(b"\r\n", position)
            if line_end < 0:
                break
            size = int(bytes(buffer[position:line_end]).split(b";", 1)[0], 16)
            if size == 0:
                self.finished = True
                position = length
                break
            if length < line_end + 4 + size:
                break
            self.events += buffer[line_end + 2 : line_end + 2 + size]
            position = line_end + 4 + size
        if position:
            del buffer[:position]
        end = self.events.rfind(b"\n\n")
        if end < 0:
            return []
        ids = ID_LINE.findall(self.events, 0, end + 2)
        del self.events[: end + 2]
        return ids


def stream_request(port, last_id):
    """The request for the event stream (from now, or after `last_id`)."""
    resume = f"Last-Event-ID: {last_id}\r\n" if last_id is not None else ""
    return (f"GET /collections/{COLLECTION}/changes HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
            f"{resume}\r\n").encode()


class Subscribers:
    """`count` subscribers held by one `sse_client` process (numbered from `first`; the first `resumers` leave during
    the run for `gap` s and come back with Last-Event-ID)."""

    def __init__(self, client, port, first, count, resumers, gap, folder):
        self.output = os.path.join(folder, f"received-{first}.bin")
        self.process = subprocess.Popen(
            [client, str(port), f"/collections/{COLLECTION}/changes", str(count), str(first), str(resumers), str(gap), self.output],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.pid = self.process.pid

    def wait_subscribed(self):
        """Waits until every subscriber's stream is open (the server registers a subscriber before it answers)."""
        if self.process.stdout.readline().strip() != "subscribed":
            sys.exit("the subscribers did not connect")

    def command(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def results(self):
        """Waits for the client to finish; per subscriber (index, ids, receive times, closed by the server,
        connections, errors, gap: (last id before, left, back) or None)."""
        if self.process.stdout.readline().strip() != "done":
            sys.exit("the subscriber client failed")
        self.process.wait()
        with open(self.output, "rb") as file:
            data = file.read()
        out, offset = [], 0
        while offset < len(data):
            index, closed, connections, errors, count, before, left, back = struct.unpack_from("<4i2q2d", data, offset)
            offset += 48
            ids = array.array("q")
            ids.frombytes(data[offset : offset + 8 * count])
            offset += 8 * count
            times = array.array("d")
            times.frombytes(data[offset : offset + 8 * count])
            offset += 8 * count
            gap = None if before == -2 else (None if before < 0 else before, left, back)
            out.append((index, ids, times, closed, connections, errors, gap))
        return out


# --- the writers ------------------------------------------------------------------------------------------------------


class Connection:
    """A keep-alive HTTP/1.1 connection for PATCHes."""

    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.http = None

    def patch(self, feature, properties, timeout=120):
        """(status, body) of a merge patch of `feature`; (None, b"") when the server did not answer."""
        body = json.dumps({"properties": properties}).encode()
        headers = {"Content-Type": "application/merge-patch+json", "Authorization": f"Bearer {self.token}"}
        try:
            if self.http is None:
                self.http = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
            self.http.request("PATCH", f"/collections/{COLLECTION}/items/{feature}", body=body, headers=headers)
            response = self.http.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            if self.http is not None:
                self.http.close()
            self.http = None
            return None, b""


def paced_writes(port, token, features, rate, duration, writers, first_value, t0):
    """`rate` PATCHes per second for `duration` s, the i-th sent at t0 + i/rate (by whichever of `writers`
    connections is free), round the shelters; each sets 避難者数 to first_value + i (unique) and a 状態. Returns
    [(value, feature, sent, acknowledged or None, status, scheduled)]."""
    total = int(rate * duration)
    counter = itertools.count()
    records = []

    def writer():
        connection = Connection(port, token)
        while True:
            index = next(counter)
            if index >= total:
                return
            wait = t0 + index / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            value = first_value + index
            feature = features[index % len(features)]
            sent = time.monotonic()
            status, body = connection.patch(feature, {"避難者数": value, "状態": STATES[index % len(STATES)]})
            acknowledged = time.monotonic() if status is not None and 200 <= status < 300 else None
            if acknowledged is None and status is not None:
                print(f"PATCH {feature}: {status} {body[:200]!r}", file=sys.stderr)
            records.append((value, feature, sent, acknowledged, status, t0 + index / rate))

    threads = [threading.Thread(target=writer, daemon=True) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return records


def percentile(values, q):
    """The q-quantile of sorted `values` (nearest rank)."""
    return values[min(len(values) - 1, max(0, int(q * len(values) + 0.5) - 1))] if values else float("nan")


# --- 1 and 2: fan-out and resume --------------------------------------------------------------------------------------


def fan_out(args, civic, data, db, token, client, work):
    """Phase 1 and 2; returns the problems found (lost, duplicated, out of order, unacknowledged)."""
    port = free_port()
    server = start(civic, data, db, port)
    base = f"http://{HOST}:{port}"
    problems = []
    try:
        features = shelters(base)
        idle_rss = rss_kib(server.pid)
        processes = max(1, min(args.client_processes, args.subscribers))
        share = [args.subscribers // processes + (1 if i < args.subscribers % processes else 0) for i in range(processes)]
        workers, first = [], 0
        resumers_left = args.resumers
        started = time.monotonic()
        for count in share:
            resumers = min(resumers_left, count)
            resumers_left -= resumers
            workers.append(Subscribers(client, port, first, count, resumers, args.gap, work))
            first += count
        for worker in workers:
            worker.wait_subscribed()
        connect_time = time.monotonic() - started
        base_seq = latest(base)
        connected_rss = rss_kib(server.pid)

        # RSS every second while the updates are written.
        samples, anonymous, sampling = [], [], threading.Event()

        def sample():
            while not sampling.wait(1.0):
                samples.append(rss_kib(server.pid))
                anonymous.append(rss_kib(server.pid, "RssAnon"))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        cpu_before = [cpu_seconds(w.pid) for w in workers]
        server_cpu_before = cpu_seconds(server.pid)
        own_cpu_before = cpu_seconds(os.getpid())
        machine_before = machine_busy()
        t0 = time.monotonic() + 0.2
        for worker in workers:
            worker.command(f"start {t0} {args.duration}")
        records = paced_writes(port, token, features, args.rate, args.duration, args.writers, 1, t0)
        written = time.monotonic() - t0
        cpu_after = [cpu_seconds(w.pid) for w in workers]
        server_cpu_after = cpu_seconds(server.pid)
        own_cpu = (cpu_seconds(os.getpid()) - own_cpu_before) / written
        machine = (machine_busy() - machine_before) / written
        sampling.set()
        sampler.join()

        feed = [change for change in changes(base, base_seq)]
        target = feed[-1][0] if feed else base_seq
        draining = time.monotonic()
        for worker in workers:
            worker.command(f"drain {target} {time.monotonic() + args.drain}")
        received = []
        for worker in workers:
            received += worker.results()
        drained = time.monotonic() - draining
        end_rss = rss_kib(server.pid)
    finally:
        stopped = stop(server)

    # Each acknowledged update's event id, by its unique 避難者数.
    seq_of = {}
    for seq, feature, value, _ in feed:
        if value in seq_of:
            problems.append(f"value {value} twice in the change feed")
        seq_of[value] = seq
    acknowledged = [r for r in records if r[3] is not None]
    ack_of, sent_of = {}, {}
    for value, feature, sent, ack, _, _ in acknowledged:
        seq = seq_of.get(value)
        if seq is None:
            problems.append(f"acknowledged update {value} of {feature} is not in the change feed")
            continue
        ack_of[seq] = ack
        sent_of[seq] = sent
    expected = [seq for seq, _, _, _ in feed]
    unexplained = [seq for seq in expected if seq not in ack_of]

    # Per subscriber: exactly once, in order; latencies.
    expected_set = set(expected)
    counts, lost_total, duplicated_total, disorder_total, extra_total = [], 0, 0, 0, 0
    latencies, latencies_sent = [], []
    closed, reconnected, errors, bad_subscribers = 0, 0, 0, 0
    resumed = []
    for index, ids, times, closed_by_server, connections, errs, gap in received:
        closed += closed_by_server
        reconnected += connections - 1
        errors += errs
        got = [seq for seq in ids if seq in expected_set]
        unique = set(got)
        lost = len(expected_set - unique)
        duplicated = len(got) - len(unique)
        disorder = sum(1 for a, b in zip(ids, ids[1:]) if b <= a)
        extra = len(ids) - len(got)  # ids outside the run's changes (none expected)
        counts.append(len(ids))
        lost_total += lost
        duplicated_total += duplicated
        disorder_total += disorder
        extra_total += extra
        if lost or duplicated or disorder or extra:
            bad_subscribers += 1
        seen = set()
        # A resumer's missed events come late by design (it was away): left out of the latencies.
        back = gap[2] if gap is not None else float("inf")
        for seq, at in zip(ids, times):
            if seq in ack_of and seq not in seen:
                seen.add(seq)
                if at >= back and ack_of[seq] < back:
                    continue
                latencies.append(at - ack_of[seq])
                latencies_sent.append(at - sent_of[seq])
        if gap is not None:
            before, left, back = gap
            # What it missed: the changes after its last id before leaving, acknowledged before it came back.
            missed = [seq for seq in expected if seq > (before or base_seq) and ack_of.get(seq, 0) <= back]
            missed_set = set(missed)
            got_missed = [seq for seq, at in zip(ids, times) if at >= back and seq in missed_set]
            resumed.append((index, back - left, len(missed), len(set(got_missed)), len(got_missed) - len(set(got_missed)),
                            len(set(missed) - set(got_missed))))
    latencies.sort()
    latencies_sent.sort()

    samples = samples or [end_rss]
    window = max(1, min(10, len(samples) // 2))
    first_avg = sum(samples[:window]) / window
    last_avg = sum(samples[-window:]) / window
    client_cpu = [(after - before) / written for before, after in zip(cpu_before, cpu_after)]
    server_cpu = (server_cpu_after - server_cpu_before) / written
    patch_times = sorted(r[3] - r[2] for r in acknowledged)
    behind = sorted(r[2] - r[5] for r in records)
    late_events = sum(1 for x in latencies if x > 1.0)

    def ms(values, q):
        return percentile(values, q) * 1000

    print(f"fan-out: {len(received)} SSE subscribers on {COLLECTION} (loopback, {len(workers)} sse_client process{'es' if len(workers) > 1 else ''}, "
          f"all connected in {connect_time:.1f} s); {args.rate:g} updates/s for {args.duration:g} s from {args.writers} connections")
    print(f"  updates: {len(records)} written, {len(acknowledged)} acknowledged ({len(acknowledged) / written:.1f}/s); "
          f"PATCH p50 {ms(patch_times, 0.5):.1f} ms, p99 {ms(patch_times, 0.99):.1f} ms, max {ms(patch_times, 1):.1f} ms; "
          f"sent behind schedule p99 {ms(behind, 0.99):.1f} ms")
    print(f"  events: {len(expected)} expected per subscriber, received min {min(counts)} max {max(counts)}; "
          f"lost {lost_total}, duplicated {duplicated_total}, out of order {disorder_total}, unexpected {extra_total} "
          f"(subscribers with any: {bad_subscribers}); changes not from an acknowledged update {len(unexplained)}")
    total = sum(counts)
    span = max((times[-1] for _, _, times, _, _, _, _ in received if len(times)), default=t0) - t0
    print(f"  delivered {total:,} events in {span:.1f} s from the first write ({total / max(span, 1e-9):,.0f} events/s); every subscriber "
          f"had the last one {drained:.1f} s after the last write (waits at most --drain {args.drain:g} s)")
    print(f"  closed by the server (fell behind) {closed}, reconnections {reconnected} (resumers' included), client errors {errors}")
    print(f"  latency received − acknowledged ({len(latencies):,} events): p50 {ms(latencies, 0.5):.0f} ms, p90 {ms(latencies, 0.9):.0f} ms, "
          f"p99 {ms(latencies, 0.99):.0f} ms, max {ms(latencies, 1):.0f} ms; over 1 s: {late_events:,} "
          f"({100 * late_events / max(1, len(latencies)):.2f} %) — target p99 ≤ 1000 ms: {'met' if latencies and percentile(latencies, 0.99) <= 1.0 else 'MISSED'}")
    print(f"  latency received − sent: p50 {ms(latencies_sent, 0.5):.0f} ms, p90 {ms(latencies_sent, 0.9):.0f} ms, "
          f"p99 {ms(latencies_sent, 0.99):.0f} ms, max {ms(latencies_sent, 1):.0f} ms")
    print(f"  server RSS: idle {idle_rss / 1024:.1f} MiB, with subscribers {connected_rss / 1024:.1f} MiB; while writing "
          f"first {window} s avg {first_avg / 1024:.1f} MiB, last {window} s avg {last_avg / 1024:.1f} MiB, max {max(samples) / 1024:.1f} MiB, "
          f"growth {(last_avg - first_avg) / 1024:+.1f} MiB ({100 * (last_avg - first_avg) / first_avg:+.1f} %); after drain {end_rss / 1024:.1f} MiB")
    # The trend: the average of each sixth of the run (flat, or still growing?).
    sixth = max(1, len(samples) // 6)
    trend = [sum(samples[i:i + sixth]) / len(samples[i:i + sixth]) / 1024 for i in range(0, len(samples), sixth)][:6]
    print(f"  server RSS by sixth of the run: {', '.join(f'{value:.0f}' for value in trend)} MiB")
    if anonymous:
        trend = [sum(anonymous[i:i + sixth]) / len(anonymous[i:i + sixth]) / 1024 for i in range(0, len(anonymous), sixth)][:6]
        print(f"  of which anonymous (RssAnon: allocations, SQLite's page caches) by sixth: {', '.join(f'{value:.0f}' for value in trend)} MiB")
    print(f"  CPU while writing: server {100 * server_cpu:.0f} % of a core; subscriber client "
          f"{', '.join(f'{100 * c:.0f} %' for c in client_cpu)} (total {100 * sum(client_cpu):.0f} %), writers {100 * own_cpu:.0f} %, "
          f"rest of the machine (other processes, interrupts) {100 * max(0.0, machine - server_cpu - sum(client_cpu) - own_cpu):.0f} % (machine busy {100 * machine:.0f} % of {os.cpu_count()} cores' {100 * os.cpu_count()} %)")
    print(f"  SIGTERM after every subscriber left: {'exit after %.1f s' % stopped if stopped is not None else 'no exit in 40 s (killed)'}")
    if resumed:
        ok = all(got == missed and dup == 0 and lost == 0 for _, _, missed, got, dup, lost in resumed)
        print(f"resume with Last-Event-ID: {len(resumed)} subscribers away {min(r[1] for r in resumed):.1f}–{max(r[1] for r in resumed):.1f} s; "
              f"missed {', '.join(str(r[2]) for r in resumed)} events; got back exactly those, none twice: {'yes' if ok else 'NO'}")
        for index, away, missed, got, dup, lost in resumed:
            if not (got == missed and dup == 0 and lost == 0):
                problems.append(f"resumer {index}: missed {missed}, got {got} of them, {dup} twice, {lost} never")
    if lost_total or duplicated_total or disorder_total or extra_total:
        problems.append(f"fan-out: lost {lost_total}, duplicated {duplicated_total}, out of order {disorder_total}, unexpected {extra_total}")
    if len(acknowledged) != len(records):
        problems.append(f"fan-out: {len(records) - len(acknowledged)} updates not acknowledged")
    return problems


# --- 3: kill -9 -------------------------------------------------------------------------------------------------------


class FeedFollower:
    """One subscriber kept across server restarts: it reads the stream until the server dies, then (told the new
    port) reconnects with Last-Event-ID. Every id received, in order."""

    def __init__(self):
        self.ids = []
        self.port = None
        self.wake = threading.Condition()
        self.generation = 0
        self.connected = threading.Event()
        self.stop = False
        self.connection = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def follow(self, port):
        """Connects (again) to the server on `port`; returns once the stream is open."""
        with self.wake:
            self.port = port
            self.generation += 1
            self.connected.clear()
            self.wake.notify_all()
        if not self.thread.is_alive():
            self.thread.start()
        if not self.connected.wait(30):
            sys.exit("the feed follower did not connect")

    def run(self):
        generation = 0
        while not self.stop:
            with self.wake:
                while self.generation == generation and not self.stop:
                    self.wake.wait()
                generation, port = self.generation, self.port
            try:
                with socket.create_connection((HOST, port), timeout=30) as connection:
                    self.connection = connection
                    connection.sendall(stream_request(port, self.ids[-1] if self.ids else None))
                    parser = SSEParser()
                    connection.settimeout(None)
                    while not parser.finished:
                        data = connection.recv(65536)
                        if not data:
                            break
                        self.ids += [int(raw) for raw in parser.feed(data)]
                        if parser.headers is not None:
                            self.connected.set()
            except OSError:
                pass

    def close(self):
        """Leaves for good."""
        with self.wake:
            self.stop = True
            self.wake.notify_all()
        if self.connection is not None:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.thread.join(timeout=5)

    def wait_for(self, seq, timeout=30):
        """Waits until it has received `seq` (or later)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ids and self.ids[-1] >= seq:
                return True
            time.sleep(0.02)
        return False


def current_values(base, features):
    """{feature: 避難者数} as the server answers now."""
    status, body = request(f"{base}/collections/{COLLECTION}/items?limit=1000")
    if status != 200:
        sys.exit(f"GET items: {status}")
    values = {feature["id"]: feature["properties"].get("避難者数") for feature in json.loads(body)["features"]}
    return {feature: values.get(feature) for feature in features}


def integrity(db):
    """`PRAGMA integrity_check` of a copy of the store's files as the crash left them (the main file and its WAL;
    checking the files themselves would recover and checkpoint the WAL before the server's own restart does)."""
    folder = tempfile.mkdtemp(prefix="civic-status-check-")
    try:
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                shutil.copyfile(db + suffix, os.path.join(folder, "copy.sqlite" + suffix))
        connection = sqlite3.connect(os.path.join(folder, "copy.sqlite"))
        result = connection.execute("PRAGMA integrity_check").fetchall()
        connection.close()
        return [row[0] for row in result]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def kills(args, civic, data, db, token):
    """Phase 3; returns the problems found."""
    problems = []
    port = free_port()
    server = start(civic, data, db, port)
    base = f"http://{HOST}:{port}"
    features = shelters(base)
    expected = current_values(base, features)  # what each shelter must hold: its last acknowledged value
    follower = FeedFollower()
    follower.follow(port)
    first_seq = latest(base)
    counter = itertools.count(10_000_000)
    acknowledged_total, in_flight_total, in_flight_durable, restart_times, caught_up = 0, 0, 0, [], []
    lock = threading.Lock()
    try:
        for round_number in range(args.kills):
            acknowledged, in_flight, halt = [], {}, threading.Event()

            def burst(owned):
                connection = Connection(port, token)
                state = 0
                while not halt.is_set():
                    feature = owned[state % len(owned)]
                    value = next(counter)
                    with lock:
                        in_flight[feature] = value
                    status, body = connection.patch(feature, {"避難者数": value, "状態": STATES[state % len(STATES)]}, timeout=10)
                    state += 1
                    if status is None:
                        return
                    if 200 <= status < 300:
                        with lock:
                            acknowledged.append((feature, value))
                            del in_flight[feature]
                    else:
                        with lock:
                            del in_flight[feature]
                        print(f"PATCH {feature}: {status} {body[:200]!r}", file=sys.stderr)

            owners = [features[k :: args.burst_writers] for k in range(args.burst_writers)]
            threads = [threading.Thread(target=burst, args=(owned,), daemon=True) for owned in owners if owned]
            for thread in threads:
                thread.start()
            time.sleep(random.uniform(0.1, args.kill_within))
            server.send_signal(signal.SIGKILL)
            server.wait()
            for thread in threads:
                thread.join(timeout=15)
            halt.set()
            checked = integrity(db)
            if checked != ["ok"]:
                problems.append(f"round {round_number}: integrity_check {checked[:5]}")

            port = free_port()
            started = time.monotonic()
            server = start(civic, data, db, port)
            restart_times.append(time.monotonic() - started)
            base = f"http://{HOST}:{port}"
            acknowledged_total += len(acknowledged)
            in_flight_total += len(in_flight)

            # Every shelter holds its last acknowledged value, or the one in flight at the kill.
            now = current_values(base, features)
            for feature, value in acknowledged:
                expected[feature] = value
            for feature in features:
                allowed = {expected[feature]} | ({in_flight[feature]} if feature in in_flight else set())
                if now[feature] not in allowed:
                    problems.append(f"round {round_number}: shelter {feature} holds {now[feature]}, last acknowledged "
                                    f"{expected[feature]}, in flight {in_flight.get(feature)}")
                if feature in in_flight and now[feature] == in_flight[feature]:
                    in_flight_durable += 1
                expected[feature] = now[feature]

            # The JSON feed: ids strictly increasing, every acknowledged update in it once.
            feed = changes(base, 0)
            seqs = [change[0] for change in feed]
            if any(b <= a for a, b in zip(seqs, seqs[1:])):
                problems.append(f"round {round_number}: the JSON feed's ids do not strictly increase")
            values = {}
            for seq, feature, value, _ in feed:
                values[value] = values.get(value, 0) + 1
            for feature, value in acknowledged:
                if values.get(value) != 1:
                    problems.append(f"round {round_number}: acknowledged {feature}={value} is {values.get(value, 0)} times in the feed")

            # The follower comes back with Last-Event-ID and gets every change since it first connected, once.
            follower.follow(port)
            resumed = time.monotonic()
            last = seqs[-1] if seqs else 0
            if not follower.wait_for(last):
                problems.append(f"round {round_number}: the follower did not get up to {last} (has {follower.ids[-1:] })")
            caught_up.append(time.monotonic() - resumed)
            should = [seq for seq in seqs if seq > first_seq]
            if follower.ids != should:
                got = set(follower.ids)
                problems.append(f"round {round_number}: follower has {len(follower.ids)} ids ({len(follower.ids) - len(got)} twice), "
                                f"the feed {len(should)}; missing {sorted(set(should) - got)[:10]}, extra {sorted(got - set(should))[:10]}")
        feed_size = len(follower.ids)
    finally:
        follower.close()
        stopped = stop(server)
    restart_times.sort()
    print(f"kill -9 during bursts ({args.burst_writers} writers): {args.kills} kills, {acknowledged_total} PATCHes acknowledged, "
          f"{in_flight_total} in flight at the kills ({in_flight_durable} of them durable anyway)")
    print(f"  after every restart: integrity_check ok, every shelter its last acknowledged (or in-flight) value, every "
          f"acknowledged update once in the feed, feed ids increasing: {'yes' if not problems else 'NO'}")
    print(f"  one subscriber across all restarts (Last-Event-ID): {feed_size} events, each change of the feed exactly once: "
          f"{'yes' if not any('follower' in p for p in problems) else 'NO'}; restart to ready p50 {percentile(restart_times, 0.5):.1f} s, "
          f"max {restart_times[-1] if restart_times else 0:.1f} s")
    print(f"  SIGTERM after the subscriber left: {'exit after %.1f s' % stopped if stopped is not None else 'no exit in 40 s (killed)'}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--data", default=os.path.join(ROOT, "datasets"))
    parser.add_argument("--duration", type=float, default=60, help="seconds of updates (default 60)")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100, help="status updates per second (default 100)")
    parser.add_argument("--writers", type=int, default=16, help="connections writing the paced updates")
    parser.add_argument("--client-processes", type=int, default=1, help="sse_client processes holding the subscribers")
    parser.add_argument("--resumers", type=int, default=5, help="subscribers that leave mid-run and resume with Last-Event-ID")
    parser.add_argument("--gap", type=float, default=3, help="seconds a resumer stays away")
    parser.add_argument("--drain", type=float, default=180, help="seconds the subscribers may take to get the last event after the writes")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--burst-writers", type=int, default=4)
    parser.add_argument("--kill-within", type=float, default=1.5, help="the kill comes 0.1 to this many s into a burst")
    args = parser.parse_args()
    civic = os.path.abspath(args.civic)
    if not os.access(civic, os.X_OK):
        sys.exit(f"no civic binary at {civic}")
    work = tempfile.mkdtemp(prefix="civic-status-")
    try:
        db = os.path.join(work, "civic.sqlite")
        token = subprocess.run([civic, "token", "create", "--db", db, "--municipality", MUNICIPALITY, "--role", "publisher",
                                "--name", "bench"], capture_output=True, text=True, check=True).stdout.strip()
        problems = []
        if args.duration > 0 and args.subscribers > 0:
            client = os.path.join(work, "sse_client")
            subprocess.run(["cc", "-O2", "-o", client, os.path.join(HERE, "sse_client.c")], check=True)
            problems += fan_out(args, civic, args.data, db, token, client, work)
        if args.kills > 0:
            problems += kills(args, civic, args.data, db, token)
        for problem in problems[:30]:
            print("  " + problem)
        if problems:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
