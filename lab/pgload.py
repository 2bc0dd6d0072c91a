#!/usr/bin/env python3
"""Client load through every lab app host's pgbouncer, held while a rollout runs.

Per host, long-lived sessions through pgbouncer (at the host's lab address) to PostgreSQL:
  idle     a query when opened and one at the end, nothing in between;
  in-tx    BEGIN and SELECT txid_current() when opened; at the end the same txid must come back,
           still inside the transaction (then ROLLBACK);
  busy     SELECT 1 every --interval-ms, each query's latency measured.
Runs for --duration S, or with --until-stopped until SIGTERM/SIGINT or --stop-file appears (at most
--duration, default 3600 s), then checks every session and prints ONE JSON object on stdout:
  {"hosts": {"app1": {"sessions", "dropped", "failed_queries", "queries", "longest_stall_ms",
   "p50_ms", "p99_ms", "in_transaction_kept", "top_stalls": [{"at", "ms"}], ...}, ...},
   "totals": {...}, "ok": bool}
ok: every session opened and kept, no failed query, every transaction kept. Progress on stderr.
Exit 0 ok, 1 a session dropped / a query failed / a transaction lost, 2 usage or inventory error.

Run from the machine's root namespace (the lab's .1 address). It connects only to the addresses
of the inventory's app hosts, and only if they lie inside its lab_subnet. Python 3 and PyYAML
(python3-yaml, which `lab/lab.sh deps` installs) only.
"""
import argparse
import datetime
import heapq
import ipaddress
import json
import math
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

import yaml

sys.dont_write_bytecode = True  # no lab/__pycache__ in the working tree
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from pgwire import PgError, PgSession  # noqa: E402 - the path above first

HERE = os.path.dirname(os.path.realpath(__file__))
MAX_HOSTS, MAX_PER_KIND = 30, 20
MAX_ERRORS_KEPT = 10
TOP_STALLS = 5
WALL_OFFSET = time.time() - time.monotonic()


def wall(mono):
    """A time.monotonic() value as UTC ISO 8601 with ms, comparable with cutover's journal."""
    t = datetime.datetime.fromtimestamp(WALL_OFFSET + mono, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class UsageError(Exception):
    pass


def log(msg):
    print(f"pgload: {msg}", file=sys.stderr, flush=True)


def _group(inv, name):
    g = ((inv.get("all") or {}).get("children") or {}).get(name)
    if g is None:
        g = inv.get(name)
    return g or {}


def load_targets(path, only, group="app"):
    """[(name, address, port, db, user, password)] of the hosts of group (app, or real for the
    systemd-booted hosts), each checked to be inside the inventory's lab_subnet."""
    try:
        with open(path, encoding="utf-8") as f:
            inv = yaml.safe_load(f) or {}
    except OSError as e:
        raise UsageError(f"cannot read the inventory {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise UsageError(f"the inventory {path} is not YAML: {e}") from None
    if not isinstance(inv, dict):
        raise UsageError(f"the inventory {path} is not a mapping of groups")
    allvars = (inv.get("all") or {}).get("vars") or {}
    app = _group(inv, group)
    subnet_s = allvars.get("lab_subnet")
    if not subnet_s:
        raise UsageError(f"{path} has no all.vars.lab_subnet: not a lab inventory, refusing")
    try:
        subnet = ipaddress.ip_network(subnet_s)
    except ValueError:
        raise UsageError(f"lab_subnet {subnet_s!r} is not a network") from None
    if not subnet.is_private or subnet.prefixlen < 16:
        raise UsageError(f"lab_subnet {subnet} is not a private /16 or smaller: refusing")
    hosts = app.get("hosts") or {}
    if not hosts:
        raise UsageError(f"{path}: group {group} has no hosts")
    names = list(hosts)
    if only:
        unknown = [h for h in only if h not in hosts]
        if unknown:
            raise UsageError(f"not in group {group} of {path}: {', '.join(unknown)}")
        names = [h for h in names if h in only]
    if len(names) > MAX_HOSTS:
        raise UsageError(f"{len(names)} hosts: at most {MAX_HOSTS} (pick some with --hosts)")
    targets = []
    for h in names:
        v = dict(allvars)
        v.update(app.get("vars") or {})
        v.update(hosts[h] or {})
        missing = [k for k in ("ansible_host", "pgbouncer_port", "pgbouncer_app_db",
                               "pgbouncer_probe_user", "pgbouncer_probe_password") if v.get(k) in (None, "")]
        if missing:
            raise UsageError(f"{h}: missing in the inventory: {', '.join(missing)}")
        try:
            addr = ipaddress.ip_address(str(v["ansible_host"]))
        except ValueError:
            raise UsageError(f"{h}: ansible_host {v['ansible_host']!r} is not an IP address: refusing") from None
        if addr not in subnet:
            raise UsageError(f"{h}: {addr} is outside the lab subnet {subnet}: refusing")
        try:
            port = int(v["pgbouncer_port"])
        except ValueError:
            raise UsageError(f"{h}: pgbouncer_port {v['pgbouncer_port']!r} is not a number") from None
        targets.append((h, str(addr), port, str(v["pgbouncer_app_db"]),
                        str(v["pgbouncer_probe_user"]), str(v["pgbouncer_probe_password"])))
    return targets


def default_inventory():
    lab = os.path.join(HERE, "lab.sh")
    try:
        p = subprocess.run([lab, "inventory"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UsageError(f"{lab} inventory: {e}") from None
    if p.returncode != 0 or not p.stdout.strip():
        raise UsageError(f"{lab} inventory (CUTOVER_LAB={os.environ.get('CUTOVER_LAB', 'lab')}) failed: "
                         f"{(p.stderr or p.stdout).strip()[-300:]}")
    return p.stdout.strip().splitlines()[-1]


# ---------------------------------------------------------------------------------------------
# Latencies: a bounded histogram (0.01 ms steps below 10 ms, 0.1 ms below 100 ms, 1 ms above).

class Histogram:
    def __init__(self):
        self.counts, self.n, self.max = {}, 0, 0.0

    def add(self, ms):
        key = round(ms, 2) if ms < 10 else round(ms, 1) if ms < 100 else float(round(ms))
        self.counts[key] = self.counts.get(key, 0) + 1
        self.n += 1
        self.max = max(self.max, ms)

    def merge(self, other):
        for k, c in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + c
        self.n += other.n
        self.max = max(self.max, other.max)

    def percentile(self, q):
        if not self.n:
            return None
        want, seen = max(1, math.ceil(q * self.n)), 0
        for k in sorted(self.counts):
            seen += self.counts[k]
            if seen >= want:
                return k
        return self.max


# ---------------------------------------------------------------------------------------------
# One host's sessions and counters. Counters are changed under self.lock.

class Host:
    def __init__(self, name, addr, port, db, user, password, timeout):
        self.name, self.addr, self.port, self.db = name, addr, port, db
        self.user, self.password, self.timeout = user, password, timeout
        self.lock = threading.Lock()
        self.idle, self.intx, self.busy = [], [], []  # PgSession; (PgSession, txid); PgSession
        self.hist = Histogram()
        self.opened = self.dropped = self.failed = self.queries = 0
        self.open_failed = 0
        self.top = []  # min-heap of the TOP_STALLS longest queries: (ms, monotonic start)
        self.kept = None  # in-transaction sessions all kept their txid (None: none configured)
        self.closed = set()  # sessions known dropped
        self.errors, self.errors_not_kept = [], 0

    def error(self, what, e, t0):
        """Keep (and log) the first MAX_ERRORS_KEPT errors, count the others."""
        msg = e.short() if isinstance(e, PgError) else f"{type(e).__name__}: {e}"
        line = f"{what} at +{time.monotonic() - t0:.3f}s: {msg}"
        with self.lock:
            if len(self.errors) >= MAX_ERRORS_KEPT:
                self.errors_not_kept += 1
                return
            self.errors.append(line)
        log(f"{self.name}: {line}")

    def connect(self):
        return PgSession(self.addr, self.port, self.db, self.user, self.password, timeout=self.timeout)

    def open_all(self, n_idle, n_intx, n_busy, t0):
        for kind, n in (("idle", n_idle), ("in-tx", n_intx), ("busy", n_busy)):
            for _ in range(n):
                s = None
                try:
                    s = self.connect()
                    if kind == "in-tx":
                        s.query("BEGIN")
                        ((xid,),), status = s.query("SELECT txid_current()")
                        if status != b"T":
                            raise RuntimeError(f"not in a transaction after BEGIN (status {status!r})")
                        self.intx.append((s, xid))
                        q = 2
                    else:
                        s.query("SELECT 1")
                        (self.idle if kind == "idle" else self.busy).append(s)
                        q = 1
                    with self.lock:
                        self.opened += 1
                        self.queries += q
                except (OSError, PgError, RuntimeError, ValueError) as e:
                    if s is not None:
                        s.close()
                    with self.lock:
                        self.open_failed += 1
                    self.error(f"opening a {kind} session", e, t0)

    def run_busy(self, s, interval, stop, t0):
        """SELECT 1 every interval until stop; a connection error ends the session (dropped)."""
        while not stop.is_set():
            start = time.monotonic()
            try:
                s.query("SELECT 1")
            except PgError as e:  # answered with an error: the session is still there
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                self.error("busy query failed", e, t0)
            except (OSError, ValueError) as e:  # closed, reset, or no answer within the timeout
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                    self.dropped += 1
                    self.closed.add(s)
                self.error("busy session dropped", e, t0)
                return
            else:
                ms = (time.monotonic() - start) * 1000
                with self.lock:
                    self.queries += 1
                    self.hist.add(ms)
                    if len(self.top) < TOP_STALLS:
                        heapq.heappush(self.top, (ms, start))
                    elif ms > self.top[0][0]:
                        heapq.heapreplace(self.top, (ms, start))
            stop.wait(interval)

    def finish(self, t0):
        """The final check of the idle and in-transaction sessions, then close everything."""
        for s in self.idle:
            if s in self.closed:
                continue
            try:
                s.query("SELECT 1")
                with self.lock:
                    self.queries += 1
            except PgError as e:
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                self.error("idle session's final query failed", e, t0)
            except (OSError, ValueError) as e:
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                    self.dropped += 1
                    self.closed.add(s)
                self.error("idle session dropped", e, t0)
        kept = True if self.intx else None
        for s, xid in self.intx:
            if s in self.closed:
                kept = False
                continue
            try:
                ((x2,),), status = s.query("SELECT txid_current()")
                with self.lock:
                    self.queries += 1
                if x2 != xid or status != b"T":
                    kept = False
                    self.error("in-transaction session lost its transaction",
                               RuntimeError(f"txid {xid} at start, {x2} now, status {status!r}"), t0)
                s.query("ROLLBACK")
            except PgError as e:
                kept = False
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                self.error("in-transaction session's final query failed", e, t0)
            except (OSError, ValueError) as e:
                kept = False
                with self.lock:
                    self.queries += 1
                    self.failed += 1
                    self.dropped += 1
                    self.closed.add(s)
                self.error("in-transaction session dropped", e, t0)
        self.kept = kept
        for s in self.idle + [s for s, _ in self.intx] + self.busy:
            s.close()

    def report(self):
        h = self.hist
        r = {"address": self.addr, "sessions": self.opened, "dropped": self.dropped,
             "failed_queries": self.failed, "queries": self.queries,
             "longest_stall_ms": round(h.max, 2) if h.n else None,
             "p50_ms": h.percentile(0.50), "p99_ms": h.percentile(0.99),
             "in_transaction_kept": self.kept,
             "top_stalls": [{"at": wall(st), "ms": round(ms, 2)} for ms, st in sorted(self.top, reverse=True)]}
        if self.open_failed:
            r["open_failed"] = self.open_failed
        if self.errors:
            r["errors"] = self.errors
        if self.errors_not_kept:
            r["errors_not_kept"] = self.errors_not_kept
        return r

    def ok(self):
        return not (self.dropped or self.failed or self.open_failed or self.kept is False)


def watch_quiet(hosts, stop, t0):
    """Between their first and last query the idle and in-transaction sessions send nothing; if
    one becomes readable meanwhile, the server closed it or sent something unasked: log it at
    once (the final check decides whether it was dropped)."""
    sel = selectors.DefaultSelector()
    for h in hosts:
        for kind, s in [("idle", s) for s in h.idle] + [("in-transaction", s) for s, _ in h.intx]:
            sel.register(s.s, selectors.EVENT_READ, (h, s, kind))
    while not stop.is_set() and sel.get_map():
        for key, _ in sel.select(0.2):
            h, s, kind = key.data
            sel.unregister(key.fileobj)
            try:
                data = s.s.recv(1, socket.MSG_PEEK)
                what = "closed by the server" if not data else f"unasked message {data!r} from the server"
            except OSError as e:
                what = f"{type(e).__name__}: {e}"
            log(f"{h.name}: {kind} session at +{time.monotonic() - t0:.3f}s: {what}")
    sel.close()


# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="pgload.py", description=__doc__.split("\n\n")[0],
        epilog="Example: lab/pgload.py --until-stopped --ready-file /tmp/ready & "
               "(wait for /tmp/ready; run the rollout; kill -TERM $!; wait $!)")
    ap.add_argument("--inventory", help="lab inventory (default: the path `lab/lab.sh inventory` prints, "
                                        "for the instance CUTOVER_LAB)")
    ap.add_argument("--hosts", default="", help="comma-separated hosts of the group (default: all of it)")
    ap.add_argument("--group", default="app", help="inventory group whose hosts get the load: app (default) or real")
    ap.add_argument("--idle", type=int, default=2, help="idle sessions per host (default 2)")
    ap.add_argument("--in-tx", type=int, default=2, help="sessions in an open transaction per host (default 2)")
    ap.add_argument("--busy", type=int, default=2, help="busy sessions per host (default 2)")
    ap.add_argument("--interval-ms", type=float, default=5.0, help="pause between a busy session's queries (default 5)")
    ap.add_argument("--duration", type=float, help="seconds to hold the load (with --until-stopped: at most; default 3600)")
    ap.add_argument("--until-stopped", action="store_true", help="run until SIGTERM/SIGINT or --stop-file appears")
    ap.add_argument("--stop-file", help="with --until-stopped: stop once this file exists")
    ap.add_argument("--ready-file", help="touched once every session is open (removed at start if stale)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds a connect or query may take before "
                                                                 "the session counts as dropped (default 10)")
    a = ap.parse_args(argv)
    bad = []
    if a.duration is None and not a.until_stopped:
        bad.append("give --duration S or --until-stopped")
    if a.duration is not None and not 0 < a.duration <= 86400:
        bad.append("--duration must be in (0, 86400]")
    if a.stop_file and not a.until_stopped:
        bad.append("--stop-file needs --until-stopped")
    if a.stop_file and os.path.exists(a.stop_file):
        bad.append(f"the stop file {a.stop_file} exists already")
    for k in ("idle", "in_tx", "busy"):
        if not 0 <= getattr(a, k) <= MAX_PER_KIND:
            bad.append(f"--{k.replace('_', '-')} must be 0..{MAX_PER_KIND}")
    if a.idle + a.in_tx + a.busy == 0:
        bad.append("no sessions to open")
    if not 0.5 <= a.interval_ms <= 60000:
        bad.append("--interval-ms must be 0.5..60000")
    if not 0.1 <= a.timeout <= 600:
        bad.append("--timeout must be 0.1..600")
    if bad:
        ap.print_usage(sys.stderr)
        raise UsageError("; ".join(bad))
    if a.duration is None:
        a.duration = 3600.0
    a.hosts = [h for h in a.hosts.split(",") if h.strip()]
    return a


def main(argv):
    try:
        a = parse_args(argv)
        inv = a.inventory or default_inventory()
        targets = load_targets(inv, a.hosts, a.group)
    except UsageError as e:
        log(str(e))
        return 2
    if a.ready_file and os.path.exists(a.ready_file):
        os.unlink(a.ready_file)

    stop = threading.Event()
    why = {"stopped_by": None}

    def on_signal(signum, _frame):
        why["stopped_by"] = why["stopped_by"] or signal.Signals(signum).name
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t0 = time.monotonic()
    hosts = [Host(*t, timeout=a.timeout) for t in targets]
    per = a.idle + a.in_tx + a.busy
    log(f"{inv}: opening {per} sessions ({a.idle} idle, {a.in_tx} in a transaction, {a.busy} busy) "
        f"on each of {len(hosts)} hosts: {', '.join(f'{h.name}={h.addr}:{h.port}' for h in hosts)}")
    openers = [threading.Thread(target=h.open_all, args=(a.idle, a.in_tx, a.busy, t0), daemon=True) for h in hosts]
    for t in openers:
        t.start()
    for t in openers:
        t.join(per * (a.timeout * 2 + 1) + 5)  # every connect and query has a timeout
    all_open = all(not t.is_alive() for t in openers) and not any(h.open_failed for h in hosts)

    workers = []
    load_start = time.monotonic()
    if all_open and not stop.is_set():
        for h in hosts:
            for s in h.busy:
                workers.append(threading.Thread(target=h.run_busy, args=(s, a.interval_ms / 1000, stop, t0), daemon=True))
        workers.append(threading.Thread(target=watch_quiet, args=(hosts, stop, t0), daemon=True))
        for w in workers:
            w.start()
        if a.ready_file:
            with open(a.ready_file, "w", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
        log(f"all {per * len(hosts)} sessions open in {time.monotonic() - t0:.2f} s; load running "
            + ("until stopped" if a.until_stopped else f"for {a.duration:g} s")
            + (f" (ready file {a.ready_file})" if a.ready_file else ""))
        deadline = load_start + a.duration
        next_progress = time.monotonic() + 5
        while not stop.is_set():
            now = time.monotonic()
            if now >= deadline:
                why["stopped_by"] = "max duration" if a.until_stopped else "duration"
                break
            if a.stop_file and os.path.exists(a.stop_file):
                why["stopped_by"] = "stop file"
                break
            if now >= next_progress:
                next_progress = now + 5
                log(f"+{now - load_start:.0f}s " + " | ".join(
                    f"{h.name} q={h.queries} stall={h.hist.max:.1f}ms drop={h.dropped} fail={h.failed}" for h in hosts))
            stop.wait(min(0.1, max(0.0, deadline - now)))
    else:
        why["stopped_by"] = why["stopped_by"] or "sessions failed to open"
        log("not every session opened: no load run")
    stop.set()
    held = time.monotonic() - load_start
    for w in workers:
        w.join(a.timeout + 2)
    finishers = [threading.Thread(target=h.finish, args=(t0,), daemon=True) for h in hosts]
    for t in finishers:
        t.start()
    for t in finishers:
        t.join(per * (a.timeout * 2 + 1) + 5)

    reports = {h.name: h.report() for h in hosts}
    total = Histogram()
    for h in hosts:
        total.merge(h.hist)
    kepts = [h.kept for h in hosts if h.kept is not None]
    ok = all(h.ok() for h in hosts) and all_open and all(not t.is_alive() for t in finishers)
    out = {"hosts": reports,
           "totals": {"hosts": len(hosts),
                      "sessions": sum(h.opened for h in hosts),
                      "dropped": sum(h.dropped for h in hosts),
                      "failed_queries": sum(h.failed for h in hosts),
                      "queries": sum(h.queries for h in hosts),
                      "longest_stall_ms": round(total.max, 2) if total.n else None,
                      "p50_ms": total.percentile(0.50), "p99_ms": total.percentile(0.99),
                      "in_transaction_kept": all(kepts) if kepts else None,
                      "started_at": wall(load_start), "held_s": round(held, 2), "stopped_by": why["stopped_by"],
                      "per_host": {"idle": a.idle, "in_tx": a.in_tx, "busy": a.busy},
                      "interval_ms": a.interval_ms},
           "ok": ok}
    print(json.dumps(out))
    log(("ok" if ok else "NOT ok") + f": {out['totals']['sessions']} sessions, {out['totals']['dropped']} dropped, "
        f"{out['totals']['failed_queries']} failed queries, {out['totals']['queries']} queries in {held:.1f} s, "
        f"longest stall {out['totals']['longest_stall_ms']} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
