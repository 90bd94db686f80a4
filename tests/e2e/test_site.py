#!/usr/bin/env python3
"""The static site: every link resolves, the feeds parse, hostile titles stay inert,
nothing private is published, and a rebuild after one new day rewrites only what it
changes. (The browser's view of it, search included, is test_site_browser.py.)"""
import html.parser
import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import xml.etree.ElementTree as ET

import pbtest
from pbtest import read_text

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/papers/"
# Debian's interpreter: python3-feedparser is installed for it (the test runner may be another).
SYSTEM_PYTHON = "/usr/bin/python3"
FEEDPARSER = r"""
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")),
                  "title": d.feed.get("title"), "id": d.feed.get("id"),
                  "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
                               "updated": e.get("updated"),
                               "content": [c.value for c in e.get("content", [])]}
                              for e in d.entries]}, ensure_ascii=False))
"""


class Page(html.parser.HTMLParser):
    """The ids, links and resources of one page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.tags = set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if a.get(k) is not None:
                self.links.append((tag, k, a[k]))


def parse_pages(site):
    pages = {}
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(d, f)
                p = Page()
                p.feed(read_text(path))
                pages[os.path.relpath(path, site)] = p
    return pages


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def snapshot(site):
    """relpath -> (bytes, mtime_ns) of every file."""
    out = {}
    for d, _, files in os.walk(site):
        for f in files:
            path = os.path.join(d, f)
            st = os.stat(path)
            out[os.path.relpath(path, site)] = (read_bytes(path), st.st_mtime_ns)
    return out


def slugs():
    out = {}
    for line in read_text(os.path.join(os.path.dirname(pbtest.TESTS), "data", "site", "topics.tsv")).splitlines():
        if line.strip() and not line.startswith("#"):
            area, slug = line.rstrip("\n").split("\t")
            out[area] = slug
    return out


class SiteTest(pbtest.PaperboyTestCase):
    def config(self, extra=""):
        path = os.path.join(self.tmp, "site.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"[site]\nbase_url = {BASE}\n[feed]\nbase_url = {BASE}\n{extra}")
        return path

    def assertLinksResolve(self, site, pages):
        broken = []
        for rel, page in pages.items():
            for tag, attr, link in page.links:
                if link.startswith(("https://", "http://", "data:")):
                    continue
                u = urllib.parse.urlsplit(link)
                self.assertFalse(u.scheme or u.netloc or link.startswith("/"),
                                 f"{rel}: {link} is not a relative link")
                target = os.path.normpath(os.path.join(os.path.dirname(rel), urllib.parse.unquote(u.path))) \
                    if u.path else rel
                if not os.path.isfile(os.path.join(site, target)):
                    broken.append(f"{rel}: {tag} {attr}={link} (no {target})")
                elif u.fragment and target.endswith(".html") and u.fragment not in pages[target].ids:
                    broken.append(f"{rel}: {link} (no id {u.fragment} in {target})")
        self.assertEqual(broken, [])

    def test_demo_site(self):
        cfg = self.config()
        p = pbtest.run(["demo", "--out", self.out, "--lang", "zh-CN,zh-TW", "--config", cfg])
        self.assertExit(p, 0)
        site = os.path.join(self.out, "site")
        db = os.path.join(self.out, "paperboy.db")
        days = [d for (d,) in pbtest.query(db, "SELECT date FROM days WHERE paper_count > 0 ORDER BY date DESC")]
        self.assertGreater(len(days), 20)
        pages = parse_pages(site)
        # The layout: both languages, every day, a topic page per area, the site-wide files.
        for root in ("", "zh-TW/"):
            for name in ("index.html", "archive.html", "search.html", "search.json", "feed.xml",
                         "topics/index.html"):
                self.assertTrue(os.path.isfile(os.path.join(site, root + name)), root + name)
            for d in days:
                self.assertIn(f"{root}days/{d}.html", pages)
            for slug in slugs().values():
                self.assertIn(f"{root}topics/{slug}.html", pages)
        for name in ("404.html", "robots.txt", "sitemap.xml", "podcast.xml", "assets/site.css",
                     "assets/search.js", "audio/2025-12-26_daily_papers.mp3", "feed/cover.png",
                     "posters/2025-12-26_poster.png", "posters/2025-12-26_poster.zh-TW.png",
                     "images/2025-12-26_keywords_wordcloud.zh-TW.png"):
            self.assertTrue(os.path.isfile(os.path.join(site, name)), name)
        # Nothing private: no archive, no run report, nothing of OUT but the media.
        files = [os.path.relpath(os.path.join(d, f), site) for d, _, fs in os.walk(site) for f in fs]
        self.assertFalse([f for f in files if f.endswith((".db", ".db-wal", "_run.json")) or
                          f.startswith(("reports/", "stats/", "newsletters/"))])
        self.assertLinksResolve(site, pages)

        # Each page: its language, the feed discovered, no script but the search page's own,
        # nothing loaded from another host, and no absolute link but og:image.
        for rel, page in pages.items():
            text = read_text(os.path.join(site, rel))
            if rel == "404.html":
                continue
            self.assertRegex(text, r'<html lang="zh-(Hans|Hant|CN|TW)[^"]*"')
            self.assertIn('<link rel="alternate" type="application/atom+xml"', text)
            self.assertIn('<link rel="alternate" type="application/rss+xml"', text)
            scripts = [a.get("src") for t, a in page.tags if t == "script"]
            own = {"search.html": ["assets/search.js"], "zh-TW/search.html": ["../assets/search.js"]}
            self.assertEqual(scripts, own.get(rel, []), rel)
            for tag, attrs in page.tags:
                if tag in ("img", "audio", "script", "link", "source", "iframe"):
                    self.assertFalse((attrs.get("src") or attrs.get("href") or "").startswith(("http:", "https:")),
                                     f"{rel}: {tag} from another host")
                if tag == "meta" and attrs.get("content", "").startswith(BASE):
                    self.assertEqual(attrs.get("property"), "og:image", rel)
        # A paper is anchored by its arXiv id on its day page; the front page shows the latest day.
        self.assertIn("2512.21218", pages["days/2025-12-26.html"].ids)
        index = read_text(os.path.join(site, "index.html"))
        self.assertIn('<h3 id="2512.21218">1. 潜在隐式视觉推理</h3>', index)
        self.assertEqual(index.count('class="day-card"'), 14)
        day = read_text(os.path.join(site, "days", "2025-12-26.html"))
        self.assertIn('<audio class="broadcast" controls preload="metadata" '
                      'src="../audio/2025-12-26_daily_papers.mp3">', day)
        self.assertIn(f'<a class="prev" rel="prev" href="{days[1]}.html">', day)
        self.assertRegex(day, r'<a class="lang" hreflang="[^"]+" lang="[^"]+" '
                              r'href="\.\./zh-TW/days/2025-12-26\.html">繁體中文</a>')
        tw = read_text(os.path.join(site, "zh-TW", "days", "2025-12-26.html"))
        self.assertIn("潛在隱式視覺推理", tw)
        self.assertIn('src="../../audio/2025-12-26_daily_papers.mp3"', tw)
        # The archive lists every day by month with its count.
        archive = read_text(os.path.join(site, "archive.html"))
        for d, n in pbtest.query(db, "SELECT date, paper_count FROM days WHERE paper_count > 0"):
            self.assertIn(f'<a href="days/{d}.html"><span>{d[5:]}</span> <span class="n">{n} 篇</span></a>', archive)

        # The search index: every paper of every day, the fields the search page reads.
        index_json = json.loads(read_text(os.path.join(site, "search.json")))
        self.assertEqual(index_json["fields"], ["id", "date", "title", "title_en", "summary", "keywords",
                                                "areas", "authors"])
        total = pbtest.query(db, "SELECT sum(paper_count) FROM days")[0][0]
        self.assertEqual(len(index_json["papers"]), total)
        first = index_json["papers"][0]
        self.assertEqual(first[:3], ["2512.21218", "2025-12-26", "潜在隐式视觉推理"])
        self.assertTrue(first[4])  # its 一句话总结
        self.assertIn("多模态", first[6])
        tw_index = json.loads(read_text(os.path.join(site, "zh-TW", "search.json")))
        self.assertEqual(tw_index["papers"][0][2], "潛在隱式視覺推理")

        # Atom: parses as feed readers do, each entry has id, updated, title, link and content.
        feed_path = os.path.join(site, "feed.xml")
        root = ET.parse(feed_path).getroot()
        entries = root.findall(ATOM + "entry")
        self.assertEqual(len(entries), min(30, len(days)))
        for e, d in zip(entries, days):
            for child in ("id", "updated", "title", "content"):
                self.assertTrue((e.findtext(ATOM + child) or "").strip(), f"{d}: no {child}")
            self.assertEqual(e.find(ATOM + "link").get("href"), f"{BASE}days/{d}.html")
            self.assertEqual(e.findtext(ATOM + "updated"), f"{d}T08:00:00+08:00")
        self.assertIn("<h3 id=\"2512.21218\">", entries[0].findtext(ATOM + "content"))
        parsed = subprocess.run([SYSTEM_PYTHON, "-I", "-c", FEEDPARSER, feed_path], capture_output=True,
                                text=True)
        self.assertEqual(parsed.returncode, 0, parsed.stderr)
        fp = json.loads(parsed.stdout)
        self.assertFalse(fp["bozo"], fp["error"])
        self.assertEqual(len(fp["entries"]), len(entries))
        self.assertEqual(fp["entries"][0]["link"], f"{BASE}days/2025-12-26.html")
        self.assertIn("潜在隐式视觉推理", fp["entries"][0]["content"][0])
        # The podcast feed of the site links its own pages and media.
        podcast = ET.parse(os.path.join(site, "podcast.xml")).getroot()
        item = podcast.find("channel/item")
        self.assertEqual(item.findtext("link"), f"{BASE}days/2025-12-26.html")
        self.assertEqual(item.find("enclosure").get("url"), f"{BASE}audio/2025-12-26_daily_papers.mp3")
        # sitemap.xml: absolute URLs of every page under the base; robots.txt points to it.
        sm = ET.parse(os.path.join(site, "sitemap.xml")).getroot()
        locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sm]
        self.assertIn(f"{BASE}days/2025-12-26.html", locs)
        self.assertIn(f"{BASE}zh-TW/index.html", locs)
        self.assertTrue(all(u.startswith(BASE) for u in locs))
        self.assertIn(f"Sitemap: {BASE}sitemap.xml", read_text(os.path.join(site, "robots.txt")))

    def test_without_base_url_links_stay_relative(self):
        p = pbtest.run(["demo", "--out", self.out, "--no-audio"])
        self.assertExit(p, 0)
        site = os.path.join(self.out, "site")
        self.assertFalse(os.path.exists(os.path.join(site, "sitemap.xml")))
        self.assertFalse(os.path.exists(os.path.join(site, "podcast.xml")))  # no broadcast
        self.assertNotIn("Sitemap:", read_text(os.path.join(site, "robots.txt")))
        root = ET.parse(os.path.join(site, "feed.xml")).getroot()
        self.assertTrue(root.findtext(ATOM + "id").startswith("urn:uuid:"))
        e = root.find(ATOM + "entry")
        self.assertEqual(e.find(ATOM + "link").get("href"), "days/2025-12-26.html")
        self.assertRegex(e.findtext(ATOM + "id"), r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab]")
        self.assertLinksResolve(site, parse_pages(site))

    def test_incremental_rebuild(self):
        cfg = self.config()
        self.assertExit(pbtest.run(["demo", "--out", self.out, "--lang", "zh-CN,zh-TW", "--no-audio",
                                    "--config", cfg]), 0)
        site = os.path.join(self.out, "site")
        before = snapshot(site)
        # Nothing new: nothing is written, not even a timestamp.
        p = pbtest.run(["site", "--out", self.out, "--lang", "zh-CN,zh-TW", "--config", cfg])
        self.assertExit(p, 0)
        self.assertEqual(p.stdout.strip(), site)
        self.assertIn("(0 rewritten)", p.stderr)
        self.assertIn("(0 copied)", p.stderr)
        self.assertEqual(snapshot(site), before)

        # One new day, built by `run` as its last stage.
        hf = self.fake_hf(synth={"2025-12-29": 6})
        p = pbtest.run(["run", "--out", self.out, "--date", "2025-12-29", "--hf-url", hf.url,
                        "--no-translate", "--no-audio", "--lang", "zh-CN,zh-TW", "--config", cfg,
                        "--site-dir", site])
        self.assertExit(p, 0)
        after = snapshot(site)
        changed = {f for f in after if f not in before or after[f] != before[f]}
        db = os.path.join(self.out, "paperboy.db")
        areas = {a for (a,) in pbtest.query(db, "SELECT DISTINCT area FROM paper_areas WHERE date = '2025-12-29'")}
        self.assertTrue(areas)
        expected = set()
        for root, suffix in (("", ""), ("zh-TW/", ".zh-TW")):
            expected |= {root + f for f in ("days/2025-12-29.html", "days/2025-12-26.html", "index.html",
                                             "archive.html", "search.json", "feed.xml",
                                             "topics/index.html")}
            expected |= {f"{root}topics/{slugs()[a]}.html" for a in areas}
            expected |= {f"images/2025-12-29_keywords_wordcloud{suffix}.png",
                         f"images/2025-12-29_daily_papers{suffix}.png", f"posters/2025-12-29_poster{suffix}.png"}
        expected.add("sitemap.xml")
        self.assertEqual(sorted(changed), sorted(expected))
        # Unchanged files kept their bytes and their mtimes.
        for f in before:
            if f not in changed:
                self.assertEqual(after[f], before[f], f)

    def test_backfill_builds_the_site_once_at_the_end(self):
        hf = self.fake_hf(synth={"2026-01-05": 4, "2026-01-06": 5, "2026-01-07": 3})
        site = os.path.join(self.tmp, "public")
        p = pbtest.run(["backfill", "--from", "2026-01-05", "--to", "2026-01-07", "--out", self.out,
                        "--hf-url", hf.url, "--no-translate", "--no-audio", "--site-dir", site])
        self.assertExit(p, 0)
        db = os.path.join(self.out, "paperboy.db")
        self.assertEqual(pbtest.query(db, "SELECT date, status FROM runs WHERE command = 'site'"), [(None, "ok")])
        for d in ("2026-01-05", "2026-01-06", "2026-01-07"):
            self.assertTrue(os.path.isfile(os.path.join(site, "days", f"{d}.html")), d)
        index = read_text(os.path.join(site, "index.html"))
        self.assertEqual(index.count('class="day-card"'), 3)
        # run without a site folder builds none, and records no site stage.
        p = pbtest.run(["run", "--out", self.out, "--date", "2026-01-07", "--hf-url", hf.url,
                        "--no-translate", "--no-audio"])
        self.assertExit(p, 0)
        self.assertEqual(len(pbtest.query(db, "SELECT 1 FROM runs WHERE command = 'site'")), 1)
        self.assertFalse(os.path.exists(os.path.join(self.out, "site")))

    def test_hostile_titles_are_inert(self):
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        api = json.loads(read_text(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")))
        hostile = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                   "[x](javascript:alert(1)) \"quoted' &amp;", "</title><svg onload=alert(1)> \ufffe"]
        for entry, title in zip(api, hostile):
            entry["paper"]["title"] = entry["title"] = title
        with open(os.path.join(fixtures, "2025-12-26.json"), "w") as f:
            json.dump(api, f)
        hf = self.fake_hf(fixtures_dir=fixtures)
        p = pbtest.run(["run", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--no-translate", "--no-audio", "--site-dir", os.path.join(self.out, "site")])
        self.assertExit(p, 0)
        site = os.path.join(self.out, "site")
        pages = parse_pages(site)
        for rel, page in pages.items():
            text = read_text(os.path.join(site, rel))
            body = text.split("<body", 1)[1]
            self.assertNotIn("<img src=x", body, rel)
            self.assertNotIn("<svg onload", body, rel)
            self.assertNotRegex(body, r"<a\s[^>]*href=[\"']?javascript", rel)
            self.assertNotIn("<script>alert", body, rel)
            self.assertFalse([a for t, a in page.tags if any(k.startswith("on") for k in a)], rel)
        day = read_text(os.path.join(site, "days", "2025-12-26.html"))
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", day)
        index = read_text(os.path.join(site, "index.html"))
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", index)
        self.assertIn("<title>", index)
        # The index carries the title as a JSON string; the feed stays well-formed XML.
        papers = json.loads(read_text(os.path.join(site, "search.json")))["papers"]
        self.assertIn("<img src=x onerror=alert(1)>", [p[2] for p in papers])
        root = ET.parse(os.path.join(site, "feed.xml")).getroot()
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", root.find(ATOM + "entry").findtext(ATOM + "content"))

    def test_no_secret_reaches_the_site(self):
        secret = "sk-site-test-5ecr3t-key"
        hf = self.fake_hf()
        llm = self.fake_llm(require_key=secret)
        env = {"PAPERBOY_LLM_KEY": secret}
        p = pbtest.run(["run", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--llm-url", llm.url, "--no-audio", "--site-dir", os.path.join(self.out, "site")],
                       env=env)
        self.assertExit(p, 0)
        site = os.path.join(self.out, "site")
        self.assertTrue(os.path.isfile(os.path.join(site, "index.html")))
        for d, _, files in os.walk(site):
            for f in files:
                self.assertNotIn(secret.encode(), read_bytes(os.path.join(d, f)), f)
        self.assertFalse(os.path.exists(os.path.join(site, "paperboy.db")))

    def test_serve_previews_the_site(self):
        import signal
        import time
        import urllib.request
        self.assertExit(pbtest.run(["demo", "--out", self.out]), 0)
        proc = subprocess.Popen([pbtest.paperboy_bin(), "site", "--out", self.out, "--serve", "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=pbtest.clean_env())
        try:
            self.assertEqual(proc.stdout.readline().strip(), os.path.join(self.out, "site"))
            url = proc.stdout.readline().strip()
            self.assertRegex(url, r"^http://127\.0\.0\.1:\d+/$")
            with urllib.request.urlopen(url, timeout=5) as r:
                self.assertEqual(r.status, 200)
                self.assertIn("text/html", r.headers["Content-Type"])
                self.assertIn('<a class="brand" href="index.html">', r.read().decode())
            with urllib.request.urlopen(url + "search.json", timeout=5) as r:
                self.assertEqual(json.loads(r.read())["lang"], "zh-CN")
            req = urllib.request.Request(url + "audio/2025-12-26_daily_papers.mp3", headers={"Range": "bytes=0-9"})
            with urllib.request.urlopen(req, timeout=5) as r:
                self.assertEqual(r.status, 206)
                self.assertEqual(len(r.read()), 10)
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(url + "paperboy.db", timeout=5)
            self.assertEqual(e.exception.code, 404)
            started = time.monotonic()
            proc.send_signal(signal.SIGINT)
            self.assertEqual(proc.wait(timeout=5), 0)
            self.assertLess(time.monotonic() - started, 2.0)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    def test_no_archive_is_a_clear_error(self):
        p = pbtest.run(["site", "--out", os.path.join(self.tmp, "nothing")])
        self.assertExit(p, 1)
        self.assertIn("paperboy: site:", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 2, p.stderr)  # the error and its hint


if __name__ == "__main__":
    pbtest.main()
