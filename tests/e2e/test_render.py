#!/usr/bin/env python3
"""The newsletter: golden Markdown in the reference layout, HTML, hostile input."""
import json
import os
import re
import shutil

import pbtest
from pbtest import read_text

REFERENCE = os.path.join(pbtest.FIXTURES, "reference")

# The only lines where our edition may differ from the one we replace:
#  - 热门领域 (the old bot's substring matching is not reproduced),
#  - picture paths are per date (the old bot overwrote one file every day),
#  - 代码链接 lines the old template meant to print and never did,
#  - 原文标题 with the arXiv line wrap normalised (2025-01-23).
ALLOWED = re.compile(r"^(- 热门领域：.*|!\[关键词云图\]\(.*\)|!\[论文趋势\]\(.*\)|\*\*代码链接：\*\* .*)$")


def normalise_reference(text):
    """The reference with its original titles' line wraps joined, as the API data is normalised."""
    return re.sub(r"(\*\*原文标题：\*\* [^\n]*)\n  (\S)", r"\1 \2", text)


class RenderTest(pbtest.PaperboyTestCase):
    def edition(self, date, translations=True):
        self.archive_day(date, translations)
        if translations:
            # The broadcast, so the edition links it as the real one does.
            self.assertExit(pbtest.run(["speak", "--out", self.out, "--date", date]), 0)
        p = pbtest.run(["render", "--out", self.out, "--date", date, "--config", self.old_bot_config()])
        self.assertExit(p, 0)
        md_path = os.path.join(self.out, "newsletters", f"{date}_daily_paper.md")
        html_path = os.path.join(self.out, "newsletters", f"{date}_daily_paper.html")
        self.assertEqual(p.stdout.split(), [md_path, html_path] + [
            os.path.join(self.out, f) for f in (f"images/{date}_keywords_wordcloud.png",
                                                f"images/{date}_daily_papers.png",
                                                f"posters/{date}_poster.png", f"stats/{date}_stats.json")])
        return read_text(md_path), read_text(html_path)

    def check_golden(self, date):
        md, _ = self.edition(date)
        golden_path = os.path.join(pbtest.GOLDEN, f"{date}_daily_paper.md")
        if os.environ.get("PB_UPDATE_GOLDEN"):
            with open(golden_path, "w", encoding="utf-8", newline="") as f:
                f.write(md)
        golden = read_text(golden_path)
        self.assertEqual(md, golden, "output differs from the golden file; review with "
                         "PB_UPDATE_GOLDEN=1 and git diff")
        # The golden file itself may differ from the real edition only on the allowed lines.
        ours = [l for l in golden.split("\n") if not l.startswith("**代码链接：**")]
        ref = normalise_reference(read_text(os.path.join(REFERENCE, f"{date}_daily_paper.md"))).split("\n")
        self.assertEqual(len(ours), len(ref))
        for a, b in zip(ours, ref):
            if a != b:
                self.assertRegex(a, ALLOWED)
                self.assertRegex(b, ALLOWED)
        return md

    def test_golden_2025_12_26(self):
        md = self.check_golden("2025-12-26")
        self.assertIn("![关键词云图](../images/2025-12-26_keywords_wordcloud.png)", md)
        self.assertIn("![论文趋势](../images/2025-12-26_daily_papers.png)", md)
        self.assertIn("- [收听今日论文解读](../audio/2025-12-26_daily_papers.mp3)", md)
        self.assertEqual(md.count("**代码链接：** [GitHub]("), 3)
        self.assertIn("**代码链接：** [GitHub](https://github.com/Lil-Shake/VA-Pi)", md)

    def test_golden_2025_01_23(self):
        md = self.check_golden("2025-01-23")
        self.assertIn("**原文标题：** FilmAgent: A Multi-Agent Framework for End-to-End Film "
                      "Automation in Virtual 3D Spaces\n", md)

    def test_untranslated_papers_render_in_english(self):
        md, _ = self.edition("2025-12-26", translations=False)
        # No broadcast was made: the edition says so instead of linking a missing file.
        self.assertIn("## 🎙️ 语音播报\n- 今日暂无语音播报\n", md)
        html = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.html"))
        self.assertNotIn("<audio", html)
        self.assertIn("### 1. Latent Implicit Visual Reasoning\n", md)
        self.assertIn("**摘要：**\nWhile Large Multimodal Models (LMMs)", md)

    def test_html_page(self):
        _, html = self.edition("2025-12-26")
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn('<meta name="viewport"', html)
        self.assertIn("prefers-color-scheme: dark", html)
        self.assertIn("Noto Sans CJK SC", html)
        self.assertIn("<title>Hugging Face 2025-12-26 论文日报</title>", html)
        self.assertIn('<h3 id="2512.21218">1. 潜在隐式视觉推理</h3>', html)
        self.assertIn('<a href="https://arxiv.org/abs/2512.21218">arXiv</a>', html)
        self.assertNotIn("raw HTML omitted", html)
        # Nothing from another host: the logo is inline SVG with a label, the favicon a data: URI.
        self.assertNotIn("hf-logo.png", html)
        self.assertRegex(html, r'<h1><svg class="logo" role="img" aria-label="Hugging Face 标志"[^>]*>'
                         r'<title>Hugging Face 标志</title>')
        self.assertIn('<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,%3Csvg', html)
        self.assertEqual(re.findall(r'\b(?:src|href)="(?!https://(?:huggingface\.co|arxiv\.org|github\.com)/)'
                                    r'(?!\.\./)(?!#)(?!data:)([^"]*)"', html), [])
        # Each picture opens full size; the poster is shown and is the preview image.
        self.assertIn('<a href="../images/2025-12-26_keywords_wordcloud.png">'
                      '<img src="../images/2025-12-26_keywords_wordcloud.png" alt="关键词云图" /></a>', html)
        self.assertIn('<a href="../images/2025-12-26_daily_papers.png">'
                      '<img src="../images/2025-12-26_daily_papers.png" alt="论文趋势" /></a>', html)
        self.assertIn('<img src="../posters/2025-12-26_poster.png" alt="Hugging Face 2025-12-26 论文日报海报" />', html)
        self.assertIn('<meta property="og:image" content="../posters/2025-12-26_poster.png">', html)
        self.assertIn('<meta property="og:title" content="Hugging Face 2025-12-26 论文日报">', html)
        self.assertIn('<meta property="og:description" content="Hugging Face 2025-12-26 论文日报：7 篇论文', html)
        # One control for the broadcast, showing its duration before play.
        self.assertEqual(html.count('<audio '), 1)
        self.assertIn('<audio class="broadcast" controls preload="metadata" '
                      'src="../audio/2025-12-26_daily_papers.mp3">', html)
        self.assertEqual(len(re.findall(r'href="\.\./audio/', html)), 1)  # only the fallback inside <audio>
        # Jump links: one per paper, each to its heading.
        toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
        # Each paper is anchored by its arXiv id, the same anchor the site's pages use.
        anchors = re.findall(r'href="#(\d+\.\d+)"', toc)
        self.assertEqual(len(anchors), 7)
        self.assertEqual(re.findall(r'<h3 id="(\d+\.\d+)">', html), anchors)
        self.assertEqual(anchors[0], "2512.21218")
        # A lone day in the archive: no previous/next links.
        self.assertNotIn('class="days"', html)

    def test_html_previous_and_next_editions(self):
        # Three days in the archive: 2025-12-24 and 2025-12-26 (one fixture under two dates), and
        # 2025-01-23, too far back (over a month) to be 2025-12-24's previous edition.
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        for date, src in (("2025-12-24", "2025-12-26"), ("2025-12-26", "2025-12-26"), ("2025-01-23", "2025-01-23")):
            shutil.copy(os.path.join(pbtest.FIXTURES, "hf-api", f"{src}.json"), os.path.join(fixtures, f"{date}.json"))
        hf = self.fake_hf(fixtures_dir=fixtures)
        for date in ("2025-01-23", "2025-12-24", "2025-12-26"):
            self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", date, "--hf-url", hf.url]), 0)

        def render(date, *extra):
            self.assertExit(pbtest.run(["render", "--out", self.out, "--date", date, *extra]), 0)
            return read_text(os.path.join(self.out, "newsletters", f"{date}_daily_paper.html"))

        html = render("2025-12-24")
        self.assertNotIn('class="days"', html)  # no edition of 12-26 yet, 01-23 is too far
        html = render("2025-12-26")
        self.assertIn('<a class="prev" rel="prev" href="2025-12-24_daily_paper.html">← 上一期 2025-12-24</a>', html)
        self.assertNotIn('rel="next"', html)
        html = render("2025-12-24")
        self.assertIn('<a class="next" rel="next" href="2025-12-26_daily_paper.html">下一期 2025-12-26 →</a>', html)
        self.assertNotIn('rel="prev"', html)
        # The Markdown never has them.
        self.assertNotIn("上一期", read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md")))
        # With a published base URL the preview image is absolute.
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[feed]\nbase_url = https://example.com/daily/\n")
        html = render("2025-12-26", "--config", cfg)
        self.assertIn('<meta property="og:image" content="https://example.com/daily/posters/2025-12-26_poster.png">',
                      html)

    def test_hostile_strings_are_inert(self):
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        api = json.load(open(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")))
        hostile = [
            ("<script>alert(1)</script>", "<img src=x onerror=alert(1)> abstract"),
            ("[x](javascript:alert(1))", "[click](javascript:alert(2)) and <a href='javascript:x'>y</a>"),
            ("**bold** title\n# not a heading\n---", "1. not a list\n\n## nor a heading\n```\ncode\n```"),
            ("`code` _it_ ~~strike~~ | pipe &amp; entity", "> quote\n=====\n<!-- comment -->"),
        ]
        for entry, (title, summary) in zip(api, hostile):
            entry["paper"]["title"] = entry["title"] = title
            entry["paper"]["summary"] = entry["summary"] = summary
        api[0]["paper"]["githubRepo"] = "javascript:alert(3)"
        api[1]["paper"]["githubRepo"] = "https://github.com/a/b)<script>"
        json.dump(api, open(os.path.join(fixtures, "2025-12-26.json"), "w"))
        hf = self.fake_hf(fixtures_dir=fixtures)
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        html = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.html"))
        # The layout holds: seven papers, seven separators, every section once (no 订阅渠道:
        # the default config lists no channel).
        self.assertEqual(len(re.findall(r"^### \d+\. ", md, re.M)), 7)
        self.assertEqual(len(re.findall(r"^---$", md, re.M)), 7)
        self.assertEqual(len(re.findall(r"^\*\*原文标题：\*\* ", md, re.M)), 7)
        self.assertEqual(len(re.findall(r"^## ", md, re.M)), 5)
        self.assertNotIn("javascript:alert(3)", md)
        self.assertIn("https://github.com/a/b%29%3Cscript%3E", md)
        # In HTML nothing executes: no script, no handler, no javascript: link, no raw HTML.
        body = html.split("<main", 1)[1]
        self.assertNotIn("<script", body)
        self.assertNotIn("<img src=x", body)
        self.assertNotRegex(body, r"<a\s[^>]*href=[\"']?javascript")
        self.assertIn("&lt;a href='javascript:x'&gt;y&lt;/a&gt;", body)  # shown as text
        self.assertNotIn("<!--", body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
        self.assertEqual(len(re.findall(r"<h3[ >]", body)), 7)
        self.assertEqual(len(re.findall(r"<h2>", body)), 5)  # the sections of the Markdown
        self.assertEqual(body.count("<hr />"), 7)
        self.assertNotIn("<strong>bold</strong>", body)
        self.assertNotIn("<blockquote>", body)
        self.assertNotIn("<ol", body)
        self.assertNotIn("<pre>", body)

    def test_render_needs_the_day_in_the_archive(self):
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        p = pbtest.run(["render", "--out", self.out, "--date", "2025-12-27"])
        self.assertExit(p, 4)
        self.assertIn("the archive has no papers for 2025-12-27", p.stderr)
        self.assertIn("hint: run 'paperboy fetch --date 2025-12-27' first", p.stderr)

    def test_channels_from_config(self):
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[channels]\n邮件 = 每日邮件 https://example.com/subscribe\nRSS = 订阅源 https://example.com/feed.xml\n")
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26", "--config", cfg]), 0)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertTrue(md.endswith("## 📱 订阅渠道\n- 邮件: [每日邮件](https://example.com/subscribe)\n"
                                    "- RSS: [订阅源](https://example.com/feed.xml)"), md[-300:])

    def test_no_channels_by_default(self):
        # The default config lists no 订阅渠道: the edition has no such section, and ends
        # with the broadcast's line instead of a heading over nothing.
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertNotIn("订阅渠道", md)
        self.assertNotIn("2404589803", md)
        self.assertTrue(md.endswith("## 🎙️ 语音播报\n- 今日暂无语音播报"), md[-200:])

    def test_output_is_written_whole_or_not_at_all(self):
        md, _ = self.edition("2025-12-26", translations=False)
        leftovers = [n for n in os.listdir(os.path.join(self.out, "newsletters")) if ".tmp" in n]
        self.assertEqual(leftovers, [])
        # A file where the newsletters directory should be: a clear error, nothing half-written.
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        open(os.path.join(other, "newsletters"), "w").close()
        p = pbtest.run(["render", "--out", other, "--db", os.path.join(self.out, "paperboy.db"),
                        "--date", "2025-12-26"])
        self.assertExit(p, 1)
        self.assertIn("newsletters", p.stderr)

    def test_run_summary_does_not_claim_a_failed_render(self):
        """run's one-line summary says "rendered N" only when the edition was written."""
        hf = self.fake_hf()
        other = os.path.join(self.tmp, "blocked")
        os.makedirs(other)
        open(os.path.join(other, "newsletters"), "w").close()
        p = pbtest.run(["run", "--out", other, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--no-translate", "--no-audio"])
        self.assertExit(p, 1)
        self.assertIn("not rendered", p.stderr)
        self.assertNotIn("rendered 7", p.stderr)


if __name__ == "__main__":
    pbtest.main()
