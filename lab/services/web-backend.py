#!/usr/bin/env python3
"""The lab's HTTP backend behind nginx and HAProxy (lab/services/web-backend.sh starts it).

HTTP/1.1 with keep-alive on 0.0.0.0:PORT (default 8090). GET /slow?s=N streams one chunk every
0.1 s for N seconds (a request in flight through a reload); anything else answers "ok HOST" at once.
"""
import http.server, socket, sys, time, urllib.parse

sys.dont_write_bytecode = True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

    def do_GET(self):  # noqa: N802 - the name http.server calls
        url = urllib.parse.urlparse(self.path)
        if url.path == "/slow":
            secs = float(urllib.parse.parse_qs(url.query).get("s", ["3"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            end = time.monotonic() + secs
            while time.monotonic() < end:
                line = b"tick %.1f\n" % time.monotonic()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"0\r\n\r\n")
            return
        body = ("ok %s\n" % socket.gethostname()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet: the lab's logs are for the daemons
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
    srv = http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()
