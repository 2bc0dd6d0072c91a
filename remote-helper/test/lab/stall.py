#!/usr/bin/env python3
"""Measure what clients of a running pgbouncer see while the helper refreshes it.

Opens client sessions through pgbouncer (idle ones, ones inside an open
transaction, busy ones running SELECT 1 every few ms), runs
`cutover-helper refresh` RUNS times, and reports, per run, the longest time a
busy client waited for an answer during the refresh (the client-observed
stall), then min/median/max, and whether every session survived (the
transaction sessions must still be in the same transaction).

Speaks the PostgreSQL wire protocol itself (lab/pgwire.py, shared with
lab/pgload.py), so it needs nothing beyond python3. Run it where
127.0.0.1:PORT is the pgbouncer (inside the lab host / sandbox namespace), or
from the machine with --host (a real lab host, which has no python3 and cannot
see the repository: --helper is then e.g. `lab/lab.sh ssh HOST sh PATH`; the
SSH round trip widens the window a stall is looked for in, not the stall).
Prints one JSON object.
"""
import argparse, json, os, statistics, subprocess, sys, threading, time

sys.dont_write_bytecode = True  # no lab/__pycache__ in the working tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..", "lab"))
from pgwire import PgSession  # noqa: E402 - the path above first


class Busy(threading.Thread):
    """SELECT 1 every interval; records (start, latency) of every query."""

    def __init__(self, sess, interval):
        super().__init__(daemon=True)
        self.sess, self.interval, self.samples, self.error, self.stop = sess, interval, [], None, False

    def run(self):
        try:
            while not self.stop:
                t0 = time.monotonic()
                self.sess.query("SELECT 1")
                self.samples.append((t0, time.monotonic() - t0))
                time.sleep(self.interval)
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            self.error = repr(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helper", required=True, help="command to run the helper, e.g. 'sh /path/cutover-helper --state-dir D'")
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--pidfile", default="", help="read the pid from here before each run (online restart changes it)")
    ap.add_argument("--method", required=True)
    ap.add_argument("--servers", default="")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--host", default="127.0.0.1", help="pgbouncer's address (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=6432)
    ap.add_argument("--db", default="app")
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--password", default="")
    ap.add_argument("--idle", type=int, default=4)
    ap.add_argument("--in-tx", type=int, default=3)
    ap.add_argument("--busy", type=int, default=2)
    ap.add_argument("--interval-ms", type=float, default=2.0)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between runs")
    ap.add_argument("--command", default="", help="instead of the helper's refresh, run this shell command per run")
    ap.add_argument("--before", default="", help="shell command run before each run, outside the measured window; "
                    "{i} is the run number (e.g. to alternate resolv.conf for ares_reinit, which takes no --servers)")
    a = ap.parse_args()

    idle = [PgSession(a.host, a.port, a.db, a.user, a.password) for _ in range(a.idle)]
    intx = []
    for _ in range(a.in_tx):
        s = PgSession(a.host, a.port, a.db, a.user, a.password)
        s.query("BEGIN")
        (xid,), = s.query("SELECT txid_current()")[0]
        intx.append((s, xid))
    busy = [Busy(PgSession(a.host, a.port, a.db, a.user, a.password), a.interval_ms / 1000) for _ in range(a.busy)]
    for b in busy:
        b.start()
    time.sleep(0.5)
    base = [lat for b in busy for (_, lat) in b.samples]
    runs = []
    for i in range(a.runs):
        pid = int(open(a.pidfile).read().split()[0]) if a.pidfile else a.pid
        if a.command:
            cmd = a.command.replace("{pid}", str(pid))
        else:
            # the helper skips a refresh that would set what the process already has: rotate the
            # server list so every run makes the call it measures
            servers = a.servers.split(",") if a.servers else []
            servers = servers[i % len(servers):] + servers[:i % len(servers)] if servers else []
            cmd = f"{a.helper} refresh --run stall-{a.method}-{i + 1} {pid} {a.method}" + (
                f" --servers {','.join(servers)}" if servers else "")
        if a.before:
            subprocess.run(a.before.replace("{i}", str(i + 1)), shell=True, check=True, capture_output=True)
        t0 = time.monotonic()
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        t1 = time.monotonic()
        time.sleep(0.05)
        lats = [lat for b in busy for (st, lat) in b.samples if st + lat >= t0 and st <= t1]
        try:
            res = json.loads(p.stdout) if p.stdout.strip() else {}
        except json.JSONDecodeError:
            res = {"unparsed": p.stdout}
        runs.append({"run": i + 1, "exit": p.returncode, "helper_ms": round((t1 - t0) * 1000, 1),
                     "stall_ms": round(max(lats) * 1000, 1) if lats else None,
                     "gdb_ms": (res.get("data") or {}).get("gdb_ms"), "call": (res.get("data") or {}).get("call"),
                     "sockets_lost": (res.get("data") or {}).get("sockets_lost"),
                     "error": res.get("error") or (p.stderr.strip().splitlines()[-1:] if p.returncode else None)})
        time.sleep(a.pause)
    for b in busy:
        b.stop = True
    for b in busy:
        b.join(2)
    survived = {"idle": 0, "in_tx": 0, "busy": 0}
    query_errors = []
    for s in idle:
        try:
            s.query("SELECT 1"); survived["idle"] += 1
        except RuntimeError as e:  # an ErrorResponse: the session is still there
            survived["idle"] += 1; query_errors.append(str(e)[:200])
        except Exception:  # noqa: BLE001 - closed/reset: dropped
            pass
    for s, xid in intx:
        try:
            (x2,), = s.query("SELECT txid_current()")[0]
            if x2 == xid:
                survived["in_tx"] += 1
            s.query("COMMIT")
        except Exception:  # noqa: BLE001
            pass
    for b in busy:
        if b.error is None:
            try:
                b.sess.query("SELECT 1"); survived["busy"] += 1
            except Exception:  # noqa: BLE001
                pass
    for s in idle + [s for s, _ in intx] + [b.sess for b in busy]:
        s.close()
    stalls = [r["stall_ms"] for r in runs if r["stall_ms"] is not None]
    out = {
        "method": a.method if not a.command else a.command, "runs": len(runs), "failed_runs": sum(1 for r in runs if r["exit"] != 0),
        "stall_ms": {"min": min(stalls), "median": round(statistics.median(stalls), 2), "max": max(stalls)} if stalls else None,
        "helper_ms_median": round(statistics.median([r["helper_ms"] for r in runs]), 1),
        "gdb_ms": ({"min": min(g), "median": statistics.median(g), "max": max(g)}
                   if (g := [r["gdb_ms"] for r in runs if r["gdb_ms"] is not None]) else None),
        "baseline_query_ms_median": round(statistics.median(base) * 1000, 2) if base else None,
        "sessions": {"opened": {"idle": a.idle, "in_tx": a.in_tx, "busy": a.busy}, "survived": survived},
        "dropped": (a.idle - survived["idle"]) + (a.in_tx - survived["in_tx"]) + (a.busy - survived["busy"]),
        "busy_errors": [b.error for b in busy if b.error],
        "query_errors": query_errors,
        "per_run": runs,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
