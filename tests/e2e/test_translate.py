#!/usr/bin/env python3
"""paperboy translate / run against the fake HF and fake OpenAI-compatible servers."""
import json
import os
import signal
import subprocess
import time

import pbtest
from pbtest import query, read_text

REPLAY = os.path.join(pbtest.FIXTURES, "llm-replay")
SECRET = "sk-test-5ecret-Do-Not-Print-0123456789"


class TranslateTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.out, "paperboy.db")

    def fetch(self, hf, date):
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", date, "--hf-url", hf.url]), 0)

    def translate(self, llm, date, *args, env=None):
        return pbtest.run(["translate", "--out", self.out, "--date", date, "--llm-url", llm.url] + list(args),
                          env=env)

    def report(self, date):
        return json.load(open(os.path.join(self.out, "reports", f"{date}_run.json")))

    def edition(self, date):
        return read_text(os.path.join(self.out, "newsletters", f"{date}_daily_paper.md"))

    # --- the golden runs ---------------------------------------------------

    def golden_run(self, date):
        hf = self.fake_hf()
        llm = self.fake_llm(replay=os.path.join(REPLAY, f"{date}.json"), latency=0.2)
        p = pbtest.run(["run", "--date", date, "--out", self.out, "--hf-url", hf.url, "--llm-url", llm.url,
                        "--config", self.old_bot_config()])
        self.assertExit(p, 0)
        self.assertEqual(self.edition(date), read_text(os.path.join(pbtest.GOLDEN, f"{date}_daily_paper.md")))
        n = len(json.load(open(os.path.join(REPLAY, f"{date}.json"))))
        self.assertEqual(llm.stats()["requests"], n)
        r = self.report(date)
        self.assertEqual(r["status"], "ok")
        self.assertEqual(r["stages"]["translate"]["translated"], n)
        self.assertRegex(p.stderr, rf"{date}: fetched {n} \({n} new\) · translated {n}, cached 0, failed 0 · ")
        # A rerun of a finished day makes zero LLM calls.
        llm.reset()
        p = pbtest.run(["run", "--date", date, "--out", self.out, "--hf-url", hf.url, "--llm-url", llm.url])
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], 0)
        self.assertIn("no requests", p.stderr)
        self.assertEqual(self.report(date)["stages"]["translate"]["cached"], n)
        return llm

    def test_golden_run_2025_12_26(self):
        self.golden_run("2025-12-26")

    def test_golden_run_2025_01_23(self):
        self.golden_run("2025-01-23")

    # --- what is sent ------------------------------------------------------

    def test_request_shape_key_and_glossary(self):
        hf = self.fake_hf()
        llm = self.fake_llm(require_key=SECRET)
        self.fetch(hf, "2025-12-26")
        p = self.translate(llm, "2025-12-26", "--llm-model", "my-model", env={"DEEPSEEK_API_KEY": SECRET})
        self.assertExit(p, 0)
        reqs = llm.requests()
        self.assertEqual(len(reqs), 7)
        body = reqs[0]["body"]
        self.assertEqual(body["model"], "my-model")
        self.assertEqual([m["role"] for m in body["messages"]], ["system", "user"])
        self.assertIn("agent → 智能体", body["messages"][0]["content"])
        self.assertIn("token → 词元", body["messages"][0]["content"])
        self.assertTrue(body["messages"][1]["content"].startswith("Title: "))
        self.assertEqual(reqs[0]["headers"].get("Authorization"), "Bearer " + SECRET)
        self.assertTrue(reqs[0]["path"].endswith("/v1/chat/completions"))
        # The secret appears nowhere paperboy writes.
        files = [os.path.join(d, f) for d, _, fs in os.walk(self.out) for f in fs]
        for path in files:
            with open(path, "rb") as f:
                self.assertNotIn(SECRET.encode(), f.read(), path)
        self.assertNotIn(SECRET, p.stdout + p.stderr)
        # A synthesised answer keeps its one-sentence summary.
        rows = query(self.db, "SELECT summary_zh, tokens_in, tokens_out FROM translations")
        self.assertTrue(all(r[0] and r[1] > 0 and r[2] > 0 for r in rows))

    def test_custom_glossary_changes_the_prompt_version(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        self.fetch(hf, "2025-12-26")
        self.assertExit(self.translate(llm, "2025-12-26"), 0)
        v1 = self.report("2025-12-26")["stages"]["translate"]["prompt_version"]
        gl = os.path.join(self.tmp, "terms.tsv")
        with open(gl, "w", encoding="utf-8") as f:
            f.write("# mine\nworld model\t世界模型\nteacher\t教师模型\n")
        llm.reset()
        p = self.translate(llm, "2025-12-26", "--glossary", gl)
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], 7)  # a new prompt: translated again
        self.assertIn("teacher → 教师模型", llm.requests()[0]["body"]["messages"][0]["content"])
        self.assertNotEqual(self.report("2025-12-26")["stages"]["translate"]["prompt_version"], v1)
        bad = os.path.join(self.tmp, "bad.tsv")
        with open(bad, "w") as f:
            f.write("no tab here\n")
        p = self.translate(llm, "2025-12-26", "--glossary", bad)
        self.assertExit(p, 1)
        self.assertIn("bad.tsv' line 1", p.stderr)

    def test_force_retranslates(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        self.fetch(hf, "2025-12-26")
        self.assertExit(self.translate(llm, "2025-12-26"), 0)
        llm.reset()
        self.assertExit(self.translate(llm, "2025-12-26"), 0)
        self.assertEqual(llm.stats()["requests"], 0)
        self.assertExit(self.translate(llm, "2025-12-26", "--force"), 0)
        self.assertEqual(llm.stats()["requests"], 7)
        self.assertEqual(query(self.db, "SELECT count(*) FROM translations"), [(7,)])

    # --- faults ------------------------------------------------------------

    def one_paper(self, llm_faults, *args, expect_exit=0, **llm_kw):
        """Translate the 2025-12-26 day with faults aimed at VA-π (the paper with numbers)."""
        hf = self.fake_hf()
        llm = self.fake_llm(**llm_kw)
        self.fetch(hf, "2025-12-26")
        llm.faults([dict(f, match="VA-π") for f in llm_faults])
        p = self.translate(llm, "2025-12-26", *args)
        self.assertExit(p, expect_exit)
        va = [r for r in llm.requests() if r["title"] and r["title"].startswith("VA-π")]
        return p, llm, va

    def va_translation(self):
        rows = query(self.db, "SELECT title_zh, abstract_zh, warnings FROM translations WHERE paper_id='2512.19680'")
        return rows[0] if rows else None

    def test_429_with_retry_after(self):
        p, llm, va = self.one_paper([{"status": 429, "headers": {"Retry-After": "1"}}])
        self.assertEqual(len(va), 2)
        self.assertGreaterEqual(va[1]["start"] - va[0]["start"], 0.9)
        self.assertIn("HTTP 429", p.stderr)
        t = self.report("2025-12-26")["stages"]["translate"]
        self.assertEqual((t["throttled"], t["retries"], t["translated"]), (1, 1, 7))

    def test_server_errors_and_resets_are_retried(self):
        p, llm, va = self.one_paper([{"status": 500}, {"status": 503}, {"close": True}])
        self.assertEqual(len(va), 4)
        self.assertIsNotNone(self.va_translation())

    def test_malformed_json_is_retried(self):
        p, llm, va = self.one_paper([{"raw": "{\"choices\": [ oops"}])
        self.assertEqual(len(va), 2)
        self.assertIn("malformed", p.stderr)
        self.assertIsNotNone(self.va_translation())

    def test_think_blocks_are_stripped(self):
        p, llm, va = self.one_paper([{"think": True}])
        self.assertEqual(len(va), 1)
        title, abstract, _ = self.va_translation()
        self.assertNotIn("think", title + abstract)
        self.assertNotIn("让我想想", abstract)
        self.assertFalse(title.startswith("标题"))

    def test_truncated_answers_are_retried(self):
        p, llm, va = self.one_paper([{"truncate": True}])
        self.assertEqual(len(va), 2)
        self.assertIn("truncated", p.stderr)
        answers = query(self.db, "SELECT verdict FROM llm_answers WHERE paper_id='2512.19680' ORDER BY id")
        self.assertEqual([a[0].split(":")[0] for a in answers], ["retry", "accepted"])

    def test_english_and_empty_answers_are_retried(self):
        p, llm, va = self.one_paper([{"english": True}, {"empty": True}])
        self.assertEqual(len(va), 3)
        self.assertIn("not Chinese", p.stderr)
        self.assertIn("empty answer", p.stderr)
        self.assertRegex(self.va_translation()[1], r"[\u4e00-\u9fff]")

    def test_dropped_numbers_are_asked_for_once_then_kept_with_a_warning(self):
        p, llm, va = self.one_paper([{"drop_numbers": True, "times": 2}], expect_exit=0)
        self.assertEqual(len(va), 2)
        self.assertIn("14.36", va[1]["body"]["messages"][1]["content"])  # the retry names them
        title, abstract, warnings = self.va_translation()
        self.assertIn("missing numbers: 1, 25, 14.36, 7.65", warnings)
        t = self.report("2025-12-26")["stages"]["translate"]
        self.assertEqual(t["number_warnings"][0]["paper"], "2512.19680")
        self.assertIn("14.36", t["number_warnings"][0]["warning"])
        self.assertIn("1 number warning ·", p.stderr)

    def test_dropped_numbers_fixed_on_the_second_try(self):
        p, llm, va = self.one_paper([{"drop_numbers": True}])
        self.assertEqual(len(va), 2)
        self.assertIsNone(self.va_translation()[2])
        self.assertEqual(self.report("2025-12-26")["stages"]["translate"]["number_warnings"], [])

    def test_a_paper_that_keeps_failing_is_reported_and_rendered_in_english(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        llm.faults([{"status": 500, "match": "VA-π", "times": 10}])
        p = pbtest.run(["run", "--date", "2025-12-26", "--out", self.out, "--hf-url", hf.url,
                        "--llm-url", llm.url, "--tries", "2", "--no-audio"])
        self.assertExit(p, 3)  # partial
        self.assertIn("2512.19680: HTTP 500; retrying in", p.stderr)
        self.assertIn("could not translate 2512.19680: HTTP 500 (gave up after 2 tries)", p.stderr)
        r = self.report("2025-12-26")
        self.assertEqual(r["status"], "partial")
        self.assertEqual(r["stages"]["translate"]["failures"][0]["paper"], "2512.19680")
        md = self.edition("2025-12-26")
        self.assertIn("### 6. VA-π: Variational Policy Alignment", md)  # English
        self.assertIn("### 1. 研究：Latent Implicit Visual Reasoning", md)  # translated
        # The next run asks only for the missing paper.
        llm.reset()
        p = pbtest.run(["run", "--date", "2025-12-26", "--out", self.out, "--hf-url", hf.url, "--llm-url", llm.url,
                        "--no-audio"])
        self.assertExit(p, 0)
        self.assertEqual([r["title"][:4] for r in llm.requests()], ["VA-π"])

    def test_401_stops_at_once_naming_the_variable(self):
        hf = self.fake_hf()
        llm = self.fake_llm(require_key=SECRET)
        self.fetch(hf, "2025-12-26")
        p = self.translate(llm, "2025-12-26", env={"OPENAI_API_KEY": "sk-wrong-key-value"})
        self.assertExit(p, 2)
        self.assertIn("HTTP 401", p.stderr)
        self.assertIn("check the key in OPENAI_API_KEY", p.stderr)
        self.assertNotIn("sk-wrong-key-value", p.stderr)
        self.assertLessEqual(llm.stats()["requests"], 8)  # no retries of a refused key
        self.assertEqual(query(self.db, "SELECT count(*) FROM translations"), [(0,)])

    def test_timeouts_and_slow_bodies(self):
        # A silent server, then one that dribbles its answer past the timeout, then a good answer.
        p, llm, va = self.one_paper([{"delay": 5}, {"slow_body": 4}], "--llm-timeout", "2")
        self.assertEqual(len(va), 3)
        self.assertEqual(p.stderr.count("2512.19680: Operation timed out"), 2)
        self.assertIn("timed out", p.stderr)
        self.assertIsNotNone(self.va_translation())

    def test_deadline_leaves_the_rest_in_english(self):
        hf = self.fake_hf()
        llm = self.fake_llm(latency=3)
        p = pbtest.run(["run", "--date", "2025-12-26", "--out", self.out, "--hf-url", hf.url,
                        "--llm-url", llm.url, "--deadline", "1", "--no-audio"])
        self.assertExit(p, 3)
        self.assertIn("deadline of 1 s reached: 7 papers left untranslated", p.stderr)
        self.assertIn("### 1. Latent Implicit Visual Reasoning", self.edition("2025-12-26"))
        self.assertTrue(self.report("2025-12-26")["stages"]["translate"]["deadline_reached"])

    def test_budget_stops_spending(self):
        hf = self.fake_hf(synth={"2026-01-05": 20})
        llm = self.fake_llm()
        self.fetch(hf, "2026-01-05")
        p = self.translate(llm, "2026-01-05", "--jobs", "1", "--budget", "3k")
        self.assertExit(p, 3)
        self.assertIn("budget reached", p.stderr)
        t = self.report("2026-01-05")["stages"]["translate"]
        self.assertTrue(t["budget_reached"])
        self.assertLess(t["translated"], 20)
        self.assertEqual(t["translated"] + t["unfinished"], 20)
        self.assertEqual(llm.stats()["requests"], t["translated"])
        # Money needs a price; the shipped deepseek-chat price works.
        p = self.translate(llm, "2026-01-05", "--budget", "$0.50", "--llm-model", "unpriced-model")
        self.assertExit(p, 0)  # local server: free, so a money budget is fine
        p = pbtest.run(["translate", "--out", self.out, "--date", "2026-01-05", "--llm-url",
                        "https://llm.example.invalid/v1", "--llm-model", "unpriced-model", "--budget", "$1"],
                       env={"PAPERBOY_LLM_KEY": "k"})
        self.assertExit(p, 2)
        self.assertIn("[prices]", p.stderr)

    def test_hostile_usage_counts_saturate(self):
        # A server's usage is not trusted: a negative count once made the running total
        # negative (so "--budget 3k" was never reached and all 20 were paid for), and 1e30
        # (a JSON real) counted as 0. Clamped to 0..LLM_TOKENS_MAX, the first answer alone
        # is past the budget.
        hf = self.fake_hf(synth={"2026-01-05": 20})
        llm = self.fake_llm()
        self.fetch(hf, "2026-01-05")
        llm.faults([{"usage": {"prompt_tokens": -5000000, "completion_tokens": 1e30}}])
        p = self.translate(llm, "2026-01-05", "--jobs", "1", "--budget", "3k")
        self.assertExit(p, 3)
        self.assertIn("budget reached", p.stderr)
        t = self.report("2026-01-05")["stages"]["translate"]
        self.assertGreaterEqual(t["tokens"]["input"], 0)
        self.assertGreaterEqual(t["tokens"]["output"], 0)
        self.assertTrue(t["budget_reached"])
        self.assertEqual(t["translated"], 1)
        self.assertEqual(llm.stats()["requests"], 1)
        self.assertGreaterEqual(t["cost_usd"] or 0, 0)
        # Negative counts alone add nothing, and the budget still counts the honest answers.
        llm.reset()
        llm.faults([{"usage": {"prompt_tokens": -5000000, "completion_tokens": -5000000}}])
        p = self.translate(llm, "2026-01-05", "--jobs", "1", "--budget", "3k")
        self.assertExit(p, 3)
        t = self.report("2026-01-05")["stages"]["translate"]
        self.assertTrue(t["budget_reached"])
        self.assertGreater(t["tokens"]["input"], 0)
        self.assertLess(t["translated"], 19)

    def test_key_over_plain_http_warns_once(self):
        # ".invalid" never resolves (RFC 6761), so nothing leaves the machine: the warning
        # comes before the first request, and the request then fails to resolve.
        hf = self.fake_hf()
        self.fetch(hf, "2025-12-26")
        key = {"PAPERBOY_LLM_KEY": SECRET}
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26", "--llm-url",
                        "http://user:pw@127.llm.example.invalid:8000/v1", "--tries", "1"], env=key)
        self.assertNotEqual(p.returncode, 0)
        warnings = [l for l in p.stderr.splitlines() if "UNENCRYPTED" in l]
        self.assertEqual(len(warnings), 1, p.stderr)
        self.assertIn("'127.llm.example.invalid'", warnings[0])
        self.assertIn("--llm-url", warnings[0])
        self.assertNotIn("pw", warnings[0])
        self.assertNotIn(SECRET, p.stdout + p.stderr)
        # -q keeps it: a quiet cron job is the one nobody watches send the key in clear.
        p = pbtest.run(["translate", "-q", "--out", self.out, "--date", "2025-12-26", "--llm-url",
                        "http://llm.example.invalid:8000/v1", "--tries", "1"], env=key)
        self.assertEqual(len([l for l in p.stderr.splitlines() if "UNENCRYPTED" in l]), 1, p.stderr)
        # The speech API takes the same key.
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url",
                        "http://tts.example.invalid/v1"], env=key)
        self.assertIn("UNENCRYPTED to the speech API at host 'tts.example.invalid'", p.stderr)
        # https, a loopback server, or no key at all: no warning.
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26", "--llm-url",
                        "https://llm.example.invalid/v1", "--tries", "1"], env=key)
        self.assertNotIn("UNENCRYPTED", p.stderr)
        llm = self.fake_llm(require_key=SECRET)
        p = self.translate(llm, "2025-12-26", env=key)
        self.assertExit(p, 0)
        self.assertNotIn("UNENCRYPTED", p.stderr)
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26", "--force", "--llm-url",
                        "http://llm.example.invalid/v1", "--tries", "1"])
        self.assertNotIn("UNENCRYPTED", p.stderr)

    def test_aimd_backs_off_on_repeated_429(self):
        hf = self.fake_hf(synth={"2026-01-05": 24})
        llm = self.fake_llm(latency=0.3)
        self.fetch(hf, "2026-01-05")
        llm.faults([{"status": 429, "headers": {"Retry-After": "0"}, "times": 8}])
        p = self.translate(llm, "2026-01-05", "--jobs", "8")
        self.assertExit(p, 0)
        self.assertIn("rate limited (HTTP 429): at most 4 requests in flight now", p.stderr)
        t = self.report("2026-01-05")["stages"]["translate"]
        self.assertEqual(t["translated"], 24)
        self.assertGreaterEqual(t["throttled"], 8)

    def test_rpm_spaces_request_starts(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        self.fetch(hf, "2025-12-26")
        self.assertExit(self.translate(llm, "2025-12-26", "--rpm", "240"), 0)
        starts = sorted(r["start"] for r in llm.requests())
        self.assertEqual(len(starts), 7)
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        self.assertGreaterEqual(min(gaps), 0.2)  # 240 a minute: one every 0.25 s
        self.assertGreaterEqual(starts[-1] - starts[0], 6 * 0.25 - 0.1)

    def test_money_budget_uses_the_price_table(self):
        hf = self.fake_hf(synth={"2026-01-05": 20})
        llm = self.fake_llm()
        self.fetch(hf, "2026-01-05")
        # deepseek-chat's shipped price, $0.28 in / $0.42 out per million tokens: about
        # $0.0002 per paper here, so $0.001 buys a few papers and not twenty.
        p = self.translate(llm, "2026-01-05", "--jobs", "1", "--llm-model", "deepseek-chat", "--budget", "$0.001")
        self.assertExit(p, 3)
        t = self.report("2026-01-05")["stages"]["translate"]
        self.assertTrue(t["budget_reached"])
        self.assertGreater(t["translated"], 0)
        self.assertLess(t["translated"], 20)
        self.assertGreaterEqual(t["cost_usd"], 0.001)
        self.assertLess(t["cost_usd"], 0.0015)  # stops at the first answer past the budget

    def test_jobs_bounds_requests_in_flight(self):
        hf = self.fake_hf(synth={"2026-01-05": 12})
        llm = self.fake_llm(latency=0.5)
        self.fetch(hf, "2026-01-05")
        self.assertExit(self.translate(llm, "2026-01-05", "--jobs", "3"), 0)
        self.assertEqual(llm.stats()["max_in_flight"], 3)
        self.assertEqual(self.report("2026-01-05")["stages"]["translate"]["max_in_flight"], 3)

    # --- the key, and no server ---------------------------------------------

    def test_no_key_names_the_variables_and_no_translate(self):
        p = pbtest.run(["run", "--date", "2025-12-26", "--out", self.out, "--hf-url", "http://127.0.0.1:9"])
        self.assertExit(p, 2)
        for word in ("PAPERBOY_LLM_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY", "--no-translate"):
            self.assertIn(word, p.stderr)
        self.assertFalse(os.path.exists(self.out))  # stopped before doing anything
        hf = self.fake_hf()
        p = pbtest.run(["run", "--no-translate", "--no-audio", "--date", "2025-12-26", "--out", self.out,
                        "--hf-url", hf.url])
        self.assertExit(p, 0)
        self.assertIn("### 1. Latent Implicit Visual Reasoning", self.edition("2025-12-26"))

    def test_unreachable_llm_server(self):
        hf = self.fake_hf()
        self.fetch(hf, "2025-12-26")
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26",
                        "--llm-url", "http://127.0.0.1:9/v1", "--tries", "1"])
        self.assertExit(p, 1)
        self.assertIn("cannot reach the LLM API at 'http://127.0.0.1:9/v1/chat/completions'", p.stderr)
        self.assertIn("--no-translate", p.stderr)

    def test_llm_settings_from_environment(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        self.fetch(hf, "2025-12-26")
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26"],
                       env={"PAPERBOY_LLM_URL": llm.url, "PAPERBOY_LLM_MODEL": "env-model"})
        self.assertExit(p, 0)
        self.assertEqual(llm.requests()[0]["body"]["model"], "env-model")

    # --- nothing lost -------------------------------------------------------

    def test_kill_9_resumes_without_paying_twice(self):
        hf = self.fake_hf(synth={"2026-01-05": 24})
        llm = self.fake_llm(latency=1.0)
        self.fetch(hf, "2026-01-05")
        argv = [pbtest.PAPERBOY, "translate", "--out", self.out, "--date", "2026-01-05",
                "--llm-url", llm.url, "--jobs", "4"]
        proc = subprocess.Popen(argv, env=pbtest.clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(self.db) and query(self.db, "SELECT count(*) FROM translations")[0][0] >= 8:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done_first = {r[0] for r in query(self.db, "SELECT paper_id FROM translations")}
        self.assertGreaterEqual(len(done_first), 8)
        self.assertLess(len(done_first), 24)
        first_titles = [r["title"] for r in llm.requests()]
        llm.reset()
        p = pbtest.run(argv[1:])
        self.assertExit(p, 0)
        second_titles = [r["title"] for r in llm.requests()]
        title_of = {r[0]: r[1] for r in query(self.db, "SELECT id, title FROM papers")}
        done_titles = {title_of[i] for i in done_first}
        # Nothing finished before the kill is asked for again ...
        self.assertEqual(set(second_titles) & done_titles, set())
        # ... every unfinished paper is asked for exactly once ...
        self.assertEqual(sorted(second_titles), sorted(set(title_of.values()) - done_titles))
        # ... and the only papers paid twice were in flight at the kill (at most --jobs).
        twice = set(first_titles) & set(second_titles)
        self.assertLessEqual(len(twice), 4)
        self.assertEqual(query(self.db, "SELECT count(*) FROM translations"), [(24,)])

    def test_sigterm_stops_cleanly(self):
        hf = self.fake_hf(synth={"2026-01-05": 12})
        llm = self.fake_llm(latency=1.0)
        self.fetch(hf, "2026-01-05")
        proc = subprocess.Popen([pbtest.PAPERBOY, "translate", "--out", self.out, "--date", "2026-01-05",
                                 "--llm-url", llm.url, "--jobs", "2"],
                                env=pbtest.clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("interrupted", err)
        kept = query(self.db, "SELECT count(*) FROM translations")[0][0]
        self.assertGreaterEqual(kept, 2)
        self.assertEqual(self.report("2026-01-05")["status"], "interrupted")


if __name__ == "__main__":
    pbtest.main()
