"""Machinery shared by paperboy's fake servers (fake_hf.py, fake_llm.py,
fake_tts.py).

  State      fault queue (FIFO, optional `match` substring) and request log
  Handler    HTTP/1.1 keep-alive handler with the control API:
               POST /_control/faults    JSON list of fault objects, appended
               GET  /_control/requests  JSON request log
               POST /_control/reset     clear faults and log (State.reset)
             Subclasses implement api(url, body) and may extend
             control_get / control_post for more control endpoints.
  serve()    bind 127.0.0.1:0, write the port to the port file atomically,
             serve until SIGTERM/SIGINT, then exit 0.

For the OpenAI-style fakes (fake_llm.py, fake_tts.py):

  openai_error()  an OpenAI-style error object
  OpenAIState     State plus the latency, the required API key (or None)
                  and request statistics
  OpenAIHandler   Handler plus the control API
                    GET  /_control/stats    {"requests", "in_flight",
                                             "max_in_flight", "answered"}
                    POST /_control/latency  {"seconds": x}: latency of
                                            every answer
                  and the machinery of an answered request: the request log
                  entry and in-flight count (counted), the API key check,
                  the faults common to both fakes and a 200 reply that
                  honours slow_body.
                  Fault fields it handles (take_fault has match and times):
                    delay      seconds to sleep (after the latency)
                    close      true: reset the connection, no response
                    status     answer with this status and an OpenAI-style
                               error body ...
                    body       ... or this body (a string is sent raw)
                    raw        HTTP 200 with this text as the body
                    raw_hex    ... or with these bytes, in hex (a binary
                               body: a malformed WAV)
                    headers    extra response headers, e.g. {"Retry-After": "1"}
                    slow_body  send the headers at once, then the body in
                               pieces over N seconds
  add_openai_options()  their --latency and --require-key options
"""
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


JSON_TYPE = "application/json; charset=utf-8"


def to_json(obj):
    # Real APIs answer compact UTF-8 JSON.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def openai_error(message, code=None):
    err = {"message": message, "type": "invalid_request_error"}
    if code:
        err["code"] = code
    return {"error": err}


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

    def send(self, status, body, headers=None, send_bytes=None,
             content_type=JSON_TYPE):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
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


class OpenAIState(State):
    def __init__(self, latency, key):
        super().__init__()
        self.latency = latency
        self.key = key                # required API key, or None
        self.reset()

    def reset(self):
        super().reset()
        self.stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0,
                      "answered": 0}


class OpenAIHandler(Handler):
    """Handler of an OpenAI-style fake (state: an OpenAIState).

    api() hands the requests to be logged and counted to counted(), which
    calls answer(req, entry), implemented by the subclass.
    """
    log_fields = {}                   # more request log fields, after "body"
    entry = None                      # log entry of the request being answered

    def control_get(self, path):
        if path == "/_control/stats":
            with self.state.lock:
                return self.send(200, to_json(self.state.stats))
        super().control_get(path)

    def control_post(self, path, body):
        if path == "/_control/latency":
            try:
                seconds = float(json.loads(body)["seconds"])
            except (ValueError, KeyError, TypeError):
                self.send(400, to_json({"error": 'expected {"seconds": x}'}))
                return True
            self.state.latency = seconds
            self.send(200, to_json({"seconds": seconds}))
            return True
        return super().control_post(path, body)

    def not_found(self, url):
        self.send(404, to_json(openai_error(
            f"Unknown request URL: {self.command} {url.path}")))

    def counted(self, url, body):
        """One API request, counted in flight until its answer is written."""
        st = self.state
        try:
            req = json.loads(body)
        except ValueError:
            req = None
        entry = {"path": url.path, "headers": dict(self.headers.items()),
                 "body": req, **self.log_fields, "start": time.time(),
                 "end": None, "status": None}
        with st.lock:
            st.log.append(entry)
            st.stats["requests"] += 1
            st.stats["in_flight"] += 1
            st.stats["max_in_flight"] = max(st.stats["max_in_flight"],
                                            st.stats["in_flight"])
        # Stats are settled into the dict counted in, so a reset while
        # requests are in flight leaves the fresh counts alone.
        self.entry, self.counts, self.sent = entry, st.stats, None
        try:
            self.answer(req, entry)
        finally:
            self.settle()             # if not done yet (client hung up)

    def answer(self, req, entry):
        """Answer a counted request: req is its parsed JSON body (None if
        it is not JSON), entry its request log entry."""
        raise NotImplementedError

    def settle(self):
        """Close the request's log entry and stats, once per counted request."""
        entry, self.entry = self.entry, None
        if entry is None:
            return
        with self.state.lock:
            entry["end"] = time.time()
            entry["status"] = self.sent
            self.counts["in_flight"] -= 1
            self.counts["answered"] += self.sent == 200

    def send_response(self, code, message=None):
        self.sent = code              # what the request log reports
        super().send_response(code, message)

    def reply(self, status, body, headers=None, pieces=1, seconds=0.0,
              content_type=JSON_TYPE):
        """Send a response, the body in `pieces` over `seconds`.

        The log and stats are settled just before the last byte goes out, so
        a client holding its whole answer always sees them up to date.
        """
        self.send(status, body, headers, send_bytes=0,
                  content_type=content_type)
        cut = [len(body) * i // pieces for i in range(pieces + 1)]
        for i in range(pieces):
            if seconds:
                time.sleep(seconds / pieces)
            piece = body[cut[i]:cut[i + 1]]
            if i == pieces - 1:
                self.wfile.write(piece[:-1])
                self.settle()
                piece = piece[-1:]
            self.wfile.write(piece)

    def invalid(self, message):
        """A 400 with an OpenAI-style error body."""
        self.reply(400, to_json(openai_error(message)))

    def key_ok(self):
        """False, after a 401, unless the request has the required API key.

        Like api.openai.com, answer() checks the key before the body:
        neither a 401 nor a 400 waits for the latency or takes a fault.
        """
        st = self.state
        if st.key is not None and \
                self.headers.get("Authorization") != f"Bearer {st.key}":
            self.reply(401, to_json(openai_error(
                "Incorrect API key provided", "invalid_api_key")))
            return False
        return True

    def fault_for(self, target):
        """The first queued fault for `target` ({} if none), returned after
        the latency and the fault's delay."""
        st = self.state
        fault = st.take_fault(target) or {}
        time.sleep(st.latency + float(fault.get("delay", 0)))
        return fault

    def fault_reply(self, fault, raw_type=JSON_TYPE):
        """Answer the request as a close, status/body or raw fault says
        (raw with Content-Type raw_type); False if none of them applies."""
        if fault.get("close"):
            self.settle()
            self.reset_connection()
            return True
        headers = fault.get("headers")
        if "body" in fault or fault.get("status", 200) != 200:
            status = int(fault.get("status", 200))
            body = fault.get("body", openai_error(
                f"Injected error: HTTP {status}"))
            body = body.encode() if isinstance(body, str) else to_json(body)
            self.reply(status, body, headers)
            return True
        if "raw" in fault or "raw_hex" in fault:
            raw = (bytes.fromhex(fault["raw_hex"]) if "raw_hex" in fault
                   else str(fault["raw"]).encode())
            self.reply(200, raw, headers, content_type=raw_type)
            return True
        return False

    def reply_ok(self, body, fault, content_type=JSON_TYPE):
        """A 200 with `body` and the fault's extra headers."""
        pieces, seconds = 1, 0.0
        if fault.get("slow_body"):
            # Headers (with the full Content-Length) now, the body in pieces.
            pieces, seconds = 20, float(fault["slow_body"])
        self.reply(200, body, fault.get("headers"), pieces, seconds,
                   content_type)


def add_openai_options(ap, answers):
    """An OpenAI-style fake's --latency and --require-key; `answers` names
    what the latency delays ("chat", "speech")."""
    ap.add_argument("--latency", type=float, default=0.0, metavar="SEC",
                    help=f"wait this long before every {answers} answer")
    ap.add_argument("--require-key", metavar="KEY",
                    help="answer 401 unless 'Authorization: Bearer KEY'")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False            # don't wait for delayed handlers on exit
    # socketserver's default listen backlog is 5: a client opening 8 connections at
    # once had one SYN dropped and its request reached us a second late (the kernel's
    # SYN retry), which looked like paperboy starting a request after Ctrl-C.
    request_queue_size = 128

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
