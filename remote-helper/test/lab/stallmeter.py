"""The stall meter: what clients of a running daemon see while the helper refreshes it.

Shared by the per-protocol front ends beside it, which add only their clients and what they
report: stall.py (pgbouncer, PostgreSQL wire protocol), http_stall.py (an HTTP service: Node),
http_switch.py (an HTTP service whose lookups follow resolv.conf: Go, Java) and proxy_stall.py
(nginx, HAProxy: connections the proxy closes are reopened, and counted).

What they share: busy clients holding a connection open through the daemon and sending a request
every few ms, each request's start and latency recorded (Busy); per run, the command that
refreshes the daemon (`HELPER refresh --run RUN-ID-N PID METHOD`, or --command), timed, and the
stall it caused: the longest a busy request waited that overlapped it (Meter.refresh); the
helper's own data per run (client sockets before/after, gdb time, the call); and min/median/max
over the runs (mmm). Needs only python3.
"""
import http.client, json, os, statistics, subprocess, threading, time

#: Seconds the busy clients run before the first refresh (they settle; the floor has samples).
WARMUP_S = 0.5


def common_args(ap, port):
    """The options every front end takes (docs/resolver-refresh.md gives their command lines)."""
    ap.add_argument("--helper", default="", help="command to run the helper, e.g. 'sh /var/lib/cutover/bin/cutover-helper'; "
                    "--command instead runs a shell command of your own per run")
    ap.add_argument("--pid", type=int, default=0, help="the daemon's pid (the one refresh_processes names)")
    ap.add_argument("--pidfile", default="", help="read the pid from here before each run (pgbouncer's online restart changes it)")
    ap.add_argument("--method", default="", help="the refresh method, e.g. gdb-cares, none, proxy-reload")
    ap.add_argument("--servers", default="", help="refresh --servers A,B; rotated each run, so that every run makes the "
                    "call it measures (the helper skips a refresh to what the process already has)")
    ap.add_argument("--max-lost", type=int, default=-1, help="passed to refresh as --max-lost N (default: the helper's)")
    ap.add_argument("--command", default="", help="instead of the helper's refresh, run this shell command per run ({pid}: the pid)")
    ap.add_argument("--before", default="", help="shell command run before each run, outside the measured window; {i} is "
                    "the run number (e.g. to alternate resolv.conf's servers: ares_reinit takes no --servers)")
    ap.add_argument("--run-id", default="", help="the helper's run ids are RUN-ID-N (default: the front end's own)")
    ap.add_argument("--runs", type=int, default=20, help="refreshes measured, in a row (docs' rows: at least 20)")
    ap.add_argument("--host", default="127.0.0.1", help="the daemon's address (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=port, required=port is None, help="the daemon's port"
                    + ("" if port is None else " (default %d)" % port))
    ap.add_argument("--idle", type=int, default=4, help="idle client connections held through every run")
    ap.add_argument("--busy", type=int, default=2, help="busy client connections, a request every --interval-ms")
    ap.add_argument("--interval-ms", type=float, default=2.0, help="ms a busy client waits between requests (default 2)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between runs")


def check_args(ap, a):
    """What the options must say together: what to run each time, and for the helper, which process."""
    if not a.command and not (a.helper and a.method):
        ap.error("give --helper and --method (the helper's refresh), or --command")
    if not a.command and not (a.pid or a.pidfile):
        ap.error("give --pid or --pidfile (the process the helper refreshes)")


class Busy(threading.Thread):
    """A client that sends a request every interval on one connection, recording (start, latency)
    of each. A failed request ends it (error), unless it reconnects: then it opens a new connection
    and retries, as an HTTP client does with an idempotent request whose connection was closed, and
    counts that (reconnects; errors when the retry fails or a status is not 200)."""

    def __init__(self, connect, request, interval, reconnect=False):
        super().__init__(daemon=True)
        self.connect, self.request, self.interval, self.reconnect = connect, request, interval, reconnect
        self.conn, self.samples, self.reconnects, self.errors, self.error, self.stop = connect(), [], [], [], None, False

    def run(self):
        while not self.stop:
            t0 = time.monotonic()
            try:
                self.check(self.request(self.conn), t0)
            except Exception as e:  # noqa: BLE001 - reported, not hidden
                if not self.reconnect:
                    self.error = repr(e)
                    return
                self.reconnects.append(t0)
                try:
                    self.conn = self.connect()
                    self.check(self.request(self.conn), t0)
                except Exception as e2:  # noqa: BLE001
                    self.errors.append((t0, repr(e2)))
            self.samples.append((t0, time.monotonic() - t0))
            time.sleep(self.interval)

    def check(self, status, t0):
        if status not in (None, 200):
            self.errors.append((t0, "status %s" % status))


class Meter:
    """Busy clients through the daemon, and the refreshes measured against them."""

    def __init__(self, a, busy, run_id):
        self.a, self.busy, self.run_id, self.windows = a, busy, a.run_id or run_id, []
        self.process = self.identity()
        for b in busy:
            b.start()
        time.sleep(WARMUP_S)

    def pid(self):
        return int(open(self.a.pidfile).read().split()[0]) if self.a.pidfile else self.a.pid

    def identity(self):
        """(pid, start time) of the daemon, where it runs on this host; else None."""
        if self.a.host not in ("127.0.0.1", "::1", "localhost") or not (self.a.pid or self.a.pidfile):
            return None
        try:
            pid = self.pid()
            return pid, open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[19]
        except (OSError, ValueError, IndexError):
            return None

    def command(self, i):
        a, pid = self.a, self.pid()
        if a.command:
            return a.command.replace("{pid}", str(pid))
        servers = a.servers.split(",") if a.servers else []
        if servers:
            servers = servers[i % len(servers):] + servers[:i % len(servers)]
        return f"{a.helper} refresh --run {self.run_id}-{i + 1} {pid} {a.method}" + (
            f" --servers {','.join(servers)}" if servers else "") + ("" if a.max_lost < 0 else f" --max-lost {a.max_lost}")

    def refresh(self, i, settle=0.05, slack=0.0):
        """Run i (from 0): --before, then the refresh, timed; settle seconds later, the stall: the
        longest busy request that overlapped it (slack seconds after it included). The helper's
        answer is in the record's "data" (popped by the front end: it names what it keeps)."""
        if self.a.before:
            subprocess.run(self.a.before.replace("{i}", str(i + 1)), shell=True, check=True, capture_output=True)
        t0 = time.monotonic()
        p = subprocess.run(self.command(i), shell=True, capture_output=True, text=True)
        t1 = time.monotonic()
        time.sleep(settle)
        self.windows.append((t0, t1 + slack))
        lats = [lat for b in self.busy for (st, lat) in b.samples if st + lat >= t0 and st <= t1 + slack]
        lines = p.stdout.strip().splitlines()
        try:
            res = json.loads(lines[-1]) if lines else {}
        except ValueError:
            res = {"unparsed": p.stdout}
        return {"run": i + 1, "exit": p.returncode, "helper_ms": round((t1 - t0) * 1000, 1),
                "stall_ms": round(max(lats) * 1000, 1) if lats else None, "data": res.get("data") or {},
                "error": None if p.returncode == 0 else (res.get("error") or p.stderr.strip().splitlines()[-1:]),
                "t0": t0, "t1": t1}

    def pause(self):
        """Between runs: --pause seconds."""
        time.sleep(self.a.pause)

    def reconnects_in(self, run):
        """Busy clients that had to reconnect during run (a record of refresh())."""
        return sum(1 for b in self.busy for s in b.reconnects if run["t0"] - 0.05 <= s <= run["t1"] + 0.2)

    def finish(self):
        """Stops the busy clients; pid_kept: the daemon is the process it was (pid and start time;
        None where it cannot be told from here). Returns the latencies (ms) of the busy requests
        that overlapped no refresh: what a client sees anyway, the stall's floor."""
        for b in self.busy:
            b.stop = True
        for b in self.busy:
            b.join(2)
        self.pid_kept = None if self.process is None else self.identity() == self.process
        return [lat * 1000 for b in self.busy for (s, lat) in b.samples
                if not any(s <= t1 and s + lat >= t0 for (t0, t1) in self.windows)]


class Http:
    """HTTP/1.1 keep-alive client connections to HOST:PORT that never reopen by themselves (a
    connection the daemon closed fails), and whether each is still the one it was."""

    def __init__(self, host, port):
        self.host, self.port = host, port

    def connect(self):
        c = http.client.HTTPConnection(self.host, self.port, timeout=10)
        c.auto_open = 0
        c.connect()
        c.first = c.sock
        return c

    @staticmethod
    def get(c, path="/"):
        c.request("GET", path, headers={"Connection": "keep-alive"})
        r = c.getresponse()
        r.read()
        return r.status

    def idle(self, n):
        """n connections that have each answered one request, then stay silent."""
        conns = [self.connect() for _ in range(n)]
        for c in conns:
            self.get(c)
        return conns

    def kept(self, conns):
        """How many of conns answer again, on the socket they were opened with."""
        n = 0
        for c in conns:
            try:
                n += self.get(c) == 200 and c.sock is c.first
            except Exception:  # noqa: BLE001 - closed/reset: dropped
                pass
        return n


def mmm(xs, digits=2):
    """min / median / max of the values that are there, or None."""
    xs = [x for x in xs if x is not None]
    return {"min": min(xs), "median": round(statistics.median(xs), digits), "max": max(xs)} if xs else None


def median(xs, digits=2):
    return round(statistics.median(xs), digits) if xs else None


def plain(run, *keys):
    """A refresh() record for the output: without its timestamps, with these keys of the helper's data."""
    d = run.pop("data")
    run.pop("t0"), run.pop("t1")
    run.update({k: d.get(k) for k in keys})
    return run


def emit(out):
    print(json.dumps(out))
