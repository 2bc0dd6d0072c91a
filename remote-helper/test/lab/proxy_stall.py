#!/usr/bin/env python3
"""Measure what HTTP keep-alive clients of nginx or HAProxy see while the helper refreshes it.

The sibling of stall.py (pgbouncer) for HTTP proxies. Holds, through the proxy at HOST:PORT:
idle keep-alive connections (one request, then silent), busy ones (GET / every few ms on the
same connection), and per run one slow streaming response in flight (GET /slow, the lab's
web-backend.py); runs `cutover-helper refresh` (or --command) RUNS times, and reports per run the
longest a busy client waited for an answer (the stall), how many idle keep-alive connections the
proxy closed, how many busy connections had to reconnect (a request that found its connection
closed is retried on a new one, as HTTP clients do for idempotent requests; counted), and whether
the streaming response completed. Prints one JSON object.
"""
import argparse, json, select, socket, statistics, subprocess, sys, threading, time

sys.dont_write_bytecode = True


class Conn:
    """One HTTP/1.1 keep-alive connection."""

    def __init__(self, host, port):
        self.host, self.port, self.buf = host, port, b""
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get(self, path="/"):
        self.sock.sendall(b"GET %s HTTP/1.1\r\nHost: lab\r\n\r\n" % path.encode())
        head = self._until(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v)
            if k.strip().lower() == b"transfer-encoding" and b"chunked" in v.lower():
                chunked = True
        if chunked:
            while True:
                size = int(self._until(b"\r\n").strip() or b"0", 16)
                self._take(size + 2)
                if size == 0:
                    break
        else:
            self._take(length)
        return status

    def closed(self):
        """True when the server has closed this (idle) connection."""
        r, _, _ = select.select([self.sock], [], [], 0)
        if not r:
            return False
        try:
            return self.sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _fill(self):
        d = self.sock.recv(65536)
        if not d:
            raise ConnectionError("closed by the proxy")
        self.buf += d

    def _until(self, sep):
        while sep not in self.buf:
            self._fill()
        head, _, self.buf = self.buf.partition(sep)
        return head

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


class Busy(threading.Thread):
    """GET / every interval on one keep-alive connection; a closed one is replaced (counted)."""

    def __init__(self, host, port, interval):
        super().__init__(daemon=True)
        self.host, self.port, self.interval = host, port, interval
        self.conn, self.samples, self.reconnects, self.errors, self.stop = Conn(host, port), [], [], [], False

    def run(self):
        while not self.stop:
            t0 = time.monotonic()
            try:
                st = self.conn.get("/")
                if st != 200:
                    self.errors.append((t0, "status %d" % st))
            except (OSError, ConnectionError, ValueError, IndexError):
                self.reconnects.append(t0)
                try:
                    self.conn = Conn(self.host, self.port)
                    self.conn.get("/")
                except Exception as e:  # noqa: BLE001 - reported, not hidden
                    self.errors.append((t0, repr(e)))
            self.samples.append((t0, time.monotonic() - t0))
            time.sleep(self.interval)


class Slow(threading.Thread):
    """One GET /slow?s=SECS: did the streamed response complete?"""

    def __init__(self, host, port, secs):
        super().__init__(daemon=True)
        self.host, self.port, self.secs, self.ok, self.error = host, port, secs, False, None

    def run(self):
        try:
            self.ok = Conn(self.host, self.port).get("/slow?s=%g" % self.secs) == 200
        except Exception as e:  # noqa: BLE001
            self.error = repr(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helper", default="", help="command to run the helper, e.g. 'sh /var/lib/cutover/bin/cutover-helper'")
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--method", default="")
    ap.add_argument("--command", default="", help="instead of the helper's refresh, run this shell command per run")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle", type=int, default=4)
    ap.add_argument("--busy", type=int, default=2)
    ap.add_argument("--slow-s", type=float, default=1.5, help="length of the streamed response in flight per run")
    ap.add_argument("--interval-ms", type=float, default=2.0)
    ap.add_argument("--pause", type=float, default=0.3)
    ap.add_argument("--max-lost", type=int, default=-1, help="passed to refresh (default: the helper's)")
    a = ap.parse_args()

    busy = [Busy(a.host, a.port, a.interval_ms / 1000) for _ in range(a.busy)]
    for b in busy:
        b.start()
    time.sleep(0.5)
    base = [lat for b in busy for (_, lat) in b.samples]
    runs = []
    for i in range(a.runs):
        idle = []
        for _ in range(a.idle):
            c = Conn(a.host, a.port)
            c.get("/")
            idle.append(c)
        slow = Slow(a.host, a.port, a.slow_s)
        slow.start()
        time.sleep(0.3)  # the stream is flowing
        if a.command:
            cmd = a.command
        else:
            cmd = "%s refresh --run stall-%d-%d %d %s%s" % (a.helper, time.time_ns() // 1000, i, a.pid, a.method,
                                                             "" if a.max_lost < 0 else " --max-lost %d" % a.max_lost)
        t0 = time.monotonic()
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        t1 = time.monotonic()
        time.sleep(0.2)
        slow.join(a.slow_s + 10)
        window = [lat for b in busy for (s, lat) in b.samples if s + lat >= t0 and s <= t1 + 0.2]
        rec = sum(1 for b in busy for s in b.reconnects if t0 - 0.05 <= s <= t1 + 0.2)
        out = {}
        try:
            out = json.loads(p.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            pass
        d = out.get("data", {})
        runs.append({
            "run": i, "rc": p.returncode, "helper_ms": round((t1 - t0) * 1000, 1),
            "stall_ms": round(max(window) * 1000, 1) if window else None,
            "idle_closed": sum(1 for c in idle if c.closed()), "idle": a.idle,
            "busy_reconnects": rec, "stream_completed": slow.ok, "stream_error": slow.error,
            "client_sockets_before": d.get("client_sockets_before"), "client_sockets_lost": d.get("client_sockets_lost"),
            "same_process": d.get("same_process"), "error": None if p.returncode == 0 else (out.get("error") or p.stderr[-300:]),
        })
        for c in idle:
            c.sock.close()
        time.sleep(a.pause)
    for b in busy:
        b.stop = True
    st = [r["stall_ms"] for r in runs if r["stall_ms"] is not None]
    print(json.dumps({
        "port": a.port, "method": a.method or a.command, "runs": runs,
        "baseline_ms": {"median": round(statistics.median(base) * 1000, 2)} if base else None,
        "stall_ms": {"min": min(st), "median": statistics.median(st), "max": max(st)} if st else None,
        "idle_closed": sum(r["idle_closed"] for r in runs), "idle_held": a.idle * len(runs),
        "busy_reconnects": sum(r["busy_reconnects"] for r in runs),
        "streams_completed": sum(1 for r in runs if r["stream_completed"]), "failed_runs": sum(1 for r in runs if r["rc"] != 0),
        "errors": [e for b in busy for e in b.errors][:5],
    }))


if __name__ == "__main__":
    main()
