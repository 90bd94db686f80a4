#!/usr/bin/env python3
"""paperboy import: an old bot's repository moves over with its history."""
import os
import shutil

import pbtest
from pbtest import archive_dump, query, read_text


class ImportTest(pbtest.PaperboyTestCase):
    def make_repo(self):
        repo = os.path.join(self.tmp, "oldbot")
        meta = os.path.join(repo, "Paper_metadata_download")
        os.makedirs(meta)
        src = os.path.join(pbtest.FIXTURES, "hf-api")
        for date in ("2024-05-27", "2025-01-23", "2025-12-26", "2026-05-12"):
            shutil.copy(os.path.join(src, f"{date}.json"), meta)
        # Broken as found in the old bot's archive.
        shutil.copy(os.path.join(src, "malformed-python-repr.json"), os.path.join(meta, "2024-12-17.json"))
        shutil.copy(os.path.join(src, "malformed-status-wrapper.json"), os.path.join(meta, "2025-01-10.json"))
        open(os.path.join(meta, "README.txt"), "w").close()
        for date in ("2025-01-23", "2025-12-26"):
            pbtest.write_oldbot_translations(repo, date)
        return repo

    @property
    def db(self):
        return os.path.join(self.out, "paperboy.db")

    def test_imports_history_and_reports_malformed_files(self):
        repo = self.make_repo()
        p = pbtest.run(["import", repo, "--out", self.out])
        self.assertExit(p, 3)  # partial: two files could not be read
        self.assertIn("Paper_metadata_download/2024-12-17.json", p.stderr)
        self.assertIn("Python repr", p.stderr)
        self.assertIn("Paper_metadata_download/2025-01-10.json", p.stderr)
        self.assertIn("wrapper", p.stderr)
        self.assertIn("2 malformed files skipped", p.stderr)
        days = query(self.db, "SELECT date, paper_count FROM days ORDER BY date")
        self.assertEqual(days, [("2024-05-27", 13), ("2025-01-23", 5), ("2025-12-26", 7), ("2026-05-12", 50)])
        self.assertEqual(query(self.db, "SELECT count(*) FROM translations"), [(12,)])
        self.assertEqual(query(self.db, "SELECT count(*) FROM raw_responses WHERE source LIKE 'import:%'"), [(4,)])
        # Labels never reach stored text.
        rows = query(self.db, "SELECT title_zh, abstract_zh FROM translations")
        for title, abstract in rows:
            self.assertNotIn("标题", title[:3])
            self.assertFalse(abstract.startswith("摘要"))

        # Importing twice changes nothing.
        before = archive_dump(self.db, skip=())
        p = pbtest.run(["import", repo, "--out", self.out])
        self.assertExit(p, 3)
        self.assertIn("(0 changed the archive, 0 papers new to their day), 12 translations (0 new", p.stderr)
        self.assertEqual(archive_dump(self.db, skip=()), before)

        # An imported day renders like a fetched one: the golden edition.
        self.assertExit(pbtest.run(["speak", "--out", self.out, "--date", "2025-01-23"]), 0)
        p = pbtest.run(["render", "--out", self.out, "--date", "2025-01-23", "--config", self.old_bot_config()])
        self.assertExit(p, 0)
        md = read_text(os.path.join(self.out, "newsletters", "2025-01-23_daily_paper.md"))
        self.assertEqual(md, read_text(os.path.join(pbtest.GOLDEN, "2025-01-23_daily_paper.md")))

    def test_clean_repository_imports_fully(self):
        repo = self.make_repo()
        meta = os.path.join(repo, "Paper_metadata_download")
        os.remove(os.path.join(meta, "2024-12-17.json"))
        os.remove(os.path.join(meta, "2025-01-10.json"))
        p = pbtest.run(["import", repo, "--out", self.out])
        self.assertExit(p, 0)
        self.assertIn("imported 4 day files", p.stderr)

    def test_translations_without_their_day_are_reported(self):
        repo = os.path.join(self.tmp, "oldbot")
        pbtest.write_oldbot_translations(repo, "2025-12-26")
        p = pbtest.run(["import", repo, "--out", self.out])
        self.assertExit(p, 0)
        self.assertIn("7 translations (0 new, 7 without their paper)", p.stderr)

    def test_not_an_old_bot_repository(self):
        p = pbtest.run(["import", self.tmp, "--out", self.out])
        self.assertExit(p, 2)
        self.assertIn("has neither Paper_metadata_download/ nor HF-day-paper-deepseek/", p.stderr)

    def test_missing_argument(self):
        p = pbtest.run(["import"])
        self.assertExit(p, 2)
        self.assertIn("missing argument", p.stderr)


if __name__ == "__main__":
    pbtest.main()
