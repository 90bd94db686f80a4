#!/usr/bin/env python3
"""Insights and pictures through the CLI: 热门领域, stats, word cloud, chart, poster."""
import json
import os
import struct
import zlib

import pbtest
from pbtest import read_text


def png_size(path):
    """Width and height from a PNG's IHDR, after checking the signature and the CRC."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    crc = struct.unpack(">I", data[16 + length:20 + length])[0]
    assert crc == zlib.crc32(data[12:16 + length]) & 0xFFFFFFFF, f"{path}: bad IHDR CRC"
    assert data.endswith(b"IEND\xaeB`\x82"), f"{path} is cut short"
    return struct.unpack(">II", data[16:24])


class PicturesTest(pbtest.PaperboyTestCase):
    def demo(self, out):
        p = pbtest.run(["demo", "--out", out])
        self.assertExit(p, 0)
        return p

    def test_demo_makes_every_picture(self):
        p = self.demo(self.out)
        cloud = os.path.join(self.out, "images", "2025-12-26_keywords_wordcloud.png")
        chart = os.path.join(self.out, "images", "2025-12-26_daily_papers.png")
        poster = os.path.join(self.out, "posters", "2025-12-26_poster.png")
        self.assertEqual(png_size(cloud), (1200, 675))
        self.assertEqual(png_size(chart), (1200, 600))
        w, h = png_size(poster)
        self.assertEqual(w, 1080)
        self.assertGreater(h, 1500)  # seven cards
        # Not blank: a real picture compresses to far more than a flat colour does.
        for path in (cloud, chart, poster):
            self.assertGreater(os.path.getsize(path), 20000, path)
        # The newsletter links the pictures of its own date.
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertIn("](../images/2025-12-26_keywords_wordcloud.png)", md)
        self.assertIn("](../images/2025-12-26_daily_papers.png)", md)
        self.assertIn("强化学习 ", p.stderr.replace("(", " "))

    def test_same_input_same_bytes(self):
        a, b = os.path.join(self.tmp, "a"), os.path.join(self.tmp, "b")
        self.demo(a)
        self.demo(b)
        for rel in ("images/2025-12-26_keywords_wordcloud.png", "images/2025-12-26_daily_papers.png",
                    "posters/2025-12-26_poster.png", "stats/2025-12-26_stats.json"):
            with open(os.path.join(a, rel), "rb") as f1, open(os.path.join(b, rel), "rb") as f2:
                self.assertEqual(f1.read(), f2.read(), rel)

    def test_stats_and_hot_topics(self):
        self.demo(self.out)
        stats = json.load(open(os.path.join(self.out, "stats", "2025-12-26_stats.json")))
        self.assertEqual(stats["date"], "2025-12-26")
        self.assertEqual(stats["papers"], 7)
        names = [a["name"] for a in stats["areas"]]
        self.assertIn("强化学习", names[:3])
        counts = [a["papers"] for a in stats["areas"]]
        self.assertEqual(counts, sorted(counts, reverse=True))
        words = [k["word"] for k in stats["keywords"]]
        self.assertIn("强化学习", words)
        self.assertNotIn("标题", words)
        self.assertNotIn("摘要", words)
        self.assertEqual(len(stats["daily_counts"]), 30)
        self.assertEqual(stats["daily_counts"][-1], {"date": "2025-12-26", "papers": 7})
        # The demo ships the month before its day: fetched days with their counts, and quiet
        # weekends fetched and empty (zeros, not gaps); no day of the window was never fetched.
        counts = {d["date"]: d["papers"] for d in stats["daily_counts"]}
        self.assertEqual(counts["2025-11-27"], 8)
        self.assertEqual(counts["2025-12-25"], 13)
        for weekend in ("2025-11-29", "2025-11-30", "2025-12-20", "2025-12-21"):
            self.assertEqual(counts[weekend], 0, weekend)
        self.assertNotIn(None, counts.values())
        self.assertEqual(sum(counts.values()), 374)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        hot = [l for l in md.split("\n") if l.startswith("- 热门领域：")][0]
        expect = "、".join(f"{a['name']}({a['papers']})" for a in stats["areas"][:5])
        self.assertEqual(hot, "- 热门领域：" + expect)

    def test_window_stats_read_the_stored_insights(self):
        # The demo stores its month; its days (untranslated) have no insights stored until
        # the first reader of a window (here the demo's site, over every day) computes them
        # once. The window's areas are the stored per-paper areas summed.
        demo = pbtest.run(["demo", "--out", self.out, "--no-audio"])
        self.assertExit(demo, 0)
        self.assertRegex(demo.stderr, r"computing the insights of \d+ days once")
        db = os.path.join(self.out, "paperboy.db")
        args = ["stats", "--out", self.out, "--date", "2025-12-26", "--days", "30", "--top", "10"]
        first = pbtest.run(args)
        self.assertExit(first, 0)
        self.assertNotIn("computing the insights of", first.stderr)
        lines = first.stdout.splitlines()
        self.assertEqual(lines[0], "keyword\tcount")
        self.assertEqual(len(lines), 11)
        stored = pbtest.query(db, "SELECT area, count(*) FROM paper_areas WHERE date BETWEEN "
                                  "'2025-11-27' AND '2025-12-26' GROUP BY area ORDER BY 2 DESC, 1")
        self.assertGreater(len(stored), 3)
        window = json.load(open(os.path.join(self.out, "stats", "2025-12-26_last_30d.json")))
        self.assertEqual(window["papers"], pbtest.query(
            db, "SELECT sum(paper_count) FROM days WHERE date BETWEEN '2025-11-27' AND '2025-12-26'")[0][0])
        # Every day the window holds (21 of the month and the demo day) now has stored insights.
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM day_insights WHERE lang='zh-CN' "
                                          "AND date BETWEEN '2025-11-27' AND '2025-12-26'"), [(22,)])
        top_area, top_papers = stored[0]
        self.assertIn(f"{top_area}({top_papers})", first.stderr)
        # Again: read, not computed; the same answer.
        second = pbtest.run(args)
        self.assertExit(second, 0)
        self.assertNotIn("computing the insights of", second.stderr)
        self.assertEqual(second.stdout, first.stdout)

    def test_chart_reads_the_archive_window(self):
        hf = self.fake_hf(synth={"2026-01-05": 12, "2026-01-06": 30})
        for date in ("2025-12-26", "2026-01-05", "2026-01-06"):
            self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", date, "--hf-url", hf.url]), 0)
        # A quiet Sunday: fetched, no papers. The chart draws it as a zero, not as never fetched.
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2026-01-04", "--hf-url", hf.url]), 4)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2026-01-06"]), 0)
        stats = json.load(open(os.path.join(self.out, "stats", "2026-01-06_stats.json")))
        known = {d["date"]: d["papers"] for d in stats["daily_counts"] if d["papers"] is not None}
        self.assertEqual(known, {"2025-12-26": 7, "2026-01-04": 0, "2026-01-05": 12, "2026-01-06": 30})
        self.assertEqual(png_size(os.path.join(self.out, "images", "2026-01-06_daily_papers.png")), (1200, 600))
        # Each day keeps its own pictures: rendering a later day does not touch an earlier one's.
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2026-01-05"]), 0)
        self.assertTrue(os.path.exists(os.path.join(self.out, "images", "2026-01-06_daily_papers.png")))
        self.assertTrue(os.path.exists(os.path.join(self.out, "images", "2026-01-05_daily_papers.png")))

    def test_fifty_paper_day_poster_lists_ten_and_the_rest(self):
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2026-05-12", "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2026-05-12"]), 0)
        w, h = png_size(os.path.join(self.out, "posters", "2026-05-12_poster.png"))
        self.assertEqual(w, 1080)
        self.assertGreater(h, 3000)  # ten cards and "另有 40 篇"


if __name__ == "__main__":
    pbtest.main()
