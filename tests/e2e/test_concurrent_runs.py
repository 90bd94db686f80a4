#!/usr/bin/env python3
"""Two paperboy runs on one archive and day at once (cron overlapping a manual run).

Issue 13, finding 2: both once translated every paper, so each paper was paid for
twice. One writer per archive and day: the second run waits for the first, then
finds the translations stored and pays nothing. A first run killed with kill -9
must not leave the second waiting for ever.
"""
import os
import signal
import subprocess
import time

import pbtest
from pbtest import query

DAY = "2026-01-05"
PAPERS = 16
WAITING = "waiting for another paperboy on"


class ConcurrentRunsTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.out, "paperboy.db")
        self.hf = self.fake_hf(synth={DAY: PAPERS})
        # 0.5 s an answer, 4 at a time: the first run spends ~2 s translating, long
        # enough for the second to start while the first still pays.
        self.llm = self.fake_llm(latency=0.5)
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", DAY,
                                    "--hf-url", self.hf.url]), 0)

    def start(self, command="translate", *extra):
        args = [pbtest.PAPERBOY, command, "--out", self.out, "--date", DAY,
                "--llm-url", self.llm.url, "--jobs", "4", *extra]
        if command == "run":
            args += ["--hf-url", self.hf.url]
        p = subprocess.Popen(args, env=pbtest.clean_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, encoding="utf-8", errors="replace")
        self.addCleanup(lambda: p.poll() is None and (p.kill(), p.wait()))
        return p

    def wait_for_requests(self, n, timeout=10):
        deadline = time.monotonic() + timeout
        while self.llm.stats()["requests"] < n:
            self.assertLess(time.monotonic(), deadline, "the first run asked nothing")
            time.sleep(0.02)

    def translated(self):
        return query(self.db, "SELECT COUNT(DISTINCT paper_id) FROM translations")[0][0]

    def check_both(self, command, *extra):
        a = self.start(command, *extra)
        b = self.start(command, *extra)
        out_a, err_a = a.communicate(timeout=60)
        out_b, err_b = b.communicate(timeout=60)
        for p, err in ((a, err_a), (b, err_b)):
            self.assertEqual(p.returncode, 0, err)
        # Each paper was paid for once, and one of the two said it waited.
        self.assertEqual(self.llm.stats()["requests"], PAPERS, err_a + err_b)
        self.assertEqual(self.translated(), PAPERS)
        waited = [err for err in (err_a, err_b) if WAITING in err]
        self.assertEqual(len(waited), 1, err_a + "\n-----\n" + err_b)
        self.assertIn(f"{WAITING} {self.db} {DAY}", waited[0])
        self.assertEqual(waited[0].count(WAITING), 1)  # said once, not once a poll

    def test_two_translates_pay_once(self):
        self.check_both("translate")

    def test_two_runs_pay_once(self):
        self.check_both("run", "--no-audio")

    def test_kill_9_of_the_holder_lets_the_other_go_on(self):
        a = self.start()
        self.wait_for_requests(1)  # a is translating: it holds the day
        b = self.start()
        time.sleep(0.5)
        self.assertIsNone(b.poll())  # b waits for a
        a.send_signal(signal.SIGKILL)
        a.communicate(timeout=10)
        out, err = b.communicate(timeout=60)
        self.assertEqual(b.returncode, 0, err)
        self.assertIn(WAITING, err)
        self.assertEqual(self.translated(), PAPERS)
        # b paid for the papers a had not kept, and only for those: at most the 4
        # a had in flight when it died are paid twice.
        self.assertLessEqual(self.llm.stats()["requests"], PAPERS + 4)

    def test_ctrl_c_ends_a_waiting_run(self):
        a = self.start()
        self.wait_for_requests(1)
        b = self.start()
        time.sleep(0.5)
        b.send_signal(signal.SIGINT)
        out, err = b.communicate(timeout=10)
        self.assertEqual(b.returncode, 130, err)
        self.assertIn(WAITING, err)
        a.communicate(timeout=60)
        self.assertEqual(a.returncode, 0)
        self.assertEqual(self.llm.stats()["requests"], PAPERS)

    def test_render_needs_no_lock(self):
        # render never pays: it runs while a translate holds the day.
        a = self.start()
        self.wait_for_requests(1)
        p = pbtest.run(["render", "--out", self.out, "--date", DAY], timeout=30)
        self.assertExit(p, 0)
        self.assertNotIn(WAITING, p.stderr)
        self.assertIsNone(a.poll())  # still translating: render did not wait for it
        a.communicate(timeout=60)
        self.assertEqual(a.returncode, 0)


if __name__ == "__main__":
    pbtest.main()
