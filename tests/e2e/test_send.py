#!/usr/bin/env python3
"""paperboy send: each message once and only once. A rerun sends nothing, a failed
channel leaves the others delivered and is retried by the next run, --resend sends again
on purpose, a kill -9 mid-send repeats at most the message in flight, --dry-run sends
nothing, `run` sends as its last stage, and no webhook URL, token or password appears in
any output, report or the archive. (Each platform's format is test_push.py's; mail's is
test_mail.py's.)

The receiver (pbtest.SlackSink) speaks Slack's incoming-webhook protocol and can be told
to fail or to stall on a message: what the once-only rules need to be tested.
"""
import json
import os
import signal
import subprocess
import time

import pbtest
from pbtest import SlackSink

DATE = "2025-12-26"
TOKEN_A, TOKEN_B = SlackSink.TOKENS


class SendTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.sink = SlackSink()
        self.addCleanup(self.sink.close)
        self.archive_day(DATE)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE]), 0)
        self.db = os.path.join(self.out, "paperboy.db")
        self.config = os.path.join(self.tmp, "send.ini")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[push.alpha]\ntype = slack\nurl = {self.sink.url(TOKEN_A)}\n\n"
                    f"[push.beta]\ntype = slack\nurl_env = BETA_HOOK\n\n[paperboy]\nretries = 0\n")
        self.env = {"BETA_HOOK": self.sink.url(TOKEN_B)}

    def send(self, *args, timeout=60):
        return pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", self.config,
                           "-v", *args], env=self.env, timeout=timeout)

    def deliveries(self):
        return pbtest.query(self.db, "SELECT channel, part, status FROM deliveries ORDER BY channel, part")

    def assertNoSecret(self, *texts):
        for t in texts:
            for secret in (TOKEN_A, TOKEN_B):
                self.assertNotIn(secret, t)

    def test_rerun_sends_nothing(self):
        p = self.send()
        self.assertExit(p, 0)
        a, b = self.sink.count(TOKEN_A), self.sink.count(TOKEN_B)
        self.assertGreaterEqual(a, 1)
        self.assertEqual(a, b)
        self.assertTrue(all(s == "sent" for _, _, s in self.deliveries()), self.deliveries())
        self.assertIn("sent", p.stdout)
        again = self.send()
        self.assertExit(again, 0)
        self.assertEqual((self.sink.count(TOKEN_A), self.sink.count(TOKEN_B)), (a, b))
        self.assertIn("already sent", again.stdout)
        # --resend on purpose, and --only picks one channel.
        self.assertExit(self.send("--resend", "--only", "beta"), 0)
        self.assertEqual((self.sink.count(TOKEN_A), self.sink.count(TOKEN_B)), (a, 2 * b))
        self.assertNoSecret(p.stdout, p.stderr, again.stdout, again.stderr)

    def test_failed_channel_leaves_the_others_and_is_retried(self):
        self.sink.fail.add(TOKEN_A)
        p = self.send()
        self.assertExit(p, 3)
        self.assertEqual(self.sink.count(TOKEN_A), 0)
        self.assertGreaterEqual(self.sink.count(TOKEN_B), 1)
        self.assertIn("alpha", p.stderr)
        self.assertNoSecret(p.stdout, p.stderr)
        statuses = {(c, s) for c, _, s in self.deliveries()}
        self.assertIn(("alpha", "failed"), statuses)
        self.assertIn(("beta", "sent"), statuses)
        b = self.sink.count(TOKEN_B)
        # The next run sends only what failed.
        self.sink.fail.clear()
        self.assertExit(self.send(), 0)
        self.assertGreaterEqual(self.sink.count(TOKEN_A), 1)
        self.assertEqual(self.sink.count(TOKEN_B), b)

    def test_kill_mid_send_repeats_at_most_the_message_in_flight(self):
        self.sink.stall[TOKEN_B] = 5
        proc = subprocess.Popen([pbtest.PAPERBOY, "send", "--out", self.out, "--date", DATE,
                                 "--config", self.config], env=pbtest.clean_env(self.env),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                c == "beta" and s == "sending" for c, _, s in self.deliveries()):
            time.sleep(0.05)
        self.assertIn(("beta", 0, "sending"), self.deliveries())
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        a = self.sink.count(TOKEN_A)
        self.assertGreaterEqual(a, 1)
        time.sleep(5.5)  # the stalled answer arrives at the sink after the kill
        self.assertExit(self.send(), 0)
        self.assertEqual(self.sink.count(TOKEN_A), a)           # alpha: never again
        # beta: the message in flight at most twice, every other message once.
        with self.sink.lock:
            bodies = [json.dumps(m, sort_keys=True) for t, m in self.sink.received if t == TOKEN_B]
        self.assertLessEqual(len(bodies) - len(set(bodies)), 1)
        self.assertEqual(len(set(bodies)), a)
        self.assertEqual(pbtest.query(self.db, "PRAGMA integrity_check"), [("ok",)])

    def test_dry_run_sends_and_records_nothing(self):
        p = self.send("--dry-run")
        self.assertExit(p, 0)
        self.assertEqual(self.sink.count(TOKEN_A) + self.sink.count(TOKEN_B), 0)
        self.assertEqual(self.deliveries(), [])
        self.assertIn("=== alpha (slack, zh-CN)", p.stdout)
        self.assertIn("=== beta (slack, zh-CN)", p.stdout)
        self.assertNoSecret(p.stdout, p.stderr)

    def test_bad_config_is_met_before_anything(self):
        p = pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", self.config])
        self.assertExit(p, 2)
        self.assertIn("BETA_HOOK", p.stderr)
        self.assertIn("not set", p.stderr)
        p = self.send("--only", "gamma")
        self.assertExit(p, 2)
        self.assertIn("alpha, beta", p.stderr)
        with open(self.config, "a", encoding="utf-8") as f:
            f.write("[push.gamma]\ntype = slak\nurl = https://example.invalid/x\n")
        p = self.send()
        self.assertExit(p, 2)
        self.assertIn("[push.gamma]", p.stderr)
        self.assertEqual(self.sink.count(TOKEN_A) + self.sink.count(TOKEN_B), 0)

    def test_no_secret_in_archive_report_or_config(self):
        self.sink.fail.add(TOKEN_A)
        self.sink.tokens.discard(TOKEN_B)   # 404 no_service, as Slack answers a revoked hook
        p = self.send()
        self.assertExit(p, 3)
        self.assertIn("no_service", p.stderr)
        cfg = pbtest.run(["config", "--config", self.config], env=self.env)
        self.assertExit(cfg, 0)
        self.assertIn("push.beta.url", cfg.stdout)
        self.assertNoSecret(p.stdout, p.stderr, cfg.stdout, cfg.stderr,
                            json.dumps(pbtest.archive_dump(self.db, skip=()), default=str))

    def test_run_sends_last_and_reports_each(self):
        hf = self.fake_hf()
        p = pbtest.run(["run", "--out", self.out, "--date", DATE, "--hf-url", hf.url,
                        "--no-translate", "--no-audio", "--config", self.config], env=self.env)
        self.assertExit(p, 0)
        self.assertGreaterEqual(self.sink.count(TOKEN_A), 1)
        with open(os.path.join(self.out, "reports", f"{DATE}_run.json"), encoding="utf-8") as f:
            report = json.load(f)
        send = report["stages"]["send"]
        self.assertEqual(send["failed"], 0)
        self.assertEqual({m["channel"] for m in send["messages"]}, {"alpha", "beta"})
        self.assertTrue(all(m["result"] == "sent" for m in send["messages"]))
        stages = [r[0] for r in pbtest.query(self.db, "SELECT command FROM runs WHERE date = ? "
                                             "ORDER BY id", (DATE,))]
        self.assertEqual(stages[-1], "send")
        self.assertNoSecret(p.stdout, p.stderr, json.dumps(report))


if __name__ == "__main__":
    pbtest.main()
