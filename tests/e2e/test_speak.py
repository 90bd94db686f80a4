#!/usr/bin/env python3
"""The audio broadcast: script, espeak-ng and HTTP voices, MP3 + ID3 chapters, podcast feed."""
import json
import math
import os
import struct
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


PHONEMES = r"""
import ctypes, json, sys
lib = ctypes.CDLL("libespeak-ng.so.1")
lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
lib.espeak_Initialize(2, 0, None, 0x8000)
lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
lib.espeak_SetVoiceByName(b"cmn-latn-pinyin")
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
out = []
for text in json.loads(sys.argv[1]):
    buf = ctypes.create_string_buffer(text.encode())
    ptr = ctypes.c_void_p(ctypes.addressof(buf))
    said = []
    while ptr.value:
        r = lib.espeak_TextToPhonemes(ctypes.byref(ptr), 1, 0)
        if r:
            said.append(r.decode())
    out.append(" ".join(said))
print(json.dumps(out))
"""


def phonemes(texts):
    """espeak-ng's phonemes for each text in its Mandarin voice (espeak_TextToPhonemes)."""
    p = subprocess.run([SYSTEM_PYTHON, "-I", "-c", PHONEMES, json.dumps(texts)], capture_output=True,
                       text=True, check=True)
    return json.loads(p.stdout)


def decoded_samples(mp3, tmp):
    """mpg123's PCM of the file: (samples as a list of ints, rate)."""
    wav = os.path.join(tmp, "decoded.wav")
    subprocess.run(["mpg123", "-q", "-w", wav, mp3], check=True)
    with wave.open(wav) as w:
        rate, n, ch = w.getframerate(), w.getnframes(), w.getnchannels()
        data = w.readframes(n)
    samples = list(struct.unpack(f"<{n * ch}h", data))[::ch]
    return samples, rate


def silences(samples, rate, min_s=0.15, window_s=0.01, quiet_db=-50.0):
    """Runs of 10 ms windows whose RMS is below quiet_db, at least min_s long: [(start, end)] s."""
    w = int(rate * window_s)
    limit = (10 ** (quiet_db / 20) * 32768) ** 2
    runs, start = [], None
    for k in range(len(samples) // w):
        block = samples[k * w:(k + 1) * w]
        quiet = sum(x * x for x in block) / w < limit
        if quiet and start is None:
            start = k
        elif not quiet and start is not None:
            if (k - start) * window_s >= min_s:
                runs.append((start * window_s, k * window_s))
            start = None
    if start is not None and (len(samples) // w - start) * window_s >= min_s:
        runs.append((start * window_s, len(samples) // w * window_s))
    return runs


def biquad(x, b, a):
    y, z1, z2 = [], 0.0, 0.0
    for v in x:
        o = b[0] * v + z1
        z1 = b[1] * v - a[1] * o + z2
        z2 = b[2] * v - a[2] * o
        y.append(o)
    return y


def loudness_lufs(samples, rate):
    """Integrated loudness, ITU-R BS.1770-4 (K-weighting, 400 ms blocks, both gates)."""
    x = [v / 32768 for v in samples]
    k = math.tan(math.pi * 1681.974450955533 / rate)
    vh, q = 10 ** (3.999843853973347 / 20), 0.7071752369554196
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    x = biquad(x, [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0],
               [1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    k, q = math.tan(math.pi * 38.13547087602444 / rate), 0.5003270373238773
    a0 = 1 + k / q + k * k
    x = biquad(x, [1, -2, 1], [1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    step = rate // 10
    power = [sum(v * v for v in x[i:i + step]) for i in range(0, len(x) - step + 1, step)]
    blocks = [sum(power[i:i + 4]) / (4 * step) for i in range(len(power) - 3)]
    gated = [b for b in blocks if b > 10 ** ((-70 + 0.691) / 10)]
    rel = sum(gated) / len(gated) * 0.1
    gated = [b for b in gated if b > rel]
    return -0.691 + 10 * math.log10(sum(gated) / len(gated))


def true_peak_dbtp(samples):
    """4x oversampled peak (a windowed-sinc interpolator, as BS.1770's true-peak meter)."""
    taps = 12
    kernels = []
    for phase in (0.25, 0.5, 0.75):
        ker = []
        for t in range(-taps + 1, taps + 1):
            d = t - phase
            w = 0.5 * (1 + math.cos(math.pi * d / taps))
            ker.append(math.sin(math.pi * d) / (math.pi * d) * w)
        kernels.append(ker)
    peak = max(abs(v) for v in samples)
    loud = [i for i, v in enumerate(samples) if abs(v) > peak * 0.7]
    for i in loud:
        for ker in kernels:
            acc = 0.0
            for j, c in enumerate(ker):
                n = i + j - taps + 1
                if 0 <= n < len(samples):
                    acc += samples[n] * c
            peak = max(peak, abs(acc))
    return 20 * math.log10(peak / 32768)


def mp3_info_tag(path):
    """The Xing/Info tag of the first MPEG frame after the ID3 tag: (tag, frames) or None."""
    data = open(path, "rb").read()
    off = 0
    if data[:3] == b"ID3":
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        off = 10 + size
    frame = data[off:off + 2000]
    assert frame[0] == 0xFF and frame[1] & 0xE0 == 0xE0, "no MPEG frame after the ID3 tag"
    for tag in (b"Info", b"Xing"):
        i = frame.find(tag)
        if 0 < i < 64:
            flags = struct.unpack(">I", frame[i + 4:i + 8])[0]
            frames = struct.unpack(">I", frame[i + 8:i + 12])[0] if flags & 1 else None
            return tag.decode(), frames
    return None


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
        # Numbers are Chinese words: the year too, not left to the English voice.
        self.assertTrue(text.startswith("欢迎收听Hugging Face 二零二五年十二月二十六日论文日报。今天为您带来七篇论文解读。\n\n第一篇论文：潜在隐式视觉推理。"))
        self.assertTrue(text.endswith("感谢收听，我们下周一再会。\n"))  # 2025-12-26 is a Friday
        self.assertIn("第七篇论文：", text)
        self.assertFalse(os.path.exists(self.mp3()))
        # Brief (the default): title and one sentence per paper (these replayed answers have
        # no 一句话总结, so the abstract's first sentence).
        self.assertIn("第五篇论文：视频基础模型在多大程度上编码三维信息？视频是三维世界的连续二维投影。\n", text)
        full = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only",
                           "--content", "full"]).stdout
        self.assertNotIn("https://", full)  # VA-π's code URL is not read out,
        self.assertNotIn("代码可在获取", full)  # nor the clause that pointed at it
        self.assertIn("百分之十到三十", full)  # GTR-Turbo's 10-30%
        self.assertIn("十四点三六", full)  # FID 14.36
        self.assertIn("零点三零六", full)
        self.assertGreater(len(full), 3 * len(text))
        self.assertNotRegex(full, r"[0-9]")  # no digit is left for the English voice
        # What espeak-ng's Mandarin voice makes of it: 点 (t'iE214n) between 十四 and 三六.
        said = phonemes(["14.36", "十四点三六"])
        self.assertNotIn("iE214n", said[0])  # the digits alone lose the point
        self.assertIn("iE214n", said[1])
        bad = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only",
                          "--content", "long"])
        self.assertExit(bad, 2)
        self.assertIn("brief|full", bad.stderr)

    def test_espeak_broadcast_with_chapters(self):
        self.day()
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", "2025-12-26"]), 0)
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26"])
        self.assertExit(p, 0)
        self.assertIn("8 chapters", p.stderr)  # the greeting, then one per paper
        tags = read_tags(self.mp3())
        self.assertEqual(tags["title"], "Hugging Face 2025-12-26 论文日报")
        self.assertEqual(tags["artist"], "paperboy")
        self.assertEqual(tags["year"], "2025")
        self.assertEqual(tags["genre"], "Podcast")
        self.assertEqual(tags["cover"], ["image/png"])  # the poster
        chapters = tags["chapters"]
        self.assertEqual([c[3] for c in chapters], ["开场"] + self.chinese_titles("2025-12-26"))
        self.assertEqual(tags["toc"], [[c[0] for c in chapters]])
        # Times increase, do not overlap, and lie inside the audio.
        decoded = decoded_seconds(self.mp3(), self.tmp)
        for (_, start, end, _), nxt in zip(chapters, chapters[1:] + [None]):
            self.assertLess(start, end)
            if nxt:
                self.assertEqual(end, nxt[1])
        self.assertEqual(chapters[0][1], 0)  # the greeting is its own chapter
        self.assertGreater(chapters[1][1], 3000)
        # The last chapter ends where the spoken samples end; the decoder agrees within
        # the encoder's delay and last-frame padding.
        spoken = chapters[-1][2] / 1000
        self.assertAlmostEqual(decoded, spoken, delta=0.2)
        self.assertAlmostEqual(tags["length"], spoken, delta=0.2)
        self.assertGreater(spoken, 60)
        # Recorded for the feed; the edition now links it.
        row = query(os.path.join(self.out, "paperboy.db"), "SELECT bytes, duration_ms, chapters, voice FROM audio")
        self.assertEqual(row, [(os.path.getsize(self.mp3()), chapters[-1][2], 8, "espeak-ng:cmn-latn-pinyin")])
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
        self.assertEqual(chapters[1][3], "Latent Implicit Visual Reasoning")

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
        script = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only",
                             "--content", "full"]).stdout
        segments = script.rstrip("\n").split("\n\n")
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url,
                        "--tts-model", "fake-tts", "--tts-voice", "nova", "--tts-jobs", "3",
                        "--content", "full"],
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
        # and paperboy pauses 1.2 s after every segment (a clear break between papers).
        chapters = read_tags(self.mp3())["chapters"]
        t = 0.0
        starts = []
        for seg in segments[:-1]:
            starts.append(t)
            t += len(seg) * 0.05 + 1.2
        self.assertEqual([c[1] for c in chapters], [round(s * 1000) for s in starts])
        total = t + len(segments[-1]) * 0.05 + 1.2
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
        self.assertEqual(len(read_tags(self.mp3())["chapters"]), 8)

    def test_hostile_wav_fails_fast(self):
        # A chunk size of 0xFFFFFFF7 once wrapped the parser's step to 0: speak spun at 100 % CPU
        # forever, deaf to SIGTERM. Now each answer is refused at once, retried, and reported.
        self.day()
        header = (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + b"fmt "
                  + struct.pack("<IHHIIHH", 16, 1, 1, 24000, 48000, 2, 16))
        wrap = header + b"LIST" + struct.pack("<I", 0xFFFFFFF7) + b"x" * 16
        tts = self.fake_tts()
        tts.faults([{"raw_hex": wrap.hex(), "times": 1000}])
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url],
                       timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("'LIST' chunk of 4294967287 bytes runs past the end", p.stderr)
        self.assertFalse(os.path.exists(self.mp3()))
        # A 2 GHz header is refused with the server's number, before any sample is allocated.
        tts.reset()
        giga = (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + b"fmt "
                + struct.pack("<IHHIIHH", 16, 1, 1, 2000000000, 4000000000, 2, 16)
                + b"data" + struct.pack("<I", 4) + b"\0\0\0\0")
        tts.faults([{"raw_hex": giga.hex(), "times": 1000}])
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url],
                       timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("2000000000 Hz", p.stderr)
        self.assertFalse(os.path.exists(self.mp3()))

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

    def test_fluent_level_and_exact_duration(self):
        """No pause over 150 ms inside a sentence, >= 1 s between papers; -16 LUFS, <= -1 dBTP; Info tag."""
        self.day()
        p = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26"])
        self.assertExit(p, 0)
        script = pbtest.run(["speak", "--out", self.out, "--date", "2025-12-26", "--script-only"]).stdout
        samples, rate = decoded_samples(self.mp3(), self.tmp)
        gaps = silences(samples, rate)
        # Sentences are joined by 0.4 s and segments by 1.2 s: a pause of 150-300 ms could
        # only be inside a sentence (espeak pads every voice switch with ~0.3 s).
        inside = [g for g in gaps if g[1] - g[0] < 0.3 and g[1] < len(samples) / rate - 0.5]
        self.assertEqual(inside, [])
        ends = sum(script.count(m) for m in "。！？；")
        self.assertLessEqual(len(gaps), ends + 1)
        # Every paper starts after a pause of at least 1 s.
        chapters = read_tags(self.mp3())["chapters"]
        for _, start, _, title in chapters[1:]:
            # (the silence ends at the chapter start, or a little later: speech fades in)
            before = [g for g in gaps if -0.05 < g[1] - start / 1000 < 0.3]
            self.assertTrue(before and before[0][1] - before[0][0] >= 1.0, (title, start, before))
        # Podcast level: loudness near -16 LUFS, true peak at most -1 dBTP (measured here on
        # the decoded MP3, BS.1770-4).
        lufs = loudness_lufs(samples, rate)
        self.assertAlmostEqual(lufs, -16.0, delta=1.0)
        self.assertLessEqual(true_peak_dbtp(samples), -1.0)
        # The LAME Info tag: the exact frame count, so players know the duration.
        info = mp3_info_tag(self.mp3())
        self.assertIsNotNone(info)
        self.assertEqual(info[0], "Info")  # CBR
        spf = 1152 if rate >= 32000 else 576
        self.assertAlmostEqual(info[1] * spf / rate, chapters[-1][2] / 1000, delta=0.1)

    def test_speech_is_never_paid_twice(self):
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w") as f:
            f.write("[speak]\ntts_model = tts-1\n")
        hf = self.fake_hf()
        llm = self.fake_llm()
        tts = self.fake_tts()
        argv = ["--out", self.out, "--date", "2025-12-26", "--tts-url", tts.url, "--config", cfg]
        p = pbtest.run(["run", "--hf-url", hf.url, "--llm-url", llm.url] + argv,
                       env={"PAPERBOY_LLM_KEY": "k"})
        self.assertExit(p, 0)
        first = len(tts.requests())
        self.assertEqual(first, 9)  # greeting, 7 papers, closing line (brief: no long pieces)
        report = os.path.join(self.out, "reports", "2025-12-26_run.json")
        t = json.load(open(report))["stages"]["speak"]["tts"]
        chars = sum(len(r["body"]["input"]) for r in tts.requests())
        self.assertEqual((t["requests"], t["characters"], t["cached"]), (first, chars, 0))
        self.assertAlmostEqual(t["cost_usd"], chars * 15 / 1e6, places=6)  # [prices] tts-1 = 15
        with open(self.mp3(), "rb") as f:
            mp3 = f.read()
        # speak again, then run again on the finished day: not one more request.
        self.assertExit(pbtest.run(["speak"] + argv), 0)
        self.assertEqual(len(tts.requests()), first)
        with open(self.mp3(), "rb") as f:
            self.assertEqual(f.read()[-100000:], mp3[-100000:])  # the same speech
        p = pbtest.run(["run", "--hf-url", hf.url, "--llm-url", llm.url] + argv,
                       env={"PAPERBOY_LLM_KEY": "k"})
        self.assertExit(p, 0)
        self.assertEqual(len(tts.requests()), first)
        t = json.load(open(report))["stages"]["speak"]["tts"]
        self.assertEqual((t["requests"], t["characters"], t["cached"], t["cost_usd"]), (0, 0, 9, 0.0))
        self.assertEqual(t["cached_characters"], chars)
        # Another voice is other speech: asked for again.
        self.assertExit(pbtest.run(["speak", "--tts-voice", "nova"] + argv), 0)
        self.assertEqual(len(tts.requests()), 2 * first)

    def test_podcast_feed(self):
        cfg = os.path.join(self.tmp, "pb.ini")
        with open(cfg, "w") as f:
            f.write("[feed]\nbase_url = https://example.org/daily\n")
        self.day()
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", "2025-01-23", "--hf-url", hf.url]), 0)
        covers = []
        for date in ("2025-01-23", "2025-12-26"):
            p = pbtest.run(["speak", "--out", self.out, "--date", date, "--config", cfg])
            self.assertExit(p, 0)
            with open(os.path.join(self.out, "feed", "cover.png"), "rb") as f:
                covers.append(f.read())
        # The show's cover: square, 1400-3000 px, the same whatever the day.
        self.assertEqual(covers[0], covers[1])
        self.assertEqual(covers[0][:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", covers[0][16:24])
        self.assertEqual(width, height)
        self.assertTrue(1400 <= width <= 3000)
        feed = os.path.join(self.out, "feed", "podcast.xml")
        root = ET.parse(feed).getroot()  # well-formed XML
        ns = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
        channel = root.find("channel")
        self.assertEqual(channel.findtext("title"), "Hugging Face 论文日报")
        self.assertEqual(channel.find("itunes:image", ns).get("href"), "https://example.org/daily/feed/cover.png")
        self.assertEqual(channel.find("image").findtext("url"), "https://example.org/daily/feed/cover.png")
        self.assertEqual(channel.find("itunes:owner", ns).findtext("itunes:name", namespaces=ns), "paperboy")
        self.assertEqual(channel.find("itunes:category", ns).get("text"), "Technology")
        self.assertEqual(channel.findtext("itunes:explicit", namespaces=ns), "false")
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
