#!/usr/bin/env python3
"""Measure what clients of a running pgbouncer see while the helper refreshes it.

Opens client sessions through pgbouncer (idle ones, ones inside an open transaction, busy ones
running SELECT 1 every few ms), runs `cutover-helper refresh` RUNS times, and reports, per run,
the longest time a busy client waited for an answer during the refresh (the client-observed
stall), then min/median/max, and whether every session survived (the transaction sessions must
still be in the same transaction). The stall meter itself is stallmeter.py, shared with the HTTP
front ends.

Speaks the PostgreSQL wire protocol itself (lab/pgwire.py, shared with lab/pgload.py), so it
needs nothing beyond python3. Run it where 127.0.0.1:PORT is the pgbouncer (inside the lab host /
sandbox namespace), or from the machine with --host (a real lab host, which has no python3 and
cannot see the repository: --helper is then e.g. `lab/lab.sh ssh HOST sh PATH`; the SSH round
trip widens the window a stall is looked for in, not the stall). Prints one JSON object.
"""
import argparse, os, sys

sys.dont_write_bytecode = True  # no lab/__pycache__ in the working tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..", "lab"))
from pgwire import PgSession  # noqa: E402 - the path above first
from stallmeter import Busy, Meter, check_args, common_args, emit, median, mmm, plain  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap, port=6432)
    ap.add_argument("--db", default="app", help="the database the sessions open through pgbouncer (the lab's: appdb)")
    ap.add_argument("--user", default="postgres", help="its user (the lab's: app)")
    ap.add_argument("--password", default="", help="its password (the lab's: app-lab-pw)")
    ap.add_argument("--in-tx", type=int, default=3, help="sessions inside an open transaction")
    a = ap.parse_args()
    check_args(ap, a)

    def session():
        return PgSession(a.host, a.port, a.db, a.user, a.password)

    idle = [session() for _ in range(a.idle)]
    intx = []
    for _ in range(a.in_tx):
        s = session()
        s.query("BEGIN")
        (xid,), = s.query("SELECT txid_current()")[0]
        intx.append((s, xid))
    def select1(s):
        s.query("SELECT 1")

    meter = Meter(a, [Busy(session, select1, a.interval_ms / 1000) for _ in range(a.busy)],
                  run_id=f"stall-{a.method}")
    runs = []
    for i in range(a.runs):
        runs.append(plain(meter.refresh(i), "gdb_ms", "call", "sockets_lost"))
        meter.pause()
    base = meter.finish()
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
    for b in meter.busy:
        if b.error is None:
            try:
                b.conn.query("SELECT 1"); survived["busy"] += 1
            except Exception:  # noqa: BLE001
                pass
    for s in idle + [s for s, _ in intx] + [b.conn for b in meter.busy]:
        s.close()
    emit({
        "method": a.method if not a.command else a.command, "runs": len(runs), "failed_runs": sum(1 for r in runs if r["exit"] != 0),
        "stall_ms": mmm([r["stall_ms"] for r in runs]),
        "helper_ms_median": median([r["helper_ms"] for r in runs], 1),
        "gdb_ms": mmm([r["gdb_ms"] for r in runs]),
        "baseline_query_ms_median": median(base),
        "sessions": {"opened": {"idle": a.idle, "in_tx": a.in_tx, "busy": a.busy}, "survived": survived},
        "dropped": (a.idle - survived["idle"]) + (a.in_tx - survived["in_tx"]) + (a.busy - survived["busy"]),
        "pid_kept": meter.pid_kept,
        "busy_errors": [b.error for b in meter.busy if b.error],
        "query_errors": query_errors,
        "per_run": runs,
    })


if __name__ == "__main__":
    main()
