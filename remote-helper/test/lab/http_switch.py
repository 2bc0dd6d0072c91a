#!/usr/bin/env python3
"""Measure what clients of a running HTTP service see while the helper refreshes it, and when the
service's own lookups follow a changed resolv.conf.

A front end of the stall meter (stallmeter.py). Opens keep-alive client connections to the
service on 127.0.0.1:PORT (idle ones, and busy ones sending GET / every few ms). Each run writes
/etc/resolv.conf in place, as the helper does, alternating between --old and --new (a server
answering --zone's names; the old servers do not), then runs `cutover-helper refresh --run R PID
METHOD` while a prober asks the service for a fresh name in --zone every --probe-ms: its answer
(200: the new server answered, 502: the old ones did) tells when the service's lookups switched.
Reports per run: the stall (the longest wait of a busy request overlapping the refresh), the
switch delay (resolv.conf's change to the first lookup answered by the new side) and whether the
first lookup after the refresh returned was already on the new side; then min/median/max, and
whether every client connection survived (same socket, answers after the runs) and the pid was
kept. Run it inside the lab host. Prints one JSON object.
"""
import argparse, os, sys, threading, time

sys.dont_write_bytecode = True
from stallmeter import Busy, Http, Meter, check_args, common_args, emit, median, mmm, plain  # noqa: E402


def write_resolv(text):
    with open("/etc/resolv.conf", "r+") as f:  # in place: a bind mount cannot be renamed over
        f.truncate(0)
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap, port=None)
    ap.add_argument("--old", required=True, help="the old servers, comma separated")
    ap.add_argument("--new", default="127.0.0.1", help="the new servers, comma separated (default 127.0.0.1: the local BIND)")
    ap.add_argument("--zone", required=True, help="a zone only --new answers")
    ap.add_argument("--probe-ms", type=int, default=20, help="ms between the prober's lookups of fresh names (default 20)")
    a = ap.parse_args()
    check_args(ap, a)
    web = Http(a.host, a.port)
    idle = web.idle(a.idle)
    probe_conn = web.connect()
    meter = Meter(a, [Busy(web.connect, web.get, a.interval_ms / 1000) for _ in range(a.busy)], run_id="hs-%d" % os.getpid())
    runs, seq = [], 0
    original = open("/etc/resolv.conf").read()

    def lookup(prefix, i):
        """The service's answer for a fresh name, on the prober's own keep-alive connection (one the refresh counts too)."""
        nonlocal seq
        seq += 1
        return web.get(probe_conn, "/resolve?name=%s%d-%d-%d.%s" % (prefix, os.getpid(), i, seq, a.zone)) == 200

    try:
        for i in range(a.runs):
            to_new = i % 2 == 0
            write_resolv("".join("nameserver %s\n" % s for s in (a.new if to_new else a.old).split(",")))
            changed = time.monotonic()
            switched, done = [None], threading.Event()

            def probe(to_new=to_new, i=i):
                while not done.is_set():
                    t = time.monotonic()
                    if lookup("p", i) == to_new and switched[0] is None:
                        switched[0] = t - changed
                    time.sleep(a.probe_ms / 1000)

            prober = threading.Thread(target=probe, daemon=True)
            prober.start()
            r = meter.refresh(i, settle=0)
            done.set()
            prober.join()
            r["direction"] = "new" if to_new else "old"
            r["switch_ms"] = None if switched[0] is None else round(switched[0] * 1000, 1)
            r["first_lookup_after_refresh_switched"] = lookup("a", i) == to_new
            runs.append(plain(r, "waited_ms", "client_sockets_lost"))
            meter.pause()
    finally:
        write_resolv(original)
    base = meter.finish()
    alive = web.kept(idle) + web.kept([b.conn for b in meter.busy if b.error is None])
    emit({"runs": len(runs), "method": a.method, "pid_kept": meter.pid_kept, "connections": a.idle + a.busy,
          "dropped": a.idle + a.busy - alive, "busy_errors": [b.error for b in meter.busy if b.error],
          "failed_runs": sum(1 for r in runs if r["exit"] != 0),
          "not_switched_after_refresh": sum(1 for r in runs if not r["first_lookup_after_refresh_switched"]),
          "stall_ms": mmm([r["stall_ms"] for r in runs]),
          "baseline_ms": {"requests": len(base), "median": median(base), "max": round(max(base), 2)} if base else None,
          "switch_ms": mmm([r["switch_ms"] for r in runs]), "refresh_ms": mmm([r["helper_ms"] for r in runs]), "per_run": runs})


if __name__ == "__main__":
    main()
