#!/usr/bin/env python3
"""paperboy backfill over a real month of the Hugging Face API (2025-11-26 .. 2025-12-25,
tests/fixtures/hf-api-month: 22 weekdays, 382 papers; the weekends have no file, so the fake
HF answers them with [] as the real API does) against the fake HF and fake LLM servers."""
import datetime
import glob
import json
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

import pbtest
from pbtest import query

MONTH = os.path.join(pbtest.FIXTURES, "hf-api-month")
FIRST, LAST = "2025-11-26", "2025-12-25"


def month_papers():
    """{date: [titles]} of the fixture month's weekdays."""
    days = {}
    for path in sorted(glob.glob(os.path.join(MONTH, "*.json"))):
        with open(path, encoding="utf-8") as f:
            days[os.path.basename(path)[:-5]] = [e["paper"]["title"] for e in json.load(f)]
    return days


PAPERS = month_papers()


def dates(first, last):
    d, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    out = []
    while d <= end:
        out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def normalise(title):
    return " ".join(title.split())


class BackfillTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.out, "paperboy.db")

    def argv(self, hf, llm, first, last, *extra):
        return ["backfill", "--from", first, "--to", last, "--out", self.out,
                "--hf-url", hf.url, "--llm-url", llm.url, *extra]

    def backfill(self, hf, llm, first, last, *extra, timeout=300):
        return pbtest.run(self.argv(hf, llm, first, last, *extra), timeout=timeout)

    def table(self, stdout):
        """The TSV table on stdout -> [(date, papers, translated, failed, status)]."""
        lines = stdout.splitlines()
        self.assertEqual(lines[0], "date\tpapers\ttranslated\tfailed\tstatus")
        rows = []
        for line in lines[1:]:
            cells = line.split("\t")
            if len(cells) != 5:
                break  # the feed's path, after the table
            rows.append((cells[0], int(cells[1]), int(cells[2]), int(cells[3]), cells[4]))
        return rows

    def edition_files(self, date):
        return [os.path.join(self.out, "newsletters", f"{date}_daily_paper.md"),
                os.path.join(self.out, "newsletters", f"{date}_daily_paper.html"),
                os.path.join(self.out, "images", f"{date}_keywords_wordcloud.png"),
                os.path.join(self.out, "images", f"{date}_daily_papers.png"),
                os.path.join(self.out, "posters", f"{date}_poster.png")]

    def runs(self, command):
        return query(self.db, "SELECT date, lang, status FROM runs WHERE command = ? ORDER BY id",
                     (command,))

    def finished_editions(self):
        if not os.path.exists(self.db):
            return 0
        try:
            return query(self.db, "SELECT count(DISTINCT date) FROM runs WHERE command = 'edition'"
                                  " AND status = 'ok'")[0][0]
        except Exception:  # the schema may not be there yet
            return 0

    def wait_for_editions(self, proc, n, timeout=60):
        """Wait until n days have their edition (the backfill is mid-range)."""
        deadline = time.monotonic() + timeout
        while self.finished_editions() < n:
            if proc.poll() is not None:
                self.fail(f"backfill exited {proc.returncode} before {n} days were done")
            if time.monotonic() > deadline:
                proc.kill()
                self.fail(f"{n} days not done in {timeout} s")
            time.sleep(0.05)

    # --- the month, then the same month again ------------------------------------------

    def test_a_month_then_a_rerun_that_asks_for_nothing(self):
        hf = self.fake_hf(fixtures_dir=MONTH)
        llm = self.fake_llm()
        # The fake voice (not espeak-ng: seconds a day) so the broadcasts and the feed are made.
        tts = self.fake_tts(rate=8000)
        cfg = os.path.join(self.tmp, "paperboy.ini")
        with open(cfg, "w") as f:
            f.write("[feed]\nbase_url = https://example.org/daily\n")
        extra = ["--tts-url", tts.url, "--config", cfg]
        p = self.backfill(hf, llm, FIRST, LAST, *extra)
        self.assertExit(p, 0)
        days = dates(FIRST, LAST)
        self.assertEqual(len(days), 30)
        self.assertEqual(len(PAPERS), 22)
        rows = self.table(p.stdout)
        # 30 days, in order, oldest first; weekends empty, weekdays translated in full.
        self.assertEqual([r[0] for r in rows], days)
        for date, papers, translated, failed, status in rows:
            if date in PAPERS:
                n = len(PAPERS[date])
                self.assertEqual((papers, translated, failed, status), (n, n, 0, "ok"), date)
            else:
                self.assertEqual(datetime.date.fromisoformat(date).weekday() >= 5, True, date)
                self.assertEqual((papers, translated, failed, status), (0, 0, 0, "empty"), date)
        self.assertEqual(sum(r[4] == "empty" for r in rows), 8)
        # A line a day on stderr, in order.
        progress = [l for l in p.stderr.splitlines() if "] 20" in l]
        self.assertEqual(len(progress), 30)
        self.assertIn("[1/30] 2025-11-26 15 papers", progress[0])
        self.assertIn("[30/30] 2025-12-25 13 papers", progress[-1])
        # Every weekday has its edition, pictures and broadcast; a weekend has none.
        for date in days:
            for path in self.edition_files(date) + [
                    os.path.join(self.out, "audio", f"{date}_daily_papers.mp3")]:
                self.assertEqual(os.path.exists(path), date in PAPERS, path)
        md = pbtest.read_text(self.edition_files("2025-12-01")[0])
        self.assertIn("2025-12-01_daily_papers.mp3", md)
        # One request per paper: nothing asked twice (382 papers, no duplicates).
        n_papers = sum(len(t) for t in PAPERS.values())
        self.assertEqual(n_papers, 382)
        asked = [normalise(r["title"]) for r in llm.requests()]
        self.assertEqual(llm.stats()["requests"], n_papers)
        self.assertEqual(sorted(asked), sorted(normalise(t) for ts in PAPERS.values() for t in ts))
        self.assertEqual(query(self.db, "SELECT count(*) FROM translations"), [(n_papers,)])
        # The feed is written once, at the end, with every day's broadcast; not once a day.
        self.assertEqual(self.runs("feed"), [(None, None, "ok")])
        last_edition = query(self.db, "SELECT max(id) FROM runs WHERE command = 'edition'")[0][0]
        feed_id = query(self.db, "SELECT id FROM runs WHERE command = 'feed'")[0][0]
        self.assertGreater(feed_id, last_edition)
        feed = os.path.join(self.out, "feed", "podcast.xml")
        self.assertEqual(p.stdout.splitlines()[-1], feed)
        items = ET.parse(feed).getroot().find("channel").findall("item")
        self.assertEqual(len(items), 22)
        # Each day's stages ran once.
        self.assertEqual(len(self.runs("fetch")), 30)
        for stage in ("translate", "pictures", "speak", "edition"):
            self.assertEqual(sorted(r[0] for r in self.runs(stage)), sorted(PAPERS), stage)

        # The same range again: every day is complete by the archive's records, so not one
        # request goes to Hugging Face, the LLM or the voice.
        hf.reset()
        llm.reset()
        tts.reset()
        before = pbtest.archive_dump(self.db)
        p = self.backfill(hf, llm, FIRST, LAST, *extra)
        self.assertExit(p, 0)
        self.assertEqual(hf.requests(), [])
        self.assertEqual(llm.stats()["requests"], 0)
        self.assertEqual(tts.stats()["requests"], 0)
        rows = self.table(p.stdout)
        self.assertEqual([r[0] for r in rows], days)
        self.assertEqual({r[4] for r in rows}, {"done"})
        for date, papers, translated, failed, _ in rows:
            n = len(PAPERS.get(date, []))
            self.assertEqual((papers, translated, failed), (n, n, 0), date)
        self.assertEqual(p.stderr.count("already complete"), 30)
        self.assertEqual(pbtest.archive_dump(self.db), before)
        self.assertEqual(len(self.runs("fetch")), 30)  # no stage ran for a day ...
        self.assertEqual(len(self.runs("feed")), 2)    # ... the feed once more, at the end

    # --- stopped halfway -----------------------------------------------------------------

    def test_kill_9_mid_range_resumes_paying_only_for_what_was_in_flight(self):
        first, last = "2025-11-26", "2025-12-03"  # 6 weekdays, 105 papers
        wanted = {normalise(t) for d in dates(first, last) for t in PAPERS.get(d, [])}
        self.assertEqual(len(wanted), 105)
        jobs = 4
        hf = self.fake_hf(fixtures_dir=MONTH)
        llm = self.fake_llm(latency=0.3)
        argv = [pbtest.PAPERBOY] + self.argv(hf, llm, first, last, "--no-audio", "--jobs", str(jobs))
        proc = subprocess.Popen(argv, env=pbtest.clean_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.wait_for_editions(proc, 2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = self.finished_editions()
        self.assertLess(done, 6)  # killed mid-range
        first_asked = [normalise(r["title"]) for r in llm.requests()]
        kept = {normalise(r[0]) for r in query(self.db, "SELECT p.title FROM translations t"
                                                        " JOIN papers p ON p.id = t.paper_id")}
        self.assertLess(len(kept), 105)
        llm.reset()
        llm.set_latency(0)
        p = pbtest.run(argv[1:], timeout=300)
        self.assertExit(p, 0)
        rows = self.table(p.stdout)
        self.assertEqual([r[0] for r in rows], dates(first, last))
        self.assertEqual(sum(r[4] == "done" for r in rows), done)  # finished days skipped
        self.assertTrue(all(r[2] == r[1] for r in rows), rows)  # every paper translated
        second_asked = [normalise(r["title"]) for r in llm.requests()]
        # Nothing kept before the kill is asked for again; everything else exactly once ...
        self.assertEqual(set(second_asked) & kept, set())
        self.assertEqual(sorted(second_asked), sorted(wanted - kept))
        # ... so the two runs paid for 105 papers plus at most the answers in flight at the kill.
        total = len(first_asked) + len(second_asked)
        self.assertGreaterEqual(total, 105)
        self.assertLessEqual(total - 105, jobs)
        self.assertLessEqual(len(set(first_asked) & set(second_asked)), jobs)
        for date in dates(first, last):
            self.assertEqual(os.path.exists(self.edition_files(date)[0]), date in PAPERS, date)

    def start_and_interrupt(self, first, last, latency, signals=1, faults=()):
        """A backfill stopped with SIGINT while answers (latency s each, plus the fake LLM's
        faults) are in flight, once its first day is done. -> (stdout, stderr, exit status, seconds from the first signal
        to the exit, wall-clock time of the first signal, argv)"""
        hf = self.fake_hf(fixtures_dir=MONTH)
        llm = self.llm = self.fake_llm(latency=latency)
        if faults:
            llm.faults(list(faults))
        argv = [pbtest.PAPERBOY] + self.argv(hf, llm, first, last, "--no-audio", "--jobs", "8")
        proc = subprocess.Popen(argv, env=pbtest.clean_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.wait_for_editions(proc, 1)
        deadline = time.monotonic() + 10
        while llm.stats()["in_flight"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)  # into the next day's translation
        self.assertGreater(llm.stats()["in_flight"], 0)
        sent, sent_at = time.monotonic(), time.time()
        for _ in range(signals):
            proc.send_signal(signal.SIGINT)
            time.sleep(0.1)
        out, err = proc.communicate(timeout=30)
        return out, err, proc.returncode, time.monotonic() - sent, sent_at, argv

    def rerun_completes(self, argv, first, last, papers):
        self.llm.reset()
        self.llm.set_latency(0)
        p = pbtest.run(argv[1:], timeout=300)
        self.assertExit(p, 0)
        rows = self.table(p.stdout)
        self.assertEqual([r[0] for r in rows], dates(first, last))
        self.assertEqual(rows[0][4], "done")  # the day finished before the signal
        self.assertTrue(all(r[4] in ("ok", "done", "empty") for r in rows), rows)
        self.assertEqual(sum(r[2] for r in rows), papers)
        self.assertLessEqual(self.llm.stats()["requests"], papers - 15)  # day one not asked again
        self.assertEqual(len(self.runs("feed")), 0)  # --no-audio: no feed

    def test_ctrl_c_exits_130_once_in_flight_answers_are_in_and_a_rerun_completes(self):
        first, last = "2025-11-26", "2025-12-02"  # 5 weekdays, 79 papers
        # The second day's answers take 2 s; the first day's come at once.
        slow = [{"match": t, "delay": 2} for t in PAPERS["2025-11-27"]]
        out, err, code, waited, sent_at, argv = self.start_and_interrupt(first, last, 0.0, faults=slow)
        self.assertEqual(code, 130, err)
        # It waits only for the answers already in flight (paid for), 2 s here, and starts
        # nothing new: no other request, no other day.
        self.assertLess(waited, 2.0 + 1.5)
        self.assertIn("stopping: waiting for", err)
        late = [(r["title"][:30], round(r["start"] - sent_at, 3)) for r in self.llm.requests()
                if r["start"] > sent_at + 0.05]
        self.assertEqual(late, [], [round(r["start"] - sent_at, 3) for r in self.llm.requests()])
        self.assertRegex(err, r"backfill: interrupted at 2025-11-2\d; finished days are kept")
        rows = self.table(out)
        self.assertEqual(rows[0][4], "ok")
        self.assertEqual(rows[-1][4], "interrupted")
        self.assertEqual(len(rows), 2)
        self.rerun_completes(argv, first, last, 79)

    def test_a_second_ctrl_c_exits_130_at_once(self):
        first, last = "2025-11-26", "2025-11-28"  # 28 papers
        # The second day's answers take 10 s; the first day's come at once.
        slow = [{"match": t, "delay": 10} for t in PAPERS["2025-11-27"]]
        out, err, code, waited, _, argv = self.start_and_interrupt(first, last, 0.0, signals=2,
                                                                   faults=slow)
        self.assertEqual(code, 130, err)
        self.assertLess(waited, 1.5)  # not the 10 s answers in flight
        self.assertIn("stopped at once (second signal)", err)
        self.rerun_completes(argv, first, last, 28)

    # --- a bad day in the range ----------------------------------------------------------

    def test_a_failing_day_exits_1_and_the_other_days_complete(self):
        first, last = "2025-11-26", "2025-12-01"
        hf = self.fake_hf(fixtures_dir=MONTH)
        llm = self.fake_llm()
        hf.faults([{"match": "date=2025-11-27", "status": 500, "times": 50}])
        p = self.backfill(hf, llm, first, last, "--no-audio", "--retries", "1")
        self.assertExit(p, 1)
        rows = self.table(p.stdout)
        self.assertEqual([(r[0], r[4]) for r in rows],
                         [("2025-11-26", "ok"), ("2025-11-27", "failed"), ("2025-11-28", "ok"),
                          ("2025-11-29", "empty"), ("2025-11-30", "empty"), ("2025-12-01", "ok")])
        self.assertRegex(p.stderr, r"warning: 2025-11-27: .*HTTP 500")
        for date in ("2025-11-26", "2025-11-28", "2025-12-01"):
            self.assertTrue(all(os.path.exists(f) for f in self.edition_files(date)), date)
        self.assertFalse(os.path.exists(self.edition_files("2025-11-27")[0]))
        self.assertEqual(llm.stats()["requests"], 15 + 5 + 23)
        # Once Hugging Face answers again, a rerun fetches only the failed day.
        hf.reset()
        llm.reset()
        p = self.backfill(hf, llm, first, last, "--no-audio")
        self.assertExit(p, 0)
        self.assertEqual({r["query"]["date"] for r in hf.requests()}, {"2025-11-27"})
        self.assertEqual(llm.stats()["requests"], 8)
        self.assertEqual([r[4] for r in self.table(p.stdout)],
                         ["done", "ok", "done", "done", "done", "done"])

    def test_a_partial_day_exits_3(self):
        first, last = "2025-11-27", "2025-11-28"
        victim = PAPERS["2025-11-28"][0]
        hf = self.fake_hf(fixtures_dir=MONTH)
        llm = self.fake_llm()
        llm.faults([{"match": victim, "status": 500, "times": 10}])
        p = self.backfill(hf, llm, first, last, "--no-audio", "--tries", "1")
        self.assertExit(p, 3)
        self.assertEqual(self.table(p.stdout), [("2025-11-27", 8, 8, 0, "ok"),
                                                ("2025-11-28", 5, 4, 1, "partial")])
        self.assertIn("2025-11-28 5 papers · translated 4, cached 0, failed 1 · partial", p.stderr)
        md = pbtest.read_text(self.edition_files("2025-11-28")[0])
        self.assertIn(victim, md)  # in English
        # The partial day is not complete: a rerun asks for the one paper left.
        llm.reset()
        p = self.backfill(hf, llm, first, last, "--no-audio")
        self.assertExit(p, 0)
        self.assertEqual([normalise(r["title"]) for r in llm.requests()], [normalise(victim)])
        self.assertEqual([r[4] for r in self.table(p.stdout)], ["done", "ok"])

    # --- usage ---------------------------------------------------------------------------

    def test_usage_errors(self):
        cases = [
            (["--from", "2025-12-01"], "--from and --to are both needed"),
            (["--to", "2025-12-01"], "--from and --to are both needed"),
            (["--from", "2025-12-02", "--to", "2025-12-01"], "--from 2025-12-02 is after --to 2025-12-01"),
            (["--from", "2025-12-01", "--to", "2025-13-01"], "2025-13-01"),
        ]
        for args, msg in cases:
            p = pbtest.run(["backfill", "--no-translate", "--out", self.out,
                            "--hf-url", "http://127.0.0.1:9", *args])
            self.assertExit(p, 2)
            self.assertIn(msg, p.stderr, args)
            self.assertEqual(p.stdout, "", args)
        self.assertFalse(os.path.exists(self.out))  # nothing created on a usage error


if __name__ == "__main__":
    pbtest.main()
