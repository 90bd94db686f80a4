#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora (fuzz/corpus/NAME/seed-*) from the fixtures.

The seeds are real data: Hugging Face pages (tests/fixtures/hf-api), the old bot's
translations (tests/fixtures/llm-replay, data/demo), the shipped config and
templates, and WAVs made here. They are kept in git beside the crashers
(fuzz/corpus/NAME/crash-*), so the CTest entries fuzz/NAME replay both without
running this; run it again after a fixture or format changes. Structured targets
take records separated by 0x1E with fields separated by 0x1F (fuzz/fuzz.h).
"""
import io
import json
import pathlib
import struct
import wave

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "fuzz" / "corpus"
RS, US = "\x1e", "\x1f"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / f"seed-{name}").write_bytes(data)


def page(day, n=None):
    entries = json.loads((FIX / "hf-api" / f"{day}.json").read_text("utf-8"))
    return entries if n is None else entries[:n]


def labelled(translation):
    """The old bot's "标题：T\n\n摘要：A" as (title, abstract)."""
    head, _, abstract = translation.partition("摘要：")
    return head.replace("标题：", "").strip(), abstract.strip()


def paper_records(day, replay=None, n=None):
    records = []
    for e in page(day, n):
        p = e["paper"]
        title_zh = abstract_zh = summary = ""
        if replay and p["id"] in replay:
            title_zh, abstract_zh = labelled(replay[p["id"]]["translation"])
            summary = abstract_zh.split("。")[0] + "。"
        authors = ",".join(a.get("name", "") for a in p.get("authors", [])[:8])
        keywords = ",".join(p.get("ai_keywords", []) or [])
        records.append(US.join([p["title"], p["summary"], title_zh, abstract_zh, summary, authors,
                                keywords, p.get("githubRepo") or "", p.get("projectPage") or "",
                                (p.get("organization") or {}).get("fullname", ""),
                                str(p.get("upvotes", 0)), "大模型、智能体、多模态"]))
    return RS.join(records)


def chat_completion(content, tokens=(812, 403)):
    return json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "model": "deepseek-chat",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                    "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1],
                                 "total_tokens": sum(tokens)}}, ensure_ascii=False)


def wav(rate, channels, frames, extra_chunk=None):
    b = io.BytesIO()
    with wave.open(b, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", (i * 997) % 30000 - 15000)
                               for i in range(frames * channels)))
    data = b.getvalue()
    if extra_chunk:  # a LIST chunk before "data", odd-sized, as some servers send
        fmt_end = 12 + 8 + 16
        data = data[:fmt_end] + extra_chunk + data[fmt_end:]
        data = data[:4] + struct.pack("<I", len(data) - 8) + data[8:]
    return data


def main():
    replay = json.loads((FIX / "llm-replay" / "2025-01-23.json").read_text("utf-8"))

    for day in ("2025-01-23", "2025-12-26"):
        write("hf_page", day, json.dumps(page(day, 4), ensure_ascii=False))
    for name in ("malformed-python-repr", "malformed-status-wrapper"):
        write("hf_page", name, (FIX / "hf-api" / f"{name}.json").read_bytes()[:6000])
    write("hf_page", "empty", "[]")
    # A U+0000 in keys (jansson refuses them even with JSON_ALLOW_NUL): the entry is skipped.
    write("hf_page", "nul-in-key",
          '[{"paper": {"id": "2501.1", "title": "One", "summary": "S", "authors": [{"name": "A"}]}, '
          '"publishedAt": "2025-01-01"}, {"paper": {"id": "2501.2", "title": "Two", '
          '"summ\\u0000ary": "S", "authors": [{"na\\u0000me": "A"}]}, "publishedAt": "2025-01-01", '
          '"x\\u0000": 1}]')

    for pid, r in list(replay.items())[:3]:
        title, abstract = labelled(r["translation"])
        obj = json.dumps({"title": title, "abstract": abstract,
                          "summary": abstract.split("。")[0] + "。"}, ensure_ascii=False)
        write("llm_answer", f"json-{pid}", chat_completion(obj))
        write("llm_answer", f"fenced-{pid}", chat_completion("<think>先看数字。</think>\n```json\n" + obj + "\n```"))
        write("llm_answer", f"labelled-{pid}", chat_completion(r["translation"]))
    write("llm_answer", "raw-labelled", next(iter(replay.values()))["translation"])

    write("oldbot", "day", b"\x00" + json.dumps(page("2025-12-26", 3), ensure_ascii=False).encode())
    clean = json.loads((ROOT / "data" / "demo" / "HF-day-paper-deepseek" /
                        "2025-12-26_HF_deepseek_clean.json").read_text("utf-8"))
    write("oldbot", "translations", b"\x01" + json.dumps(clean[:3], ensure_ascii=False).encode())

    values = "\n".join(["8", "0.5", "-1", "1e400", "nan", "$0.50", "200k", "1.5m", "2025-12-26",
                        "2024-02-29", "https://api.deepseek.com/v1", "http://127.0.0.1:8080",
                        "zh-CN, zh-TW", "brief", "full", "", "99999999999999999999"])
    ini = (ROOT / "data" / "paperboy.ini").read_text("utf-8")
    write("config", "shipped", ini + RS + values)
    write("config", "deliver", "[mail]\nurl = smtps://smtp.example.org\nfrom = a@example.org\n"
          "to = b@example.org\npassword_env = MAIL_PASSWORD\n\n[push.team]\ntype = slack\n"
          "url_env = SLACK_URL\n\n[alerts]\npush = team\n" + RS + values)

    paper_vars = [("index", "1"), ("title_zh", "FilmAgent：多智能体框架"),
                  ("title", "FilmAgent: A Multi-Agent Framework"), ("abstract", "虚拟电影制作……"),
                  ("hf_url", "https://huggingface.co/papers/2501.12909"),
                  ("arxiv_url", "https://arxiv.org/abs/2501.12909"), ("code_line", ""),
                  ("date", "2025-12-26"), ("total", "7"), ("hot_topics", "智能体"),
                  ("wordcloud", "../images/x.png"), ("chart", "../images/y.png"),
                  ("audio_line", ""), ("channels", "")]
    for md in sorted((ROOT / "data" / "newsletter").glob("*.md")):
        write("template", md.stem, RS.join([md.read_text("utf-8")] + [US.join(v) for v in paper_vars]))

    for target in ("script", "newsletter"):
        write(target, "translated-2025-01-23", paper_records("2025-01-23", replay))
        write(target, "english-2025-12-26", paper_records("2025-12-26", None, 3))
        write(target, "one", paper_records("2025-01-23", replay, 1))

    items = []
    for i, (pid, r) in enumerate(list(replay.items())[:3]):
        title, abstract = labelled(r["translation"])
        items.append(US.join([f"Hugging Face 论文日报 2025-12-2{6 - i}", abstract[:300], abstract[:80],
                              f"<h3>{title}</h3><p>{abstract[:200]}</p>", str(2400000 + i),
                              str(180 + i), f"posters/2025-12-2{6 - i}_poster.png", "days/",
                              "owner@example.org", "Science", "", "Hugging Face 论文日报",
                              "每天的论文，中文", "paperboy"]))
    write("feed", "three-days", RS.join(items))

    write("wav", "mono-16k", wav(16000, 1, 200))
    write("wav", "stereo-24k", wav(24000, 2, 100))
    write("wav", "list-chunk", wav(22050, 1, 64, b"LIST\x05\x00\x00\x00INFOx\x00"))

    tags = US.join(["Hugging Face 论文日报 2025-12-26", "paperboy", "Hugging Face 论文日报",
                    "2025-12-26", "Podcast", "7 篇论文", "\x89PNG\r\n\x1a\n...."])
    chapters = [US.join([labelled(r["translation"])[0], str(20000 + 1000 * i)])
                for i, r in enumerate(replay.values())]
    write("id3", "chapters", RS.join([tags] + chapters))
    write("id3", "ascii", RS.join([US.join(["Daily", "paperboy", "Album", "", "", ""]),
                                   US.join(["Intro", "5000"])]))


if __name__ == "__main__":
    main()
