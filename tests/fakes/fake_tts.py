#!/usr/bin/env python3
"""Fake OpenAI-compatible speech API for paperboy's tests and benchmarks.

  POST .../audio/speech      {"model", "input", "voice", "response_format"}
                             as OpenAI's API: speech for `input`, exactly
                             SAMPLES_PER_CHAR (rate // 20, i.e. 0.05 s)
                             samples per Unicode character of `input`, 16-bit
                             signed little-endian mono at --rate: a quiet
                             220 Hz sine, the same bytes for the same input.
                             response_format "wav": a RIFF/WAVE file
                             (audio/wav); "pcm": the raw samples (audio/pcm);
                             anything else, "mp3" included (OpenAI's
                             default), is a 400: paperboy joins segments
                             sample-exactly and must ask for wav.
                             A missing or empty model, voice or input, or an
                             input over MAX_INPUT characters, is a 400 too.

Control API (besides fakeserver's /_control/faults, requests, reset):
  GET  /_control/stats       {"requests", "in_flight", "max_in_flight", "answered"}
  POST /_control/latency     {"seconds": x}: latency of every speech answer

Fault object fields (see fakeserver.State.take_fault for match and times;
the latency is waited first):
  match       only requests whose input text contains this substring
  times       use the fault for this many requests (default 1)
  status      answer with this status and an OpenAI-style error body ...
  body        ... or this body (a string is sent raw)
  headers     extra response headers, e.g. {"Retry-After": "1"}
  delay       seconds to sleep before answering
  slow_body   send headers at once, then the body in pieces over N seconds
  close       true: reset the connection without any response
  raw         HTTP 200 with this text as the body (Content-Type audio/wav)
  truncate_audio  true: the data cut to its first half while the WAV header
              still claims the full size (HTTP-wise a complete answer)

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import json
import math
import struct
import time

import fakeserver
from fakeserver import to_json

JSON_TYPE = "application/json; charset=utf-8"
TONE_HZ, AMPLITUDE = 220, 3000
MAX_INPUT = 4096                      # OpenAI's limit, in characters
FORMATS = {"wav": "audio/wav", "pcm": "audio/pcm"}


def samples_per_char(rate):
    return rate // 20


class Tone:
    """The sine's samples as little-endian bytes, sliced to any length.

    TONE_HZ is a whole number, so one second of samples repeats exactly.
    """

    def __init__(self, rate):
        self.rate = rate
        self.second = struct.pack(f"<{rate}h", *(
            round(AMPLITUDE * math.sin(2 * math.pi * TONE_HZ * i / rate))
            for i in range(rate)))

    def pcm(self, samples):
        reps = samples // self.rate + 1
        return (self.second * reps)[:2 * samples]


def wav_header(rate, data_bytes):
    """A canonical 44-byte RIFF/WAVE header: PCM, mono, 16 bits."""
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data" + struct.pack("<I", data_bytes))


def openai_error(message, code=None):
    err = {"message": message, "type": "invalid_request_error"}
    if code:
        err["code"] = code
    return {"error": err}


class State(fakeserver.State):
    def __init__(self, latency, key, rate):
        super().__init__()
        self.latency = latency
        self.key = key
        self.rate = rate
        self.tone = Tone(rate)
        self.reset()

    def reset(self):
        super().reset()
        self.stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0,
                      "answered": 0}


class Handler(fakeserver.Handler):
    server_version = "fake-tts/1"
    entry = None                      # log entry of the speech being answered

    def send(self, status, body, headers=None, send_bytes=None,
             content_type=JSON_TYPE):
        # fakeserver's send, with a Content-Type of our choosing.
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(body if send_bytes is None else body[:send_bytes])

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

    def api(self, url, body):
        if self.command == "POST" and url.path.endswith("/audio/speech"):
            return self.speech(url, body)
        self.send(404, to_json(openai_error(
            f"Unknown request URL: {self.command} {url.path}")))

    def speech(self, url, body):
        """One speech request, counted in flight until its answer is written."""
        st = self.state
        try:
            req = json.loads(body)
        except ValueError:
            req = None
        entry = {"path": url.path, "headers": dict(self.headers.items()),
                 "body": req, "start": time.time(), "end": None,
                 "status": None}
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
            self.speech_answer(req)
        finally:
            self.settle()             # if not done yet (client hung up)

    def settle(self):
        """Close the request's log entry and stats, once per speech request."""
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
        """Send a speech response, the body in `pieces` over `seconds`.

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
        return self.reply(400, to_json(openai_error(message)))

    def speech_answer(self, req):
        st = self.state
        # Like api.openai.com: the key is checked before the body. Neither
        # a 401 nor a 400 waits for the latency or takes a fault.
        if st.key is not None and \
                self.headers.get("Authorization") != f"Bearer {st.key}":
            return self.reply(401, to_json(openai_error(
                "Incorrect API key provided", "invalid_api_key")))
        if not isinstance(req, dict):
            return self.invalid("Invalid request: expected a JSON object body")
        for field in ("model", "input", "voice"):
            if not isinstance(req.get(field), str) or not req[field]:
                return self.invalid(
                    f"Invalid request: '{field}' must be a non-empty string")
        text = req["input"]
        if len(text) > MAX_INPUT:
            return self.invalid(
                f"Invalid request: 'input' is {len(text)} characters, "
                f"the maximum is {MAX_INPUT}")
        fmt = req.get("response_format", "mp3")
        if fmt not in FORMATS:
            return self.invalid(
                f"Unsupported response_format {fmt!r}: this fake speaks "
                "only 'wav' and 'pcm'")
        fault = st.take_fault(text) or {}

        time.sleep(st.latency + float(fault.get("delay", 0)))
        if fault.get("close"):
            self.settle()
            return self.reset_connection()
        headers = fault.get("headers")
        if "body" in fault or fault.get("status", 200) != 200:
            status = int(fault.get("status", 200))
            body = fault.get("body", openai_error(
                f"Injected error: HTTP {status}"))
            body = body.encode() if isinstance(body, str) else to_json(body)
            return self.reply(status, body, headers)
        if "raw" in fault:
            return self.reply(200, str(fault["raw"]).encode(), headers,
                              content_type=FORMATS[fmt])

        samples = len(text) * samples_per_char(st.rate)
        pcm = st.tone.pcm(samples)
        if fault.get("truncate_audio"):
            pcm = pcm[:2 * (samples // 2)]
        body = wav_header(st.rate, 2 * samples) + pcm if fmt == "wav" else pcm
        pieces, seconds = 1, 0.0
        if fault.get("slow_body"):
            # Headers (with the full Content-Length) now, the body in pieces.
            pieces, seconds = 20, float(fault["slow_body"])
        self.reply(200, body, headers, pieces, seconds, FORMATS[fmt])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portfile", required=True, help="write chosen port here")
    ap.add_argument("--latency", type=float, default=0.0, metavar="SEC",
                    help="wait this long before every speech answer")
    ap.add_argument("--require-key", metavar="KEY",
                    help="answer 401 unless 'Authorization: Bearer KEY'")
    ap.add_argument("--rate", type=int, default=24000, metavar="HZ",
                    help="sample rate of the audio (default 24000)")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()
    if args.rate < 20:
        ap.error("--rate must be at least 20 Hz")
    state = State(args.latency, args.require_key, args.rate)
    fakeserver.serve(Handler, state, args.portfile, args.verbose)


if __name__ == "__main__":
    main()
