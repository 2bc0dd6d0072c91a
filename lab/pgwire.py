"""A small PostgreSQL wire-protocol client (protocol 3.0, simple queries), stdlib only.

Shared by the lab's client-load tools: lab/pgload.py (load through every app host's pgbouncer)
and remote-helper/test/lab/stall.py (stall measured on one host). Enough for pgbouncer and
PostgreSQL as the lab configures them: trust, cleartext and md5 authentication (pgbouncer's
auth_type = md5 with a plain-text userlist asks for md5). No TLS, no SCRAM, no extended protocol.

    s = PgSession("10.213.82.21", 6432, "appdb", "app", "app-lab-pw")
    rows, status = s.query("SELECT 1")   # rows: [["1"]]; status: b"I" idle, b"T" in a transaction
    s.close()

Errors: PgError (a RuntimeError) when the server answered with an ErrorResponse and then
ReadyForQuery: the session is still usable. ConnectionError / OSError (socket.timeout included)
when the connection closed (after a FATAL error: named in the message), broke, or gave no answer
within `timeout` seconds.
"""
import hashlib
import socket
import struct

PROTOCOL_3_0 = 196608


class PgError(RuntimeError):
    """The server's ErrorResponse. str() is the raw message body (as stall.py has always
    reported it); .fields maps field codes to text ("S" severity, "C" SQLSTATE, "M" message)."""

    def __init__(self, body):
        super().__init__(body.decode(errors="replace"))
        self.fields = {}
        for part in body.split(b"\0"):
            if part:
                self.fields[chr(part[0])] = part[1:].decode(errors="replace")

    def short(self):
        """One readable line: 'FATAL 08P01: message'."""
        f = self.fields
        return f"{f.get('S', '?')} {f.get('C', '?')}: {f.get('M', '')}"


class PgSession:
    """One client session: connects, authenticates and waits for ReadyForQuery in __init__."""

    def __init__(self, host, port, db, user, password="", timeout=10):
        self.user, self.password = user, password
        self.status = None  # transaction status of the last ReadyForQuery: b"I", b"T" or b"E"
        self._buf = bytearray()
        self.s = socket.create_connection((host, port), timeout=timeout)
        try:
            self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            params = b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0\0"
            body = struct.pack("!I", PROTOCOL_3_0) + params
            self.s.sendall(struct.pack("!I", len(body) + 4) + body)
            self._until_ready()
        except BaseException:
            self.s.close()
            raise

    def fileno(self):
        return self.s.fileno()

    def _recv(self, n):
        while len(self._buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self._buf += chunk
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def _auth(self, body):
        (code,) = struct.unpack("!I", body[:4])
        if code == 0:  # AuthenticationOk
            return
        if code == 3:  # cleartext password
            pw = self.password.encode() + b"\0"
        elif code == 5:  # MD5: "md5" + md5(md5(password + user) + salt)
            inner = hashlib.md5((self.password + self.user).encode()).hexdigest()
            pw = b"md5" + hashlib.md5(inner.encode() + body[4:8]).hexdigest().encode() + b"\0"
        else:
            raise ConnectionError(f"authentication method {code} not supported")
        self.s.sendall(b"p" + struct.pack("!I", len(pw) + 4) + pw)

    def _until_ready(self):
        """Read messages up to ReadyForQuery; return (rows, status byte). An ErrorResponse is
        raised as PgError at ReadyForQuery; if the server closes the connection instead (after a
        FATAL one), that is a ConnectionError naming the error."""
        rows, err = [], None
        while True:
            try:
                t = self._recv(1)
                (n,) = struct.unpack("!I", self._recv(4))
                if n < 4 or n > 1 << 30:
                    raise ConnectionError(f"bad message length {n} (type {t!r})")
                body = self._recv(n - 4)
            except ConnectionError as e:
                if err is None:
                    raise
                raise ConnectionError(f"{e} after {err.short()}") from None
            if t == b"R":
                self._auth(body)
            elif t == b"E":
                err = PgError(body)
            elif t == b"D":
                (cols,) = struct.unpack("!H", body[:2])
                pos, row = 2, []
                for _ in range(cols):
                    (ln,) = struct.unpack("!i", body[pos:pos + 4])
                    pos += 4
                    row.append(None if ln < 0 else body[pos:pos + ln].decode())
                    pos += max(ln, 0)
                rows.append(row)
            elif t == b"Z":
                self.status = body
                if err:
                    raise err
                return rows, body
            # anything else (ParameterStatus, BackendKeyData, RowDescription, CommandComplete,
            # NoticeResponse, ...) carries nothing these tools need

    def query(self, sql):
        """Simple query; returns (rows as lists of text or None, transaction status byte)."""
        q = sql.encode() + b"\0"
        self.s.sendall(b"Q" + struct.pack("!I", len(q) + 4) + q)
        return self._until_ready()

    def close(self):
        """Terminate politely; never raises."""
        try:
            self.s.sendall(b"X\0\0\0\4")
        except OSError:
            pass
        try:
            self.s.close()
        except OSError:
            pass
