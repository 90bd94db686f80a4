#!/usr/bin/env python3
"""Tests for the fake OpenAI-compatible LLM server itself (no PAPERBOY_BIN)."""
import http.client
import json
import os
import re
import sys
import time

import pbtest

sys.path.insert(0, os.path.join(pbtest.TESTS, "fakes"))
import fake_llm  # noqa: E402  (for numbers())

REPLAY = [os.path.join(pbtest.FIXTURES, "llm-replay", d + ".json")
          for d in ("2025-12-26", "2025-01-23")]
SYSTEM = "You translate papers into Chinese."


def load(name):
    with open(os.path.join(pbtest.FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


def paper(pid, day="2025-12-26"):
    for e in load(f"hf-api/{day}.json"):
        if e["paper"]["id"] == pid:
            return e["paper"]
    raise KeyError(pid)


def user_message(title, abstract):
    # paperboy's user message: title and abstract on one line each.
    return f"Title: {' '.join(title.split())}\n\nAbstract: {' '.join(abstract.split())}"


def chat(llm, title="A Title", abstract="An abstract.", key=None,
         model="fake-model", timeout=10):
    """-> (status, headers, parsed JSON body or raw bytes)."""
    body = {"model": model, "temperature": 0.2,
            "messages": [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": user_message(title, abstract)}]}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    status, h, raw = llm.post("/v1/chat/completions", body, headers, timeout)
    try:
        return status, h, json.loads(raw)
    except ValueError:
        return status, h, raw


def content(answer):
    return answer["choices"][0]["message"]["content"]


class FakeLLMTest(pbtest.PaperboyTestCase):
    @classmethod
    def setUpClass(cls):
        cls.llm = pbtest.FakeLLM(replay=REPLAY).start()

    @classmethod
    def tearDownClass(cls):
        cls.llm.stop()

    def setUp(self):
        super().setUp()
        self.llm.reset()
        self.llm.set_latency(0)

    def ok(self, **kw):
        status, headers, answer = chat(self.llm, **kw)
        self.assertEqual(status, 200, answer)
        return answer

    def test_url_and_models(self):
        self.assertEqual(self.llm.url, f"http://127.0.0.1:{self.llm.port}/v1")
        status, _, body = self.llm.get("/v1/models")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["data"][0]["id"], "fake-model")
        self.assertEqual(self.llm.get("/v1/nothing")[0], 404)

    def test_replay_and_completion_shape(self):
        p = paper("2512.21218")
        replay = load("llm-replay/2025-12-26.json")["2512.21218"]
        status, headers, a = chat(self.llm, p["title"], p["summary"], model="m1")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(content(a), replay["translation"])
        self.assertRegex(a["id"], r"^chatcmpl-\d+$")
        self.assertEqual((a["object"], a["model"]), ("chat.completion", "m1"))
        self.assertIsInstance(a["created"], int)
        choice = a["choices"][0]
        self.assertEqual((choice["index"], choice["finish_reason"],
                          choice["message"]["role"]), (0, "stop", "assistant"))
        prompt = len(SYSTEM) + len(user_message(p["title"], p["summary"]))
        self.assertEqual(a["usage"], {
            "prompt_tokens": prompt // 4,
            "completion_tokens": len(replay["translation"]) // 2,
            "total_tokens": prompt // 4 + len(replay["translation"]) // 2})

    def test_replay_line_wrapped_title(self):
        p = paper("2501.12909", "2025-01-23")
        self.assertIn("\n", p["title"])
        a = self.ok(title=p["title"], abstract=p["summary"])
        self.assertTrue(content(a).startswith("标题：FilmAgent："))

    def test_synthesised_answer_numbers(self):
        p = paper("2512.19680")
        a = self.ok(title=p["title"] + " (new)", abstract=p["summary"])
        ans = json.loads(content(a))
        self.assertEqual(ans["title"], "研究：" + p["title"] + " (new)")
        self.assertGreaterEqual(len(re.findall(r"[\u4e00-\u9fff]", ans["abstract"])), 60)
        self.assertTrue(ans["abstract"].endswith(
            "相关数值包括：1、25、14.36、7.65、86.55、116.70、0.306、0.339、0.725、0.744。"))
        self.assertTrue(ans["summary"])
        a = self.ok(abstract="We render 2D and 3D scenes with GPT-4o and Llama-3.")
        self.assertNotIn("相关数值", json.loads(content(a))["abstract"])

    def test_numbers_rule(self):
        self.assertEqual(
            fake_llm.numbers("From 1,000,000 to 2,5 in 2D, 1.5B, GPT-4o, x_2, "
                             "v.3, Llama-3, 10-30% (1) and 14.36; 1% again."),
            ["1000000", "2", "5", "10", "30", "1", "14.36"])

    def test_bad_requests(self):
        for body in (b"not json", b"{}", b'{"messages": []}', b"[1]"):
            status, _, raw = self.llm.post("/v1/chat/completions", body)
            self.assertEqual(status, 400, body)
            self.assertEqual(json.loads(raw)["error"]["type"], "invalid_request_error")
        log = self.llm.requests()
        self.assertEqual([(r["status"], r["title"]) for r in log], [(400, None)] * 4)
        self.assertIsNone(log[0]["body"])

    def test_request_log_and_reset(self):
        self.llm.faults([{"status": 429, "headers": {"Retry-After": "1"}},
                         {"close": True}])
        self.assertEqual(chat(self.llm, "T1")[0], 429)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            chat(self.llm, "T2")
        self.ok(title="T3")
        self.llm.get("/v1/models")                  # not logged
        log = self.llm.requests()
        self.assertEqual([(r["title"], r["status"]) for r in log],
                         [("T1", 429), ("T2", None), ("T3", 200)])
        r = log[2]
        self.assertEqual(r["path"], "/v1/chat/completions")
        self.assertEqual(r["body"]["model"], "fake-model")
        self.assertIn("Content-Type", r["headers"])
        self.assertLessEqual(r["start"], r["end"])
        self.assertEqual(self.llm.stats(), {"requests": 3, "in_flight": 0,
                                            "max_in_flight": 1, "answered": 1})
        self.llm.faults([{"status": 500}])
        self.llm.reset()
        self.assertEqual(self.llm.requests(), [])
        self.assertEqual(self.llm.stats()["requests"], 0)
        self.ok()                                   # the fault was cleared

    def test_fault_status_body_headers(self):
        self.llm.faults([{"status": 429, "headers": {"Retry-After": "1"}},
                         {"status": 503, "body": "overloaded"},
                         {"status": 200, "headers": {"X-Test": "y"}}])
        status, h, body = chat(self.llm)
        self.assertEqual((status, h["Retry-After"]), (429, "1"))
        self.assertIn("429", body["error"]["message"])
        self.assertEqual(chat(self.llm)[::2], (503, b"overloaded"))
        status, h, body = chat(self.llm)
        self.assertEqual((status, h["X-Test"]), (200, "y"))
        self.assertIn("choices", body)

    def test_fault_match_and_times(self):
        self.llm.faults([{"match": "Special", "status": 500, "times": 2}])
        self.ok(title="Ordinary")
        self.assertEqual(chat(self.llm, "Special one")[0], 500)
        self.assertEqual(chat(self.llm, "Other", "Special abstract")[0], 500)
        self.ok(title="Special three")

    def test_fault_delay_and_latency(self):
        self.llm.faults([{"delay": 0.3}])
        t = time.monotonic()
        self.ok()
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.llm.set_latency(0.3)
        t = time.monotonic()
        self.assertEqual(chat(self.llm, key="x")[0], 200)
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.llm.faults([{"delay": 1.0}])
        with self.assertRaises(OSError):
            chat(self.llm, timeout=0.2)

    def test_fault_slow_body(self):
        self.llm.faults([{"slow_body": 0.6}])
        head, headers, body, total = pbtest.timed_post(
            self.llm.port, "/v1/chat/completions", json.dumps(
                {"model": "m", "messages": [{"role": "user", "content": "Title: X"}]}))
        self.assertLess(head, 0.3)                     # headers at once
        self.assertGreaterEqual(total, 0.5)
        self.assertEqual(len(body), int(headers["Content-Length"]))
        self.assertTrue(json.loads(body)["choices"])

    def test_fault_raw(self):
        self.llm.faults([{"raw": "{not json"}])
        self.assertEqual(chat(self.llm)[::2], (200, b"{not json"))

    def test_content_faults(self):
        p = paper("2512.19680")
        replay = load("llm-replay/2025-12-26.json")["2512.19680"]["translation"]
        kw = dict(title=p["title"], abstract=p["summary"])
        self.llm.faults([{"think": True}, {"truncate": True},
                         {"drop_numbers": True}, {"english": True},
                         {"empty": True}, {"content": "标题：x"},
                         {"format": "json"}, {"no_usage": True}])
        c = content(self.ok(**kw))
        self.assertRegex(c, r"^<think>\n[^\n]*标题：[^\n]*摘要：[^\n]*\n</think>\n")
        self.assertTrue(c.endswith("</think>\n" + replay))
        a = self.ok(**kw)
        self.assertEqual((content(a), a["choices"][0]["finish_reason"]),
                         (replay[:len(replay) // 3], "length"))
        c = content(self.ok(**kw))
        self.assertEqual(c, re.sub("[0-9]", "", replay))
        self.assertNotRegex(c, "[0-9]")
        self.assertEqual(json.loads(content(self.ok(**kw))),
                         {"title": p["title"], "abstract": p["summary"],
                          "summary": "An English sentence."})
        a = self.ok(**kw)
        self.assertEqual((content(a), a["usage"]["completion_tokens"]), ("", 1))
        self.assertEqual(content(self.ok(**kw)), "标题：x")
        ans = json.loads(content(self.ok(**kw)))
        self.assertEqual(ans["title"], "VA-π：针对像素感知自回归生成的变分策略对齐")
        self.assertEqual("标题：" + ans["title"] + "\n\n摘要：" + ans["abstract"], replay)
        self.assertNotIn("usage", self.ok(**kw))
        self.assertIn("usage", self.ok(**kw))

    def test_concurrency_stats(self):
        self.llm.set_latency(0.5)
        results, in_flight, seconds = pbtest.run_concurrently(
            [lambda i=i: chat(self.llm, f"T{i}")[0] for i in range(4)],
            lambda: self.llm.stats()["in_flight"])
        self.assertEqual(in_flight, 4)
        self.assertLess(seconds, 1.5)
        self.assertEqual(results, [200] * 4)
        self.assertEqual(self.llm.stats(), {"requests": 4, "in_flight": 0,
                                            "max_in_flight": 4, "answered": 4})

    def test_keep_alive(self):
        answers = pbtest.keep_alive_posts(
            self.llm.port, "/v1/chat/completions", json.dumps(
                {"model": "m", "messages": [{"role": "user", "content": "Title: X"}]}))
        self.assertEqual([body[:1] for body, _ in answers], [b"{"] * 3)
        self.assertTrue(all(s is answers[0][1] for _, s in answers))


class FakeLLMKeyTest(pbtest.PaperboyTestCase):
    def test_require_key_and_sigterm(self):
        llm = pbtest.FakeLLM(require_key="sk-test", latency=0.1).start()
        try:
            for key in (None, "sk-wrong"):
                status, _, body = chat(llm, key=key)
                self.assertEqual(status, 401)
                self.assertEqual(body, {"error": {
                    "message": "Incorrect API key provided",
                    "type": "invalid_request_error", "code": "invalid_api_key"}})
            self.assertEqual(chat(llm, key="sk-test")[0], 200)
            self.assertEqual([r["status"] for r in llm.requests()], [401, 401, 200])
        finally:
            llm.stop()
        self.assertEqual(llm.proc.returncode, 0)


if __name__ == "__main__":
    pbtest.main()
