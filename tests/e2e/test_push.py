#!/usr/bin/env python3
"""paperboy send to the six chat platforms (tests/fakes/fake_chat.py checks each
message as the platform would): each receives its day in a valid shape with every
paper and, where it shows images, the poster; a hostile day is accepted everywhere
(nothing mentions, nothing links to javascript:); a second send posts nothing;
--dry-run posts nothing and prints each channel's messages; no webhook token, bot
token or signing secret appears in any output."""
import json
import os
import re

import pbtest

DATE = "2025-12-26"
FS_SECRET, DT_SECRET = "FEISHUSECRET5555", "SECDINGTALK6666"
TG_TOKEN = "4242:TELEGRAMBOTTOKEN7777"
HOOK = "HOOKTOKEN8888"
SECRETS = (FS_SECRET, DT_SECRET, TG_TOKEN, HOOK)


class PushTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.fake_chat(feishu_secret=FS_SECRET, dingtalk_secret=DT_SECRET,
                                   telegram_token=TG_TOKEN, webhook_token=HOOK)
        self.config = os.path.join(self.tmp, "push.ini")
        c = self.chat
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("[site]\nbase_url = https://papers.example.org/\n\n[paperboy]\nretries = 0\n\n"
                    f"[push.fs]\ntype = feishu\nurl = {c.hook('feishu', HOOK)}\nsecret_env = FS_SECRET\n\n"
                    f"[push.dt]\ntype = dingtalk\nurl = {c.hook('dingtalk', HOOK)}\nsecret = {DT_SECRET}\n\n"
                    f"[push.wc]\ntype = wecom\nurl_env = WECOM_HOOK\n\n"
                    f"[push.sl]\ntype = slack\nurl = {c.hook('slack', HOOK)}\n\n"
                    f"[push.dc]\ntype = discord\nurl = {c.hook('discord', HOOK)}\n\n"
                    f"[push.tg]\ntype = telegram\napi_url = {c.hook('telegram')}\n"
                    f"token_env = TG_TOKEN\nchat_id = -1001234\n")
        self.env = {"FS_SECRET": FS_SECRET, "TG_TOKEN": TG_TOKEN, "WECOM_HOOK": c.hook("wecom", HOOK)}

    def send(self, *args):
        p = pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", self.config, "-v",
                        *args], env=self.env, timeout=120)
        for s in SECRETS:
            self.assertNotIn(s, p.stdout + p.stderr)
        return p

    def titles(self):
        db = os.path.join(self.out, "paperboy.db")
        rows = pbtest.query(db, "SELECT t.title_zh, p.title FROM day_papers d JOIN papers p ON p.id = d.paper_id "
                                "LEFT JOIN translations t ON t.paper_id = d.paper_id WHERE d.date = ?", (DATE,))
        self.assertTrue(rows)
        return [zh or en for zh, en in rows]

    def check_day(self, titles):
        for platform in pbtest.FakeChat.PLATFORMS:
            msgs = self.chat.messages(platform)
            self.assertTrue(msgs, platform)
            text = json.dumps(msgs, ensure_ascii=False)
            for t in titles:
                # A run of letters no platform's escaping touches.
                words = re.findall(r"[\u4e00-\u9fffA-Za-z0-9]{4,}", t)
                if words:
                    self.assertIn(words[0], text, (platform, t))
            if platform in ("slack", "discord", "telegram", "dingtalk"):
                self.assertIn("https://papers.example.org/", text)
                self.assertRegex(text, r"https://papers\.example\.org/[^\"]*\.png", platform)
        tg = [r.get("method") for r in self.chat.requests() if r["platform"] == "telegram"]
        self.assertEqual(tg[0], "sendPhoto")

    def test_every_platform_gets_the_day(self):
        self.archive_day(DATE)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE, "--config", self.config]), 0)
        dry = self.send("--dry-run")
        self.assertExit(dry, 0)
        self.assertEqual(self.chat.requests(), [])
        for name in ("fs", "dt", "wc", "sl", "dc", "tg"):
            self.assertIn(name, dry.stdout)
        self.assertIn("论文日报", dry.stdout)
        p = self.send()
        self.assertExit(p, 0)
        self.check_day(self.titles())
        n = len(self.chat.requests())
        again = self.send()
        self.assertExit(again, 0)
        self.assertEqual(len(self.chat.requests()), n)
        self.assertNotIn(HOOK, json.dumps(self.chat.requests()))

    def test_hostile_day_is_inert_everywhere(self):
        fixtures = os.path.join(self.tmp, "fixtures")
        os.makedirs(fixtures)
        api = json.loads(pbtest.read_text(os.path.join(pbtest.FIXTURES, "hf-api", f"{DATE}.json")))
        hostile = ["@everyone @here <!channel> <@U123>", '<at user_id="all">所有人</at> <@all>',
                   "[x](javascript:alert(1)) <b>bold *star* &amp;", "<script>alert(1)</script> `code`"]
        for entry, title in zip(api, hostile):
            entry["paper"]["title"] = entry["title"] = title
        with open(os.path.join(fixtures, f"{DATE}.json"), "w") as f:
            json.dump(api, f)
        hf = self.fake_hf(fixtures_dir=fixtures)
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", DATE, "--hf-url", hf.url]), 0)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE, "--config", self.config]), 0)
        p = self.send()
        self.assertExit(p, 0)
        for platform in pbtest.FakeChat.PLATFORMS:
            self.assertTrue(self.chat.messages(platform), platform)
        # Each fake already refused anything that would mention there; and to be sure:
        # a raw @everyone pings only on Discord, <!channel> only on Slack, <at only on Feishu.
        def text(platform):
            return json.dumps(self.chat.messages(platform), ensure_ascii=False)
        self.assertNotIn("@everyone", text("discord"))
        self.assertIn("@\u200beveryone", text("discord"))
        self.assertNotIn("<!channel>", text("slack"))
        self.assertIn("&lt;!channel&gt;", text("slack"))
        self.assertNotIn("<at ", text("feishu"))
        self.assertNotIn("<@", text("wecom"))
        self.assertIn("&lt;script&gt;", text("telegram"))

    def test_platform_refusals_are_reported_and_retried(self):
        """A wrong signing secret: Feishu answers HTTP 200 with code 19021, DingTalk
        errcode 310000. Both count as failed (exit 3), the platform's own words reach the
        user, the other four are delivered, and the rerun sends only the refused two."""
        self.archive_day(DATE)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE]), 0)
        wrong = dict(self.env, FS_SECRET="not-the-feishu-secret")
        config = pbtest.read_text(self.config).replace(DT_SECRET, "not-the-dingtalk-secret")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config)
        p = pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", self.config],
                       env=wrong, timeout=120)
        self.assertExit(p, 3)
        self.assertIn("19021", p.stderr)
        self.assertIn("310000", p.stderr)
        for s in SECRETS + ("not-the-feishu-secret", "not-the-dingtalk-secret"):
            self.assertNotIn(s, p.stdout + p.stderr)
        for platform in ("wecom", "slack", "discord", "telegram"):
            self.assertTrue(self.chat.messages(platform), platform)
        self.assertFalse(self.chat.messages("feishu"))
        self.assertFalse(self.chat.messages("dingtalk"))
        db = os.path.join(self.out, "paperboy.db")
        failed = pbtest.query(db, "SELECT channel FROM deliveries WHERE status = 'failed' ORDER BY 1")
        self.assertEqual(failed, [("dt",), ("fs",)])
        delivered = len(self.chat.requests())
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config.replace("not-the-dingtalk-secret", DT_SECRET))
        again = self.send()
        self.assertExit(again, 0)
        self.assertTrue(self.chat.messages("feishu"))
        self.assertTrue(self.chat.messages("dingtalk"))
        self.assertEqual(len(self.chat.requests()) - delivered,
                         len(self.chat.messages("feishu")) + len(self.chat.messages("dingtalk")))


if __name__ == "__main__":
    pbtest.main()
