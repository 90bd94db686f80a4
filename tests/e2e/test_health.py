#!/usr/bin/env python3
"""paperboy health: a healthy archive exits 0; planted problems (a weekday never
fetched, a day fetched but not translated, an edition without its broadcast, a failed
run, a channel not delivered, a stale newsletter) are each reported on a line of their
own with exit 1; [alerts] push posts the new ones once, however often health runs."""
import os
import sqlite3

import pbtest
from pbtest import SlackSink

DATE = "2025-12-26"        # a Friday; the fixture day with the old bot's translations
PARTIAL = "2025-12-24"     # fetched from the real month, never translated
MISSING = "2025-12-25"     # a Thursday nobody fetched (after the archive's first day)
MONTH = os.path.join(pbtest.FIXTURES, "hf-api-month")


def execute(db, sql, args=()):
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute(sql, args)
    finally:
        con.close()


class HealthTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.archive_day(DATE)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE]), 0)
        self.db = os.path.join(self.out, "paperboy.db")

    def health(self, *args, env=None):
        return pbtest.run(["health", "--out", self.out, "--date", DATE, *args], env=env)

    def test_healthy(self):
        p = self.health("--days", "1", "--no-audio")
        self.assertExit(p, 0)
        self.assertEqual(p.stdout, "")
        self.assertIn("healthy", p.stderr)

    def test_planted_problems_and_one_alert(self):
        hf = self.fake_hf(fixtures_dir=MONTH)
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", PARTIAL,
                                    "--hf-url", hf.url]), 0)
        # A stale newsletter: the newest edition was made long ago.
        execute(self.db, "UPDATE runs SET finished_at = '2026-01-01T00:00:00Z' "
                              "WHERE command = 'edition'")
        # A failed run of the day, not redone.
        execute(self.db, "INSERT INTO runs (command, date, lang, started_at, finished_at, "
                              "status, detail) VALUES ('speak', ?, NULL, '2026-01-01T00:00:00Z', "
                              "'2026-01-01T00:00:01Z', 'failed', 'espeak-ng: no voice')", (DATE,))
        sink = SlackSink()
        self.addCleanup(sink.close)
        token = SlackSink.TOKENS[0]
        config = os.path.join(self.tmp, "alerts.ini")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[push.ops]\ntype = slack\nurl_env = OPS_HOOK\n\n[alerts]\npush = ops\n")
        env = {"OPS_HOOK": sink.url(token)}
        p = self.health("--days", "5", "--config", config, env=env)
        self.assertExit(p, 1)
        lines = p.stdout.splitlines()
        expect = [f"{MISSING}: a weekday with no edition",
                  f"{PARTIAL}: 12 of 12 papers fetched but not translated",
                  f"{DATE}: the edition has no broadcast",
                  f"speak {DATE}: the last run was failed: espeak-ng: no voice",
                  "no new edition for"]
        for e in expect:
            self.assertTrue(any(line.startswith(e) for line in lines), f"{e!r} not in {lines}")
        self.assertEqual(len(lines), len(expect), lines)
        self.assertNotIn(token, p.stdout + p.stderr)
        self.assertEqual(sink.count(token), 1)
        with sink.lock:
            alert = sink.received[0][1]
        text = alert.get("text", "") + str(alert.get("blocks", ""))
        self.assertIn(MISSING, text)
        # Again: the same problems, no second alert.
        again = self.health("--days", "5", "--config", config, env=env)
        self.assertExit(again, 1)
        self.assertEqual(again.stdout, p.stdout)
        self.assertEqual(sink.count(token), 1)
        # A new problem (a channel that failed) is alerted, once.
        with open(config, "a", encoding="utf-8") as f:
            f.write(f"[push.readers]\ntype = slack\nurl = {sink.url('REVOKED')}\n")
        sent = pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", config,
                           "--only", "readers", "--retries", "0"], env=env)
        self.assertExit(sent, 3)
        self.assertEqual(sink.count(token), 2)   # send alerts its own failed day, once
        third = self.health("--days", "5", "--config", config, env=env)
        self.assertExit(third, 1)
        self.assertIn(f"{DATE}: 1 message to readers not delivered", third.stdout)
        self.assertEqual(sink.count(token), 3)   # the new problems, in one message


if __name__ == "__main__":
    pbtest.main()
