#!/usr/bin/env python3
"""Write data/demo/month.json, the month the demo imports before its day.

From real Hugging Face Daily Papers responses (one D.json per day, as the
fetch stage receives them), keep only the fields the parser reads, so the
embedded file stays small; days missing between the first and the last file
are recorded as fetched and empty (the API's quiet weekends).

    scripts/demo-month.py tests/fixtures/hf-api-month > data/demo/month.json
"""
import datetime
import glob
import json
import os
import sys

PAPER_FIELDS = ("id", "title", "summary", "publishedAt", "submittedOnDailyAt", "upvotes",
                "githubRepo", "githubStars", "projectPage", "ai_summary", "ai_keywords")


def compact(entry):
    p = entry["paper"]
    q = {k: p[k] for k in PAPER_FIELDS if p.get(k) not in (None, "", [])}
    q["authors"] = [{"name": a["name"]} for a in p.get("authors", []) if a.get("name")]
    org = p.get("organization") or entry.get("organization")
    if isinstance(org, dict) and (org.get("fullname") or org.get("name")):
        q["organization"] = {"fullname": org.get("fullname") or org.get("name")}
    out = {"paper": q}
    if entry.get("numComments"):
        out["numComments"] = entry["numComments"]
    return out


def main(src):
    days = {}
    for path in sorted(glob.glob(os.path.join(src, "*.json"))):
        with open(path, encoding="utf-8") as f:
            days[os.path.basename(path)[:-5]] = [compact(e) for e in json.load(f)]
    first, last = (datetime.date.fromisoformat(d) for d in (min(days), max(days)))
    empty = [str(first + datetime.timedelta(n)) for n in range((last - first).days + 1)
             if str(first + datetime.timedelta(n)) not in days]
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    lines = [f"{dump(d)}:{dump(days[d])}" for d in sorted(days)]
    sys.stdout.write('{"fetched_empty":' + dump(empty) + ',\n"days":{\n' + ",\n".join(lines) + "}}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/hf-api-month")
