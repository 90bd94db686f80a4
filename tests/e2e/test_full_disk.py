#!/usr/bin/env python3
"""A full disk: a clear error, the previous files kept, the archive intact."""
import json
import os
import subprocess
import time

import pbtest
from pbtest import archive_dump, query, read_text


def leftovers(directory):
    """Temporary files left in directory: the writer's hidden .NAME.XXXXXX, or an old-style NAME.tmp.PID."""
    return [n for n in os.listdir(directory) if n.startswith(".") or ".tmp" in n]


def full_disk_env(path_part, flag=None):
    lib = os.environ.get("PB_ENOSPC_LIB")
    if not lib or not os.path.exists(lib):
        raise RuntimeError("PB_ENOSPC_LIB is not set: run through ctest, which builds tests/faults/enospc.c")
    asan = os.environ.get("ASAN_OPTIONS", "")
    # The injector is not instrumented; under ASan it is preloaded ahead of the runtime.
    env = {"LD_PRELOAD": lib, "PB_ENOSPC_PATH": path_part,
           "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}
    if flag:
        env["PB_ENOSPC_FLAG"] = flag  # the disk is full only while this file exists
    return env


class FullDiskTest(pbtest.PaperboyTestCase):
    def test_render_on_a_full_disk_keeps_the_previous_edition(self):
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)
        md = os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md")
        before = read_text(md)
        p = pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"], env=full_disk_env("newsletters/"))
        self.assertExit(p, 1)
        self.assertIn("cannot write", p.stderr)
        self.assertIn("2025-12-26_daily_paper.md", p.stderr)
        self.assertIn("No space left on device", p.stderr)
        self.assertIn("hint: free some disk space", p.stderr)
        self.assertEqual(read_text(md), before)
        self.assertEqual(leftovers(os.path.dirname(md)), [])

    def test_pictures_and_report_on_a_full_disk(self):
        hf = self.fake_hf()
        p = pbtest.run(["run", "--no-translate", "--no-audio", "--out", self.out, "--date", "2025-12-26",
                        "--hf-url", hf.url], env=full_disk_env("images/"))
        self.assertExit(p, 1)
        self.assertIn("No space left on device", p.stderr)
        self.assertEqual(leftovers(os.path.join(self.out, "images")), [])
        # The archive kept the fetched day; a later run with room finishes the edition.
        self.assertEqual(query(os.path.join(self.out, "paperboy.db"), "SELECT count(*) FROM day_papers"), [(7,)])
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)

    def test_archive_on_a_full_disk(self):
        hf = self.fake_hf()
        db = os.path.join(self.out, "paperboy.db")
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-01-23", "--hf-url", hf.url]), 0)
        before = archive_dump(db)
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url],
                       env=full_disk_env("paperboy.db"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("paperboy.db", p.stderr)
        self.assertIn("No space left on device", p.stderr)
        self.assertIn("hint: the disk is full; free space and run again (nothing was lost)", p.stderr)
        self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(archive_dump(db), before)
        # With room again, the same fetch works.
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)

    def test_translations_paid_for_survive_a_full_disk_for_pictures(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        p = pbtest.run(["run", "--no-audio", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--llm-url", llm.url], env=full_disk_env("posters/"))
        self.assertExit(p, 1)
        self.assertEqual(query(os.path.join(self.out, "paperboy.db"), "SELECT count(*) FROM translations"), [(7,)])
        llm.reset()
        p = pbtest.run(["run", "--no-audio", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--llm-url", llm.url])
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], 0)  # nothing paid twice
        report = json.load(open(os.path.join(self.out, "reports", "2025-12-26_run.json")))
        self.assertEqual(report["stages"]["translate"]["cached"], 7)

    def test_archive_full_mid_translate_stops_paying(self):
        # Issue 13, finding 1: the archive could not store an answer, yet every paper of the
        # day was still requested (and paid for), and the hint said "nothing was lost".
        n, jobs, latency = 20, 2, 0.3
        date = "2026-01-05"
        hf = self.fake_hf(synth={date: n})
        db = os.path.join(self.out, "paperboy.db")
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", date, "--hf-url", hf.url]), 0)
        llm = self.fake_llm(latency=latency)
        flag = os.path.join(self.out, "disk-is-full")
        args = ["translate", "--out", self.out, "--date", date, "--llm-url", llm.url, "--jobs", str(jobs)]
        proc = subprocess.Popen([pbtest.PAPERBOY] + args, env=pbtest.clean_env(full_disk_env("paperboy.db", flag)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # The disk fills after a few answers are stored.
            deadline = time.monotonic() + 20
            while llm.stats()["answered"] < 3 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.01)
            open(flag, "w").close()
            _, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertNotIn(proc.returncode, (0, 3), stderr)
        kept = query(db, "SELECT count(*) FROM translations")[0][0]
        requests = llm.stats()["requests"]
        self.assertGreater(kept, 0, stderr)
        self.assertLess(kept, n)
        # Nothing new starts once an answer cannot be stored: at most the requests in flight
        # then (the one that failed included) are lost.
        self.assertLessEqual(requests, kept + jobs, stderr)
        self.assertIn("store translation: database or disk is full", stderr)
        self.assertNotIn("nothing was lost", stderr)
        self.assertIn("the disk is full", stderr)
        self.assertRegex(stderr, r"\d+ paid answers? (was|were) lost")
        self.assertIn(f"{kept} of {n} papers are kept", stderr)
        self.assertIn("free space and run again", stderr)
        self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])

        # Space freed: the rerun pays only for the papers that were not kept.
        os.remove(flag)
        llm.reset()
        llm.set_latency(0)
        p = pbtest.run(args, env=full_disk_env("paperboy.db", flag))
        self.assertExit(p, 0)
        self.assertEqual(llm.stats()["requests"], n - kept, p.stderr)
        self.assertEqual(query(db, "SELECT count(*) FROM translations"), [(n,)])


if __name__ == "__main__":
    pbtest.main()
