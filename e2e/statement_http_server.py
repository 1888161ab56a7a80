"""A loopback HTTP server for the statement fetcher's tests: pages, errors, slow answers,
redirect chains and an oversized body. Writes its port to the file named as the first
argument, then serves until killed."""
import http.server
import socketserver
import sys
import time

STATEMENT = b"<html><body><h1>Modern slavery statement</h1><p>We audit our suppliers for forced labour.</p></body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/statement.html":
            # Served as octet-stream on purpose: the type must come from the bytes.
            self.send(200, STATEMENT, [("Content-Type", "application/octet-stream")])
        elif path == "/missing":
            self.send(404, b"not here")
        elif path == "/broken":
            self.send(503, b"down")
        elif path == "/slow":
            time.sleep(5)
            self.send(200, STATEMENT)
        elif path.startswith("/hop/"):
            n = int(path.split("/")[2])
            target = "/statement.html" if n == 0 else f"/hop/{n - 1}"
            self.send(302, b"", [("Location", target)])
        elif path == "/elsewhere":
            # A redirect to another loopback address, which the fetcher has not been allowed.
            port = self.server.server_address[1]
            self.send(302, b"", [("Location", f"http://127.0.0.2:{port}/statement.html")])
        elif path.startswith("/drip/"):
            # A byte every half second: each read is quick, the whole answer never ends in time.
            seconds = int(path.split("/")[2])
            self.send_response(200)
            self.send_header("Content-Length", str(seconds * 2))
            self.end_headers()
            for _ in range(seconds * 2):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.5)
        elif path == "/big":
            self.send(200, b"slavery " * 200_000)
        else:
            self.send(404)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
