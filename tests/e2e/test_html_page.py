#!/usr/bin/env python3
"""The HTML edition in a real browser: Debian's headless chromium, driven over the
DevTools protocol (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4, so no
websocket and no port), loads the demo edition from a local server at a phone's and a
desktop's size, light and dark, and checks what a reader gets: no sideways scrolling,
every picture there, the pictures readable on the phone, the broadcast's length shown
before play, and not one request to another host.

The four screenshots go to $PB_SCREENSHOTS (tests/CMakeLists.txt points it into the
build tree), as <width>x<height>-<scheme>.png (the first screen) and
…-full.png (the whole page). Chromium missing is a failure, not a skip.
"""
import json
import os
import sys
import time

import pbtest
from chromium import DevTools, LoggingServer, chromium_path, open_page, evaluate, screenshot, requests_of

DATE = "2025-12-26"
PAGE = f"newsletters/{DATE}_daily_paper.html"
VIEWS = [(390, 844, "light"), (390, 844, "dark"), (1366, 900, "light"), (1366, 900, "dark")]


# Run in the page once it has loaded: waits (bounded) for every picture and the
# player's metadata, then measures. Returns a JSON string.
PROBE = r"""
(async () => {
  const imgs = [...document.images];
  const audio = document.querySelector('audio');
  const until = Date.now() + 10000;
  while (Date.now() < until &&
         (imgs.some(i => !i.complete) || (audio && audio.readyState < 1 && !audio.error)))
    await new Promise(r => setTimeout(r, 50));
  const se = document.scrollingElement;
  const box = e => { const r = e.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  const frames = [...document.querySelectorAll('.picture.wide .frame')];
  const logo = document.querySelector('h1 svg.logo');
  return JSON.stringify({
    innerWidth: window.innerWidth,
    scrollWidth: se.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    wideOnes: [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > Math.min(innerWidth, screen.width) + 1 && !e.closest('.frame')).map(e => e.tagName + '.' + e.className).slice(0, 5),
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    bodyBackground: getComputedStyle(document.body).backgroundColor,
    images: imgs.map(i => ({src: i.getAttribute('src'), complete: i.complete, naturalWidth: i.naturalWidth,
                            shown: box(i), alt: i.alt,
                            filter: getComputedStyle(i).filter,
                            link: i.closest('a') ? i.closest('a').getAttribute('href') : null})),
    frames: frames.map(f => ({clientWidth: f.clientWidth, scrollWidth: f.scrollWidth,
                              background: getComputedStyle(f).backgroundColor})),
    audio: audio ? {preload: audio.preload, readyState: audio.readyState, duration: audio.duration,
                    error: audio.error ? audio.error.code : null} : null,
    audios: document.querySelectorAll('audio').length,
    logo: logo ? {label: logo.getAttribute('aria-label'), w: box(logo).w} : null,
    tocTargets: [...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))
                  .map(h => [h, !!document.getElementById(h.slice(1))]),
    favicon: (document.querySelector('link[rel=icon]') || {}).href || null,
    ogImage: (document.querySelector('meta[property="og:image"]') || {}).content || null,
    docHeight: se.scrollHeight,
  });
})()
"""


class HtmlPageTest(pbtest.PaperboyTestCase):
    def test_demo_edition_in_chromium(self):
        started = time.monotonic()
        binary = chromium_path()
        self.assertIsNotNone(binary, "chromium is not installed: this test needs Debian's chromium "
                             "(scripts/deps.sh installs it: apt-get install chromium)")
        # The demo with its broadcast, so the player has an MP3 to read the length of.
        p = pbtest.run(["demo", "--out", self.out, "-q"], timeout=120)
        self.assertExit(p, 0)
        self.assertTrue(os.path.exists(os.path.join(self.out, PAGE)))
        shots = os.environ.get("PB_SCREENSHOTS") or os.path.join(self.tmp, "screenshots")
        os.makedirs(shots, exist_ok=True)

        with LoggingServer(self.out) as server:
            origin = f"http://127.0.0.1:{server.port}/"
            url = origin + PAGE
            browser = DevTools(binary, os.path.join(self.tmp, "profile"))
            try:
                results = {}
                for width, height, scheme in VIEWS:
                    with self.subTest(view=f"{width}x{height} {scheme}"):
                        results[(width, scheme)] = self.check_view(browser, url, origin, width, height,
                                                                   scheme, shots)
            finally:
                browser.close()

        # The server's own log: only files of the edition's folder, all there (a favicon or any
        # other missing file would be a 404 here).
        self.assertTrue(server.log)
        for entry in server.log:
            self.assertIn(entry["status"], (200, 206, 304), entry)
            self.assertEqual(entry["host"], f"127.0.0.1:{server.port}", entry)
            path = entry["path"].split("?", 1)[0]
            self.assertTrue(os.path.isfile(os.path.join(self.out, path.lstrip("/"))), entry)
        requested = {e["path"] for e in server.log}
        for rel in (PAGE, f"images/{DATE}_keywords_wordcloud.png", f"images/{DATE}_daily_papers.png",
                    f"posters/{DATE}_poster.png", f"audio/{DATE}_daily_papers.mp3"):
            self.assertIn("/" + rel, requested)
        print(f"\nchromium: 4 views in {time.monotonic() - started:.1f} s; screenshots in {shots}",
              file=sys.stderr)

    def check_view(self, browser, url, origin, width, height, scheme, shots):
        target, session = open_page(browser, width, height, scheme=scheme)
        seen = []
        try:
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_event("Page.loadEventFired", session, seen)
            r = json.loads(evaluate(browser, session, PROBE))
            name = f"{width}x{height}-{scheme}"
            screenshot(browser, session, os.path.join(shots, name + ".png"))
            screenshot(browser, session, os.path.join(shots, name + "-full.png"),
                       full_height=r["docHeight"], width=width)
            seen += browser.events()
        finally:
            browser.send("Target.closeTarget", {"targetId": target})

        # Every request the page made, as the browser saw it: this server or data: URIs only.
        requests = requests_of(seen, session)
        self.assertIn(url, requests)
        foreign = [u for u in requests if not (u.startswith(origin) or u.startswith("data:"))]
        self.assertEqual(foreign, [], "requests left the edition's server")
        failed = [ev["params"] for ev in seen if ev.get("method") == "Network.loadingFailed"
                  and ev.get("sessionId") == session and not ev["params"].get("canceled")]
        self.assertEqual(failed, [])

        # No sideways scrolling of the page (a wide picture scrolls inside its own frame). Against
        # the device's width too: on a phone, overflowing content widens the layout viewport
        # (innerWidth) itself, and the page is zoomed out to fit.
        self.assertLessEqual(r["scrollWidth"], width, r["wideOnes"])
        self.assertLessEqual(r["scrollWidth"], r["innerWidth"], r["wideOnes"])
        self.assertEqual(r["innerWidth"], width, r["wideOnes"])
        self.assertEqual(r["dark"], scheme == "dark")
        # Every picture loaded, has alt text and opens the full-size file.
        self.assertEqual(len(r["images"]), 3, r["images"])
        for img in r["images"]:
            self.assertTrue(img["complete"] and img["naturalWidth"] > 0, img)
            self.assertTrue(img["alt"], img)
            self.assertEqual(img["link"], img["src"], img)
            self.assertFalse(img["src"].startswith("http"), img)
        wide = [i for i in r["images"] if "/images/" in i["src"]]
        poster = [i for i in r["images"] if "/posters/" in i["src"]]
        self.assertEqual((len(wide), len(poster)), (2, 1))
        self.assertEqual(r["ogImage"], poster[0]["src"])
        if width < 600:
            # On the phone the 1200 px chart and cloud keep a readable size and scroll in their frame.
            for img in wide:
                self.assertGreaterEqual(img["shown"]["w"], 700, img)
            for frame in r["frames"]:
                self.assertGreater(frame["scrollWidth"], frame["clientWidth"], frame)
            self.assertLessEqual(poster[0]["shown"]["w"], width)
        else:
            for img in wide:
                self.assertLessEqual(img["shown"]["w"], 46 * 16, img)
                self.assertGreaterEqual(img["shown"]["w"], 600, img)
        # Dark mode: a dark page, the pictures in a light frame and dimmed.
        if scheme == "dark":
            self.assertEqual(r["bodyBackground"], "rgb(21, 23, 26)")
            for img in r["images"]:
                self.assertIn("brightness", img["filter"], img)
            for frame in r["frames"]:
                self.assertEqual(frame["background"], "rgb(217, 213, 204)")
        else:
            for img in r["images"]:
                self.assertEqual(img["filter"], "none", img)
        # One player, its length known before play.
        self.assertEqual(r["audios"], 1)
        self.assertEqual(r["audio"]["preload"], "metadata")
        self.assertGreaterEqual(r["audio"]["readyState"], 1, r["audio"])
        self.assertGreater(r["audio"]["duration"], 60, r["audio"])
        # The logo is ours and labelled; the favicon is inline; every jump link lands.
        self.assertEqual(r["logo"]["label"], "Hugging Face 标志")
        self.assertTrue(r["favicon"].startswith("data:image/svg+xml,"))
        self.assertEqual(len(r["tocTargets"]), 8, r["tocTargets"])  # 7 papers and the poster
        self.assertTrue(all(ok for _, ok in r["tocTargets"]), r["tocTargets"])
        return r


if __name__ == "__main__":
    pbtest.main()
