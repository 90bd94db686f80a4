#!/usr/bin/env python3
"""The Traditional Chinese edition (--lang zh-CN,zh-TW): converted from the zh-CN translation
with OpenCC, no extra LLM call; its own files, the day's one broadcast, each stage once."""
import os
import re
import shutil
import subprocess

import pbtest
from pbtest import query, read_text

DATE = "2025-12-26"
REPLAY = os.path.join(pbtest.FIXTURES, "llm-replay", f"{DATE}.json")
ZH_CN_FILES = [f"newsletters/{DATE}_daily_paper.md", f"newsletters/{DATE}_daily_paper.html",
               f"images/{DATE}_keywords_wordcloud.png", f"images/{DATE}_daily_papers.png",
               f"posters/{DATE}_poster.png", f"stats/{DATE}_stats.json"]
ZH_TW_FILES = [f"newsletters/{DATE}_daily_paper.zh-TW.md", f"newsletters/{DATE}_daily_paper.zh-TW.html",
               f"images/{DATE}_keywords_wordcloud.zh-TW.png", f"images/{DATE}_daily_papers.zh-TW.png",
               f"posters/{DATE}_poster.zh-TW.png", f"stats/{DATE}_stats.zh-TW.json"]
# Ideographs: CJK Unified (with Extension A and B on) and the compatibility block.
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def simplified_left(text):
    """The ideographs of text that OpenCC's s2tw would change, each converted on its own line
    (on running text s2t also re-spells valid Traditional phrases; see tests/unit/test_lang.c)."""
    chars = sorted(set(IDEOGRAPH.findall(text)))
    assert chars, "no ideographs to check"
    p = subprocess.run(["opencc", "-c", "s2tw.json"], input="\n".join(chars) + "\n",
                       capture_output=True, encoding="utf-8", check=True)
    converted = p.stdout.split("\n")[:len(chars)]
    assert len(converted) == len(chars), p.stdout
    return [(a, b) for a, b in zip(chars, converted) if a != b]


class ZhTwTest(pbtest.PaperboyTestCase):
    def run_day(self, out, langs, *extra):
        """`paperboy run` of DATE into out against fresh fakes -> (process, LLM requests)."""
        hf = self.fake_hf()
        llm = self.fake_llm(replay=REPLAY)
        tts = self.fake_tts(rate=8000)
        args = ["run", "--date", DATE, "--out", out, "--hf-url", hf.url, "--llm-url", llm.url,
                "--tts-url", tts.url, *extra]
        if langs:
            args += ["--lang", langs]
        p = pbtest.run(args)
        self.assertExit(p, 0)
        return p, llm.requests()

    def test_run_makes_both_editions_from_one_translation(self):
        p, requests = self.run_day(self.out, "zh-CN,zh-TW", "-v")
        for rel in ZH_CN_FILES + ZH_TW_FILES:
            path = os.path.join(self.out, rel)
            self.assertTrue(os.path.isfile(path) and os.path.getsize(path) > 100, rel)
            if not rel.startswith("stats/"):
                self.assertIn(path, p.stdout.splitlines(), rel)  # listed as written
        # No LLM request beyond one per paper: the same as a zh-CN-only run on a fresh archive.
        only_cn = os.path.join(self.tmp, "zh-CN-only")
        _, cn_requests = self.run_day(only_cn, None)
        self.assertEqual(len(requests), 7)
        self.assertEqual(sorted(r["title"] for r in requests), sorted(r["title"] for r in cn_requests))
        # zh-CN is unchanged by the second edition; zh-TW is its own text.
        cn_md = read_text(os.path.join(self.out, ZH_CN_FILES[0]))
        self.assertEqual(cn_md, read_text(os.path.join(only_cn, ZH_CN_FILES[0])))
        self.assertFalse(any(".zh-TW." in f for _, _, fs in os.walk(only_cn) for f in fs))
        tw_md = read_text(os.path.join(self.out, ZH_TW_FILES[0]))
        self.assertNotEqual(tw_md, cn_md)
        # One broadcast for the day, linked by both editions.
        self.assertEqual(os.listdir(os.path.join(self.out, "audio")), [f"{DATE}_daily_papers.mp3"])
        for rel in (ZH_CN_FILES[0], ZH_CN_FILES[1], ZH_TW_FILES[0], ZH_TW_FILES[1]):
            text = read_text(os.path.join(self.out, rel))
            self.assertIn(f"../audio/{DATE}_daily_papers.mp3", text, rel)
            self.assertNotIn("zh-TW.mp3", text, rel)
        self.assertIn("收聽今日論文解讀", tw_md)
        # Each edition written once: two "wrote" lines, one per language, each file once.
        wrote = [l for l in p.stderr.splitlines() if re.search(r"wrote \S+_daily_paper(\.zh-TW)?\.md", l)]
        self.assertEqual(len(wrote), 2, wrote)
        for rel in (ZH_CN_FILES[0], ZH_TW_FILES[0]):
            self.assertEqual(p.stderr.count(os.path.join(self.out, rel) + " "), 1, rel)
        # The runs table: each stage once per edition (lang), in the stage table's order.
        db = os.path.join(self.out, "paperboy.db")
        self.assertEqual(query(db, "SELECT command, date, lang, status FROM runs ORDER BY id"), [
            ("fetch", DATE, None, "ok"),
            ("translate", DATE, "zh-CN", "ok"), ("translate", DATE, "zh-TW", "ok"),
            ("pictures", DATE, "zh-CN", "ok"), ("pictures", DATE, "zh-TW", "ok"),
            ("speak", DATE, None, "ok"),
            ("edition", DATE, "zh-CN", "ok"), ("edition", DATE, "zh-TW", "ok"),
            ("feed", DATE, None, "ok")])
        detail = query(db, "SELECT detail FROM runs WHERE command = 'translate' AND lang = 'zh-TW'")
        self.assertEqual(detail, [("7 converted from zh-CN",)])

    def test_zh_tw_text_is_traditional_throughout(self):
        self.run_day(self.out, "zh-CN,zh-TW", "--no-audio")
        cn = read_text(os.path.join(self.out, ZH_CN_FILES[0]))
        tw = read_text(os.path.join(self.out, ZH_TW_FILES[0]))
        self.assertEqual(simplified_left(tw), [])
        # The test can tell: the zh-CN edition is full of Simplified-only characters.
        self.assertGreater(len(simplified_left(cn)), 20)
        self.assertIn(f"Hugging Face {DATE} 论文日报", cn)
        self.assertIn(f"Hugging Face {DATE} 論文日報", tw)
        self.assertIn("今日論文統計", tw)
        # Taiwan's words, not only its characters (s2twp): 信息 -> 資訊, 软件 -> 軟體.
        known = [(s, t) for s, t in (("信息", "資訊"), ("软件", "軟體"), ("网络", "網路")) if s in cn]
        self.assertNotEqual(known, [], "the day's zh-CN text has none of the known words")
        for s, t in known:
            self.assertIn(t, tw, s)
        # The English stays as it was.
        for title in ("Latent Implicit Visual Reasoning", "https://arxiv.org/abs/2512.21218"):
            self.assertIn(title, tw)

    def test_render_and_no_translate_convert_without_paying(self):
        # A day translated in zh-CN only; later editions in zh-TW cost nothing.
        self.run_day(self.out, None)
        p = pbtest.run(["render", "--date", DATE, "--out", self.out, "--lang", "zh-CN,zh-TW"])
        self.assertExit(p, 0)
        tw = read_text(os.path.join(self.out, ZH_TW_FILES[0]))
        self.assertIn("論文日報", tw)
        self.assertEqual(simplified_left(tw), [])
        self.assertEqual(query(os.path.join(self.out, "paperboy.db"),
                               "SELECT count(*) FROM translation_variants WHERE lang='zh-TW'"), [(7,)])
        # run --no-translate converts too, and asks no LLM (an unreachable one).
        shutil.rmtree(os.path.join(self.out, "newsletters"))
        hf = self.fake_hf()
        p = pbtest.run(["run", "--no-translate", "--no-audio", "--date", DATE, "--out", self.out,
                        "--hf-url", hf.url, "--llm-url", "http://127.0.0.1:9/v1", "--lang", "zh-CN,zh-TW"])
        self.assertExit(p, 0)
        self.assertEqual(simplified_left(read_text(os.path.join(self.out, ZH_TW_FILES[0]))), [])

    def test_demo_makes_both_editions(self):
        # The old bot's 订阅渠道, as the golden edition lists it (the default lists none).
        p = pbtest.run(["demo", "--lang", "zh-CN,zh-TW", "--out", self.out,
                        "--config", self.old_bot_config()],
                       env={"PAPERBOY_HF_URL": "http://127.0.0.1:9"})
        self.assertExit(p, 0)
        for rel in ZH_CN_FILES + ZH_TW_FILES:
            self.assertTrue(os.path.isfile(os.path.join(self.out, rel)), rel)
        md = read_text(os.path.join(self.out, ZH_CN_FILES[0]))
        self.assertEqual(md, read_text(os.path.join(pbtest.GOLDEN, f"{DATE}_daily_paper.md")))
        tw = read_text(os.path.join(self.out, ZH_TW_FILES[0]))
        self.assertEqual(simplified_left(tw), [])
        self.assertIn(f"../audio/{DATE}_daily_papers.mp3", tw)
        self.assertEqual(os.listdir(os.path.join(self.out, "audio")), [f"{DATE}_daily_papers.mp3"])
        self.assertIn("translated 7, cached 0, failed 0", p.stderr)  # once, for zh-CN
        self.assertEqual(query(os.path.join(self.out, "paperboy.db"),
                               "SELECT count(*) FROM runs WHERE command = 'edition'"), [(2,)])


if __name__ == "__main__":
    if not shutil.which("opencc"):
        raise SystemExit("test_zh_tw: the opencc tool is missing; scripts/deps.sh installs it")
    pbtest.main()
