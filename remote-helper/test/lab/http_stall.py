#!/usr/bin/env python3
"""Measure what HTTP clients of a running service see while the helper refreshes it.

The HTTP front end of the stall meter (stallmeter.py; stall.py is pgbouncer's): opens keep-alive
client connections to the service (idle ones, and busy ones sending GET / every few ms), runs
`cutover-helper refresh` RUNS times, and reports per run the longest time a busy client waited for
an answer that overlapped the refresh (the client-observed stall), then min/median/max, and
whether every connection survived: each must answer again on the same socket (auto-reconnect is
off, so a closed connection is an error, never a silent new one). Prints one JSON object; per run
also the helper's data (client sockets counted by the helper before/after, its gdb time).
Needs only python3; run it where 127.0.0.1:PORT is the service (inside the lab host).
"""
import argparse, sys

sys.dont_write_bytecode = True
from stallmeter import Busy, Http, Meter, check_args, common_args, emit, median, mmm, plain  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap, port=8084)
    ap.set_defaults(method="gdb-cares")
    a = ap.parse_args()
    check_args(ap, a)
    web = Http(a.host, a.port)
    idle = web.idle(a.idle)
    meter = Meter(a, [Busy(web.connect, web.get, a.interval_ms / 1000) for _ in range(a.busy)], run_id="http-stall")
    runs = []
    for i in range(a.runs):
        runs.append(plain(meter.refresh(i), "gdb_ms", "call", "channels", "servers_now", "same_process",
                          "client_sockets_before", "client_sockets_lost"))
        meter.pause()
    base = meter.finish()
    survived = {"idle": web.kept(idle), "busy": web.kept([b.conn for b in meter.busy if b.error is None])}
    for c in idle + [b.conn for b in meter.busy]:
        c.close()
    emit({
        "method": a.method, "runs": len(runs), "failed_runs": sum(1 for r in runs if r["exit"] != 0),
        "stall_ms": mmm([r["stall_ms"] for r in runs]),
        "helper_ms_median": median([r["helper_ms"] for r in runs], 1),
        "gdb_ms": mmm([r["gdb_ms"] for r in runs]),
        "baseline_request_ms_median": median(base),
        "connections": {"opened": {"idle": a.idle, "busy": a.busy}, "survived": survived},
        "dropped": (a.idle - survived["idle"]) + (a.busy - survived["busy"]), "pid_kept": meter.pid_kept,
        "busy_errors": [b.error for b in meter.busy if b.error],
        "per_run": runs,
    })


if __name__ == "__main__":
    main()
