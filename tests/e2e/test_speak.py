#!/usr/bin/env python3
"""The audio broadcast: script, espeak-ng and HTTP voices, MP3 + ID3 chapters, podcast feed."""
import json
import os
import subprocess
import wave
import xml.etree.ElementTree as ET

import pbtest
from pbtest import query, read_text

# Debian's interpreter: python3-mutagen is installed for it (the test runner may be another).
SYSTEM_PYTHON = "/usr/bin/python3"

READ_TAGS = r"""
import json, sys
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
t = ID3(sys.argv[1], translate=False)
out = {
    "title": str(t.get("TIT2")), "artist": str(t.get("TPE1")), "album": str(t.get("TALB")),
    "year": str(t.get("TYER")), "genre": str(t.get("TCON")),
    "cover": [a.mime for a in t.getall("APIC")],
    "toc": [list(c.child_element_ids) for c in t.getall("CTOC")],
    "chapters": [[c.element_id, c.start_time, c.end_time, str(c.sub_frames.get("TIT2"))]
                 for c in sorted(t.getall("CHAP"), key=lambda c: c.start_time)],
    "length": MP3(sys.argv[1]).info.length,
}
print(json.dumps(out, ensure_ascii=False))
"""


def read_tags(path):
    p = subprocess.run([SYSTEM_PYTHON, "-I", "-c", READ_TAGS, path], capture_output=True, text=True)
    if p.returncode:
        raise AssertionError("mutagen could not read the tags (is python3-mutagen installed?):\n" + p.stderr)
    return json.loads(p.stdout)


def decoded_seconds(mp3, tmp):
    """Decode with mpg123, an independent decoder, and measure the PCM it produced."""
    wav = os.path.join(tmp, "decoded.wav")
    subprocess.run(["mpg123", "-q", "-w", wav, mp3], check=True)
    with wave.open(wav) as w:
        return w.getnframes() / w.getframerate()


class SpeakTest(pbtest.PaperboyTestCase):
    def day(self, date="2025-12-26", translations=True):
        self.archive_day(date, translations)

    def mp3(self, date="2025-12-26"):
        return os.path.join(self.out, "audio", f"{date}_daily_papers.mp3")

    def chinese_titles(self, date):
        md = read_text(os.path.join(pbtest.GOLDEN, f"{date}_daily_paper.md"))
        return [l.split(". ", 1)[1] for l in md.split("\n") if l.startswith("### ")]

    def test_script_only(self):
        self.day()
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only"])
        self.assertExit(p, 0)
        text = p.stdout
        self.assertTrue(text.startswith("欢迎收听Hugging Face 2025年12月26日论文日报。今天为您带来7篇论文解读。\n\n第1篇论文：潜在隐式视觉推理。"))
        self.assertTrue(text.endswith("感谢收听，我们明天再会。\n"))
        self.assertIn("第7篇论文：", text)
        self.assertNotIn("https://", text)  # VA-π's code URL is not read out
        self.assertIn("百分之10到30", text)  # GTR-Turbo's 10-30%
        self.assertFalse(os.path.exists(self.mp3()))

    def test_espeak_broadcast_with_chapters(self):
        self.day()
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26"])
        self.assertExit(p, 0)
        self.assertIn("7 chapters", p.stderr)
        tags = read_tags(self.mp3())
        self.assertEqual(tags["title"], "Hugging Face 2025-12-26 论文日报")
        self.assertEqual(tags["artist"], "paperboy")
        self.assertEqual(tags["year"], "2025")
        self.assertEqual(tags["genre"], "Podcast")
        self.assertEqual(tags["cover"], ["image/png"])  # the poster
        chapters = tags["chapters"]
        self.assertEqual([c[3] for c in chapters], self.chinese_titles("2025-12-26"))
        self.assertEqual(tags["toc"], [[c[0] for c in chapters]])
        # Times increase, do not overlap, and lie inside the audio.
        decoded = decoded_seconds(self.mp3(), self.tmp)
        for (_, start, end, _), nxt in zip(chapters, chapters[1:] + [None]):
            self.assertLess(start, end)
            if nxt:
                self.assertEqual(end, nxt[1])
        self.assertGreater(chapters[0][1], 1000)  # the intro comes first
        # The last chapter ends where the spoken samples end; the decoder agrees within
        # the encoder's delay and last-frame padding.
        spoken = chapters[-1][2] / 1000
        self.assertAlmostEqual(decoded, spoken, delta=0.2)
        self.assertAlmostEqual(tags["length"], spoken, delta=0.2)
        self.assertGreater(spoken, 120)
        # Recorded for the feed; the edition now links it.
        row = query(os.path.join(self.out, "paperboy.db"), "SELECT bytes, duration_ms, chapters, voice FROM audio")
        self.assertEqual(row, [(os.path.getsize(self.mp3()), chapters[-1][2], 7, "espeak-ng:cmn-latn-pinyin")])
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertIn("- [收听今日论文解读](../audio/2025-12-26_daily_papers.mp3)", md)
        html = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.html"))
        self.assertIn('<audio class="broadcast" controls preload="metadata" '
                      'src="../audio/2025-12-26_daily_papers.mp3">', html)

    def test_untranslated_papers_are_read_in_english(self):
        self.day(translations=False)
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26"])
        self.assertExit(p, 0)
        chapters = read_tags(self.mp3())["chapters"]
        self.assertEqual(chapters[0][3], "Latent Implicit Visual Reasoning")

    def test_voice_and_rate_are_configurable(self):
        self.day()
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--voice", "no-such-voice"])
        self.assertExit(p, 1)
        self.assertIn("espeak-ng has no voice 'no-such-voice'", p.stderr)
        self.assertFalse(os.path.exists(self.mp3()))
        # A faster rate makes a shorter broadcast of the same script.
        self.assertExit(pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--rate", "140"]), 0)
        slow = read_tags(self.mp3())["chapters"][-1][2]
        self.assertExit(pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--rate", "260"]), 0)
        fast = read_tags(self.mp3())["chapters"][-1][2]
        self.assertLess(fast, slow * 0.8)

    def test_http_voice(self):
        self.day()
        tts = self.fake_tts(latency=0.2)
        script = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only"]).stdout
        segments = script.rstrip("\n").split("\n\n")
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url,
                        "--tts-model", "fake-tts", "--tts-voice", "nova", "--tts-jobs", "3"],
                       env={"PAPERBOY_LLM_KEY": "sk-tts-secret"})
        self.assertExit(p, 0)
        self.assertNotIn("sk-tts-secret", p.stdout + p.stderr)
        reqs = tts.requests()
        # Long segments go out in pieces of at most 1200 bytes, cut at sentence ends; together
        # the pieces are exactly the script.
        inputs = [r["body"]["input"] for r in reqs]
        self.assertGreater(len(inputs), len(segments))
        self.assertTrue(all(len(i.encode()) <= 1200 for i in inputs))
        self.assertTrue(all(any(i in seg for seg in segments) for i in inputs))
        self.assertEqual(sum(len(i) for i in inputs), sum(len(seg) for seg in segments))
        for r in reqs:
            self.assertEqual((r["body"]["model"], r["body"]["voice"], r["body"]["response_format"]),
                             ("fake-tts", "nova", "wav"))
            self.assertEqual(r["headers"].get("Authorization"), "Bearer sk-tts-secret")
        self.assertLessEqual(tts.stats()["max_in_flight"], 3)
        self.assertGreaterEqual(tts.stats()["max_in_flight"], 2)
        # Chapter times follow from the samples: the fake speaks 0.05 s per character,
        # and paperboy pauses 0.6 s after every segment.
        chapters = read_tags(self.mp3())["chapters"]
        t = 0.0
        starts = []
        for seg in segments[:-1]:
            starts.append(t)
            t += len(seg) * 0.05 + 0.6
        self.assertEqual([c[1] for c in chapters], [round(s * 1000) for s in starts[1:]])
        total = t + len(segments[-1]) * 0.05 + 0.6
        self.assertEqual(chapters[-1][2], round(total * 1000))
        self.assertAlmostEqual(decoded_seconds(self.mp3(), self.tmp), total, delta=0.2)

    def test_http_voice_retries_broken_answers(self):
        self.day()
        tts = self.fake_tts()
        tts.faults([{"status": 500}, {"truncate_audio": True}, {"close": True}])
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url])
        self.assertExit(p, 0)
        self.assertIn("HTTP 500", p.stderr)
        self.assertIn("cut short", p.stderr)
        self.assertEqual(len(read_tags(self.mp3())["chapters"]), 7)

    def test_failed_voice_never_loses_the_edition(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        tts = self.fake_tts(require_key="right-key")
        p = pbtest.run(["run", "--out", self.out, "--date", "2025-12-26", "--hf-url", hf.url,
                        "--llm-url", llm.url, "--tts-url", tts.url], env={"OPENAI_API_KEY": "wrong-key"})
        self.assertExit(p, 3)  # partial: the edition went out without audio
        self.assertIn("no audio for 2025-12-26", p.stderr)
        self.assertIn("HTTP 401", p.stderr)
        self.assertIn("OPENAI_API_KEY", p.stderr)
        self.assertNotIn("wrong-key", p.stderr)
        md = read_text(os.path.join(self.out, "newsletters", "2025-12-26_daily_paper.md"))
        self.assertIn("- 今日暂无语音播报", md)
        self.assertFalse(os.path.exists(self.mp3()))
        r = json.load(open(os.path.join(self.out, "reports", "2025-12-26_run.json")))
        self.assertEqual(r["status"], "partial")
        self.assertEqual(r["stages"]["speak"]["status"], "failed")
        self.assertIn("HTTP 401", r["stages"]["speak"]["error"])
        self.assertEqual(r["stages"]["render"]["status"], "ok")

    def test_podcast_feed(self):
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w") as f:
            f.write("[feed]\nbase_url = https://example.org/daily\n")
        self.day()
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-01-23", "--hf-url", hf.url]), 0)
        for date in ("2025-01-23", "2025-12-26"):
            p = pbtest.run(["speak", "--out", self.out, "--date", date, "--config", cfg])
            self.assertExit(p, 0)
        feed = os.path.join(self.out, "feed", "podcast.xml")
        root = ET.parse(feed).getroot()  # well-formed XML
        ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
        channel = root.find("channel")
        self.assertEqual(channel.findtext("title"), "Hugging Face 论文日报")
        items = channel.findall("item")
        self.assertEqual([i.findtext("guid") for i in items], ["paperboy-2025-12-26", "paperboy-2025-01-23"])
        for item, date in zip(items, ("2025-12-26", "2025-01-23")):
            enc = item.find("enclosure")
            self.assertEqual(enc.get("url"), f"https://example.org/daily/audio/{date}_daily_papers.mp3")
            self.assertEqual(int(enc.get("length")), os.path.getsize(self.mp3(date)))
            self.assertEqual(enc.get("type"), "audio/mpeg")
            self.assertRegex(item.findtext("itunes:duration", namespaces=ns), r"^\d+:\d\d:\d\d$")
        self.assertEqual(items[0].findtext("pubDate"), "Fri, 26 Dec 2025 08:00:00 +0800")
        # Speaking a day again keeps its GUID.
        self.assertExit(pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--config", cfg]), 0)
        again = ET.parse(feed).getroot().find("channel").findall("item")
        self.assertEqual([i.findtext("guid") for i in again], ["paperboy-2025-12-26", "paperboy-2025-01-23"])


if __name__ == "__main__":
    pbtest.main()
