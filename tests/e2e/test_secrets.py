#!/usr/bin/env python3
"""A server that echoes the API key in its error ("Incorrect API key provided: sk-…",
or the Authorization header itself) never gets the key into what a run leaves: stdout
and stderr at -v, the run report, any file under OUT, any row of the archive. Both paths
that carry the key: the LLM (the batch engine) and the speech API (the easy client)."""
import json
import os

import pbtest

DATE = "2025-12-26"
KEY = "sk-live-ECHOED-0123456789abcdef"


def everything(out):
    """Every byte a run left under OUT, the archive's rows included, as text."""
    chunks = []
    for d, _, files in os.walk(out):
        for f in files:
            with open(os.path.join(d, f), "rb") as fh:
                chunks.append(fh.read().decode("utf-8", "replace"))
    db = os.path.join(out, "paperboy.db")
    chunks.append(json.dumps(pbtest.archive_dump(db, skip=()), default=str, ensure_ascii=False))
    return "\n".join(chunks)


class SecretsTest(pbtest.PaperboyTestCase):
    def echo(self, status):
        return [{"status": status, "times": 50,
                 "body": {"error": {"message": f"Incorrect API key provided: {KEY}. You passed "
                                               f"Authorization: Bearer {KEY}",
                                    "type": "invalid_request_error"}}}]

    def test_llm_echo(self):
        hf = self.fake_hf()
        self.assertExit(pbtest.run(["fetch", "--out", self.out, "--date", DATE, "--hf-url", hf.url]), 0)
        llm = self.fake_llm()
        for status in (401, 400, 500):
            llm.faults(self.echo(status))
            p = pbtest.run(["translate", "--out", self.out, "--date", DATE, "--llm-url", llm.url,
                            "--tries", "2", "-v"], env={"PAPERBOY_LLM_KEY": KEY})
            self.assertNotEqual(p.returncode, 0)
            if status != 500:  # a 4xx is quoted (a 5xx only retried): the server's words stay
                self.assertIn("[redacted]", p.stdout + p.stderr)
            self.assertNotIn(KEY, p.stdout + p.stderr)
            llm.reset()
        self.assertNotIn(KEY, everything(self.out))

    def test_speech_echo(self):
        self.archive_day(DATE)
        tts = self.fake_tts()
        tts.faults(self.echo(400))
        p = pbtest.run(["speak", "--out", self.out, "--date", DATE, "--tts-url", tts.url,
                        "--tts-model", "fake-tts", "-v"], env={"PAPERBOY_LLM_KEY": KEY})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("[redacted]", p.stdout + p.stderr)
        self.assertNotIn(KEY, p.stdout + p.stderr)
        self.assertNotIn(KEY, everything(self.out))


if __name__ == "__main__":
    pbtest.main()
