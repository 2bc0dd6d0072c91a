#!/usr/bin/env python3
"""Measure what HTTP keep-alive clients of nginx or HAProxy see while the helper refreshes it.

The proxies' front end of the stall meter (stallmeter.py; stall.py is pgbouncer's). Holds,
through the proxy at HOST:PORT: idle keep-alive connections (one request, then silent), busy ones
(GET / every few ms on the same connection), and per run one slow streaming response in flight
(GET /slow, the lab's web-backend.py); runs `cutover-helper refresh` (or --command) RUNS times,
and reports per run the longest a busy client waited for an answer (the stall), how many idle
keep-alive connections the proxy closed, how many busy connections had to reconnect (a request
that found its connection closed is retried on a new one, as HTTP clients do for idempotent
requests; counted), and whether the streaming response completed. Prints one JSON object.
"""
import argparse, select, socket, sys, threading, time

sys.dont_write_bytecode = True
from stallmeter import Busy, Meter, check_args, common_args, emit, median, mmm, plain  # noqa: E402


class Conn:
    """One HTTP/1.1 keep-alive connection, read by hand: a chunked stream is followed to its end."""

    def __init__(self, host, port):
        self.buf = b""
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
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap, port=None)
    ap.add_argument("--slow-s", type=float, default=1.5, help="length of the streamed response in flight per run")
    a = ap.parse_args()
    check_args(ap, a)

    def connect():
        return Conn(a.host, a.port)

    meter = Meter(a, [Busy(connect, Conn.get, a.interval_ms / 1000, reconnect=True) for _ in range(a.busy)],
                  run_id="stall-%d" % (time.time_ns() // 1000))
    runs = []
    for i in range(a.runs):
        idle = []
        for _ in range(a.idle):
            c = connect()
            c.get("/")
            idle.append(c)
        slow = Slow(a.host, a.port, a.slow_s)
        slow.start()
        time.sleep(0.3)  # the stream is flowing
        r = meter.refresh(i, settle=0.2, slack=0.2)
        slow.join(a.slow_s + 10)
        r.update({"idle_closed": sum(1 for c in idle if c.closed()), "idle": a.idle, "busy_reconnects": meter.reconnects_in(r),
                  "stream_completed": slow.ok, "stream_error": slow.error})
        runs.append(plain(r, "client_sockets_before", "client_sockets_lost", "same_process"))
        for c in idle:
            c.sock.close()
        meter.pause()
    base = meter.finish()
    emit({
        "port": a.port, "method": a.method or a.command, "runs": len(runs), "pid_kept": meter.pid_kept,
        "baseline_ms": {"median": median(base)} if base else None,
        "stall_ms": mmm([r["stall_ms"] for r in runs]),
        "helper_ms_median": median([r["helper_ms"] for r in runs], 1),
        "idle_closed": sum(r["idle_closed"] for r in runs), "idle_held": a.idle * len(runs),
        "busy_reconnects": sum(r["busy_reconnects"] for r in runs),
        "streams_completed": sum(1 for r in runs if r["stream_completed"]), "failed_runs": sum(1 for r in runs if r["exit"] != 0),
        "errors": [e for b in meter.busy for e in b.errors][:5],
        "per_run": runs,
    })


if __name__ == "__main__":
    main()
