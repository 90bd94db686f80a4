"""Headless chromium for the end-to-end tests: Debian's chromium driven over the DevTools
protocol on --remote-debugging-pipe (NUL-separated JSON on fds 3 and 4: no websocket, no
port), and a logging HTTP server over a folder on 127.0.0.1.

    chromium_path()           the chromium binary, or None
    LoggingServer(root)       with-block: python's http.server on 127.0.0.1:0, .port, .log
    DevTools(binary, profile) one browser: send(), events(), wait_event(), close()
    open_page(browser, ...)   a new tab with its session, Page and Network enabled
    evaluate(browser, session, expression)   Runtime.evaluate, the value or an exception
    screenshot(browser, session, path, ...)  the first screen or the whole page to a PNG
    requests_of(seen, session) the URLs a tab asked for, from its Network events
"""
import base64
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


def open_page(browser, width, height, scale=1, mobile=None, scheme=None):
    """A new about:blank tab at that size -> (targetId, sessionId), Page and Network on,
    the cache off."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Page.enable", session=session)
    browser.send("Network.enable", session=session)
    browser.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": scale,
                  "mobile": width < 600 if mobile is None else mobile}, session=session)
    if scheme:
        browser.send("Emulation.setEmulatedMedia",
                     {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session=session)
    return target, session


def evaluate(browser, session, expression, await_promise=True, timeout=STEP_TIMEOUT):
    """The value of a JavaScript expression in the tab (returned by value); a thrown
    exception raises RuntimeError."""
    answer = browser.send("Runtime.evaluate", {"expression": expression, "awaitPromise": await_promise,
                                               "returnByValue": True}, session=session, timeout=timeout)
    if "exceptionDetails" in answer:
        raise RuntimeError(f"JavaScript threw: {json.dumps(answer['exceptionDetails'])[:2000]}")
    return answer["result"].get("value")


def screenshot(browser, session, path, full_height=None, width=None, timeout=40):
    """The first screen to path (PNG); with full_height (CSS px) and width, the page from its
    top down to that height (at most 16,000 px)."""
    params = {"format": "png"}
    if full_height:
        params.update({"captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": width,
                                "height": min(full_height, 16000), "scale": 1}})
    shot = browser.send("Page.captureScreenshot", params, session=session, timeout=timeout)
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def requests_of(seen, session):
    """Every URL the tab requested, from the Network.requestWillBeSent events in seen."""
    return [ev["params"]["request"]["url"] for ev in seen
            if ev.get("method") == "Network.requestWillBeSent" and ev.get("sessionId") == session]
