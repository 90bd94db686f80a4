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
import functools
import http.server
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import base64
import unittest

import pbtest

DATE = "2025-12-26"
PAGE = f"newsletters/{DATE}_daily_paper.html"
VIEWS = [(390, 844, "light"), (390, 844, "dark"), (1366, 900, "light"), (1366, 900, "dark")]
STEP_TIMEOUT = 20  # seconds for any one DevTools answer or event


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class LoggingServer:
    """python's http.server over a folder on 127.0.0.1:0, logging every request."""

    def __init__(self, root):
        self.log = []
        lock = threading.Lock()
        log = self.log

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_request(self, code="-", size="-"):
                with lock:
                    log.append({"path": self.path, "host": self.headers.get("Host"),
                                "status": int(code) if str(code).isdigit() else code})

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # The browser drops the MP3's connection once it has the metadata: not an error.
                if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class DevTools:
    """One headless chromium and its DevTools protocol over a pipe."""

    def __init__(self, binary, profile):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds():  # in the child: the protocol's fds 3 (commands in) and 4 (answers out)
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
                "--disable-extensions", "--no-default-browser-check", "--force-color-profile=srgb",
                # Any other host fails at once instead of waiting on the network: still a request
                # in the DevTools log, so still caught.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._stderr, close_fds=False, preexec_fn=wire_fds)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._answers = {}
        self._events = queue.Queue()
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        pending = b""
        while True:
            try:
                chunk = os.read(self._from_child, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._answers[None] = "closed"
                    self._cond.notify_all()
                self._events.put(None)
                return
            pending += chunk
            while b"\0" in pending:
                raw, pending = pending.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._cond:
                        self._answers[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    self._events.put(msg)

    def stderr(self):
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-3000:]

    def send(self, method, params=None, session=None, timeout=STEP_TIMEOUT):
        self._next_id += 1
        mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while mid not in self._answers:
                if None in self._answers:
                    raise RuntimeError(f"chromium went away during {method}:\n{self.stderr()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to {method} within {timeout} s")
                self._cond.wait(left)
            answer = self._answers.pop(mid)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def events(self):
        """Events received so far (without waiting)."""
        out = []
        while True:
            try:
                ev = self._events.get_nowait()
            except queue.Empty:
                return out
            if ev is not None:
                out.append(ev)

    def wait_event(self, method, session, seen, timeout=STEP_TIMEOUT):
        """Wait for `method` on `session`; every event read meanwhile is appended to seen."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {method} within {timeout} s")
            try:
                ev = self._events.get(timeout=left)
            except queue.Empty:
                continue
            if ev is None:
                raise RuntimeError(f"chromium went away waiting for {method}:\n{self.stderr()}")
            seen.append(ev)
            if ev.get("method") == method and ev.get("sessionId") == session:
                return ev

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        self._reader.join(timeout=5)
        os.close(self._from_child)
        self._stderr.close()


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
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        seen = []
        try:
            browser.send("Page.enable", session=session)
            browser.send("Network.enable", session=session)
            browser.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": width, "height": height, "deviceScaleFactor": 1,
                          "mobile": width < 600}, session=session)
            browser.send("Emulation.setEmulatedMedia",
                         {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session=session)
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_event("Page.loadEventFired", session, seen)
            probe = browser.send("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True,
                                                      "returnByValue": True}, session=session)
            r = json.loads(probe["result"]["value"])
            name = f"{width}x{height}-{scheme}"
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            with open(os.path.join(shots, name + ".png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            full = browser.send("Page.captureScreenshot",
                                {"format": "png", "captureBeyondViewport": True,
                                 "clip": {"x": 0, "y": 0, "width": width,
                                          "height": min(r["docHeight"], 16000), "scale": 1}},
                                session=session, timeout=40)
            with open(os.path.join(shots, name + "-full.png"), "wb") as f:
                f.write(base64.b64decode(full["data"]))
            seen += browser.events()
        finally:
            browser.send("Target.closeTarget", {"targetId": target})

        # Every request the page made, as the browser saw it: this server or data: URIs only.
        requests = [ev["params"]["request"]["url"] for ev in seen
                    if ev.get("method") == "Network.requestWillBeSent" and ev.get("sessionId") == session]
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
