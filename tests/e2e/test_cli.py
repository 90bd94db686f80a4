#!/usr/bin/env python3
"""The command line: help, version, usage errors, run, demo."""
import json
import os
import re

import pbtest
from pbtest import read_text

COMMANDS = ["fetch", "translate", "render", "speak", "run", "import", "stats", "demo", "config"]


class CliTest(pbtest.PaperboyTestCase):
    def test_help_lists_commands_and_exit_codes(self):
        p = pbtest.run(["--help"])
        self.assertExit(p, 0)
        for c in COMMANDS:
            self.assertRegex(p.stdout, rf"\n  {c} +\S")
        self.assertIn("4 no papers for this date", p.stdout)
        self.assertIn("Examples:", p.stdout)

    def test_every_command_has_help_with_examples(self):
        for c in COMMANDS:
            a = pbtest.run(["help", c])
            b = pbtest.run([c, "--help"])
            self.assertExit(a, 0)
            self.assertExit(b, 0)
            self.assertEqual(a.stdout, b.stdout)
            self.assertTrue(a.stdout.startswith(f"usage: paperboy {c}"))
            self.assertIn("Examples:", a.stdout)
            self.assertIn("Exit status:", a.stdout)
        self.assertIn("today in Asia/Shanghai", pbtest.run(["help", "run"]).stdout)

    def test_version(self):
        p = pbtest.run(["--version"])
        self.assertExit(p, 0)
        self.assertRegex(p.stdout, r"^paperboy \d+\.\d+\.\d+\n$")

    def test_usage_errors(self):
        cases = [
            ([], "usage: paperboy"),
            (["frobnicate"], "'frobnicate' is not a command"),
            (["fetch", "--bogus"], "unknown option '--bogus'"),
            (["fetch", "--date"], "a value is needed for option '--date'"),
            (["render", "--hf-url", "http://x"], "does not take option '--hf-url'"),
            (["fetch", "extra"], "unexpected argument 'extra'"),
            (["fetch", "--hf-url", "ftp://x", "--date", "2025-12-26"], "hf_url must be an http(s) URL"),
            (["fetch", "--retries", "-1", "--date", "2025-12-26"], "retries must be 0..20"),
            (["help", "nope"], "no command 'nope'"),
        ]
        for args, msg in cases:
            p = pbtest.run(args, cwd=self.tmp)
            self.assertExit(p, 2)
            self.assertIn(msg, p.stderr, args)
        self.assertEqual(os.listdir(self.tmp), [])  # nothing created on a usage error

    def test_db_that_would_keep_nothing_is_refused_first(self):
        # :memory:, "" and file: URIs (mode=memory) would let a run translate, exit 0 and
        # keep nothing; every command refuses them before fetching or creating anything.
        hf = self.fake_hf()
        llm = self.fake_llm()
        commands = [["fetch", "--hf-url", hf.url], ["run", "--hf-url", hf.url, "--llm-url", llm.url],
                    ["translate", "--llm-url", llm.url], ["render"]]
        for cmd in commands:
            for db in (":memory:", "file:x.db?mode=memory", "file:NAME"):
                p = pbtest.run(cmd + ["--db", db, "--date", "2025-12-26", "--out", self.out],
                               cwd=self.tmp)
                self.assertExit(p, 2)
                self.assertIn(f"archive '{db}' is not a file path", p.stderr, (cmd, db))
                self.assertIn("give --db (or [paperboy] db) a file path", p.stderr)
        cfg = os.path.join(self.tmp, "mem.ini")
        with open(cfg, "w") as f:
            f.write("[paperboy]\ndb = :memory:\n")
        p = pbtest.run(["fetch", "--config", cfg, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--out", self.out], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("archive ':memory:' is not a file path", p.stderr)
        self.assertEqual(hf.requests(), [])
        self.assertEqual(llm.requests(), [])
        self.assertEqual(sorted(os.listdir(self.tmp)), ["mem.ini"])

    def test_bad_config_file_is_named(self):
        cfg = os.path.join(self.tmp, "bad.ini")
        with open(cfg, "w") as f:
            f.write("[paperboy]\nhf-url = http://x\n")
        p = pbtest.run(["fetch", "--config", cfg, "--date", "2025-12-26"])
        self.assertExit(p, 1)
        self.assertIn("bad.ini' line 2: unknown key 'hf-url'", p.stderr)

    def test_did_you_mean(self):
        p = pbtest.run(["rnu"], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("'rnu' is not a command; did you mean 'run'?", p.stderr)
        p = pbtest.run(["help", "rendr"], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("no command 'rendr'; did you mean 'render'?", p.stderr)
        self.assertNotIn("did you mean", pbtest.run(["frobnicate"], cwd=self.tmp).stderr)
        cfg = os.path.join(self.tmp, "typo.ini")
        with open(cfg, "w") as f:
            f.write("[paperboy]\nhf-url = http://x\n")
        p = pbtest.run(["config", "--config", cfg])
        self.assertExit(p, 1)
        self.assertIn("line 2: unknown key 'hf-url' in [paperboy]; did you mean 'hf_url'?", p.stderr)
        with open(cfg, "w") as f:
            f.write("[sit]\nbase_url = https://example.org/\n")
        p = pbtest.run(["config", "--config", cfg])
        self.assertExit(p, 1)
        self.assertIn("unknown section [sit]; did you mean [site]?", p.stderr)

    def test_config_shows_values_and_sources(self):
        cfg = os.path.join(self.tmp, "mine.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[site]\nbase_url = https://example.org/daily/\n[llm]\njobs = 2\n")
        secret = "sk-do-not-print-me"
        p = pbtest.run(["config", "--config", cfg, "--jobs", "5", "--timeout", "9"], cwd=self.tmp,
                       env={"PAPERBOY_LLM_URL": "http://127.0.0.1:11434/v1", "DEEPSEEK_API_KEY": secret})
        self.assertExit(p, 0)
        lines = {l.split("=", 1)[0].strip(): l.split("=", 1)[1].strip()
                 for l in p.stdout.splitlines() if "=" in l and not l.startswith("#")}
        self.assertEqual(lines["site.base_url"], f"https://example.org/daily/  (file {cfg})")
        self.assertEqual(lines["llm.jobs"], "5  (flag --jobs)")  # a flag beats the file
        self.assertEqual(lines["paperboy.timeout"], "9  (flag --timeout)")
        self.assertEqual(lines["llm.url"], "http://127.0.0.1:11434/v1  (env PAPERBOY_LLM_URL)")
        self.assertEqual(lines["llm.model"], "deepseek-chat  (default)")
        self.assertEqual(lines["edition.brand"], "paperboy  (default)")
        self.assertIn("DEEPSEEK_API_KEY", lines["llm key"])
        self.assertNotIn(secret, p.stdout + p.stderr)
        # One line per key of the table, and nothing written anywhere.
        self.assertGreaterEqual(len([k for k in lines if "." in k]), 31)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["mine.ini"])
        p = pbtest.run(["config"], env={"DEEPSEEK_API_KEY": "", "PAPERBOY_LLM_KEY": "", "OPENAI_API_KEY": ""})
        self.assertIn("not set", [l for l in p.stdout.splitlines() if l.startswith("llm key")][0])

    def test_run_writes_both_files(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        p = pbtest.run(["run", "--date", "2025-12-26", "--hf-url", hf.url, "--llm-url", llm.url, "--out", self.out])
        self.assertExit(p, 0)
        for ext in ("md", "html"):
            self.assertTrue(os.path.getsize(os.path.join(self.out, "newsletters", f"2025-12-26_daily_paper.{ext}")) > 1000)
        self.assertTrue(os.path.exists(os.path.join(self.out, "reports", "2025-12-26_run.json")))
        statuses = pbtest.query(os.path.join(self.out, "paperboy.db"), "SELECT command, status FROM runs ORDER BY id")
        self.assertEqual(statuses, [("fetch", "ok"), ("translate", "ok"), ("pictures", "ok"), ("speak", "ok"),
                                    ("edition", "ok"), ("feed", "ok")])
        self.assertTrue(os.path.getsize(os.path.join(self.out, "audio", "2025-12-26_daily_papers.mp3")) > 100000)

    def test_run_on_an_empty_day_writes_no_edition(self):
        hf = self.fake_hf()
        p = pbtest.run(["run", "--no-translate", "--date", "2025-12-27", "--hf-url", hf.url, "--out", self.out])
        self.assertExit(p, 4)
        self.assertEqual(json.load(open(os.path.join(self.out, "reports", "2025-12-27_run.json")))["status"],
                         "no-papers")
        self.assertFalse(os.path.exists(os.path.join(self.out, "newsletters")))

    def test_quiet_leaves_only_errors(self):
        hf = self.fake_hf()
        p = pbtest.run(["run", "-q", "--no-translate", "--date", "2025-12-26", "--hf-url", hf.url, "--out", self.out])
        self.assertExit(p, 0)
        self.assertEqual(p.stderr, "")
        p = pbtest.run(["fetch", "-v", "--date", "2025-12-26", "--hf-url", hf.url, "--out", self.out])
        self.assertIn("GET " + hf.url + "/api/daily_papers?date=2025-12-26&limit=100&p=0", p.stderr)

    def test_demo_works_offline(self):
        # A closed port as the HF URL: the demo must not need it.
        p = pbtest.run(["demo", "--out", self.out, "--config", self.old_bot_config()],
                       env={"PAPERBOY_HF_URL": "http://127.0.0.1:9"})
        self.assertExit(p, 0)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertEqual(md, read_text(os.path.join(pbtest.GOLDEN, "2025-12-26_daily_paper.md")))
        self.assertTrue(os.path.exists(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.html")))
        self.assertIn("translated 7, cached 0, failed 0", p.stderr)  # the real translate stage ran
        # Again: same result, nothing duplicated, nothing asked twice.
        p = pbtest.run(["demo", "--out", self.out])
        self.assertExit(p, 0)
        self.assertIn("translated 0, cached 7", p.stderr)
        self.assertEqual(pbtest.query(os.path.join(self.out, "paperboy.db"), "SELECT count(*) FROM translations"), [(7,)])
        # The month before the day came along once: 22 fetched days, 8 empty weekend days.
        db = os.path.join(self.out, "paperboy.db")
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM days"), [(23,)])
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM runs WHERE command = 'fetch' AND status = 'no-papers'"), [(8,)])

    def test_demo_default_out_dir(self):
        p = pbtest.run(["demo"], cwd=self.tmp)
        self.assertExit(p, 0)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "paperboy-demo", "newsletters", "2025-12-26_daily_paper.md")))
        p = pbtest.run(["demo", "--date", "2025-12-25"], cwd=self.tmp)
        self.assertExit(p, 2)


if __name__ == "__main__":
    pbtest.main()
