#!/usr/bin/env python3
"""Tests for the fake HF API server itself (does not need PAPERBOY_BIN)."""
import http.client
import json
import os
import shutil
import time
from unittest import mock

import pbtest

SYNTH = "2026-01-05"


class FakeHFTest(pbtest.PaperboyTestCase):
    @classmethod
    def setUpClass(cls):
        cls.hf = pbtest.FakeHF(synth={SYNTH: 120}).start()

    @classmethod
    def tearDownClass(cls):
        cls.hf.stop()

    def setUp(self):
        super().setUp()
        self.hf.reset()

    def papers(self, query, hf=None):
        status, headers, body = (hf or self.hf).get("/api/daily_papers?" + query)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        return json.loads(body)

    def test_paging_synth_day(self):
        p0 = self.papers(f"date={SYNTH}&limit=100&p=0")
        p1 = self.papers(f"date={SYNTH}&limit=100&p=1")
        p2 = self.papers(f"date={SYNTH}&limit=100&p=2")
        self.assertEqual((len(p0), len(p1), len(p2)), (100, 20, 0))
        ids = [e["paper"]["id"] for e in p0 + p1]
        self.assertEqual(ids, [f"9999.{i:05d}" for i in range(120)])
        self.assertEqual(len({e["paper"]["title"] for e in p0 + p1}), 120)
        self.assertTrue(p1[-1]["paper"]["title"].endswith(" #119"))

    def test_limit_default_and_cap(self):
        self.assertEqual(len(self.papers(f"date={SYNTH}")), 50)
        self.assertEqual(len(self.papers(f"date={SYNTH}&p=2")), 20)
        self.assertEqual(len(self.papers(f"date={SYNTH}&limit=500")), 100)
        self.assertEqual(len(self.papers("date=2025-12-26")), 7)
        self.assertEqual(len(self.papers("date=2026-05-12&limit=100")), 50)

    def test_invalid_date(self):
        for bad in ("2025-02-30", "2025-1-5", "yesterday"):
            status, _, body = self.hf.get("/api/daily_papers?date=" + bad)
            self.assertEqual(status, 400, bad)
            self.assertEqual(json.loads(body), {"error": "Invalid date"})

    def test_unknown_date_is_empty(self):
        self.assertEqual(self.papers("date=2025-12-27"), [])

    def test_missing_date_and_lazy_fixture_reads(self):
        fx = os.path.join(self.tmp, "fx")
        os.mkdir(fx)
        src = os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")
        shutil.copy(src, os.path.join(fx, "today.json"))
        with pbtest.FakeHF(fixtures_dir=fx) as hf:
            self.assertEqual(len(self.papers("", hf)), 7)
            with open(src) as f:
                day = json.load(f)
            with open(os.path.join(fx, "2025-12-26.json"), "w") as f:
                json.dump(day[:3], f)
            self.assertEqual(len(self.papers("date=2025-12-26", hf)), 3)
            with open(os.path.join(fx, "2025-12-26.json"), "w") as f:
                json.dump(day, f)
            self.assertEqual(len(self.papers("date=2025-12-26", hf)), 7)
        self.assertEqual(hf.proc.returncode, 0)   # clean exit on SIGTERM

    def test_malformed_fixture_verbatim_and_synth_fallback(self):
        fx = os.path.join(self.tmp, "fx")
        os.mkdir(fx)
        src = os.path.join(pbtest.FIXTURES, "hf-api",
                           "malformed-status-wrapper.json")
        shutil.copy(src, os.path.join(fx, "2025-01-10.json"))
        hf = self.fake_hf(fixtures_dir=fx, synth={"2026-01-01": 3})
        with open(src, "rb") as f:
            self.assertEqual(hf.get("/api/daily_papers?date=2025-01-10")[2],
                             f.read())
        ids = [e["paper"]["id"] for e in self.papers("date=2026-01-01", hf)]
        self.assertEqual(ids, ["9999.00000", "9999.00001", "9999.00002"])

    def test_fault_status_and_headers(self):
        self.hf.faults([{"status": 429, "headers": {"Retry-After": "1"}},
                        {"status": 500}])
        status, headers, body = self.hf.get("/api/daily_papers?date=2025-12-26")
        self.assertEqual((status, headers["Retry-After"]), (429, "1"))
        self.assertEqual(json.loads(body), {"error": "injected"})
        self.assertEqual(self.hf.get("/api/daily_papers?date=2025-12-26")[0], 500)
        self.assertEqual(len(self.papers("date=2025-12-26")), 7)   # queue empty

    def test_fault_raw_body(self):
        self.hf.faults({"status": 200, "body": "not json"})
        self.assertEqual(self.hf.get("/api/daily_papers?date=2025-12-26")[::2],
                         (200, b"not json"))
        self.assertEqual(len(self.papers("date=2025-12-26")), 7)

    def test_fault_delay(self):
        self.hf.faults([{"delay": 0.5}, {"delay": 0.3, "status": 503}])
        t = time.monotonic()
        self.assertEqual(len(self.papers("date=2025-12-26")), 7)
        self.assertGreaterEqual(time.monotonic() - t, 0.5)
        t = time.monotonic()
        self.assertEqual(self.hf.get("/api/daily_papers?date=2025-12-26")[0], 503)
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        # A client that gives up early just sees a timeout.
        self.hf.faults([{"delay": 1.0}])
        with self.assertRaises(OSError):
            self.hf.get("/api/daily_papers?date=2025-12-26", timeout=0.2)

    def test_fault_close(self):
        self.hf.faults([{"close": True}])
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.hf.get("/api/daily_papers?date=2025-12-26")
        self.assertEqual(len(self.papers("date=2025-12-26")), 7)

    def test_fault_truncate(self):
        self.hf.faults([{"truncate": 100}])
        conn = http.client.HTTPConnection("127.0.0.1", self.hf.port, timeout=5)
        conn.request("GET", "/api/daily_papers?date=2025-12-26")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertGreater(int(resp.headers["Content-Length"]), 100)
        with self.assertRaises(http.client.IncompleteRead) as cm:
            resp.read()
        self.assertEqual(len(cm.exception.partial), 100)
        conn.close()

    def test_fault_match(self):
        self.hf.faults([{"match": "p=1", "status": 500}])
        self.assertEqual(len(self.papers(f"date={SYNTH}&p=0")), 50)
        self.assertEqual(len(self.papers(f"date={SYNTH}&p=2")), 20)
        self.assertEqual(self.hf.get(f"/api/daily_papers?date={SYNTH}&p=1")[0], 500)
        self.assertEqual(len(self.papers(f"date={SYNTH}&p=1")), 50)

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.hf.port, timeout=5)
        socks = []
        for _ in range(3):
            conn.request("GET", "/api/daily_papers?date=2025-12-26")
            self.assertEqual(len(json.loads(conn.getresponse().read())), 7)
            socks.append(conn.sock)   # http.client reopens if server closed
        conn.close()
        self.assertIsNotNone(socks[0])
        self.assertTrue(all(s is socks[0] for s in socks))

    def test_request_log(self):
        self.papers(f"date={SYNTH}&limit=100&p=1")
        self.hf.get("/api/daily_papers?date=2025-02-30")
        log = self.hf.requests()
        self.assertEqual([r["query"] for r in log],
                         [{"date": SYNTH, "limit": "100", "p": "1"},
                          {"date": "2025-02-30"}])
        self.assertEqual({r["method"] for r in log}, {"GET"})
        self.assertEqual({r["path"] for r in log}, {"/api/daily_papers"})
        self.assertIn("User-Agent", log[0]["headers"])
        self.assertIsInstance(log[0]["time"], float)
        self.hf.reset()
        self.assertEqual(self.hf.requests(), [])

    def test_paperboy_lookup_is_lazy(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("PAPERBOY_BIN", None)
            with self.assertRaisesRegex(RuntimeError, "PAPERBOY_BIN"):
                pbtest.run(["--help"])


if __name__ == "__main__":
    pbtest.main()
