"""Machinery shared by paperboy's fake servers (fake_hf.py, fake_llm.py).

  State      fault queue (FIFO, optional `match` substring) and request log
  Handler    HTTP/1.1 keep-alive handler with the control API:
               POST /_control/faults    JSON list of fault objects, appended
               GET  /_control/requests  JSON request log
               POST /_control/reset     clear faults and log (State.reset)
             Subclasses implement api(url, body) and may extend
             control_get / control_post for more control endpoints.
  serve()    bind 127.0.0.1:0, write the port to the port file atomically,
             serve until SIGTERM/SIGINT, then exit 0.
"""
import json
import os
import signal
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


def to_json(obj):
    # Real APIs answer compact UTF-8 JSON.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.log = []

    def take_fault(self, target):
        """Pop the first queued fault whose `match` (if any) is in target.

        A fault with "times": n stays queued until it has been used n times.
        """
        with self.lock:
            for i, f in enumerate(self.faults):
                if f.get("match", "") in target:
                    left = int(f.get("times", 1)) - 1
                    if left > 0:
                        f = self.faults[i] = dict(f, times=left)
                        return dict(f)
                    return self.faults.pop(i)
        return None

    def reset(self):
        """Called with self.lock held; subclasses extend it."""
        self.faults.clear()
        self.log.clear()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # keep-alive; libcurl reuses connections
    state = None                      # set by serve()
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            super().log_message(fmt, *args)

    def send(self, status, body, headers=None, send_bytes=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(body if send_bytes is None else body[:send_bytes])

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reset_connection(self):
        """Abortive close (RST), no response at all."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path.startswith("/_control/"):
            return self.control_get(url.path)
        self.api(url, b"")

    def do_POST(self):
        url = urlsplit(self.path)
        body = self.read_body()
        if not self.control_post(url.path, body):
            self.api(url, body)

    def control_get(self, path):
        if path == "/_control/requests":
            with self.state.lock:
                return self.send(200, to_json(self.state.log))
        self.send(405, to_json({"error": "Method not allowed"}))

    def control_post(self, path, body):
        """Handle a control POST; False if `path` is not a control endpoint."""
        st = self.state
        if path == "/_control/faults":
            try:
                faults = json.loads(body)
                assert isinstance(faults, list)
                assert all(isinstance(f, dict) for f in faults)
            except (ValueError, AssertionError):
                self.send(400, to_json({"error": "expected JSON list"}))
                return True
            with st.lock:
                st.faults.extend(faults)
                queued = len(st.faults)
            self.send(200, to_json({"queued": queued}))
            return True
        if path == "/_control/reset":
            with st.lock:
                st.reset()
            self.send(200, to_json({"ok": True}))
            return True
        return False

    def api(self, url, body):
        raise NotImplementedError


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False            # don't wait for delayed handlers on exit

    def handle_error(self, request, client_address):
        # Clients hanging up (timeouts, aborted transfers) are expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(handler_cls, state, portfile, verbose=False):
    handler_cls.state = state
    handler_cls.verbose = verbose
    server = Server(("127.0.0.1", 0), handler_cls)

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, portfile)
    try:
        server.serve_forever()
    finally:
        server.server_close()
