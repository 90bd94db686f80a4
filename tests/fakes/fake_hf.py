#!/usr/bin/env python3
"""Fake Hugging Face Daily Papers API for paperboy's end-to-end tests.

Serves GET /api/daily_papers?date=YYYY-MM-DD&limit=L&p=P from fixture files
(DIR/YYYY-MM-DD.json, read on every request) and from synthetic days
(--synth DATE:N), plus a control API used by tests to script faults:

  POST /_control/faults    JSON list of fault objects, appended to a FIFO queue
  GET  /_control/requests  JSON list of API requests received so far
  POST /_control/reset     clear the fault queue and the request log

Fault object fields (all optional):
  match     only requests whose path+query contains this substring take it
  delay     seconds to sleep before answering
  close     true: reset the connection without sending any response
  truncate  N: send the normal response (full Content-Length) but only N bytes
  status    answer with this status instead of the normal answer
  body      body for `status` (default {"error":"injected"}; status 200 if absent)
  headers   extra response headers, e.g. {"Retry-After": "1"}

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import copy
import datetime
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DEFAULT_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixtures", "hf-api")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The real API's default and maximum page sizes.
DEFAULT_LIMIT, MAX_LIMIT = 50, 100


def to_json(obj):
    # The real API answers compact UTF-8 JSON.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def valid_date(s):
    if not DATE_RE.fullmatch(s):
        return False
    try:
        datetime.date.fromisoformat(s)
        return True
    except ValueError:
        return False


def synth_day(fixtures, n):
    """N papers cloned cyclically from a real fixture, ids 9999.00000 up."""
    listing = os.listdir(fixtures) if os.path.isdir(fixtures) else []
    names = sorted(f for f in listing
                   if f.endswith(".json") and DATE_RE.fullmatch(f[:-5]))
    candidates = [os.path.join(fixtures, f)
                  for f in ["2026-05-12.json"] + names]
    candidates.append(os.path.join(DEFAULT_FIXTURES, "2026-05-12.json"))
    for path in candidates:
        try:
            with open(path, encoding="utf-8") as f:
                base = json.load(f)
            if isinstance(base, list) and base:
                break
        except (OSError, ValueError):
            pass
    day = []
    for i in range(n):
        e = copy.deepcopy(base[i % len(base)])
        e["paper"]["id"] = f"9999.{i:05d}"
        for d in (e, e["paper"]):
            if "title" in d:
                d["title"] += f" #{i}"
        day.append(e)
    return day


class State:
    def __init__(self, fixtures, synth):
        self.fixtures = fixtures
        self.synth = synth            # date -> list of entries
        self.lock = threading.Lock()
        self.faults = []
        self.log = []

    def take_fault(self, target):
        """Pop the first queued fault whose `match` (if any) is in target."""
        with self.lock:
            for i, f in enumerate(self.faults):
                if f.get("match", "") in target:
                    return self.faults.pop(i)
        return None

    def day(self, date):
        """(entries list or None, raw bytes or None) for one day."""
        if date in self.synth:
            return self.synth[date], None
        try:
            with open(os.path.join(self.fixtures, date + ".json"), "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return [], None           # like the real API on weekends
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        # Anything that is not a JSON list is served verbatim, unpaged, so
        # tests can feed malformed bodies through a fixture file.
        return (data, None) if isinstance(data, list) else (None, raw)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # keep-alive; libcurl reuses connections
    server_version = "fake-hf/1"
    state = None                      # set in main()
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

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_control/requests":
            with self.state.lock:
                return self.send(200, to_json(self.state.log))
        if url.path.startswith("/_control/"):
            return self.send(405, to_json({"error": "Method not allowed"}))
        self.api(url)

    def do_POST(self):
        url = urlsplit(self.path)
        body = self.read_body()
        st = self.state
        if url.path == "/_control/faults":
            try:
                faults = json.loads(body)
                assert isinstance(faults, list)
                assert all(isinstance(f, dict) for f in faults)
            except (ValueError, AssertionError):
                return self.send(400, to_json({"error": "expected JSON list"}))
            with st.lock:
                st.faults.extend(faults)
            return self.send(200, to_json({"queued": len(st.faults)}))
        if url.path == "/_control/reset":
            with st.lock:
                st.faults.clear()
                st.log.clear()
            return self.send(200, to_json({"ok": True}))
        self.api(url)

    def api(self, url):
        st = self.state
        with st.lock:
            st.log.append({"method": self.command, "path": url.path,
                           "query": dict(parse_qsl(url.query)),
                           "headers": dict(self.headers.items()),
                           "time": time.time()})
        fault = st.take_fault(self.path) or {}
        if fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault.get("close"):
            # Abortive close (RST), no response at all.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        headers = fault.get("headers")
        if "status" in fault or "body" in fault:
            body = fault.get("body", '{"error":"injected"}')
            body = body.encode() if isinstance(body, str) else to_json(body)
            return self.send(int(fault.get("status", 200)), body, headers)
        status, body = self.normal_answer(url)
        if "truncate" in fault:
            self.close_connection = True
            return self.send(status, body, headers, int(fault["truncate"]))
        self.send(status, body, headers)

    def normal_answer(self, url):
        if self.command != "GET" or url.path != "/api/daily_papers":
            return 404, to_json({"error": "Not found"})
        q = dict(parse_qsl(url.query))
        date = q.get("date")
        if date is None:
            date = "today"            # our stand-in for the server's today
        elif not valid_date(date):
            return 400, to_json({"error": "Invalid date"})
        try:
            limit = min(int(q.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
            page = int(q.get("p", 0))
            assert limit >= 0 and page >= 0
        except (ValueError, AssertionError):
            return 400, to_json({"error": "Invalid limit or page"})
        entries, raw = self.state.day(date)
        if raw is not None:
            return 200, raw
        return 200, to_json(entries[page * limit:page * limit + limit])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False            # don't wait for delayed handlers on exit

    def handle_error(self, request, client_address):
        # Clients hanging up (timeouts, aborted transfers) are expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portfile", required=True, help="write chosen port here")
    ap.add_argument("--fixtures", default=DEFAULT_FIXTURES,
                    help="dir of YYYY-MM-DD.json daily_papers bodies")
    ap.add_argument("--synth", action="append", default=[], metavar="DATE:N",
                    help="synthesise DATE with N papers (repeatable)")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()

    synth = {}
    for spec in args.synth:
        date, _, n = spec.rpartition(":")
        if not date or not n.isdigit():
            ap.error(f"bad --synth {spec!r}, expected DATE:N")
        synth[date] = synth_day(args.fixtures, int(n))

    Handler.state = State(args.fixtures, synth)
    Handler.verbose = args.verbose
    server = Server(("127.0.0.1", 0), Handler)

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.portfile)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
