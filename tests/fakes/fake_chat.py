#!/usr/bin/env python3
"""Fake chat platforms for paperboy's push tests: the six webhook APIs in one
server, told apart by path prefix.

  POST /feishu/open-apis/bot/v2/hook/<token>        Feishu/Lark custom bot
  POST /dingtalk/robot/send?access_token=<token>    DingTalk robot
  POST /wecom/cgi-bin/webhook/send?key=<key>        WeCom group bot
  POST /slack/services/<T>/<B>/<token>              Slack incoming webhook
  POST /discord/api/webhooks/<id>/<token>[?wait=true]  Discord webhook
  POST /telegram/bot<token>/sendMessage|sendPhoto   Telegram Bot API

Each checks a message as the real service does, and more strictly where the
real one would let a mistake through unnoticed: the payload's shape (the
required fields and their types), the signature (Feishu: "timestamp" within
an hour and "sign" in the body; DingTalk: timestamp and sign in the query),
the size limits (Feishu 30 KB a card; DingTalk 5000 characters; WeCom 4096
bytes; Slack 50 blocks, sections of 3000 characters; Discord 2000 characters
of content, 10 embeds, titles 256, descriptions 4096, 6000 in all; Telegram
4096 UTF-16 units of text after entity parsing, captions 1024) and that no
text could mention anyone: Feishu no "<at" in any string of the card;
DingTalk an "at" that mentions no one; WeCom no "<@"; Slack no "<!" or "<@"
and every "<...>" a link; Discord allowed_mentions exactly {"parse": []} and
no raw @everyone or @here; Telegram's HTML parsed as Telegram does (only its
tags, balanced, only its entities, links only http(s)). A wrong message gets
the platform's own error format and status (Feishu and DingTalk and WeCom:
HTTP 200 with a non-zero code; Slack: 400 with a plain-text error name;
Discord: 400 {"code": 50035, ...}; Telegram: 400 {"ok": false, ...}).

Options: --feishu-secret, --dingtalk-secret (signatures required when set),
--telegram-token (the bot token; others are 401), --webhook-token (the only
token or key accepted in the other paths; any when unset).

Control API (fakeserver): /_control/faults, /_control/requests (every
accepted message: {"platform", "path" with the token replaced by "<token>",
"method" for Telegram, "body"}), /_control/reset.
Fault fields: match (a substring of "platform path"), times, close, status
and body (a string is sent raw as text/plain, an object as JSON), headers.

The chosen port is written to --portfile (atomically); SIGTERM/SIGINT exit 0.
"""
import argparse
import base64
import hashlib
import hmac
import itertools
import json
import re
import time
from urllib.parse import parse_qs

import fakeserver
from fakeserver import to_json

FEISHU_MAX_BODY = 30 * 1024
DINGTALK_MAX_TEXT = 5000
WECOM_MAX_BYTES = 4096
SLACK_MAX_BLOCKS, SLACK_MAX_SECTION, SLACK_MAX_HEADER = 50, 3000, 150
DISCORD_MAX = {"content": 2000, "embeds": 10, "title": 256, "description": 4096, "total": 6000}
TELEGRAM_MAX_TEXT, TELEGRAM_MAX_CAPTION = 4096, 1024
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                 "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"}
SLACK_BLOCKS = {"header", "section", "context", "divider", "image", "actions", "rich_text"}


def strings(obj):
    """Every string in a JSON value."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from strings(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from strings(x)


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def telegram_parse(html):
    """The text Telegram shows for parse_mode HTML, or raise ValueError with
    Telegram's own wording."""
    out, stack, i = [], [], 0
    entity = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
    names = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
    while i < len(html):
        c = html[i]
        if c == "<":
            end = html.find(">", i)
            if end < 0:
                raise ValueError(f"Unclosed start tag at byte offset {i}")
            tag = html[i + 1:end]
            closing = tag.startswith("/")
            name = (tag[1:] if closing else tag).split(" ", 1)[0].strip().lower()
            if name not in TELEGRAM_TAGS:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ValueError(f'Unmatched end tag at byte offset {i}, expected "</'
                                     f'{stack[-1] if stack else ""}>", found "</{name}>"')
                stack.pop()
            else:
                if name == "a":
                    m = re.search(r'href="([^"]*)"', tag)
                    if not m or not re.match(r"https?://", m.group(1)):
                        raise ValueError(f"Wrong URL in a tag at byte offset {i}")
                stack.append(name)
            i = end + 1
        elif c == "&":
            m = entity.match(html, i)
            if not m:
                raise ValueError(f"Character entity expected at byte offset {i}")
            e = m.group(1)
            out.append(names.get(e) or chr(int(e[2:], 16) if e[1] == "x" else int(e[1:])))
            i = m.end()
        elif c == ">":
            raise ValueError(f"Unexpected end tag at byte offset {i}")
        else:
            out.append(c)
            i += 1
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


class Refused(Exception):
    """A message the platform refuses: status and the body it answers."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status, self.body = status, body


class State(fakeserver.State):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.ids = itertools.count(1001)


class Handler(fakeserver.Handler):
    server_version = "fake-chat/1"

    def api(self, url, body):
        if self.command != "POST":
            return self.send(405, to_json({"error": "Method not allowed"}))
        path, query = url.path, parse_qs(url.query)
        for prefix, platform in (("/feishu/", "feishu"), ("/dingtalk/", "dingtalk"),
                                 ("/wecom/", "wecom"), ("/slack/", "slack"),
                                 ("/discord/", "discord"), ("/telegram/", "telegram")):
            if path.startswith(prefix):
                break
        else:
            return self.send(404, to_json({"error": f"no platform at {path}"}))
        fault = self.state.take_fault(f"{platform} {path}")
        if fault and self.fault_reply(fault):
            return
        try:
            try:
                req = json.loads(body)
            except ValueError:
                req = None
            shown, answer = getattr(self, platform)(path, query, req, body)
        except Refused as r:
            data = r.body if isinstance(r.body, bytes) else to_json(r.body)
            ctype = "text/html" if isinstance(r.body, bytes) else fakeserver.JSON_TYPE
            return self.send(r.status, data, content_type=ctype)
        entry = {"platform": platform, "path": shown, "body": req}
        if platform == "telegram":
            entry["method"] = path.rsplit("/", 1)[1]
        with self.state.lock:
            self.state.log.append(entry)
        status, data = answer
        if isinstance(data, bytes):
            return self.send(status, data, content_type="text/html")
        self.send(status, b"" if data is None else to_json(data))

    def fault_reply(self, fault):
        if fault.get("close"):
            self.reset_connection()
            return True
        if "status" in fault or "body" in fault:
            body = fault.get("body", "")
            data = body.encode() if isinstance(body, str) else to_json(body)
            self.send(int(fault.get("status", 200)), data, fault.get("headers"),
                      content_type="text/plain" if isinstance(body, str) else fakeserver.JSON_TYPE)
            return True
        return False

    def token_ok(self, token):
        want = self.state.args.webhook_token
        return token and (want is None or token == want)

    # --- Feishu -------------------------------------------------------------------------------
    def feishu(self, path, query, req, raw):
        def fail(code, msg):
            raise Refused(200, {"code": code, "msg": msg, "data": {}})
        m = re.fullmatch(r"/feishu/open-apis/bot/v2/hook/([^/]+)", path)
        if not m or not self.token_ok(m.group(1)):
            fail(19001, "param invalid: incoming webhook access token invalid")
        if not isinstance(req, dict):
            fail(9499, "Bad Request")
        secret = self.state.args.feishu_secret
        if secret is not None:
            ts, sign = req.get("timestamp"), req.get("sign")
            if not isinstance(ts, str) or not ts.isdigit() or not isinstance(sign, str) or \
                    abs(time.time() - int(ts)) > 3600:
                fail(19021, "sign match fail or timestamp is not within one hour from current time")
            want = base64.b64encode(hmac.new(f"{ts}\n{secret}".encode(), b"",
                                             hashlib.sha256).digest()).decode()
            if sign != want:
                fail(19021, "sign match fail or timestamp is not within one hour from current time")
        kind = req.get("msg_type")
        if kind == "text":
            if not isinstance((req.get("content") or {}).get("text"), str):
                fail(9499, "Bad Request: content.text")
            scanned = req["content"]
        elif kind == "interactive":
            card = req.get("card")
            if not isinstance(card, dict) or not isinstance(card.get("elements"), list):
                fail(9499, "Bad Request: card.elements")
            if len(json.dumps(card, ensure_ascii=False).encode()) > FEISHU_MAX_BODY:
                fail(11310, "card content exceeds the limit of 30 KB")
            for el in card["elements"]:
                if not isinstance(el, dict) or not isinstance(el.get("tag"), str):
                    fail(9499, "Bad Request: an element without a tag")
            title = ((card.get("header") or {}).get("title") or {}).get("content", "")
            if not isinstance(title, str):
                fail(9499, "Bad Request: header.title.content")
            scanned = card
        else:
            fail(9499, f"Bad Request: unsupported msg_type {kind!r}")
        if any("<at" in s for s in strings(scanned)):
            fail(9499, "Bad Request: would mention (<at ...> in the message)")
        return "/feishu/open-apis/bot/v2/hook/<token>", (200, {"code": 0, "msg": "success", "data": {}})

    # --- DingTalk -----------------------------------------------------------------------------
    def dingtalk(self, path, query, req, raw):
        def fail(code, msg):
            raise Refused(200, {"errcode": code, "errmsg": msg})
        token = (query.get("access_token") or [""])[0]
        if path != "/dingtalk/robot/send" or not self.token_ok(token):
            fail(300001, "token is not exist")
        secret = self.state.args.dingtalk_secret
        if secret is not None:
            ts, sign = (query.get("timestamp") or [""])[0], (query.get("sign") or [""])[0]
            if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 3600 * 1000:
                fail(310000, "sign not match, more: timestamp out of range")
            want = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(),
                                             hashlib.sha256).digest()).decode()
            if sign != want:  # parse_qs has URL-decoded it
                fail(310000, "sign not match, more: https://open.dingtalk.com/document/robots/customize-robot-security-settings")
        if not isinstance(req, dict):
            fail(43004, "无效的HTTP HEADER Content-Type")
        kind = req.get("msgtype")
        if kind == "markdown":
            md = req.get("markdown") or {}
            if not isinstance(md.get("title"), str) or not md["title"] or \
                    not isinstance(md.get("text"), str) or not md["text"]:
                fail(40035, "缺少参数 markdown.title 或 markdown.text")
            if len(md["text"]) > DINGTALK_MAX_TEXT:
                fail(460101, f"message too long: {len(md['text'])} characters, at most {DINGTALK_MAX_TEXT}")
        elif kind == "text":
            if not isinstance((req.get("text") or {}).get("content"), str):
                fail(40035, "缺少参数 text.content")
        else:
            fail(40035, f"不支持的消息类型 {kind!r}")
        at = req.get("at") or {}
        if at.get("isAtAll") or at.get("atMobiles") or at.get("atUserIds"):
            fail(400105, "would mention: the at field names someone")
        return "/dingtalk/robot/send?access_token=<token>", (200, {"errcode": 0, "errmsg": "ok"})

    # --- WeCom --------------------------------------------------------------------------------
    def wecom(self, path, query, req, raw):
        def fail(code, msg):
            raise Refused(200, {"errcode": code, "errmsg": msg})
        key = (query.get("key") or [""])[0]
        if path != "/wecom/cgi-bin/webhook/send" or not self.token_ok(key):
            fail(93000, "invalid webhook url, hint: [fake], from ip: 127.0.0.1")
        if not isinstance(req, dict):
            fail(40008, "invalid message type")
        kind = req.get("msgtype")
        if kind == "markdown":
            content = (req.get("markdown") or {}).get("content")
            if not isinstance(content, str) or not content:
                fail(41009, "missing markdown.content")
            if len(content.encode()) > WECOM_MAX_BYTES:
                fail(40058, "markdown.content exceed max length 4096. invalid Request Parameter")
        elif kind == "text":
            content = (req.get("text") or {}).get("content")
            if not isinstance(content, str):
                fail(41009, "missing text.content")
            if (req["text"].get("mentioned_list") or req["text"].get("mentioned_mobile_list")):
                fail(40058, "would mention: mentioned_list")
        else:
            fail(40008, "invalid message type")
        if "<@" in content:
            fail(40058, "would mention: <@ in the content")
        return "/wecom/cgi-bin/webhook/send?key=<token>", (200, {"errcode": 0, "errmsg": "ok"})

    # --- Slack --------------------------------------------------------------------------------
    def slack(self, path, query, req, raw):
        def fail(status, name):
            raise Refused(status, name.encode())
        m = re.fullmatch(r"/slack/services/([^/]+)/([^/]+)/([^/]+)", path)
        if not m or not self.token_ok(m.group(3)):
            fail(404, "no_service")
        if not isinstance(req, dict) or not (isinstance(req.get("text"), str) or
                                             isinstance(req.get("blocks"), list)):
            fail(400, "invalid_payload")
        blocks = req.get("blocks") or []
        if len(blocks) > SLACK_MAX_BLOCKS:
            fail(400, "invalid_blocks")
        for b in blocks:
            if not isinstance(b, dict) or b.get("type") not in SLACK_BLOCKS:
                fail(400, "invalid_blocks")
            text = b.get("text")
            if b["type"] == "header":
                if not isinstance(text, dict) or text.get("type") != "plain_text" or \
                        not isinstance(text.get("text"), str) or len(text["text"]) > SLACK_MAX_HEADER:
                    fail(400, "invalid_blocks")
            if b["type"] == "section":
                if not isinstance(text, dict) or text.get("type") not in ("mrkdwn", "plain_text") or \
                        not isinstance(text.get("text"), str) or \
                        not 1 <= len(text["text"]) <= SLACK_MAX_SECTION:
                    fail(400, "invalid_blocks")
            if b["type"] == "image":
                if not re.match(r"https?://", str(b.get("image_url", ""))) or \
                        not isinstance(b.get("alt_text"), str):
                    fail(400, "invalid_blocks")
            if b["type"] == "context":
                if not isinstance(b.get("elements"), list) or not 1 <= len(b["elements"]) <= 10:
                    fail(400, "invalid_blocks")
        for s in strings(req):
            if "<!" in s or "<@" in s:
                fail(400, "would_mention")
            # Every "<...>" Slack reads as markup: only links are ours.
            for tag in re.findall(r"<[^>]*>?", s):
                if not re.fullmatch(r"<https?://[^|<>]+(\|[^<>]*)?>", tag):
                    fail(400, "invalid_blocks")
        return "/slack/services/<token>", (200, b"ok")

    # --- Discord ------------------------------------------------------------------------------
    def discord(self, path, query, req, raw):
        def fail(field, message, code="BASE_TYPE_INVALID"):
            raise Refused(400, {"code": 50035, "message": "Invalid Form Body", "errors": {
                field: {"_errors": [{"code": code, "message": message}]}}})
        m = re.fullmatch(r"/discord/api/webhooks/([0-9]+)/([^/]+)", path)
        if not m or not self.token_ok(m.group(2)):
            raise Refused(404, {"message": "Unknown Webhook", "code": 10015})
        if not isinstance(req, dict):
            raise Refused(400, {"message": "Cannot send an empty message", "code": 50006})
        content, embeds = req.get("content", ""), req.get("embeds", [])
        if not isinstance(content, str) or not isinstance(embeds, list) or not (content or embeds):
            raise Refused(400, {"message": "Cannot send an empty message", "code": 50006})
        if len(content) > DISCORD_MAX["content"]:
            fail("content", "Must be 2000 or fewer in length.", "BASE_TYPE_MAX_LENGTH")
        if len(embeds) > DISCORD_MAX["embeds"]:
            fail("embeds", "Must be 10 or fewer in length.", "BASE_TYPE_MAX_LENGTH")
        total = 0
        for e in embeds:
            if not isinstance(e, dict):
                fail("embeds", "Must be an object.")
            title, desc = e.get("title", ""), e.get("description", "")
            if not isinstance(title, str) or len(title) > DISCORD_MAX["title"]:
                fail("embeds.title", "Must be 256 or fewer in length.", "BASE_TYPE_MAX_LENGTH")
            if not isinstance(desc, str) or len(desc) > DISCORD_MAX["description"]:
                fail("embeds.description", "Must be 4096 or fewer in length.", "BASE_TYPE_MAX_LENGTH")
            for url in (e.get("url"), (e.get("image") or {}).get("url")):
                if url is not None and not re.match(r"https?://", str(url)):
                    fail("embeds.url", "Scheme must be one of ('http', 'https').", "URL_TYPE_INVALID_SCHEME")
            total += len(title) + len(desc)
        if total > DISCORD_MAX["total"]:
            fail("embeds", "Embed size exceeds maximum size of 6000", "MAX_EMBED_SIZE_EXCEEDED")
        if req.get("allowed_mentions") != {"parse": []}:
            fail("allowed_mentions", 'must be {"parse": []} (the fake\'s rule: no mention, ever)')
        for s in strings({"content": content, "embeds": embeds}):
            if "@everyone" in s or "@here" in s or re.search(r"<@[!&]?[0-9]", s):
                fail("content", "would mention: @everyone, @here or <@id> in the message")
        if (query.get("wait") or [""])[0] != "true":
            return "/discord/api/webhooks/<token>", (204, None)
        mid = str(next(self.state.ids) + 1300000000000000000)
        return "/discord/api/webhooks/<token>", (200, {
            "id": mid, "type": 0, "channel_id": "1300000000000000001", "content": content,
            "embeds": embeds, "webhook_id": m.group(1)})

    # --- Telegram -----------------------------------------------------------------------------
    def telegram(self, path, query, req, raw):
        def fail(status, description):
            raise Refused(status, {"ok": False, "error_code": status, "description": description})
        m = re.fullmatch(r"/telegram/bot([^/]+)/(sendMessage|sendPhoto)", path)
        if not m:
            fail(404, "Not Found")
        want = self.state.args.telegram_token
        if want is not None and m.group(1) != want:
            fail(401, "Unauthorized")
        method = m.group(2)
        if not isinstance(req, dict):
            fail(400, "Bad Request: message text is empty")
        chat = req.get("chat_id")
        if not isinstance(chat, (int, str)) or chat == "":
            fail(400, "Bad Request: chat_id is empty")
        field, limit = ("text", TELEGRAM_MAX_TEXT) if method == "sendMessage" else \
            ("caption", TELEGRAM_MAX_CAPTION)
        if method == "sendPhoto":
            photo = req.get("photo")
            if not isinstance(photo, str) or not re.match(r"https?://", photo):
                fail(400, "Bad Request: wrong HTTP URL specified")
        text = req.get(field, "")
        if not isinstance(text, str) or (method == "sendMessage" and not text):
            fail(400, "Bad Request: message text is empty")
        if req.get("parse_mode") == "HTML":
            try:
                text = telegram_parse(text)
            except ValueError as e:
                fail(400, f"Bad Request: can't parse entities: {e}")
        elif req.get("parse_mode") is not None:
            fail(400, f"Bad Request: unsupported parse_mode {req.get('parse_mode')!r} (the fake parses only HTML)")
        if utf16_len(text) > limit:
            fail(400, "Bad Request: message is too long" if field == "text"
                 else "Bad Request: message caption is too long")
        result = {"message_id": next(self.state.ids), "date": int(time.time()),
                  "chat": {"id": chat, "type": "supergroup"}}
        result[field] = text
        return f"/telegram/bot<token>/{method}", (200, {"ok": True, "result": result})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portfile", required=True, help="write chosen port here")
    ap.add_argument("--feishu-secret", help="require Feishu signatures with this secret")
    ap.add_argument("--dingtalk-secret", help="require DingTalk signatures with this secret")
    ap.add_argument("--telegram-token", help="the only bot token accepted (others: 401)")
    ap.add_argument("--webhook-token", help="the only token/key accepted in webhook paths")
    ap.add_argument("--verbose", action="store_true", help="log requests")
    args = ap.parse_args()
    fakeserver.serve(Handler, State(args), args.portfile, args.verbose)


if __name__ == "__main__":
    main()
