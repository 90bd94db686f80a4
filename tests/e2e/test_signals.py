#!/usr/bin/env python3
"""SIGINT/SIGTERM end to end: every wait stops (espeak, HTTP), nothing new starts after a
stop, answers in flight are committed, a second signal exits at once; and a proxy from the
environment never stands between paperboy and a server on 127.0.0.1."""
import json
import os
import re
import signal
import subprocess
import threading
import time

import pbtest
from pbtest import query, SilentServer

DAY = "2025-12-26"   # the demo day: 7 papers, ~12 min of speech (a few seconds to synthesise)
DEAD_PROXY = "http://127.0.0.1:9"
PROXY_ENV = {k: DEAD_PROXY for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                     "ALL_PROXY", "all_proxy")}


class Running:
    """paperboy started in the background, its stderr read line by line as it comes."""

    def __init__(self, args, env=None):
        self.proc = subprocess.Popen([pbtest.PAPERBOY] + [str(a) for a in args],
                                     env=pbtest.clean_env(env), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self.lines, self.out = [], []
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(self.proc.stderr, self.lines)),
                        threading.Thread(target=self._read, args=(self.proc.stdout, self.out))]
        for t in self.readers:
            t.start()
        self.signalled_at = None

    def _read(self, stream, into):
        for line in stream:
            with self.changed:
                into.append(line)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    @property
    def stderr(self):
        with self.changed:
            return "".join(self.lines)

    @property
    def stdout(self):
        with self.changed:
            return "".join(self.out)

    def wait_for_line(self, pattern, timeout=30):
        """Block until a stderr line matches; fails the caller (AssertionError) on exit or timeout."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.changed:
            while not any(rx.search(l) for l in self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no stderr line matching {pattern!r} "
                                         f"(exit {self.proc.poll()}):\n{''.join(self.lines)}")
                self.changed.wait(min(left, 0.1))

    def signal(self, sig=signal.SIGINT):
        self.assert_running()
        self.proc.send_signal(sig)
        self.signalled_at = time.monotonic()

    def assert_running(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"paperboy already exited ({self.proc.returncode}) before the "
                                 f"signal: the test missed the moment it meant to interrupt\n"
                                 f"{self.stderr}")

    def wait(self, timeout=30):
        """-> (exit status, seconds from the last signal to the exit)."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"paperboy did not exit within {timeout} s of the signal:\n"
                                 f"{self.stderr}")
        took = time.monotonic() - self.signalled_at
        self._close()
        return rc, took

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close()

    def _close(self):
        for t in self.readers:
            t.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if not stream.closed:
                stream.close()


class SignalTest(pbtest.PaperboyTestCase):
    @property
    def db(self):
        return os.path.join(self.out, "paperboy.db")

    def report(self, date=DAY):
        with open(os.path.join(self.out, "reports", f"{date}_run.json"), encoding="utf-8") as f:
            return json.load(f)

    def start(self, args, env=None):
        r = Running(args, env)
        self.addCleanup(r.kill)
        return r

    def wait_until(self, what, cond, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = cond()
            if v:
                return v
            time.sleep(0.02)
        self.fail(f"timed out after {timeout} s waiting for {what}")

    # --- speech synthesis ---------------------------------------------------

    def assert_no_partial_audio(self, r):
        audio = os.path.join(self.out, "audio")
        left = sorted(os.listdir(audio)) if os.path.isdir(audio) else []
        self.assertEqual(left, [], "an interrupted broadcast left files (a partial MP3 or its temp file)")
        self.assertEqual(query(self.db, "SELECT count(*) FROM audio WHERE date=?", (DAY,)), [(0,)])
        # What stdout lists as written must exist: no MP3 that was never written.
        for path in r.stdout.split():
            self.assertTrue(os.path.exists(path), f"stdout names {path}, which does not exist")
        self.assertNotIn("_daily_papers.mp3", r.stdout)

    def interrupt_speech(self, r):
        # The line comes just before espeak starts; the full broadcast (whole abstracts, asked
        # for with --content full) takes seconds to synthesise, the brief one about one.
        r.wait_for_line(r"speaking \d+ segments with espeak-ng")
        time.sleep(1.0)
        r.signal(signal.SIGINT)
        rc, took = r.wait()
        self.assertEqual(rc, 130, r.stderr)
        self.assertLessEqual(took, 2.0, f"exit took {took:.2f} s after SIGINT\n{r.stderr}")
        self.assertIn("interrupted", r.stderr)
        self.assert_no_partial_audio(r)

    def test_sigint_during_espeak_speak(self):
        self.archive_day(DAY)
        r = self.start(["speak", "--date", DAY, "--out", self.out, "--content", "full"])
        self.interrupt_speech(r)
        # No LLM was involved: the message does not speak of kept answers.
        self.assertNotIn("answers received", r.stderr)

    def test_sigint_during_espeak_in_run(self):
        hf = self.fake_hf()
        r = self.start(["run", "--no-translate", "--date", DAY, "--out", self.out,
                        "--hf-url", hf.url, "--content", "full"])
        self.interrupt_speech(r)
        self.assertEqual(query(self.db, "SELECT status FROM runs WHERE command='speak'"),
                         [("interrupted",)])
        # The day stopped there: no edition, and the report says why.
        self.assertFalse(os.path.exists(os.path.join(self.out, "newsletters", f"{DAY}_daily_paper.md")))
        report = self.report()
        self.assertEqual(report["status"], "interrupted")
        self.assertIsNone(report["stages"]["speak"]["file"])

    # --- translation --------------------------------------------------------

    def fetch_synth(self, n):
        date = "2026-01-05"
        hf = self.fake_hf(synth={date: n})
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", date, "--hf-url", hf.url]), 0)
        return date

    def translations(self):
        return query(self.db, "SELECT count(*) FROM translations")[0][0]

    def test_sigint_during_translation_awaits_and_keeps_the_answers_in_flight(self):
        n, jobs, latency = 8, 2, 1.5
        date = self.fetch_synth(n)
        llm = self.fake_llm(latency=latency)
        args = ["translate", "--out", self.out, "--date", date, "--llm-url", llm.url, "--jobs", jobs]
        r = self.start(args)
        # Interrupt the second pair: two answered, two in flight (the window is full, so no
        # third request can start before one of them ends, 1.5 s later).
        at_signal = self.wait_until("two answers and two requests in flight", lambda: (
            lambda s: s if s["answered"] >= 2 and s["in_flight"] == jobs else None)(llm.stats()))
        r.signal(signal.SIGINT)
        signalled_wall = time.time()
        self.assertLess(at_signal["requests"], n)
        time.sleep(0.5)  # the engine looks at the stop flag at least every 250 ms
        after = llm.stats()
        self.assertEqual(after["requests"], at_signal["requests"], "a request was started after SIGINT")
        self.assertGreater(after["in_flight"], 0, "nothing was in flight to wait for")

        rc, took = r.wait(timeout=latency + 10)
        self.assertEqual(rc, 130, r.stderr)
        final = llm.stats()
        log = llm.requests()
        # Nothing new after the stop; at most the ones in flight finished ...
        self.assertEqual(final["requests"], at_signal["requests"], r.stderr)
        self.assertLessEqual(final["requests"] - at_signal["answered"], jobs)
        # ... and paperboy waited for them: every request was answered before it exited.
        self.assertEqual(final["in_flight"], 0)
        self.assertEqual(final["answered"], final["requests"])
        self.assertTrue(all(e["status"] == 200 for e in log), log)
        last_end = max(e["end"] for e in log)
        self.assertGreater(last_end, signalled_wall + 0.3, "the in-flight answers came right away?")
        self.assertLessEqual(took, latency + 2.0, f"exit took {took:.2f} s after SIGINT")
        self.assertIn("waiting for 2 requests in flight", r.stderr)
        self.assertIn(f"interrupted; {final['answered']} answers received were kept", r.stderr)
        # The paid answers, those in flight included, are in the archive.
        kept = self.translations()
        self.assertEqual(kept, final["answered"])
        self.assertEqual(query(self.db, "SELECT status FROM runs WHERE command='translate'"),
                         [("interrupted",)])

        # A rerun asks only for the rest.
        llm.reset()
        llm.set_latency(0)
        p = pbtest.run(args)
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], n - kept, p.stderr)
        asked = {e["title"] for e in llm.requests()}
        self.assertEqual(len(asked), n - kept)
        first = {e["title"] for e in log}
        self.assertEqual(asked & first, set(), "a paper already answered was paid for again")
        self.assertEqual(self.translations(), n)

    def answer_log_papers(self):
        return query(self.db, "SELECT count(DISTINCT paper_id) FROM llm_answers")[0][0]

    def test_sigint_with_eight_in_flight_keeps_every_answer_the_server_sent(self):
        # Issue 13, finding 4: 8 requests in flight at Ctrl-C, the server answered (and billed)
        # all of them, and paperboy kept fewer. Every answer sent before the exit must be kept.
        n, jobs, latency = 16, 8, 1.0
        date = self.fetch_synth(n)
        llm = self.fake_llm(latency=latency)
        args = ["translate", "--out", self.out, "--date", date, "--llm-url", llm.url, "--jobs", jobs]
        r = self.start(args)
        at_signal = self.wait_until("eight requests in flight",
                                    lambda: (lambda s: s if s["in_flight"] == jobs else None)(llm.stats()))
        time.sleep(0.2)
        r.signal(signal.SIGINT)
        rc, took = r.wait(timeout=latency + 10)
        self.assertEqual(rc, 130, r.stderr)
        final = llm.stats()
        self.assertLessEqual(final["requests"], at_signal["requests"] + jobs, r.stderr)
        self.assertEqual(final["in_flight"], 0, "paperboy exited before the answers in flight came")
        self.assertGreaterEqual(final["answered"], jobs, r.stderr)
        kept = self.translations()
        # The server's count and the archive's agree: no paid answer was dropped.
        self.assertEqual(kept, final["answered"], r.stderr)
        self.assertEqual(self.answer_log_papers(), final["answered"], r.stderr)
        self.assertLessEqual(took, latency + 2.0, f"exit took {took:.2f} s after SIGINT")
        self.assertIn(f"interrupted; {kept} answers received were kept", r.stderr)
        # A rerun pays only for the papers not kept.
        llm.reset()
        llm.set_latency(0)
        p = pbtest.run(args)
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], n - kept, p.stderr)

    def test_second_sigint_with_short_latency_aborts_at_once(self):
        n, jobs, latency = 8, 8, 1.0
        date = self.fetch_synth(n)
        llm = self.fake_llm(latency=latency)
        r = self.start(["translate", "--out", self.out, "--date", date, "--llm-url", llm.url,
                        "--jobs", jobs])
        self.wait_until("eight requests in flight", lambda: llm.stats()["in_flight"] == jobs)
        r.signal(signal.SIGINT)
        r.wait_for_line(r"stopping: waiting for 8 requests in flight", timeout=3)
        r.signal(signal.SIGINT)
        rc, took = r.wait(timeout=latency + 10)
        self.assertEqual(rc, 130, r.stderr)
        self.assertLessEqual(took, 0.5, f"exit took {took:.2f} s after the second SIGINT")
        self.assertIn("stopped at once (second signal)", r.stderr)
        self.assertEqual(llm.stats()["requests"], jobs)

    def test_second_sigint_exits_at_once(self):
        n, jobs, latency = 6, 2, 5.0
        date = self.fetch_synth(n)
        llm = self.fake_llm(latency=latency)
        r = self.start(["translate", "--out", self.out, "--date", date, "--llm-url", llm.url,
                        "--jobs", jobs])
        self.wait_until("two requests in flight", lambda: llm.stats()["in_flight"] == jobs)
        r.signal(signal.SIGINT)
        r.wait_for_line(r"stopping: waiting for 2 requests in flight", timeout=3)
        r.signal(signal.SIGINT)
        rc, took = r.wait(timeout=latency + 10)
        self.assertEqual(rc, 130, r.stderr)
        self.assertLessEqual(took, 1.0, f"exit took {took:.2f} s after the second SIGINT")
        self.assertIn("stopped at once (second signal)", r.stderr)
        # It did not wait for the answers: they are still being written by the fake.
        s = llm.stats()
        self.assertEqual(s["answered"], 0, s)
        self.assertEqual(s["requests"], jobs, s)
        self.assertEqual(self.translations(), 0)

    # --- proxies --------------------------------------------------------------

    def test_demo_ignores_a_dead_proxy(self):
        # The demo serves its answers on 127.0.0.1: a proxy must not stand in between.
        p = pbtest.run(["demo", "--no-audio", "--out", self.out], env=PROXY_ENV, timeout=120)
        self.assertExit(p, 0)
        md = os.path.join(self.out, "newsletters", f"{DAY}_daily_paper.md")
        self.assertTrue(os.path.exists(md), p.stderr)
        t = self.report()["stages"]["translate"]
        self.assertEqual((t["translated"], t["failed"], t["requests"]), (7, 0, 7), t)

    def test_run_with_a_local_llm_ignores_a_dead_proxy(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        p = pbtest.run(["run", "--no-audio", "--date", DAY, "--out", self.out, "--hf-url", hf.url,
                        "--llm-url", f"http://127.0.0.1:{llm.port}/v1"], env=PROXY_ENV)
        self.assertExit(p, 0)
        self.assertEqual(len(hf.requests()), 1)
        self.assertEqual(llm.stats()["requests"], 7)
        self.assertEqual(self.translations(), 7)
        self.assertTrue(os.path.exists(os.path.join(self.out, "newsletters", f"{DAY}_daily_paper.md")))

    # --- SIGTERM --------------------------------------------------------------

    def test_sigterm_stops_run_during_a_hung_fetch(self):
        server = SilentServer()
        self.addCleanup(server.close)
        llm = self.fake_llm()
        r = self.start(["run", "--date", DAY, "--out", self.out, "--hf-url", server.url,
                        "--llm-url", llm.url])
        self.wait_until("paperboy to connect to the silent server", lambda: server.accepted >= 1)
        time.sleep(0.5)
        r.signal(signal.SIGTERM)
        rc, took = r.wait(timeout=10)
        self.assertEqual(rc, 130, r.stderr)
        self.assertLessEqual(took, 2.0, f"exit took {took:.2f} s after SIGTERM\n{r.stderr}")
        self.assertIn("interrupted", r.stderr)
        self.assertEqual(llm.stats()["requests"], 0)
        self.assertEqual(query(self.db, "SELECT status FROM runs WHERE command='fetch'"),
                         [("interrupted",)])


if __name__ == "__main__":
    pbtest.main()
