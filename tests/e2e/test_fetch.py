#!/usr/bin/env python3
"""paperboy fetch end to end, against the fake Hugging Face API over real HTTP."""
import json
import os
import shutil
import signal
import subprocess
import time

import pbtest
from pbtest import query, archive_dump, SilentServer


class FetchTest(pbtest.PaperboyTestCase):
    def fetch(self, hf, *args, date="2025-12-26"):
        argv = ["fetch", "--out", self.out, "--hf-url", hf.url]
        if date is not None:
            argv += ["--date", date]
        return pbtest.run(argv + list(args))

    @property
    def db(self):
        return os.path.join(self.out, "paperboy.db")

    def day_ids(self, date):
        return [r[0] for r in query(self.db, "SELECT paper_id FROM day_papers WHERE date=? ORDER BY rank", (date,))]

    def test_fetches_a_day_in_api_order(self):
        hf = self.fake_hf()
        p = self.fetch(hf)
        self.assertExit(p, 0)
        api = json.load(open(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")))
        self.assertEqual(self.day_ids("2025-12-26"), [e["paper"]["id"] for e in api])
        reqs = hf.requests()
        self.assertEqual(len(reqs), 1)
        self.assertEqual(reqs[0]["path"], "/api/daily_papers")
        self.assertEqual(reqs[0]["query"], {"date": "2025-12-26", "limit": "100", "p": "0"})
        self.assertIn("7 papers, 7 new", p.stderr)
        # What the newsletter needs is kept, normalised.
        row = query(self.db, "SELECT title, github_repo, github_stars, organization, upvotes FROM papers WHERE id='2512.19680'")[0]
        self.assertEqual(row[0], "VA-π: Variational Policy Alignment for Pixel-Aware Autoregressive Generation")
        self.assertEqual(row[1], "https://github.com/Lil-Shake/VA-Pi")
        # The raw response is kept for audit and re-parsing.
        raw = query(self.db, "SELECT body FROM raw_responses WHERE date='2025-12-26'")
        self.assertEqual(len(raw), 1)
        self.assertEqual(json.loads(raw[0][0]), api)
        status = query(self.db, "SELECT status FROM runs WHERE command='fetch'")
        self.assertEqual(status, [("ok",)])

    def test_pages_a_day_of_more_than_100_papers(self):
        hf = self.fake_hf(synth={"2026-01-05": 230})
        p = self.fetch(hf, date="2026-01-05")
        self.assertExit(p, 0)
        pages = [r["query"]["p"] for r in hf.requests()]
        self.assertEqual(pages, ["0", "1", "2"])
        ids = self.day_ids("2026-01-05")
        self.assertEqual(len(ids), 230)
        self.assertEqual(ids[0], "9999.00000")
        self.assertEqual(ids[-1], "9999.00229")
        # render lists every paper
        r = pbtest.run(["render", "--out", self.out, "--date", "2026-01-05"])
        self.assertExit(r, 0)
        md = pbtest.read_text(os.path.join(self.out, "newsletters", "2026-01-05_daily_paper.md"))
        self.assertIn("- 总论文数：230", md)
        self.assertIn("\n### 230. ", md)
        self.assertEqual(md.count("\n### "), 230)

    def test_exactly_one_full_page_asks_for_the_next(self):
        hf = self.fake_hf(synth={"2026-01-06": 100})
        self.assertExit(self.fetch(hf, date="2026-01-06"), 0)
        self.assertEqual([r["query"]["p"] for r in hf.requests()], ["0", "1"])
        self.assertEqual(len(self.day_ids("2026-01-06")), 100)

    def test_refetch_merges_new_papers_without_duplicates(self):
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        api = json.load(open(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")))
        path = os.path.join(fixtures, "2025-12-26.json")
        json.dump(api[:5], open(path, "w"))
        hf = self.fake_hf(fixtures_dir=fixtures)
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertIn("5 papers, 5 new", p.stderr)
        # Later that day: two more papers, one of them ranked first.
        json.dump([api[6]] + api[:5] + [api[5]], open(path, "w"))
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertIn("7 papers, 2 new", p.stderr)
        self.assertEqual(self.day_ids("2025-12-26"), [e["paper"]["id"] for e in [api[6]] + api[:5] + [api[5]]])
        self.assertEqual(query(self.db, "SELECT count(*) FROM papers"), [(7,)])
        # The same answer again: nothing new, nothing changes.
        before = archive_dump(self.db)
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertIn("7 papers, 0 new", p.stderr)
        self.assertEqual(archive_dump(self.db), before)

    def test_one_bad_entry_costs_that_entry_not_the_day(self):
        # Issue 13, finding 8: one U+0000 in a title, or one key given twice in an entry,
        # made the page "not valid JSON" and the day got no edition.
        with open(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")) as f:
            api = json.load(f)
        api[1]["paper"]["title"] = "Hidden\u0000 payload"
        texts = [json.dumps(e) for e in api]
        # A second "title" in entry 3: which one the server meant is unknown.
        texts[3] = texts[3].replace('"title": ', '"title": "Another", "title": ', 1)
        hf = self.fake_hf()
        # Served verbatim: the fake re-encodes fixture lists, which would drop the duplicate.
        hf.faults({"status": 200, "body": "[" + ", ".join(texts) + "]"})
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertIn("5 papers, 5 new, 2 invalid skipped", p.stderr)
        self.assertIn("skipped paper %s: a string holds U+0000 (at paper.title)" % api[1]["paper"]["id"], p.stderr)
        self.assertIn("skipped paper %s: a key is given twice" % api[3]["paper"]["id"], p.stderr)
        self.assertEqual(self.day_ids("2025-12-26"), [e["paper"]["id"] for i, e in enumerate(api) if i not in (1, 3)])

    def test_retries_server_errors_then_succeeds(self):
        hf = self.fake_hf()
        hf.faults([{"status": 500}, {"status": 503, "headers": {"Retry-After": "0"}}, {"close": True}])
        p = self.fetch(hf, "--retries", "3")
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 4)
        self.assertIn("p=0: HTTP 500: {\"error\":\"injected\"}; retrying in", p.stderr)
        self.assertIn("HTTP 503", p.stderr)
        # (libcurl itself resends once when a reused connection dies without an answer,
        # so the reset costs no retry of ours; the server still saw four requests.)
        self.assertEqual(len(self.day_ids("2025-12-26")), 7)

    def test_429_honours_retry_after(self):
        hf = self.fake_hf()
        hf.faults([{"status": 429, "headers": {"Retry-After": "1"}}])
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertIn("HTTP 429", p.stderr)
        self.assertIn("retrying in 1.0 s", p.stderr)
        reqs = hf.requests()
        self.assertEqual(len(reqs), 2)
        self.assertGreaterEqual(reqs[1]["time"] - reqs[0]["time"], 0.9)

    def assertFailsCleanly(self, hf, expect, *args, code=1, date="2025-12-26", faults=()):
        # A first good fetch of another day, so "as it was" is a real archive.
        self.assertExit(self.fetch(hf, date="2025-01-23"), 0)
        hf.reset()
        hf.faults(list(faults))
        before = archive_dump(self.db)
        self.assertTrue(before["papers"])
        p = self.fetch(hf, *args, date=date)
        self.assertExit(p, code)
        for e in expect:
            self.assertIn(e, p.stderr)
        lines = [l for l in p.stderr.splitlines() if l.startswith("paperboy: fetch:")]
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertEqual(archive_dump(self.db), before)
        return p

    def test_http_500_after_retries_is_a_clear_error(self):
        hf = self.fake_hf()
        self.assertFailsCleanly(hf, ["HTTP 500", "after retries", "127.0.0.1"], "--retries", "2",
                                faults=[{"status": 500}] * 3)
        self.assertEqual(len(hf.requests()), 3)

    def test_http_404_is_not_retried(self):
        hf = self.fake_hf()
        self.assertFailsCleanly(hf, ["HTTP 404", "Not found"],
                                faults=[{"status": 404, "body": "{\"error\":\"Not found\"}"}])
        self.assertEqual(len(hf.requests()), 1)

    def test_http_400_says_why(self):
        hf = self.fake_hf()
        self.assertFailsCleanly(hf, ["HTTP 400", "Invalid date"],
                                faults=[{"status": 400, "body": "{\"error\":\"Invalid date\"}"}])
        self.assertEqual(len(hf.requests()), 1)

    def test_429_forever_gives_up_with_a_hint(self):
        hf = self.fake_hf()
        p = self.assertFailsCleanly(hf, ["HTTP 429"], "--retries", "1",
                                    faults=[{"status": 429, "headers": {"Retry-After": "0"}}] * 2)
        self.assertIn("hint: the server is rate limiting", p.stderr)

    def test_timeout(self):
        hf = self.fake_hf()
        self.assertFailsCleanly(hf, ["timed out"], "--timeout", "1", "--retries", "0",
                                faults=[{"delay": 4}])

    def test_truncated_body_is_retried(self):
        hf = self.fake_hf()
        hf.faults([{"truncate": 100}])
        p = self.fetch(hf)
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 2)

    def test_failure_on_a_later_page_stores_nothing(self):
        hf = self.fake_hf(synth={"2026-01-05": 150})
        self.assertFailsCleanly(hf, ["HTTP 500", "p=1"], "--retries", "1", date="2026-01-05",
                                faults=[{"status": 500, "match": "p=1"}] * 2)

    def test_body_that_is_not_json(self):
        hf = self.fake_hf()
        self.assertFailsCleanly(hf, ["not valid JSON"],
                                faults=[{"status": 200, "body": "<html>maintenance</html>"}])

    def test_malformed_fixtures_from_the_old_bot(self):
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        src = os.path.join(pbtest.FIXTURES, "hf-api")
        shutil.copy(os.path.join(src, "2025-01-23.json"), fixtures)
        shutil.copy(os.path.join(src, "malformed-python-repr.json"), os.path.join(fixtures, "2024-12-17.json"))
        shutil.copy(os.path.join(src, "malformed-status-wrapper.json"), os.path.join(fixtures, "2025-01-10.json"))
        hf = self.fake_hf(fixtures_dir=fixtures)
        self.assertFailsCleanly(hf, ["Python repr"], date="2024-12-17")
        self.assertFailsCleanly(hf, ["wrapper", "not a list of papers"], date="2025-01-10")

    def test_empty_day_has_its_own_exit_code(self):
        hf = self.fake_hf()
        p = self.assertFailsCleanly(hf, ["no papers for 2025-12-27"], code=4, date="2025-12-27")
        self.assertNotIn("[]", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out, "newsletters")))
        self.assertEqual(query(self.db, "SELECT status FROM runs ORDER BY id"), [("ok",), ("no-papers",)])

    def test_empty_today_names_the_timezone(self):
        hf = self.fake_hf()
        p = self.fetch(hf, date=None)
        self.assertExit(p, 4)
        self.assertIn("(today in Asia/Shanghai)", p.stderr)

    def test_invalid_dates_never_reach_the_server(self):
        hf = self.fake_hf()
        for bad in ["2025-02-30", "../x", "2025-1-5", "2025-12-26; rm -rf /", ""]:
            p = self.fetch(hf, date=bad)
            self.assertExit(p, 2)
            self.assertIn("invalid date", p.stderr)
            self.assertIn("YYYY-MM-DD", p.stderr)
        self.assertEqual(hf.requests(), [])
        self.assertFalse(os.path.exists(self.db))

    def test_unreachable_server_is_one_clear_line(self):
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26",
                        "--hf-url", "http://127.0.0.1:9", "--retries", "0"])
        self.assertExit(p, 1)
        self.assertIn("paperboy: fetch: GET 'http://127.0.0.1:9/api/daily_papers?date=2025-12-26", p.stderr)
        self.assertIn("hint: check the network", p.stderr)

    def silent_server(self):
        server = SilentServer()
        self.addCleanup(server.close)
        return server

    def test_server_that_never_answers_fails_within_45_s(self):
        # Default settings: the stall limit and the per-request deadline bound the
        # tries (it used to be 30 s x 4 tries + backoff = 127 s).
        server = self.silent_server()
        started = time.monotonic()
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", server.url],
                       timeout=90)
        elapsed = time.monotonic() - started
        self.assertExit(p, 1)
        self.assertLessEqual(elapsed, 45, p.stderr)
        lines = [l for l in p.stderr.splitlines() if l.startswith("paperboy: fetch:")]
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(f"GET '{server.url}/api/daily_papers?date=2025-12-26", lines[0])
        self.assertRegex(lines[0], r"too slow|timed out")
        self.assertIn("hint:", p.stderr)
        self.assertGreaterEqual(server.accepted, 2, p.stderr)  # it did retry

    def test_sigint_stops_a_hung_fetch_at_once(self):
        server = self.silent_server()
        proc = subprocess.Popen([pbtest.PAPERBOY, "fetch", "--out", self.out, "--date", "2025-12-26",
                                 "--hf-url", server.url],
                                env=pbtest.clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            self.fail("fetch did not stop within 10 s of SIGINT")
        self.assertLessEqual(time.monotonic() - signalled, 2.0)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("interrupted", err)

    def test_loopback_is_never_proxied(self):
        hf = self.fake_hf()
        dead = "http://127.0.0.1:9"
        env = {"http_proxy": dead, "HTTP_PROXY": dead, "https_proxy": dead, "HTTPS_PROXY": dead,
               "ALL_PROXY": dead, "all_proxy": dead}
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url], env=env)
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 1)

    def test_other_hosts_go_through_the_proxy(self):
        # The fake HF server stands in for the proxy: a request for a host that does
        # not exist reaches it only if the proxy from the environment is used.
        hf = self.fake_hf()
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--retries", "0",
                        "--hf-url", "http://hf.invalid"], env={"http_proxy": hf.url})
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 1)
        self.assertEqual(hf.requests()[0]["path"], "/api/daily_papers")

    def test_hf_url_from_environment_and_config(self):
        hf = self.fake_hf()
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26"], env={"PAPERBOY_HF_URL": hf.url})
        self.assertExit(p, 0)
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w") as f:
            f.write(f"[paperboy]\nhf_url = {hf.url}\n")
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--config", cfg])
        self.assertExit(p, 0)
        # flags beat the environment
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url],
                       env={"PAPERBOY_HF_URL": "http://127.0.0.1:9"})
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 3)

    def test_two_processes_share_one_archive(self):
        import subprocess
        hf = self.fake_hf(synth={"2026-01-05": 150})
        os.makedirs(self.out)
        env = pbtest.clean_env()
        procs = [subprocess.Popen([pbtest.PAPERBOY, "fetch", "--out", self.out, "--date", d, "--hf-url", hf.url],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for d in ("2026-01-05", "2025-12-26", "2026-01-05", "2025-12-26")]
        for pr in procs:
            out, err = pr.communicate(timeout=120)
            self.assertEqual(pr.returncode, 0, err)
        self.assertEqual(query(self.db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(len(self.day_ids("2026-01-05")), 150)
        self.assertEqual(len(self.day_ids("2025-12-26")), 7)


if __name__ == "__main__":
    pbtest.main()
