#!/usr/bin/env python3
"""Tests for the fake OpenAI-compatible speech server itself (no PAPERBOY_BIN)."""
import http.client
import io
import json
import struct
import time
import wave

import pbtest

ZH = "大家好，欢迎收听今天的论文日报。VA-π 很有趣！"   # 25 characters, 66 UTF-8 bytes
RATE = 24000
SPC = RATE // 20                                     # samples per character


def speech(tts, text=ZH, fmt="wav", key=None, timeout=10, **extra):
    """-> (status, headers, body bytes)."""
    body = {"model": "tts-1", "input": text, "voice": "alloy", **extra}
    if fmt is not None:
        body["response_format"] = fmt
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return tts.post("/v1/audio/speech", body, headers, timeout)


def wav_fields(data):
    """The canonical 44-byte header, unpacked by hand."""
    riff, riff_size, wave_, fmt, fmt_size, codec, channels, rate, byte_rate, \
        align, bits, data_id, data_size = struct.unpack("<4sI4s4sIHHIIHH4sI",
                                                        data[:44])
    return {"riff": riff, "riff_size": riff_size, "wave": wave_, "fmt": fmt,
            "fmt_size": fmt_size, "codec": codec, "channels": channels,
            "rate": rate, "byte_rate": byte_rate, "align": align,
            "bits": bits, "data_id": data_id, "data_size": data_size}


def samples(pcm):
    return struct.unpack(f"<{len(pcm) // 2}h", pcm)


class FakeTTSTest(pbtest.PaperboyTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tts = pbtest.FakeTTS().start()

    @classmethod
    def tearDownClass(cls):
        cls.tts.stop()

    def setUp(self):
        super().setUp()
        self.tts.reset()
        self.tts.set_latency(0)

    def ok(self, **kw):
        status, headers, body = speech(self.tts, **kw)
        self.assertEqual(status, 200, body[:200])
        return headers, body

    def error(self, status, **kw):
        got, headers, body = speech(self.tts, **kw)
        self.assertEqual(got, status, body[:200])
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        err = json.loads(body)["error"]
        self.assertEqual(err["type"], "invalid_request_error")
        self.assertTrue(err["message"])
        return err

    def test_url(self):
        self.assertEqual(self.tts.url, f"http://127.0.0.1:{self.tts.port}/v1")
        self.assertEqual(self.tts.get("/v1/audio/speech")[0], 404)
        self.assertEqual(self.tts.post("/v1/nothing", {})[0], 404)

    def test_wav(self):
        self.assertEqual((len(ZH), len(ZH.encode())), (25, 66))
        headers, body = self.ok()
        self.assertEqual(headers["Content-Type"], "audio/wav")
        n = 25 * SPC                                 # characters, not bytes
        self.assertEqual(len(body), 44 + 2 * n)
        self.assertEqual(wav_fields(body), {
            "riff": b"RIFF", "riff_size": 36 + 2 * n, "wave": b"WAVE",
            "fmt": b"fmt ", "fmt_size": 16, "codec": 1, "channels": 1,
            "rate": RATE, "byte_rate": 2 * RATE, "align": 2, "bits": 16,
            "data_id": b"data", "data_size": 2 * n})
        # An independent reader agrees.
        with wave.open(io.BytesIO(body)) as w:
            self.assertEqual((w.getnchannels(), w.getsampwidth(),
                              w.getframerate(), w.getnframes()), (1, 2, RATE, n))
            self.assertEqual(w.readframes(n), body[44:])
        # A quiet tone, not silence; 0.05 s per character.
        s = samples(body[44:])
        self.assertEqual(s[0], 0)
        self.assertTrue(2900 <= max(s) <= 3000 and -3000 <= min(s) <= -2900)
        self.assertEqual(len(s) / RATE, len(ZH) * 0.05)
        # Deterministic; the length follows the input.
        self.assertEqual(self.ok()[1], body)
        self.assertEqual(len(self.ok(text="一")[1]), 44 + 2 * SPC)

    def test_pcm(self):
        headers, body = self.ok(fmt="pcm")
        self.assertEqual(headers["Content-Type"], "audio/pcm")
        self.assertEqual(len(body), 2 * len(ZH) * SPC)
        self.assertEqual(body, self.ok()[1][44:])

    def test_bad_requests(self):
        err = self.error(400, fmt="mp3")
        self.assertIn("mp3", err["message"])
        self.error(400, fmt=None)                   # OpenAI's default is mp3
        self.error(400, fmt="flac")
        self.error(400, text="")
        self.error(400, text=None)
        self.error(400, voice="")
        self.error(400, text="字" * 4097)
        self.ok(text="字" * 4096)
        for body in (b"not json", b"[1]", b'{"model": "m", "voice": "v"}'):
            self.assertEqual(self.tts.post("/v1/audio/speech", body)[0], 400)
        log = self.tts.requests()
        self.assertEqual([r["status"] for r in log], [400] * 7 + [200] + [400] * 3)
        self.assertEqual(log[0]["body"]["response_format"], "mp3")
        self.assertIsNone(log[8]["body"])
        self.assertEqual(self.tts.stats()["answered"], 1)

    def test_request_log_and_reset(self):
        self.tts.faults([{"status": 429, "headers": {"Retry-After": "1"}},
                         {"close": True}])
        self.assertEqual(speech(self.tts, "一")[0], 429)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            speech(self.tts, "二")
        self.ok(text="三")
        self.tts.get("/_control/stats")             # not logged
        log = self.tts.requests()
        self.assertEqual([(r["body"]["input"], r["status"]) for r in log],
                         [("一", 429), ("二", None), ("三", 200)])
        r = log[2]
        self.assertEqual(r["path"], "/v1/audio/speech")
        self.assertEqual(r["body"], {"model": "tts-1", "input": "三",
                                     "voice": "alloy", "response_format": "wav"})
        self.assertIn("Content-Type", r["headers"])
        self.assertLessEqual(r["start"], r["end"])
        self.assertEqual(self.tts.stats(), {"requests": 3, "in_flight": 0,
                                            "max_in_flight": 1, "answered": 1})
        self.tts.faults([{"status": 500}])
        self.tts.reset()
        self.assertEqual(self.tts.requests(), [])
        self.assertEqual(self.tts.stats()["requests"], 0)
        self.ok()                                   # the fault was cleared

    def test_fault_status_body_headers(self):
        self.tts.faults([{"status": 429, "headers": {"Retry-After": "1"}},
                         {"status": 503, "body": "overloaded"},
                         {"status": 500, "body": {"error": {"message": "boom"}}},
                         {"status": 200, "headers": {"X-Test": "y"}}])
        err = self.error(429)
        self.assertIn("429", err["message"])
        status, h, body = speech(self.tts)
        self.assertEqual((status, body), (503, b"overloaded"))
        status, h, body = speech(self.tts)
        self.assertEqual((status, json.loads(body)), (500, {"error": {"message": "boom"}}))
        h, body = self.ok()
        self.assertEqual((h["X-Test"], h["Content-Type"]), ("y", "audio/wav"))
        self.assertEqual(len(body), 44 + 2 * len(ZH) * SPC)

    def test_fault_match_and_times(self):
        self.tts.faults([{"match": "特别", "status": 500, "times": 2}])
        self.ok(text="普通")
        self.assertEqual(speech(self.tts, "特别一")[0], 500)
        self.assertEqual(speech(self.tts, "这段特别")[0], 500)
        self.ok(text="特别三")

    def test_fault_delay_and_latency(self):
        self.tts.faults([{"delay": 0.3}])
        t = time.monotonic()
        self.ok()
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.tts.set_latency(0.3)
        t = time.monotonic()
        self.ok(fmt="pcm")
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.tts.set_latency(0)
        self.tts.faults([{"delay": 1.0}])
        with self.assertRaises(OSError):
            speech(self.tts, timeout=0.2)

    def test_fault_raw(self):
        self.tts.faults([{"raw": "not audio"}])
        status, h, body = speech(self.tts)
        self.assertEqual((status, h["Content-Type"], body),
                         (200, "audio/wav", b"not audio"))

    def test_fault_truncate_audio(self):
        self.tts.faults([{"truncate_audio": True}])
        status, h, body = speech(self.tts)          # HTTP-wise complete
        self.assertEqual(status, 200)
        n = len(ZH) * SPC
        f = wav_fields(body)
        self.assertEqual((f["data_size"], f["riff_size"]), (2 * n, 36 + 2 * n))
        self.assertEqual(len(body) - 44, 2 * (n // 2))
        self.assertEqual(int(h["Content-Length"]), len(body))
        self.assertEqual(body, self.ok()[1][:len(body)])
        self.assertEqual(len(self.ok()[1]), 44 + 2 * n)   # used once

    def test_fault_slow_body(self):
        self.tts.faults([{"slow_body": 0.6}])
        head, headers, body, total = pbtest.timed_post(
            self.tts.port, "/v1/audio/speech", json.dumps(
                {"model": "m", "voice": "v", "input": ZH, "response_format": "wav"}))
        self.assertLess(head, 0.3)                     # headers at once
        self.assertGreaterEqual(total, 0.5)
        self.assertEqual(len(body), int(headers["Content-Length"]))
        self.assertEqual(len(body), 44 + 2 * len(ZH) * SPC)

    def test_concurrency_stats(self):
        self.tts.set_latency(0.5)
        results, in_flight, seconds = pbtest.run_concurrently(
            [lambda i=i: speech(self.tts, f"第{i}段")[0] for i in range(4)],
            lambda: self.tts.stats()["in_flight"])
        self.assertEqual(in_flight, 4)
        self.assertLess(seconds, 1.5)
        self.assertEqual(results, [200] * 4)
        self.assertEqual(self.tts.stats(), {"requests": 4, "in_flight": 0,
                                            "max_in_flight": 4, "answered": 4})

    def test_keep_alive(self):
        answers = pbtest.keep_alive_posts(
            self.tts.port, "/v1/audio/speech", json.dumps(
                {"model": "m", "voice": "v", "input": "好", "response_format": "wav"}))
        self.assertEqual([body[:4] for body, _ in answers], [b"RIFF"] * 3)
        self.assertTrue(all(s is answers[0][1] for _, s in answers))


class FakeTTSOptionsTest(pbtest.PaperboyTestCase):
    def test_require_key_rate_and_sigterm(self):
        tts = self.fake_tts(require_key="sk-test", rate=16000, latency=0.1)
        for key in (None, "sk-wrong"):
            status, h, body = speech(tts, key=key)
            self.assertEqual(status, 401)
            self.assertEqual(json.loads(body), {"error": {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error", "code": "invalid_api_key"}})
        status, _, body = speech(tts, "一二", key="sk-test")
        self.assertEqual(status, 200)
        f = wav_fields(body)
        self.assertEqual((f["rate"], f["byte_rate"], f["data_size"]),
                         (16000, 32000, 2 * 2 * 800))
        self.assertEqual([r["status"] for r in tts.requests()], [401, 401, 200])
        tts.stop()
        self.assertEqual(tts.proc.returncode, 0)


if __name__ == "__main__":
    pbtest.main()
