#!/usr/bin/env python3
"""Measure what HTTP clients of a running service see while the helper refreshes it.

The HTTP counterpart of stall.py (pgbouncer): opens keep-alive client connections to the
service (idle ones, and busy ones sending GET / every few ms), runs `cutover-helper refresh`
RUNS times, and reports per run the longest time a busy client waited for an answer that
overlapped the refresh (the client-observed stall), then min/median/max, and whether every
connection survived: each must answer again on the same socket (auto-reconnect is off, so a
closed connection is an error, never a silent new one). Prints one JSON object; per run also
the helper's data (client sockets counted by the helper before/after, its gdb time).
Needs only python3; run it where 127.0.0.1:PORT is the service (inside the lab host).
"""
import argparse, http.client, json, statistics, subprocess, threading, time


def connect(host, port):
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.auto_open = 0  # a connection the server closed must fail, not reconnect
    c.connect()
    return c


def get(c, path="/"):
    c.request("GET", path, headers={"Connection": "keep-alive"})
    r = c.getresponse()
    r.read()
    return r.status


class Busy(threading.Thread):
    """GET / every interval on one connection; records (start, latency) of every request."""

    def __init__(self, conn, interval):
        super().__init__(daemon=True)
        self.conn, self.interval, self.samples, self.error, self.stop = conn, interval, [], None, False

    def run(self):
        try:
            while not self.stop:
                t0 = time.monotonic()
                get(self.conn)
                self.samples.append((t0, time.monotonic() - t0))
                time.sleep(self.interval)
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            self.error = repr(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helper", required=True, help="command to run the helper, e.g. 'sh /var/lib/cutover/bin/cutover-helper'")
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--method", default="gdb-cares")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8084)
    ap.add_argument("--idle", type=int, default=4)
    ap.add_argument("--busy", type=int, default=2)
    ap.add_argument("--interval-ms", type=float, default=2.0)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between runs")
    ap.add_argument("--run-id", default="http-stall", help="run ids are RUN-ID-N")
    ap.add_argument("--before", default="", help="shell command run before each run, outside the measured window; {i} is "
                    "the run number (e.g. to alternate resolv.conf's servers: ares_reinit takes no --servers, and the helper "
                    "skips a refresh to what the process already has)")
    a = ap.parse_args()

    idle = [connect(a.host, a.port) for _ in range(a.idle)]
    for c in idle:
        get(c)
    ports = [c.sock.getsockname()[1] for c in idle]
    busy = [Busy(connect(a.host, a.port), a.interval_ms / 1000) for _ in range(a.busy)]
    for b in busy:
        b.start()
    time.sleep(0.5)
    base = [lat for b in busy for (_, lat) in b.samples]
    runs = []
    for i in range(a.runs):
        if a.before:
            subprocess.run(a.before.replace("{i}", str(i + 1)), shell=True, check=True, capture_output=True)
        cmd = f"{a.helper} refresh --run {a.run_id}-{i + 1} {a.pid} {a.method}"
        t0 = time.monotonic()
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        t1 = time.monotonic()
        time.sleep(0.05)
        lats = [lat for b in busy for (st, lat) in b.samples if st + lat >= t0 and st <= t1]
        try:
            res = json.loads(p.stdout) if p.stdout.strip() else {}
        except json.JSONDecodeError:
            res = {"unparsed": p.stdout}
        d = res.get("data") or {}
        runs.append({"run": i + 1, "exit": p.returncode, "helper_ms": round((t1 - t0) * 1000, 1),
                     "stall_ms": round(max(lats) * 1000, 1) if lats else None,
                     "gdb_ms": d.get("gdb_ms"), "call": d.get("call"), "channels": d.get("channels"),
                     "servers_now": d.get("servers_now"), "same_process": d.get("same_process"),
                     "client_sockets_before": d.get("client_sockets_before"), "client_sockets_lost": d.get("client_sockets_lost"),
                     "error": res.get("error") or (p.stderr.strip().splitlines()[-1:] if p.returncode else None)})
        time.sleep(a.pause)
    for b in busy:
        b.stop = True
    for b in busy:
        b.join(2)
    survived = {"idle": 0, "busy": 0}
    for c, port in zip(idle, ports):
        try:
            if get(c) == 200 and c.sock.getsockname()[1] == port:
                survived["idle"] += 1
        except Exception:  # noqa: BLE001 - closed/reset: dropped
            pass
    for b in busy:
        if b.error is None:
            try:
                get(b.conn); survived["busy"] += 1
            except Exception:  # noqa: BLE001
                pass
    for c in idle + [b.conn for b in busy]:
        c.close()
    stalls = [r["stall_ms"] for r in runs if r["stall_ms"] is not None]
    out = {
        "method": a.method, "runs": len(runs), "failed_runs": sum(1 for r in runs if r["exit"] != 0),
        "stall_ms": {"min": min(stalls), "median": round(statistics.median(stalls), 2), "max": max(stalls)} if stalls else None,
        "helper_ms_median": round(statistics.median([r["helper_ms"] for r in runs]), 1) if runs else None,
        "gdb_ms": ({"min": min(g), "median": statistics.median(g), "max": max(g)}
                   if (g := [r["gdb_ms"] for r in runs if r["gdb_ms"] is not None]) else None),
        "baseline_request_ms_median": round(statistics.median(base) * 1000, 2) if base else None,
        "connections": {"opened": {"idle": a.idle, "busy": a.busy}, "survived": survived},
        "dropped": (a.idle - survived["idle"]) + (a.busy - survived["busy"]),
        "busy_errors": [b.error for b in busy if b.error],
        "per_run": runs,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
