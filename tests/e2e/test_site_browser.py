#!/usr/bin/env python3
"""The site in a real browser: Debian's headless chromium (tests/e2e/chromium.py) loads the
site from a local HTTP server on 127.0.0.1 started here, and reads it as a reader would:

  - search.html loads its index and says so; a Chinese (强化学习) and an English (diffusion)
    query typed into #q find exactly the papers a reference matcher written here finds in
    search.json, the best first and newest first among equal scores, matches in <mark>;
  - a result's link lands on its paper: the day page, location.hash the arXiv id, the
    element of that id there with the result's title in its text;
  - ?q= prefills the field and runs the search; a search updates the address;
  - hostile titles (<img src=x onerror=alert(1)>, javascript:alert(1)) show as text on the
    search page and on their day page: no element made from them, no dialog;
  - no request leaves 127.0.0.1, no script error, no sideways scrolling, the form's tap
    targets are 44 px and its text 16 px;
  - phone (390x844 at 3x) and desktop (1280x900) screenshots of index.html, a day page, a topic
    page, archive.html and search.html with results go to $PB_SCREENSHOTS as
    site-<page>-<phone|desktop>.png (the first screen) and site-<page>-<view>-full.png.

Chromium missing is a failure, not a skip.
"""
import json
import os
import re
import sys
import time
import unicodedata
import urllib.parse

import pbtest
from chromium import DevTools, LoggingServer, chromium_path, open_page, evaluate, screenshot, requests_of

HOSTILE = ["<img src=x onerror=alert(1)>", "javascript:alert(1)"]
HOSTILE_DAY = "2025-11-20"  # before the demo's month: the front page still shows 2025-12-26
PHONE = (390, 844, 3)
DESKTOP = (1280, 900, 1)


# --- a reference matcher: the rules search.js documents, written again independently --------

def norm(s):
    return unicodedata.normalize("NFKC", s).lower()


def is_cjk(ch):
    c = ord(ch)
    return (0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF
            or 0x20000 <= c <= 0x323AF or c in (0x3005, 0x3007) or 0x3040 <= c <= 0x30FF
            or 0x31F0 <= c <= 0x31FF or 0xFF66 <= c <= 0xFF9F or 0xAC00 <= c <= 0xD7AF
            or 0x1100 <= c <= 0x11FF or 0x3130 <= c <= 0x318F)


FUNCTION_CHARS = "的了和与及或在是对中之将为以把被从"


def reference_matches(index, query):
    """The rows of search.json that match query (every term; a CJK run's characters each
    covered by a bigram found in the paper)."""
    cols = {name: i for i, name in enumerate(index["fields"])}
    terms = []
    for word in norm(query).split():
        for cjk, run in ((k, "".join(g)) for k, g in _runs(word)):
            terms.append((cjk, run if cjk else run.strip("\"'()[],.:;!?")))
    out = []
    for row in index["papers"]:
        fields = [norm(str(row[cols[f]])) for f in
                  ("title", "title_en", "keywords", "areas", "summary", "authors", "id", "date")]
        hay = "\n".join(fields)
        ok = True
        for cjk, t in terms:
            if not t:
                continue
            if not cjk or len(t) < 2 or t in hay:
                ok = t in hay
            else:
                covered = [False] * len(t)
                for k in range(len(t) - 1):
                    if t[k:k + 2] in hay:
                        covered[k] = covered[k + 1] = True
                ok = all(c or ch in FUNCTION_CHARS for c, ch in zip(covered, t))
            if not ok:
                break
        if ok:
            out.append(row)
    return out


def _runs(word):
    import itertools
    return itertools.groupby(word, key=is_cjk)


WAIT_ANSWER = r"""
(async () => {
  const st = document.getElementById('search-status');
  const until = Date.now() + 10000;
  while (Date.now() < until && !['found', 'none', 'empty', 'error'].includes(st.getAttribute('data-state')))
    await new Promise(r => setTimeout(r, 20));
  return st.getAttribute('data-state');
})()
"""

# What the search page shows, as JSON.
READ_RESULTS = r"""
(() => {
  const st = document.getElementById('search-status');
  const items = [...document.querySelectorAll('#results > li')];
  return JSON.stringify({
    state: st.getAttribute('data-state'), status: st.textContent,
    value: document.getElementById('q').value, search: location.search,
    elements: [...document.querySelectorAll('#results *')].map(e => e.tagName.toLowerCase())
                .filter((t, i, a) => a.indexOf(t) === i),
    results: items.map(li => ({
      cls: li.className,
      href: (li.querySelector('a.title') || {getAttribute: () => null}).getAttribute('href'),
      title: (li.querySelector('a.title') || {}).textContent,
      meta: (li.querySelector('.meta') || {}).textContent,
      title_en: (li.querySelector('.title-en') || {}).textContent || null,
      summary: (li.querySelector('.summary') || {}).textContent || null,
      marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
      titleHeight: li.querySelector('a.title') ? li.querySelector('a.title').getBoundingClientRect().height : 0,
    })),
  });
})()
"""

# The page's layout facts: sideways scrolling, the form's tap targets and font size.
MEASURE = r"""
(async () => {
  const imgs = [...document.images];
  const until = Date.now() + 10000;
  while (Date.now() < until && imgs.some(i => !i.complete)) await new Promise(r => setTimeout(r, 50));
  const se = document.scrollingElement;
  const q = document.getElementById('q');
  const button = document.querySelector('#search-form button');
  const box = e => e ? e.getBoundingClientRect() : null;
  return JSON.stringify({
    innerWidth, scrollWidth: se.scrollWidth, docHeight: se.scrollHeight,
    wide: [...document.querySelectorAll('body *')].filter(e => box(e).right > innerWidth + 1 &&
            !e.closest('.frame')).map(e => e.tagName + '.' + e.className).slice(0, 5),
    brokenImages: imgs.filter(i => !i.naturalWidth).map(i => i.getAttribute('src')),
    q: q ? {h: box(q).height, font: getComputedStyle(q).fontSize} : null,
    button: button ? {h: box(button).height, w: box(button).width} : null,
  });
})()
"""


class SiteBrowserTest(pbtest.PaperboyTestCase):
    def build_site(self):
        """The real site: the demo (its day, translated, and the month before it, with the
        broadcast), plus a day whose titles are hostile, fetched through the fake Hugging Face
        server and rendered as `run` does; then `paperboy site`."""
        self.assertExit(pbtest.run(["demo", "--out", self.out]), 0)
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        api = json.loads(pbtest.read_text(os.path.join(pbtest.FIXTURES, "hf-api", "2025-12-26.json")))
        for i, entry in enumerate(api):  # papers of their own: the demo's keep their titles
            entry["paper"]["id"] = f"2511.{99900 + i}"
        for entry, title in zip(api, HOSTILE):
            entry["paper"]["title"] = entry["title"] = title
        with open(os.path.join(fixtures, HOSTILE_DAY + ".json"), "w", encoding="utf-8") as f:
            json.dump(api, f)
        hf = self.fake_hf(fixtures_dir=fixtures)
        self.assertExit(pbtest.run(["run", "--out", self.out, "--date", HOSTILE_DAY, "--hf-url", hf.url,
                                    "--no-translate", "--no-audio"]), 0)
        p = pbtest.run(["site", "--out", self.out])
        self.assertExit(p, 0)
        site = p.stdout.strip()
        self.assertEqual(site, os.path.join(self.out, "site"))
        return site

    def test_site_in_chromium(self):
        started = time.monotonic()
        binary = chromium_path()
        self.assertIsNotNone(binary, "chromium is not installed: this test needs Debian's chromium "
                             "(scripts/deps.sh installs it: apt-get install chromium)")
        self.site = self.build_site()
        with open(os.path.join(self.site, "search.json"), encoding="utf-8") as f:
            self.index = json.load(f)
        shots = os.environ.get("PB_SCREENSHOTS") or os.path.join(self.tmp, "screenshots")
        os.makedirs(shots, exist_ok=True)

        with LoggingServer(self.site) as server:
            self.origin = f"http://127.0.0.1:{server.port}/"
            self.browser = DevTools(binary, os.path.join(self.tmp, "profile"))
            try:
                with self.subTest("search on a phone"):
                    self.check_search(*PHONE)
                with self.subTest("search on a desktop"):
                    self.check_search(*DESKTOP[:2], DESKTOP[2], quick=True)
                with self.subTest("hostile titles"):
                    self.check_hostile()
                with self.subTest("screenshots"):
                    self.take_screenshots(shots)
            finally:
                self.browser.close()

        # The server's own log: every file asked for was there.
        self.assertTrue(server.log)
        for entry in server.log:
            self.assertEqual(entry["host"], f"127.0.0.1:{server.port}", entry)
            self.assertIn(entry["status"], (200, 304), entry)
        print(f"\nchromium: the site in {time.monotonic() - started:.1f} s; screenshots in {shots}",
              file=sys.stderr)

    # --- one tab at a time, its events kept and checked when it closes ---

    def open(self, width, height, scale, scheme=None):
        target, session = open_page(self.browser, width, height, scale=scale, scheme=scheme)
        self.browser.send("Runtime.enable", session=session)
        self.tab = {"target": target, "session": session, "seen": [], "width": width}
        return self.tab

    def close(self, tab):
        seen = tab["seen"]
        seen += self.browser.events()
        self.browser.send("Target.closeTarget", {"targetId": tab["target"]})
        session = tab["session"]
        mine = [ev for ev in seen if ev.get("sessionId") == session]
        foreign = [u for u in requests_of(seen, session)
                   if not (u.startswith(self.origin) or u.startswith("data:"))]
        self.assertEqual(foreign, [], "requests left 127.0.0.1")
        failed = [ev["params"] for ev in mine if ev.get("method") == "Network.loadingFailed"
                  and not ev["params"].get("canceled")]
        self.assertEqual(failed, [])
        dialogs = [ev["params"] for ev in mine if ev.get("method") == "Page.javascriptDialogOpening"]
        self.assertEqual(dialogs, [], "a page opened a dialog")
        errors = [ev["params"] for ev in mine if ev.get("method") == "Runtime.exceptionThrown"
                  or (ev.get("method") == "Runtime.consoleAPICalled" and ev["params"].get("type") == "error")]
        self.assertEqual(errors, [], "script errors")

    def go(self, tab, url):
        self.browser.send("Page.navigate", {"url": url}, session=tab["session"])
        self.browser.wait_event("Page.loadEventFired", tab["session"], tab["seen"])

    def js(self, tab, expression):
        return evaluate(self.browser, tab["session"], expression)

    def type_query(self, tab, text):
        """Select what #q holds and type text over it, as a keyboard would (input events)."""
        self.js(tab, WAIT_ANSWER)  # the index loaded and the page's own first answer given
        self.js(tab, "document.getElementById('search-status').setAttribute('data-state', 'typing');"
                     "{ const q = document.getElementById('q'); q.focus(); q.select(); }")
        if text:
            self.browser.send("Input.insertText", {"text": text}, session=tab["session"])
        else:
            self.browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Backspace", "code": "Backspace",
                                                         "windowsVirtualKeyCode": 8}, session=tab["session"])
            self.browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Backspace", "code": "Backspace",
                                                         "windowsVirtualKeyCode": 8}, session=tab["session"])
        self.js(tab, WAIT_ANSWER)
        return json.loads(self.js(tab, READ_RESULTS))

    def status_text(self, tab, key, **values):
        template = self.js(tab, f"document.getElementById('search-status').getAttribute('data-{key}')")
        for k, v in values.items():
            template = template.replace("{{" + k + "}}", str(v))
        return template

    # --- the checks ---

    def check_results(self, tab, query, shown):
        """What the page shows for query agrees with the reference matcher over search.json."""
        expected = reference_matches(self.index, query)
        self.assertTrue(expected, f"search.json has no paper for {query!r}: the test needs one")
        self.assertEqual(shown["state"], "found", shown["status"])
        status = self.status_text(tab, "found", count=len(expected))
        if len(expected) > 50:
            status += " · " + self.status_text(tab, "more", shown=50)
        self.assertEqual(shown["status"], status)
        results = shown["results"]
        self.assertEqual(len(results), min(len(expected), 50))
        cols = {name: i for i, name in enumerate(self.index["fields"])}
        by_link = {f"days/{r[cols['date']]}.html#{urllib.parse.quote(r[cols['id']], safe='.')}": r
                   for r in expected}
        for res in results:
            self.assertEqual(res["cls"], "result")
            self.assertIn(res["href"], by_link, res)
            row = by_link[res["href"]]
            self.assertEqual(res["title"], row[cols["title"]] or row[cols["title_en"]])
            self.assertTrue(res["meta"].startswith(row[cols["date"]]), res)
            self.assertGreaterEqual(res["titleHeight"], 44, res)
        self.assertEqual(len({r["href"] for r in results}), len(results), "a paper shown twice")
        return expected, results

    def check_search(self, width, height, scale, quick=False):
        tab = self.open(width, height, scale)
        try:
            self.go(tab, self.origin + "search.html")
            shown = json.loads(self.js(tab, WAIT_ANSWER) and self.js(tab, READ_RESULTS))
            self.assertEqual(shown["state"], "empty", shown)
            self.assertEqual(shown["status"], self.status_text(tab, "empty"))
            self.assertEqual(shown["results"], [])
            m = json.loads(self.js(tab, MEASURE))
            self.assertGreaterEqual(m["q"]["h"], 44, m)
            self.assertEqual(m["q"]["font"], "16px", m)
            self.assertGreaterEqual(m["button"]["h"], 44, m)
            self.assertGreaterEqual(m["button"]["w"], 44, m)

            # Chinese, no spaces: the papers whose title has the words come first, newest first.
            query = "强化学习"
            shown = self.type_query(tab, query)
            expected, results = self.check_results(tab, query, shown)
            cols = {name: i for i, name in enumerate(self.index["fields"])}
            in_title = [r for r in expected if query in r[cols["title"]]]
            self.assertTrue(in_title, "no paper with 强化学习 in its title")
            top = results[:len(in_title)]
            self.assertEqual(sorted(r["title"] for r in top), sorted(r[cols["title"]] for r in in_title))
            dates = [r["meta"][:10] for r in top]
            self.assertEqual(dates, sorted(dates, reverse=True), "equal scores: not newest first")
            self.assertIn(query, results[0]["marks"])
            self.assertEqual(shown["search"], "?q=" + urllib.parse.quote(query), "the address keeps the query")
            if not quick:
                self.check_lands(tab, results[0])
                self.go(tab, self.origin + "search.html?q=" + urllib.parse.quote(query))
                self.js(tab, WAIT_ANSWER)

            # English, replacing the Chinese query.
            query = "diffusion"
            shown = self.type_query(tab, query)
            expected, results = self.check_results(tab, query, shown)
            self.assertTrue(any(m.lower() == query for r in results for m in r["marks"]), results[:3])
            if not quick:
                # Both scripts at once, and in one run: every term must match.
                for q in ("强化学习 reasoning", "推理强化学习"):
                    shown = self.type_query(tab, q)
                    if reference_matches(self.index, q):
                        self.check_results(tab, q, shown)
                    else:
                        self.assertEqual(shown["state"], "none", (q, shown))
                shown = self.type_query(tab, "qqqzzzxxx")
                self.assertEqual((shown["state"], shown["results"]), ("none", []))
                self.assertEqual(shown["status"], self.status_text(tab, "none", query="qqqzzzxxx"))
                shown = self.type_query(tab, "")
                self.assertEqual((shown["state"], shown["results"], shown["search"]), ("empty", [], ""))

                # The English result's link, then ?q= straight from the address.
                shown = self.type_query(tab, "diffusion")
                self.check_lands(tab, shown["results"][0])
                self.go(tab, self.origin + "search.html?q=diffusion")
                self.js(tab, WAIT_ANSWER)
                again = json.loads(self.js(tab, READ_RESULTS))
                self.assertEqual(again["value"], "diffusion")
                self.assertEqual(again["results"], shown["results"])

                # Submitting the form searches at once, with no page load.
                self.js(tab, "document.getElementById('search-status').setAttribute('data-state', 'typing');"
                             "document.getElementById('q').value = '强化学习';"
                             "document.getElementById('search-form').requestSubmit();")
                self.js(tab, WAIT_ANSWER)
                submitted = json.loads(self.js(tab, READ_RESULTS))
                self.assertEqual(submitted["search"], "?q=" + urllib.parse.quote("强化学习"))
                self.check_results(tab, "强化学习", submitted)
        finally:
            self.close(tab)

    def check_lands(self, tab, result):
        """Following result's link opens its day page at its paper."""
        self.js(tab, f"location.href = {json.dumps(result['href'])}")
        self.browser.wait_event("Page.loadEventFired", tab["session"], tab["seen"])
        landed = json.loads(self.js(tab, r"""JSON.stringify((() => {
            const id = decodeURIComponent(location.hash.slice(1));
            const el = document.getElementById(id);
            return {path: location.pathname, hash: location.hash, id,
                    found: !!el, text: el ? el.textContent : null,
                    top: el ? el.getBoundingClientRect().top : null,
                    atBottom: Math.ceil(scrollY + innerHeight) >= document.scrollingElement.scrollHeight};
        })())"""))
        path, _, fragment = result["href"].partition("#")
        self.assertEqual(landed["path"], "/" + path)
        self.assertEqual(landed["hash"], "#" + fragment)
        self.assertTrue(landed["found"], landed)
        self.assertIn(result["title"], landed["text"])
        self.assertTrue(abs(landed["top"]) < 100 or landed["atBottom"], f"the page did not scroll to the paper: {landed}")

    def check_hostile(self):
        tab = self.open(*PHONE)
        try:
            for title, query in zip(HOSTILE, ("onerror", "javascript:alert")):
                self.go(tab, self.origin + "search.html")
                shown = self.type_query(tab, query)
                self.assertEqual(shown["state"], "found", shown)
                hits = [r for r in shown["results"] if r["title"] == title]
                self.assertTrue(hits, (title, shown["results"]))
                self.assertTrue(set(shown["elements"]) <= {"li", "a", "p", "time", "span", "mark"},
                                shown["elements"])
                self.assertTrue(hits[0]["href"].startswith("days/"), hits[0])
                self.check_lands(tab, hits[0])
                # On the day page too: the title is text, nothing made from it.
                made = self.js(tab, "document.querySelectorAll('main img[src=x], [onerror], "
                                    "a[href^=\"javascript\" i]').length")
                self.assertEqual(made, 0)
        finally:
            self.close(tab)

    def take_screenshots(self, shots):
        pages = self.screenshot_pages()
        for view, (width, height, scale), scheme in (("phone", PHONE, None), ("desktop", DESKTOP, None),
                                                     ("phone-dark", PHONE, "dark")):
            tab = self.open(width, height, scale, scheme=scheme)
            try:
                for name, rel in pages:
                    if scheme and name not in ("search", "day"):
                        continue
                    self.go(tab, self.origin + rel)
                    if name == "search":
                        self.assertEqual(self.js(tab, WAIT_ANSWER), "found")
                    m = json.loads(self.js(tab, MEASURE))
                    self.assertLessEqual(m["scrollWidth"], width, (rel, m["wide"]))
                    self.assertEqual(m["innerWidth"], width, (rel, m["wide"]))
                    self.assertEqual(m["brokenImages"], [], rel)
                    base = os.path.join(shots, f"site-{name}-{view}")
                    screenshot(self.browser, tab["session"], base + ".png")
                    # The whole page at 1x (a 3x phone page of 8,000 px would be a huge picture).
                    self.browser.send("Emulation.setDeviceMetricsOverride",
                                      {"width": width, "height": height, "deviceScaleFactor": 1,
                                       "mobile": width < 600}, session=tab["session"])
                    screenshot(self.browser, tab["session"], base + "-full.png",
                               full_height=min(m["docHeight"], 8000), width=width)
                    self.browser.send("Emulation.setDeviceMetricsOverride",
                                      {"width": width, "height": height, "deviceScaleFactor": scale,
                                       "mobile": width < 600}, session=tab["session"])
            finally:
                self.close(tab)

    def screenshot_pages(self):
        """(name, path) of the pages to photograph: index, the newest day, a topic, archive,
        search with results."""
        days = sorted(f for f in os.listdir(os.path.join(self.site, "days")) if f.endswith(".html"))
        topics = sorted(f for f in os.listdir(os.path.join(self.site, "topics")) if f.endswith(".html"))
        self.assertTrue(days and topics)
        # The busiest topic page shows the most.
        topic = max(topics, key=lambda f: os.path.getsize(os.path.join(self.site, "topics", f)))
        return [("index", "index.html"), ("day", "days/" + days[-1]), ("topic", "topics/" + topic),
                ("archive", "archive.html"), ("search", "search.html?q=" + urllib.parse.quote("强化学习"))]


if __name__ == "__main__":
    pbtest.main()
