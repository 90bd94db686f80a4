#!/usr/bin/env python3
"""Faults as part of the suite (issue 13, part 3).

1. kill -9 of a full `paperboy run` (fetch, translate, pictures, speak, edition, feed,
   site, send) at seeded random points, aimed at each stage in turn, on one archive and
   day: after every kill the archive is intact and no paid answer beyond those in flight
   is lost; a final clean rerun finishes the edition, pays for nothing already paid,
   delivers each message at least once and at most once more per kill during send.
2. A full disk under the outputs (not the archive) in a `run` whose previous edition
   exists: a clear error, the previous files byte-identical, no temporary file, the paid
   translations kept.
3. SIGTERM during the translate stage of a `run`: exit 130, the answers received kept.

PB_FAULT_SEED=N replays one random schedule of kills; the seed is in every failure.
"""
import os
import random
import re
import signal
import subprocess
import threading
import time

import pbtest
from pbtest import SlackSink, query, read_text
from test_full_disk import full_disk_env

DAY = "2026-01-05"
PAPERS = 12
JOBS = 3
TOKEN_A, TOKEN_B = SlackSink.TOKENS
# fsutil.c's open_temp_beside: ".NAME.XXXXXX" beside the file it replaces.
TEMP_RX = re.compile(r"^\..+\.[A-Za-z0-9]{6}$")
STAGES = ("fetch", "translate", "pictures", "speak", "edition", "feed", "site", "send")


def temp_files(root):
    """Every hidden .NAME.XXXXXX under root, relative to it."""
    found = []
    for d, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(d, n), root) for n in names if TEMP_RX.match(n)]
    return sorted(found)


def snapshot(root, skip=("paperboy.db", "paperboy.db-journal", "paperboy.db-wal",
                         "paperboy.db-shm", "paperboy.db.lock")):
    """{relative path: bytes} of every file under root but the archive's own."""
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if rel not in skip:
                with open(p, "rb") as f:
                    out[rel] = f.read()
    return out


class Proc:
    """paperboy in the background, its stderr collected line by line."""

    def __init__(self, args, env=None):
        self.proc = subprocess.Popen([pbtest.PAPERBOY] + [str(a) for a in args],
                                     env=pbtest.clean_env(env), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    @property
    def stderr(self):
        with self.cond:
            return "".join(self.lines)

    def wait_until(self, pred, timeout):
        """Wait until pred(lines) holds -> True, or the process exits / time runs out -> False."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not pred(self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return pred(self.lines)
                self.cond.wait(min(left, 0.02))
            return True

    def finish(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.reader.join(5)
        self.proc.stderr.close()


def count(rx):
    r = re.compile(rx)
    return lambda lines: sum(1 for l in lines if r.search(l))


def seen(rx):
    c = count(rx)
    return lambda lines: c(lines) > 0


class KillNineTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.seed = int(os.environ.get("PB_FAULT_SEED") or random.SystemRandom().randrange(1 << 30))
        self.rng = random.Random(self.seed)
        self.db = os.path.join(self.out, "paperboy.db")
        self.hf = self.fake_hf(synth={DAY: PAPERS})
        self.llm = self.fake_llm(latency=0.15)
        self.sink = SlackSink()
        self.addCleanup(self.sink.close)
        self.config = os.path.join(self.tmp, "run.ini")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[push.alpha]\ntype = slack\nurl = {self.sink.url(TOKEN_A)}\n\n"
                    f"[push.beta]\ntype = slack\nurl = {self.sink.url(TOKEN_B)}\n\n"
                    f"[feed]\nbase_url = https://papers.example.org/pb\n\n"
                    f"[paperboy]\nretries = 0\n")
        self.args = ["run", "-v", "--out", self.out, "--date", DAY, "--hf-url", self.hf.url,
                     "--llm-url", self.llm.url, "--jobs", JOBS, "--config", self.config,
                     "--site-dir", os.path.join(self.out, "site")]

    def msg(self, text=""):
        return f"[seed {self.seed}; rerun with PB_FAULT_SEED={self.seed}] {text}"

    def translations(self):
        return query(self.db, "SELECT count(*) FROM translations")[0][0]

    def stage_killed(self, first_run_id):
        """The stage a kill -9 stopped in: the run row it left 'running'."""
        rows = query(self.db, "SELECT command FROM runs WHERE id > ? AND status = 'running' "
                     "ORDER BY id", (first_run_id,))
        return rows[-1][0] if rows else None

    def last_run_id(self):
        if not os.path.exists(self.db):
            return 0
        return query(self.db, "SELECT coalesce(max(id), 0) FROM runs")[0][0]

    def aim(self, stage):
        """-> (a predicate on the stderr lines that says the stage is under way, a delay)."""
        r = self.rng
        if stage == "fetch":
            self.hf.faults({"delay": 0.3})   # the day's page comes late: time to kill in fetch
            return seen(r"GET http"), r.uniform(0, 0.25)
        if stage == "translate":
            k = r.randint(0, 1)
            if k == 0:
                return seen(r"translating \d+ of"), r.uniform(0, 0.1)
            return (lambda lines: count(r"translation \d+/\d+ finished")(lines) >= k), r.uniform(0, 0.03)
        if stage == "pictures":
            return seen(r"pictures insights"), r.uniform(0, 0.25)
        if stage == "speak":
            return seen(r"speaking \d+ segments"), r.uniform(0.05, 0.6)
        if stage == "edition":
            return seen(r"audio: .* in [\d.]+ s"), r.uniform(0, 0.01)
        if stage == "feed":
            return seen(r"wrote .*daily_paper\.md"), r.uniform(0, 0.01)
        if stage == "site":
            return seen(r"site: zh-CN"), r.uniform(0, 0.08)
        if stage == "send":
            # The message to alpha waits 0.4 s at the sink; kill while it does.
            return (lambda lines: TOKEN_A not in self.sink.stall), r.uniform(0, 0.35)
        raise ValueError(stage)

    def kill_once(self, stage):
        before_id = self.last_run_id()
        before_answered = self.llm.stats()["answered"]
        # Whatever stage we aim at, the message to alpha stalls: a kill that comes late
        # lands in send instead of letting a run finish, and the send kill has its window.
        with self.sink.lock:
            self.sink.stall[TOKEN_A] = 0.4
        pred, delay = self.aim(stage)
        p = Proc(self.args)
        try:
            send_started = lambda lines: TOKEN_A not in self.sink.stall
            hit = p.wait_until(lambda lines: pred(lines) or send_started(lines), 30)
            self.assertTrue(hit, self.msg(f"the run aimed at {stage} never got there "
                                          f"(exit {p.proc.poll()}):\n{p.stderr}"))
            time.sleep(delay)
            if p.proc.poll() is None:
                p.proc.send_signal(signal.SIGKILL)
            p.proc.wait(10)
        finally:
            p.finish()
        stderr = p.stderr
        self.assertEqual(p.proc.returncode, -signal.SIGKILL,
                         self.msg(f"aimed at {stage}, the run exited on its own first:\n{stderr}"))
        with self.sink.lock:
            self.sink.stall.pop(TOKEN_A, None)
        # None: between two stages (one's row closed, the next not yet opened).
        landed = (self.stage_killed(before_id) if os.path.exists(self.db) else None) or "between"
        self.assertEqual(query(self.db, "PRAGMA integrity_check"), [("ok",)],
                         self.msg(f"after a kill in {landed}"))
        return landed, before_answered

    def test_kill_9_at_random_points_of_a_full_run(self):
        started = time.monotonic()
        # Fetch first, then translate while papers are left, then the rest in a seeded
        # random order, and send last (each send kill repeats at most one message).
        middle = ["pictures", "speak", "edition", "feed", "site"] * 3
        self.rng.shuffle(middle)
        plan = ["fetch"] * 2 + ["translate"] * 4 + middle + ["send"] * 3
        landed = []
        lost_bound = 0
        for i, stage in enumerate(plan):
            where, _ = self.kill_once(stage)
            landed.append(where)
            if where == "translate":
                lost_bound += JOBS
            # Nothing lost beyond what was in flight: every answer the server sent is in
            # the archive but at most JOBS a kill during translate.
            answered = self.llm.stats()["answered"]
            stored = self.translations() if os.path.exists(self.db) else 0
            self.assertLessEqual(answered - stored, lost_bound,
                                 self.msg(f"kill {i + 1} (aimed at {stage}, landed in {where}): "
                                          f"{answered} answers sent, {stored} kept; plan {plan}, "
                                          f"landed {landed}"))
        kills = len(landed)
        in_send = landed.count("send")
        tally = {s: landed.count(s) for s in STAGES + ("between",)}
        self.assertGreaterEqual(kills, 20, self.msg())
        # Each stage got a kill but the quick ones, which a kill 0-10 ms after the line before
        # them does not always hit (the kill then falls in the next stage); at least six of
        # the eight stages must have had one.
        for s in ("fetch", "translate", "pictures", "speak", "site", "send"):
            self.assertGreater(tally[s], 0, self.msg(f"no kill landed in {s}: {tally}"))
        stale = temp_files(self.out)
        # Age what the kills left past fsutil's FS_STALE_TEMP_S (60 s), as the next
        # morning's run would find them: the writer of each file then removes them.
        old = time.time() - 120
        for rel in stale:
            os.utime(os.path.join(self.out, rel), (old, old))

        # The clean rerun.
        p = pbtest.run(self.args, timeout=120)
        self.assertExit(p, 0)
        self.assertEqual(query(self.db, "PRAGMA integrity_check"), [("ok",)], self.msg())
        self.assertEqual(self.translations(), PAPERS, self.msg())
        requests = self.llm.stats()["requests"]
        translate_kills = tally["translate"]
        self.assertLessEqual(requests, PAPERS + JOBS * translate_kills,
                             self.msg(f"{requests} LLM requests paid for {PAPERS} papers and "
                                      f"{translate_kills} kills during translate\n{p.stderr}"))
        self.assertGreaterEqual(requests, PAPERS, self.msg())
        for rel in (f"newsletters/{DAY}_daily_paper.md", f"newsletters/{DAY}_daily_paper.html",
                    f"audio/{DAY}_daily_papers.mp3", "feed/podcast.xml", "site/index.html"):
            path = os.path.join(self.out, rel)
            self.assertTrue(os.path.exists(path) and os.path.getsize(path) > 0, self.msg(rel))
        self.assertEqual(query(self.db, "SELECT count(*) FROM audio WHERE date=?", (DAY,)), [(1,)])
        # Deliveries: a stalled message still arrives after the kill; wait it out.
        time.sleep(0.5)
        for token, name in ((TOKEN_A, "alpha"), (TOKEN_B, "beta")):
            n = self.sink.count(token)
            self.assertGreaterEqual(n, 1, self.msg(f"{name} never got the edition"))
            self.assertLessEqual(n, 1 + in_send, self.msg(f"{name} got it {n} times, "
                                                          f"{in_send} kills during send"))
        self.assertEqual(pbtest.query(self.db, "SELECT count(*) FROM deliveries WHERE status != 'sent'"),
                         [(0,)], self.msg())
        # The clean run leaves no temporary file of its own, and the ones the kills left
        # (a partial MP3 copy in the site among them) are gone: each kill once left one for
        # good, under a new name, to be published with the site.
        self.assertEqual(temp_files(self.out), [], self.msg(f"stale before the clean run: {stale}"))
        for line in p.stdout.split():
            self.assertFalse(TEMP_RX.match(os.path.basename(line)), self.msg(line))
        # A rerun on top pays nothing and sends nothing.
        sent = (self.sink.count(TOKEN_A), self.sink.count(TOKEN_B))
        p2 = pbtest.run(self.args, timeout=120)
        self.assertExit(p2, 0)
        self.assertEqual(self.llm.stats()["requests"], requests)
        self.assertEqual((self.sink.count(TOKEN_A), self.sink.count(TOKEN_B)), sent)
        took = time.monotonic() - started
        print(f"\n[seed {self.seed}] {kills} kills: {tally}; {requests} LLM requests for {PAPERS} papers; "
              f"stale temp files {stale}; {took:.1f} s", flush=True)


class OutputsDiskFullTest(pbtest.PaperboyTestCase):
    def test_full_disk_under_the_outputs_keeps_the_previous_edition(self):
        hf = self.fake_hf(synth={DAY: 8})
        llm = self.fake_llm()
        db = os.path.join(self.out, "paperboy.db")
        args = ["run", "--out", self.out, "--date", DAY, "--hf-url", hf.url, "--llm-url", llm.url]
        self.assertExit(pbtest.run(args), 0)
        # The edition's files are the run's failure (exit 1); the broadcast's a partial day
        # (exit 3: "no audio"), as `run --help` says.
        for part, name, code in (("newsletters/", f"{DAY}_daily_paper.md", 1),
                                 ("audio/", f"{DAY}_daily_papers.mp3", 3)):
            with self.subTest(part=part):
                # A new edition is due: the day's translations are asked for again (--force)
                # and paid, then the disk is full when the outputs are written.
                before = snapshot(self.out)
                llm.reset()
                p = pbtest.run(args + ["--force"], env=full_disk_env(part))
                self.assertExit(p, code)
                lines = [l for l in p.stderr.splitlines() if "cannot write" in l]
                self.assertTrue(lines, p.stderr)
                self.assertIn(name, lines[0])
                self.assertIn("No space left on device", lines[0])
                self.assertIn("hint: free some disk space", p.stderr)
                paid = llm.stats()["requests"]
                self.assertEqual(paid, 8, p.stderr)
                # The previous files byte for byte: nothing in the full folder was touched.
                after = snapshot(self.out)
                changed = sorted(k for k in before if k.startswith(part) and after.get(k) != before[k])
                self.assertEqual(changed, [], p.stderr)
                self.assertEqual(temp_files(self.out), [])
                self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])
                self.assertEqual(query(db, "SELECT count(*) FROM translations"), [(8,)])
                # With room again, the rerun pays nothing and writes the edition.
                llm.reset()
                p = pbtest.run(args)
                self.assertExit(p, 0)
                self.assertEqual(llm.stats()["requests"], 0, p.stderr)
                self.assertTrue(os.path.getsize(os.path.join(self.out, part, name)) > 0)
                self.assertEqual(temp_files(self.out), [])


class SigtermRunTest(pbtest.PaperboyTestCase):
    # test_signals covers SIGINT in `translate` and SIGTERM in a hung fetch of `run`;
    # this is SIGTERM in the translate stage of `run`.
    def test_sigterm_during_translate_of_a_run_keeps_the_answers(self):
        n, jobs = 10, 2
        hf = self.fake_hf(synth={DAY: n})
        llm = self.fake_llm(latency=0.6)
        db = os.path.join(self.out, "paperboy.db")
        args = ["run", "--no-audio", "--out", self.out, "--date", DAY, "--hf-url", hf.url,
                "--llm-url", llm.url, "--jobs", jobs]
        p = Proc(args)
        self.addCleanup(p.finish)
        deadline = time.monotonic() + 20
        while llm.stats()["answered"] < 2:
            self.assertLess(time.monotonic(), deadline, p.stderr)
            self.assertIsNone(p.proc.poll(), p.stderr)
            time.sleep(0.02)
        p.proc.send_signal(signal.SIGTERM)
        rc = p.proc.wait(10)
        p.finish()
        self.assertEqual(rc, 130, p.stderr)
        self.assertIn("interrupted", p.stderr)
        stats = llm.stats()
        self.assertEqual(stats["in_flight"], 0, "paperboy exited before the answers in flight came")
        kept = query(db, "SELECT count(*) FROM translations")[0][0]
        self.assertEqual(kept, stats["answered"], p.stderr)
        self.assertLess(kept, n)
        self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(query(db, "SELECT status FROM runs WHERE command='translate'"),
                         [("interrupted",)])
        self.assertFalse(os.path.exists(os.path.join(self.out, "newsletters", f"{DAY}_daily_paper.md")))
        llm.reset()
        llm.set_latency(0)
        r = pbtest.run(args)
        self.assertExit(r, 0)
        self.assertEqual(llm.stats()["requests"], n - kept, r.stderr)
        self.assertEqual(query(db, "SELECT count(*) FROM translations"), [(n,)])


if __name__ == "__main__":
    pbtest.main()
