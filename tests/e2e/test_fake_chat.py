#!/usr/bin/env python3
"""The fake chat platforms themselves (tests/fakes/fake_chat.py): a good message is
accepted and logged without its token, a bad signature, an over-long message or a
mention is refused in the platform's own error format and status."""
import base64
import hashlib
import hmac
import json
import time
import urllib.parse

import pbtest

FS, DS, TG = "feishu-secret", "SECdingtalk", "123456:TELEGRAMTOKEN"


def feishu_sign(body, secret, ts=None):
    ts = str(int(time.time()) if ts is None else ts)
    sign = base64.b64encode(hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest())
    return dict(body, timestamp=ts, sign=sign.decode())


def dingtalk_query(secret, ms=None):
    ms = int(time.time() * 1000) if ms is None else ms
    sign = base64.b64encode(hmac.new(secret.encode(), f"{ms}\n{secret}".encode(),
                                     hashlib.sha256).digest()).decode()
    return f"&timestamp={ms}&sign={urllib.parse.quote(sign, safe='')}"


CARD = {"msg_type": "interactive", "card": {"header": {"title": {"tag": "plain_text", "content": "日报"}},
                                            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "**1.** x"}}]}}
DING = {"msgtype": "markdown", "markdown": {"title": "日报", "text": "### 日报"},
        "at": {"atMobiles": [], "isAtAll": False}}
WECOM = {"msgtype": "markdown", "markdown": {"content": "## 日报"}}
SLACK = {"text": "日报", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "<https://x.example/|x>"}}]}
DISCORD = {"content": "日报", "embeds": [{"title": "1. x", "url": "https://x.example/"}],
           "allowed_mentions": {"parse": []}}
TELEGRAM = {"chat_id": "-100", "text": "<b>日报</b> <a href=\"https://x.example/\">x</a> &lt;", "parse_mode": "HTML"}


class FakeChatTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.fake_chat(feishu_secret=FS, dingtalk_secret=DS, telegram_token=TG)
        self.root = self.chat.root

    def post(self, platform, body, query="", token="HOOKTOKEN", method="sendMessage"):
        url = self.chat.hook(platform, token)
        if platform == "telegram":
            url += f"/bot{TG}/{method}"
        if platform == "discord":
            url += "?wait=true"
        status, _, data = self.chat.post(url[len(self.root):] + query, body)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data.decode()

    def test_good_messages_are_accepted_and_logged_without_token(self):
        self.assertEqual(self.post("feishu", feishu_sign(CARD, FS)), (200, {"code": 0, "msg": "success", "data": {}}))
        self.assertEqual(self.post("dingtalk", DING, dingtalk_query(DS)), (200, {"errcode": 0, "errmsg": "ok"}))
        self.assertEqual(self.post("wecom", WECOM), (200, {"errcode": 0, "errmsg": "ok"}))
        self.assertEqual(self.post("slack", SLACK), (200, "ok"))
        status, answer = self.post("discord", DISCORD)
        self.assertEqual(status, 200)
        self.assertTrue(answer["id"].isdigit())
        status, answer = self.post("telegram", TELEGRAM)
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["ok"])
        self.assertIsInstance(answer["result"]["message_id"], int)
        self.assertEqual(answer["result"]["text"], "日报 x <")
        status, answer = self.post("telegram", {"chat_id": 5, "photo": "https://x.example/p.png",
                                                "caption": "<b>x</b>", "parse_mode": "HTML"},
                                   method="sendPhoto")
        self.assertEqual(status, 200, answer)
        log = self.chat.requests()
        self.assertEqual([r["platform"] for r in log], list(pbtest.FakeChat.PLATFORMS) + ["telegram"])
        self.assertEqual([r.get("method") for r in log[-2:]], ["sendMessage", "sendPhoto"])
        dumped = json.dumps(log)
        self.assertNotIn("HOOKTOKEN", dumped)
        self.assertNotIn(TG, dumped)

    def test_bad_signatures(self):
        self.assertEqual(self.post("feishu", CARD)[1]["code"], 19021)
        self.assertEqual(self.post("feishu", feishu_sign(CARD, "wrong"))[1]["code"], 19021)
        old = feishu_sign(CARD, FS, int(time.time()) - 7200)
        self.assertEqual(self.post("feishu", old), (200, {"code": 19021, "data": {},
            "msg": "sign match fail or timestamp is not within one hour from current time"}))
        self.assertEqual(self.post("dingtalk", DING)[1]["errcode"], 310000)
        self.assertEqual(self.post("dingtalk", DING, dingtalk_query("wrong"))[1]["errcode"], 310000)
        status, _, data = self.chat.post("/telegram/botWRONG/sendMessage", TELEGRAM)
        self.assertEqual((status, json.loads(data)["description"]), (401, "Unauthorized"))
        self.assertEqual(self.chat.requests(), [])

    def test_too_long(self):
        big = "长" * 5001
        self.assertEqual(self.post("dingtalk", {**DING, "markdown": {"title": "t", "text": big}},
                                   dingtalk_query(DS))[1]["errcode"], 460101)
        self.assertEqual(self.post("wecom", {"msgtype": "markdown", "markdown": {"content": "长" * 1366}})[1]["errcode"], 40058)
        self.assertEqual(self.post("slack", {"blocks": [{"type": "divider"}] * 51}), (400, "invalid_blocks"))
        section = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}
        self.assertEqual(self.post("slack", section), (400, "invalid_blocks"))
        status, answer = self.post("discord", {**DISCORD, "content": "x" * 2001})
        self.assertEqual((status, answer["code"]), (400, 50035))
        status, answer = self.post("discord", {**DISCORD, "embeds": [{"title": "x"}] * 11})
        self.assertEqual((status, answer["code"]), (400, 50035))
        status, answer = self.post("discord", {**DISCORD, "embeds": [{"description": "x" * 4000}] * 2})
        self.assertIn("6000", json.dumps(answer))
        status, answer = self.post("telegram", {**TELEGRAM, "text": "&amp;" * 4097})
        self.assertEqual((status, answer["description"]), (400, "Bad Request: message is too long"))
        big_card = {"msg_type": "interactive", "card": {"elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "长" * 11000}}]}}
        self.assertEqual(self.post("feishu", feishu_sign(big_card, FS))[1]["code"], 11310)
        self.assertEqual(self.chat.requests(), [])

    def test_mentions_and_markup_are_refused(self):
        card = {"msg_type": "interactive", "card": {"elements": [{"tag": "div", "text": {"tag": "lark_md", "content": '<at user_id="all"></at>'}}]}}
        self.assertEqual(self.post("feishu", feishu_sign(card, FS))[1]["code"], 9499)
        self.assertEqual(self.post("dingtalk", {**DING, "at": {"isAtAll": True}}, dingtalk_query(DS))[1]["errcode"], 400105)
        self.assertEqual(self.post("wecom", {"msgtype": "markdown", "markdown": {"content": "<@all>"}})[1]["errcode"], 40058)
        for text in ("<!channel>", "<@U123>", "<script>"):
            self.assertEqual(self.post("slack", {"text": text})[0], 400, text)
        for change in ({"content": "@everyone"}, {"allowed_mentions": {"parse": ["everyone"]}},
                       {"embeds": [{"title": "@here"}]}, {"embeds": [{"url": "javascript:alert(1)"}]}):
            status, answer = self.post("discord", {**DISCORD, **change})
            self.assertEqual((status, answer["code"]), (400, 50035), change)
        for text in ("<b>unclosed", "<script>x</script>", "a & b", "<a href=\"javascript:x\">x</a>", "</b>"):
            status, answer = self.post("telegram", {**TELEGRAM, "text": text})
            self.assertEqual(status, 400, text)
            self.assertIn("can't parse entities", answer["description"])
        self.assertEqual(self.chat.requests(), [])

    def test_faults(self):
        self.chat.faults({"match": "slack", "status": 429, "body": "rate_limited", "headers": {"Retry-After": "1"}})
        self.assertEqual(self.post("slack", SLACK), (429, "rate_limited"))
        self.assertEqual(self.post("slack", SLACK), (200, "ok"))


if __name__ == "__main__":
    pbtest.main()
