#!/usr/bin/env python3
"""Fake OpenAI-compatible chat API for paperboy's tests and benchmarks.

  POST .../chat/completions  a chat completion translating paperboy's user
                             message ("Title: ...\\n\\nAbstract: ..."):
                             the old bot's translation when --replay knows
                             the title, else a synthesised Chinese JSON answer
  GET  .../models            one model, "fake-model"

Control API (besides fakeserver's /_control/faults, requests, reset):
  GET  /_control/stats       {"requests", "in_flight", "max_in_flight", "answered"}
  POST /_control/latency     {"seconds": x}: latency of every chat answer

Fault object fields (see fakeserver.State.take_fault for match and times;
the latency is waited first):
  match       only requests whose last user message contains this substring
  times       use the fault for this many requests (default 1)
  status      answer with this status and an OpenAI-style error body ...
  body        ... or this body (a string is sent raw)
  headers     extra response headers, e.g. {"Retry-After": "1"}
  delay       seconds to sleep before answering
  slow_body   send headers at once, then the body in pieces over N seconds
  close       true: reset the connection without any response
  raw         HTTP 200 with this text as the body
  think       prefix the content with a <think>...</think> block
  truncate    content cut to its first third, finish_reason "length"
  drop_numbers  every ASCII digit removed from the content
  english     content is an English JSON answer
  empty       content is ""
  content     exactly this content
  format      "json": replayed papers are answered as JSON, not labelled text
  no_usage    omit the usage object

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import itertools
import json
import re
import time

import fakeserver
from fakeserver import to_json

TITLE_RE = re.compile(r"^Title: (.*)$", re.M)
ABSTRACT_RE = re.compile(r"^Abstract: (.*)$", re.M)
LABELLED_RE = re.compile(r"\s*标题[：:]\s*(.*?)\s*\n\s*摘要[：:]\s*(.*?)\s*", re.S)
THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

FILLER = ("本文针对该问题提出了一种新的方法，并在多个基准上进行了系统的实验验证。"
          "实验结果表明，该方法在性能和效率方面均优于现有的主流方法，"
          "具有良好的通用性和应用前景。")
SUMMARY = "本文提出了一种新方法并验证了其有效性。"
THINK = ("<think>\n让我想想这篇论文……用户要求按“标题：”和“摘要：”的格式翻译。"
         "标题：先直译再润色；摘要：保留所有数字和专有名词。\n</think>\n")


def normalise(s):
    return " ".join(s.split())


def numbers(text):
    """Numbers in an English abstract, in order, without duplicates.

    "14.36", "1%", "10-30%", "(1)" count; "3D", "GPT-4o", "Llama-3", "1.5B"
    do not (a letter or '.' just before, a letter joined by '-'/'_' before,
    or a letter just after).
    """
    text = THOUSANDS_RE.sub("", text)
    found = []
    for m in NUMBER_RE.finditer(text):
        a, b = m.start(), m.end()
        before = text[a - 1] if a else ""
        before2 = text[a - 2] if a > 1 else ""
        after = text[b] if b < len(text) else ""
        if (before.isalpha() or before == "."
                or (before and before in "-_" and before2.isalpha())
                or after.isalpha()):
            continue
        if m.group() not in found:
            found.append(m.group())
    return found


def synthesise(title, abstract):
    nums = numbers(abstract)
    text = FILLER + ("相关数值包括：" + "、".join(nums) + "。" if nums else "")
    return json.dumps({"title": "研究：" + title, "abstract": text,
                       "summary": SUMMARY}, ensure_ascii=False)


def text_of(content):
    """A message's text: a string, or the text parts of a content list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content
                       if isinstance(p, dict))
    return ""


def openai_error(message, code=None):
    err = {"message": message, "type": "invalid_request_error"}
    if code:
        err["code"] = code
    return {"error": err}


class State(fakeserver.State):
    def __init__(self, replay, latency, key):
        super().__init__()
        self.replay = replay          # normalised English title -> translation
        self.latency = latency
        self.key = key
        self.ids = itertools.count(1)
        self.reset()

    def reset(self):
        super().reset()
        self.stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0,
                      "answered": 0}


class Handler(fakeserver.Handler):
    server_version = "fake-llm/1"
    entry = None                      # log entry of the chat being answered

    def control_get(self, path):
        if path == "/_control/stats":
            with self.state.lock:
                return self.send(200, to_json(self.state.stats))
        super().control_get(path)

    def control_post(self, path, body):
        if path == "/_control/latency":
            try:
                seconds = float(json.loads(body)["seconds"])
            except (ValueError, KeyError, TypeError):
                self.send(400, to_json({"error": 'expected {"seconds": x}'}))
                return True
            self.state.latency = seconds
            self.send(200, to_json({"seconds": seconds}))
            return True
        return super().control_post(path, body)

    def api(self, url, body):
        if self.command == "POST" and url.path.endswith("/chat/completions"):
            return self.chat(url, body)
        if self.command == "GET" and url.path.endswith("/models"):
            return self.send(200, to_json({"object": "list", "data": [
                {"id": "fake-model", "object": "model"}]}))
        self.send(404, to_json(openai_error(
            f"Unknown request URL: {self.command} {url.path}")))

    def chat(self, url, body):
        """One chat request, counted in flight until its answer is written."""
        st = self.state
        try:
            req = json.loads(body)
        except ValueError:
            req = None
        entry = {"path": url.path, "headers": dict(self.headers.items()),
                 "body": req, "title": None, "start": time.time(),
                 "end": None, "status": None}
        with st.lock:
            st.log.append(entry)
            st.stats["requests"] += 1
            st.stats["in_flight"] += 1
            st.stats["max_in_flight"] = max(st.stats["max_in_flight"],
                                            st.stats["in_flight"])
        # Stats are settled into the dict counted in, so a reset while
        # requests are in flight leaves the fresh counts alone.
        self.entry, self.counts, self.sent = entry, st.stats, None
        try:
            self.chat_answer(req, entry)
        finally:
            self.settle()             # if not done yet (client hung up)

    def settle(self):
        """Close the request's log entry and stats, once per chat request."""
        entry, self.entry = self.entry, None
        if entry is None:
            return
        with self.state.lock:
            entry["end"] = time.time()
            entry["status"] = self.sent
            self.counts["in_flight"] -= 1
            self.counts["answered"] += self.sent == 200

    def send_response(self, code, message=None):
        self.sent = code              # what the request log reports
        super().send_response(code, message)

    def reply(self, status, body, headers=None, pieces=1, seconds=0.0):
        """Send a chat response, the body in `pieces` over `seconds`.

        The log and stats are settled just before the last byte goes out, so
        a client holding its whole answer always sees them up to date.
        """
        self.send(status, body, headers, send_bytes=0)
        cut = [len(body) * i // pieces for i in range(pieces + 1)]
        for i in range(pieces):
            if seconds:
                time.sleep(seconds / pieces)
            piece = body[cut[i]:cut[i + 1]]
            if i == pieces - 1:
                self.wfile.write(piece[:-1])
                self.settle()
                piece = piece[-1:]
            self.wfile.write(piece)

    def chat_answer(self, req, entry):
        st = self.state
        # Like api.openai.com: the key is checked before the body. Neither
        # a 401 nor a 400 waits for the latency or takes a fault.
        if st.key is not None and \
                self.headers.get("Authorization") != f"Bearer {st.key}":
            return self.reply(401, to_json(openai_error(
                "Incorrect API key provided", "invalid_api_key")))
        msgs = req.get("messages") if isinstance(req, dict) else None
        if not isinstance(msgs, list) or not msgs or \
                not all(isinstance(m, dict) for m in msgs):
            return self.reply(400, to_json(openai_error(
                "Invalid request: expected a JSON body with a non-empty "
                "'messages' array")))
        user = next((text_of(m.get("content")) for m in reversed(msgs)
                     if m.get("role") == "user"), "")
        t, a = TITLE_RE.search(user), ABSTRACT_RE.search(user)
        title, abstract = (t.group(1) if t else None), (a.group(1) if a else "")
        with st.lock:
            entry["title"] = title
        fault = st.take_fault(user) or {}

        time.sleep(st.latency + float(fault.get("delay", 0)))
        if fault.get("close"):
            self.settle()
            return self.reset_connection()
        headers = fault.get("headers")
        if "body" in fault or fault.get("status", 200) != 200:
            status = int(fault.get("status", 200))
            body = fault.get("body", openai_error(
                f"Injected error: HTTP {status}"))
            body = body.encode() if isinstance(body, str) else to_json(body)
            return self.reply(status, body, headers)
        if "raw" in fault:
            return self.reply(200, str(fault["raw"]).encode(), headers)

        content = self.content(fault, title or "", abstract)
        finish = "stop"
        if fault.get("truncate"):
            content, finish = content[:len(content) // 3], "length"
        if fault.get("think"):
            content = THINK + content
        prompt = sum(len(text_of(m.get("content"))) for m in msgs)
        # An OpenAI chat completion object.
        answer = {"id": f"chatcmpl-{next(st.ids)}", "object": "chat.completion",
                  "created": int(time.time()), "model": req.get("model"),
                  "choices": [{"index": 0, "finish_reason": finish,
                               "message": {"role": "assistant",
                                           "content": content}}]}
        if not fault.get("no_usage"):
            p, c = max(1, prompt // 4), max(1, len(content) // 2)
            answer["usage"] = {"prompt_tokens": p, "completion_tokens": c,
                               "total_tokens": p + c}
        body = to_json(answer)
        if fault.get("slow_body"):
            # Headers (with the full Content-Length) now, the body in pieces.
            return self.reply(200, body, headers, 20, float(fault["slow_body"]))
        self.reply(200, body, headers)

    def content(self, fault, title, abstract):
        if "content" in fault:
            return str(fault["content"])
        if fault.get("empty"):
            return ""
        if fault.get("english"):
            return json.dumps({"title": title, "abstract": abstract,
                               "summary": "An English sentence."})
        translation = self.state.replay.get(normalise(title))
        if translation is None:
            content = synthesise(title, abstract)
        elif fault.get("format") == "json":
            m = LABELLED_RE.fullmatch(translation)
            t, a = m.groups() if m else ("", translation)
            content = json.dumps({"title": t, "abstract": a},
                                 ensure_ascii=False)
        else:
            content = translation
        if fault.get("drop_numbers"):
            content = re.sub(r"[0-9]", "", content)
        return content


def load_replay(paths):
    replay = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for entry in json.load(f).values():
                replay[normalise(entry["title"])] = entry["translation"]
    return replay


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portfile", required=True, help="write chosen port here")
    ap.add_argument("--replay", action="append", default=[], metavar="FILE",
                    help="JSON {id: {title, translation}} to answer from "
                         "(repeatable)")
    ap.add_argument("--latency", type=float, default=0.0, metavar="SEC",
                    help="wait this long before every chat answer")
    ap.add_argument("--require-key", metavar="KEY",
                    help="answer 401 unless 'Authorization: Bearer KEY'")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()
    state = State(load_replay(args.replay), args.latency, args.require_key)
    fakeserver.serve(Handler, state, args.portfile, args.verbose)


if __name__ == "__main__":
    main()
