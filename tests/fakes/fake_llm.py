#!/usr/bin/env python3
"""Fake OpenAI-compatible chat API for paperboy's tests and benchmarks.

  POST .../chat/completions  a chat completion translating paperboy's user
                             message ("Title: ...\\n\\nAbstract: ..."):
                             the old bot's translation when --replay knows
                             the title, else a synthesised Chinese JSON answer
  GET  .../models            one model, "fake-model"

Control API: fakeserver's /_control/faults, requests, reset, stats and
latency (fakeserver.OpenAIHandler); the latency is that of every chat answer.

Fault object fields: fakeserver.OpenAIHandler's (times, delay, close, status,
body, headers, raw, slow_body; the latency is waited first), and
  match       only requests whose last user message contains this substring
  think       prefix the content with a <think>...</think> block
  truncate    content cut to its first third, finish_reason "length"
  drop_numbers  every ASCII digit removed from the content
  english     content is an English JSON answer
  empty       content is ""
  content     exactly this content
  format      "json": replayed papers are answered as JSON, not labelled text
  no_usage    omit the usage object
  usage       exactly this usage object (hostile counts: negative, 1e30)

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


class State(fakeserver.OpenAIState):
    def __init__(self, replay, latency, key):
        super().__init__(latency, key)
        self.replay = replay          # normalised English title -> translation
        self.ids = itertools.count(1)


class Handler(fakeserver.OpenAIHandler):
    server_version = "fake-llm/1"
    log_fields = {"title": None}      # the user message's title, if any

    def api(self, url, body):
        if self.command == "POST" and url.path.endswith("/chat/completions"):
            return self.counted(url, body)
        if self.command == "GET" and url.path.endswith("/models"):
            return self.send(200, to_json({"object": "list", "data": [
                {"id": "fake-model", "object": "model"}]}))
        self.not_found(url)

    def answer(self, req, entry):
        """A chat completion, once the key and the messages are right."""
        st = self.state
        if not self.key_ok():
            return
        msgs = req.get("messages") if isinstance(req, dict) else None
        if not isinstance(msgs, list) or not msgs or \
                not all(isinstance(m, dict) for m in msgs):
            return self.invalid(
                "Invalid request: expected a JSON body with a non-empty "
                "'messages' array")
        user = next((text_of(m.get("content")) for m in reversed(msgs)
                     if m.get("role") == "user"), "")
        t, a = TITLE_RE.search(user), ABSTRACT_RE.search(user)
        title, abstract = (t.group(1) if t else None), (a.group(1) if a else "")
        with st.lock:
            entry["title"] = title
        fault = self.fault_for(user)
        if self.fault_reply(fault):
            return

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
        if "usage" in fault:
            answer["usage"] = fault["usage"]
        elif not fault.get("no_usage"):
            p, c = max(1, prompt // 4), max(1, len(content) // 2)
            answer["usage"] = {"prompt_tokens": p, "completion_tokens": c,
                               "total_tokens": p + c}
        self.reply_ok(to_json(answer), fault)

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
    fakeserver.add_openai_options(ap, "chat")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()
    state = State(load_replay(args.replay), args.latency, args.require_key)
    fakeserver.serve(Handler, state, args.portfile, args.verbose)


if __name__ == "__main__":
    main()
