#!/usr/bin/env python3
"""Measure what clients of a running HTTP service see while the helper refreshes it, and when the
service's own lookups follow a changed resolv.conf.

Opens keep-alive client connections to the service on 127.0.0.1:PORT (idle ones, and busy ones
sending GET / every few ms). Each run writes /etc/resolv.conf in place, as the helper does,
alternating between --old and --new (a server answering --zone's names; the old servers do not),
then runs `cutover-helper refresh --run R PID METHOD` while a prober asks the service for a fresh
name in --zone every --probe-ms: its answer (200: the new server answered, 502: the old ones did)
tells when the service's lookups switched. Reports per run: the stall (the longest wait of a busy
request overlapping the refresh), the switch delay (resolv.conf's change to the first lookup
answered by the new side) and whether the first lookup after the refresh returned was already on
the new side; then min/median/max, and whether every client connection survived (same socket,
answers after the runs) and the pid was kept. Run it inside the lab host. Prints one JSON object.
"""
import argparse, http.client, json, os, statistics, subprocess, threading, time


class Busy(threading.Thread):
    """GET / every interval on one keep-alive connection; records (start, latency)."""

    def __init__(self, port, interval):
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.interval, self.samples, self.error, self.stop, self.sock = interval, [], None, False, None

    def get(self):
        self.conn.request("GET", "/")
        r = self.conn.getresponse()
        r.read()
        if self.sock is None:
            self.sock = self.conn.sock
        return r.status

    def run(self):
        try:
            while not self.stop:
                t0 = time.monotonic()
                self.get()
                self.samples.append((t0, time.monotonic() - t0))
                time.sleep(self.interval)
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            self.error = repr(e)


def lookup(conn, name):
    """The service's answer for NAME, on the prober's own keep-alive connection (one the refresh counts too)."""
    conn.request("GET", "/resolve?name=" + name)
    r = conn.getresponse()
    r.read()
    return r.status


def write_resolv(server):
    with open("/etc/resolv.conf", "r+") as f:  # in place: a bind mount cannot be renamed over
        f.truncate(0)
        f.write("".join("nameserver %s\n" % s for s in server.split(",")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helper", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--method", required=True)
    ap.add_argument("--old", required=True, help="the old servers, comma separated")
    ap.add_argument("--new", default="127.0.0.1")
    ap.add_argument("--zone", required=True, help="a zone only --new answers")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--busy", type=int, default=2)
    ap.add_argument("--idle", type=int, default=4)
    ap.add_argument("--probe-ms", type=int, default=20)
    a = ap.parse_args()
    start = open("/proc/%d/stat" % a.pid).read().split()[21]
    idle = [http.client.HTTPConnection("127.0.0.1", a.port, timeout=10) for _ in range(a.idle)]
    for c in idle:
        c.request("GET", "/")
        c.getresponse().read()
    idle_socks = [c.sock for c in idle]
    busy = [Busy(a.port, 0.002) for _ in range(a.busy)]
    for b in busy:
        b.start()
    runs, seq, windows = [], 0, []
    probe_conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
    original = open("/etc/resolv.conf").read()
    try:
        for i in range(a.runs):
            to_new = i % 2 == 0
            write_resolv(a.new if to_new else a.old)
            changed = time.monotonic()
            switched, done = [None], threading.Event()

            def probe(to_new=to_new, i=i):
                nonlocal seq
                while not done.is_set():
                    seq += 1
                    t = time.monotonic()
                    new_side = lookup(probe_conn, "p%d-%d-%d.%s" % (os.getpid(), i, seq, a.zone)) == 200
                    if new_side == to_new and switched[0] is None:
                        switched[0] = t - changed
                    time.sleep(a.probe_ms / 1000)

            prober = threading.Thread(target=probe, daemon=True)
            prober.start()
            t0 = time.monotonic()
            r = subprocess.run(a.helper.split() + ["refresh", "--run", "hs-%d-%d" % (os.getpid(), i), str(a.pid), a.method],
                               capture_output=True, text=True)
            t1 = time.monotonic()
            done.set()
            prober.join()
            seq += 1
            after = lookup(probe_conn, "a%d-%d-%d.%s" % (os.getpid(), i, seq, a.zone)) == 200
            windows.append((t0, t1))
            stall = max([lat for b in busy for (s, lat) in b.samples if s <= t1 and s + lat >= t0] or [0])
            try:
                data = json.loads(r.stdout)["data"]
            except ValueError:
                data = {}
            runs.append({"direction": "new" if to_new else "old", "refresh_exit": r.returncode, "refresh_ms": round((t1 - t0) * 1000, 1),
                         "waited_ms": data.get("waited_ms"), "stall_ms": round(stall * 1000, 2),
                         "switch_ms": None if switched[0] is None else round(switched[0] * 1000, 1),
                         "first_lookup_after_refresh_switched": after == to_new,
                         "client_sockets_lost": data.get("client_sockets_lost"), "error": r.stderr.strip()[-300:] if r.returncode else None})
    finally:
        with open("/etc/resolv.conf", "r+") as f:
            f.truncate(0)
            f.write(original)
    for b in busy:
        b.stop = True
        b.join()
    alive = 0
    for c, s in zip(idle, idle_socks):
        try:
            c.request("GET", "/")
            c.getresponse().read()
            alive += c.sock is s
        except Exception:  # noqa: BLE001 - counted as dropped
            pass
    alive += sum(1 for b in busy if b.error is None and b.conn.sock is b.sock)
    # every busy request that overlapped no refresh: what a client sees anyway (the stall's floor)
    base = [lat * 1000 for b in busy for (s, lat) in b.samples if not any(s <= t1 and s + lat >= t0 for (t0, t1) in windows)]
    now = open("/proc/%d/stat" % a.pid).read().split()[21] if os.path.exists("/proc/%d" % a.pid) else None

    def mmm(xs):
        xs = [x for x in xs if x is not None]
        return {"min": min(xs), "median": statistics.median(xs), "max": max(xs)} if xs else None
    print(json.dumps({"runs": len(runs), "method": a.method, "pid_kept": now == start, "connections": a.idle + a.busy,
                      "dropped": a.idle + a.busy - alive, "busy_errors": [b.error for b in busy if b.error],
                      "failed_runs": sum(1 for r in runs if r["refresh_exit"] != 0),
                      "not_switched_after_refresh": sum(1 for r in runs if not r["first_lookup_after_refresh_switched"]),
                      "stall_ms": mmm([r["stall_ms"] for r in runs]),
                      "baseline_ms": {"requests": len(base), "median": round(statistics.median(base), 2), "max": round(max(base), 2)} if base else None, "switch_ms": mmm([r["switch_ms"] for r in runs]),
                      "refresh_ms": mmm([r["refresh_ms"] for r in runs]), "per_run": runs}))


if __name__ == "__main__":
    main()
