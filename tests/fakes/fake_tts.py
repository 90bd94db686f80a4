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

Control API: fakeserver's /_control/faults, requests, reset, stats and
latency (fakeserver.OpenAIHandler); the latency is that of every speech
answer.

Fault object fields: fakeserver.OpenAIHandler's (times, delay, close, status,
body, headers, raw, raw_hex, slow_body; the latency is waited first; raw is sent with
the requested format's Content-Type, e.g. audio/wav), and
  match       only requests whose input text contains this substring
  truncate_audio  true: the data cut to its first half while the WAV header
              still claims the full size (HTTP-wise a complete answer)

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import math
import struct

import fakeserver

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


class State(fakeserver.OpenAIState):
    def __init__(self, latency, key, rate):
        super().__init__(latency, key)
        self.rate = rate
        self.tone = Tone(rate)


class Handler(fakeserver.OpenAIHandler):
    server_version = "fake-tts/1"

    def api(self, url, body):
        if self.command == "POST" and url.path.endswith("/audio/speech"):
            return self.counted(url, body)
        self.not_found(url)

    def answer(self, req, entry):
        """Speech for the input, once the key and the request are right."""
        st = self.state
        if not self.key_ok():
            return
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
        fault = self.fault_for(text)
        if self.fault_reply(fault, FORMATS[fmt]):
            return

        samples = len(text) * samples_per_char(st.rate)
        pcm = st.tone.pcm(samples)
        if fault.get("truncate_audio"):
            pcm = pcm[:2 * (samples // 2)]
        body = wav_header(st.rate, 2 * samples) + pcm if fmt == "wav" else pcm
        self.reply_ok(body, fault, FORMATS[fmt])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portfile", required=True, help="write chosen port here")
    fakeserver.add_openai_options(ap, "speech")
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
