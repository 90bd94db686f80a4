#!/usr/bin/env python3
"""E-mail: paperboy send over SMTP (AUTH) to a local aiosmtpd server. Each received
message is parsed with Python's email package as a mail client would: the headers
(RFC 2047 subject, From's display name, Date, Message-ID, List-Id, List-Unsubscribe and
its Post), multipart/alternative with a text part and the HTML edition in a
multipart/related whose every cid: resolves to a PNG part; with [site] base_url the
pictures are links instead. A rejected recipient fails alone (exit 3), a rerun sends
nothing, and the password appears nowhere."""
import email
import email.policy
import email.utils
import json
import os
import re

import pbtest
from pbtest import FakeSMTP

DATE = "2025-12-26"
PASSWORD = "SMTP-SECRET-pw-8841"
TITLE = f"Hugging Face 论文日报 {DATE} · 7 篇"


class MailTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.archive_day(DATE)
        self.assertExit(pbtest.run(["render", "--out", self.out, "--date", DATE]), 0)
        self.smtp = FakeSMTP(user="daily@example.com", password=PASSWORD,
                             reject=["nobody@example.com"]).start()
        self.addCleanup(self.smtp.stop)
        self.readers = os.path.join(self.tmp, "readers.txt")
        with open(self.readers, "w") as f:
            f.write("# our readers\nb@example.org\n\nnobody@example.com  # left us\na@example.com\n"
                    "typo@example\n")

    def config(self, extra=""):
        path = os.path.join(self.tmp, "mail.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"[mail]\nurl = {self.smtp.url}\nfrom = 论文日报 \"Daily\" <daily@example.com>\n"
                    f"to = a@example.com\nto_file = {self.readers}\nuser = daily@example.com\n"
                    f"password_env = SMTP_PASSWORD\nunsubscribe = https://example.com/unsub?u=1\n"
                    f"list_id = papers.example.com\n{extra}")
        return path

    def send(self, config, *args):
        return pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", config,
                           "-v", *args], env={"SMTP_PASSWORD": PASSWORD})

    def parsed(self):
        return [(env, email.message_from_bytes(raw, policy=email.policy.default), raw)
                for env, raw in self.smtp.messages()]

    def test_mail_as_a_client_reads_it(self):
        p = self.send(self.config())
        self.assertExit(p, 3)  # nobody@example.com was refused; the others got theirs
        self.assertIn("nobody@example.com", p.stderr)
        self.assertIn("550", p.stderr)
        # A malformed line fails alone, named by file and line, and stops no one else.
        self.assertIn("'typo@example' in", p.stderr)
        self.assertIn("readers.txt line 6", p.stderr)
        got = self.parsed()
        self.assertEqual(sorted(e["rcpt"][0] for e, _, _ in got), ["a@example.com", "b@example.org"])
        ids = set()
        for env, msg, raw in got:
            self.assertTrue(env["auth"])
            self.assertEqual(env["from"], "daily@example.com")
            self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))  # CRLF line ends only
            for line in raw.split(b"\r\n"):
                self.assertLessEqual(len(line), 998)
            self.assertEqual(str(msg["Subject"]), TITLE)
            for word in re.findall(rb"=\?UTF-8\?B\?[^?]*\?=", raw):
                self.assertLessEqual(len(word), 75)
            name, addr = email.utils.parseaddr(str(msg["From"]))
            self.assertEqual(addr, "daily@example.com")
            self.assertIn("论文日报", name)
            self.assertEqual(str(msg["To"]), env["rcpt"][0])
            self.assertIsNotNone(email.utils.parsedate_to_datetime(str(msg["Date"])))
            ids.add(str(msg["Message-ID"]))
            self.assertIn(f"{DATE}.zh-CN.", str(msg["Message-ID"]))
            self.assertEqual(str(msg["List-Id"]), "<papers.example.com>")
            self.assertEqual(str(msg["List-Unsubscribe"]), "<https://example.com/unsub?u=1>")
            self.assertEqual(str(msg["List-Unsubscribe-Post"]), "List-Unsubscribe=One-Click")
            self.assertEqual(msg.get_content_type(), "multipart/alternative")
            text, related = msg.get_payload()
            self.assertEqual(text.get_content_type(), "text/plain")
            body = text.get_content()
            self.assertIn(TITLE, body)
            self.assertIn("https://huggingface.co/papers/2512.21218", body)
            self.assertEqual(related.get_content_type(), "multipart/related")
            html_part, *pictures = related.get_payload()
            html = html_part.get_content()
            self.assertIn("<html", html)
            cids = set(re.findall(r'src="cid:([^"]+)"', html))
            self.assertGreaterEqual(len(cids), 3)  # word cloud, chart, poster
            parts = {p["Content-ID"].strip("<>"): p for p in pictures}
            self.assertEqual(cids, set(parts))
            for part in parts.values():
                self.assertEqual(part.get_content_type(), "image/png")
                self.assertTrue(part.get_content().startswith(b"\x89PNG"))
            self.assertNotIn('"../', html)  # no link left pointing into OUT
            self.assertNotIn("<audio", html)  # mail clients play none; without a site, no MP3 link
            self.assertIn("阅读全文：https://huggingface.co/papers/date/2025-12-26", body)
            self.assertLess(len(html.encode()), 100 * 1024, "Gmail clips HTML over 102 KB")
        self.assertEqual(len(ids), 2)
        self.assertNotIn(PASSWORD, p.stdout + p.stderr)
        self.assertNotIn(PASSWORD, json.dumps(pbtest.archive_dump(
            os.path.join(self.out, "paperboy.db"), skip=()), default=str))
        report = pbtest.read_text(os.path.join(self.out, "reports", f"{DATE}_run.json")) \
            if os.path.exists(os.path.join(self.out, "reports", f"{DATE}_run.json")) else ""
        self.assertNotIn(PASSWORD, report)

        # The rerun sends only to the one that failed (refused again), nothing twice.
        again = self.send(self.config())
        self.assertExit(again, 3)
        self.assertEqual(len(self.smtp.messages()), 2)
        self.assertEqual(again.stdout.count("already sent"), 2)

    def test_site_links_instead_of_parts_and_a_bad_password(self):
        config = self.config("[site]\nbase_url = https://papers.example.org/\n")
        p = self.send(config, "--only", "mail")
        self.assertExit(p, 3)
        for _, msg, _ in self.parsed():
            _, related = msg.get_payload()
            parts = related.get_payload()
            self.assertEqual(len(parts), 1)  # the HTML alone
            html = parts[0].get_content()
            self.assertIn('src="https://papers.example.org/posters/2025-12-26_poster.png"', html)
            self.assertNotIn("cid:", html)
            self.assertNotIn('"../', html)
            self.assertIn("https://papers.example.org/days/2025-12-26.html#2512.21218",
                          msg.get_payload()[0].get_content())
        wrong = pbtest.run(["send", "--out", self.out, "--date", DATE, "--config", config,
                            "--resend"], env={"SMTP_PASSWORD": "wrong-password-123"})
        self.assertExit(wrong, 3)
        self.assertIn("user and password", wrong.stderr)
        self.assertNotIn("wrong-password-123", wrong.stdout + wrong.stderr)

    def test_starttls_to_a_relay_with_its_own_certificate(self):
        """smtp:// upgrades with STARTTLS; the relay's self-signed certificate is trusted
        through [mail] ca_file, and refused without it (no mail goes out in clear then,
        though the relay is on this machine: it offered TLS, and the check failed)."""
        tls = FakeSMTP(user="daily@example.com", password=PASSWORD, starttls=True).start()
        self.addCleanup(tls.stop)
        base = pbtest.read_text(self.config()).replace(self.smtp.url, tls.url)
        config = os.path.join(self.tmp, "tls.ini")
        with open(config, "w", encoding="utf-8") as f:
            f.write(base.replace(f"to_file = {self.readers}\n", "") + f"ca_file = {tls.cert}\n")
        p = self.send(config)
        self.assertExit(p, 0)
        got = tls.messages()
        self.assertEqual(len(got), 1)
        self.assertTrue(got[0][0]["tls"])
        self.assertTrue(got[0][0]["auth"])
        with open(config, "w", encoding="utf-8") as f:
            f.write(base.replace(f"to_file = {self.readers}\n", ""))
        untrusted = self.send(config, "--resend")
        self.assertExit(untrusted, 3)
        self.assertIn("certificate", untrusted.stderr)
        self.assertEqual(len(tls.messages()), 1)
        self.assertNotIn(PASSWORD, untrusted.stdout + untrusted.stderr)


if __name__ == "__main__":
    pbtest.main()
