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
  times     use the fault for this many requests (default 1)

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import copy
import datetime
import json
import os
import re
import time
from urllib.parse import parse_qsl

import fakeserver
from fakeserver import to_json

DEFAULT_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixtures", "hf-api")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The real API's default and maximum page sizes.
DEFAULT_LIMIT, MAX_LIMIT = 50, 100


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


class State(fakeserver.State):
    def __init__(self, fixtures, synth):
        super().__init__()
        self.fixtures = fixtures
        self.synth = synth            # date -> list of entries

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


class Handler(fakeserver.Handler):
    server_version = "fake-hf/1"

    def api(self, url, body):
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
            return self.reset_connection()
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

    fakeserver.serve(Handler, State(args.fixtures, synth), args.portfile,
                     args.verbose)


if __name__ == "__main__":
    main()
