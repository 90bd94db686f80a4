#!/usr/bin/env python3
"""Error messages and help texts say what is wrong and what to do, for the command at hand."""
import os

import pbtest


class MessagesTest(pbtest.PaperboyTestCase):
    def test_translate_without_key_does_not_offer_no_translate(self):
        p = pbtest.run(["translate", "--out", self.out, "--date", "2025-12-26"])
        self.assertExit(p, 2)
        self.assertIn("hint: set one of those variables, or pass --llm-url", p.stderr)
        self.assertNotIn("--no-translate", p.stderr)
        p = pbtest.run(["run", "--out", self.out, "--date", "2025-12-26"])
        self.assertIn("hint: pass --no-translate for an English edition", p.stderr)

    def test_stats_outside_the_archive_names_its_range(self):
        self.archive_day("2025-12-26", translations=False)
        p = pbtest.run(["stats", "--out", self.out, "--date", "2026-06-01", "--days", "30"])
        self.assertExit(p, 4)
        self.assertIn("the archive has no days in the 30 days up to 2026-06-01; "
                      "it holds only 2025-12-26", p.stderr)
        self.assertIn("hint: try --date 2025-12-26", p.stderr)

    def test_import_of_a_missing_path_says_so_and_creates_nothing(self):
        p = pbtest.run(["import", os.path.join(self.tmp, "nonexistent")], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("nonexistent' does not exist", p.stderr)
        self.assertEqual(os.listdir(self.tmp), [])
        p = pbtest.run(["import", self.tmp, "--out", self.out])
        self.assertIn("has neither", p.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_date_before_2000_names_the_rule(self):
        p = pbtest.run(["render", "--date", "1999-01-01"], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("invalid date '1999-01-01': the year must be 2000 to 2999", p.stderr)

    def test_unclosed_section_header(self):
        cfg = os.path.join(self.tmp, "bad.ini")
        with open(cfg, "w") as f:
            f.write("[llm\nmodel = x\n")
        p = pbtest.run(["config", "--config", cfg])
        self.assertExit(p, 1)
        self.assertIn("line 1: section header '[llm' is not closed: a ']' is missing", p.stderr)
        self.assertIn("hint: 'paperboy config' prints every setting", p.stderr)
        self.assertNotIn("source tree", p.stderr)

    def test_global_options_before_the_command(self):
        p = pbtest.run(["--verbose", "render", "--date", "2025-12-26"], cwd=self.tmp)
        self.assertExit(p, 1)
        self.assertIn("paperboy: render: no archive at", p.stderr)
        p = pbtest.run(["--date", "2025-12-26", "render"], cwd=self.tmp)
        self.assertExit(p, 2)
        self.assertIn("'--date' is not a command; options go after the command: "
                      "paperboy render --date 2025-12-26", p.stderr)

    def test_quiet_empty_day_prints_nothing(self):
        hf = self.fake_hf()
        p = pbtest.run(["fetch", "-q", "--out", self.out, "--date", "2025-12-27", "--hf-url", hf.url])
        self.assertExit(p, 4)
        self.assertEqual(p.stderr, "")
        self.assertEqual(p.stdout, "")
        p = pbtest.run(["fetch", "--out", self.out, "--date", "2025-12-27", "--hf-url", hf.url])
        self.assertExit(p, 4)
        self.assertIn("no papers for 2025-12-27", p.stderr)

    def test_reading_commands_do_not_create_an_archive(self):
        for args in (["render"], ["stats"], ["speak", "--script-only"]):
            p = pbtest.run(args + ["--date", "2025-12-26"], cwd=self.tmp)
            self.assertExit(p, 1)
            self.assertIn("no archive at './paperboy.db'", p.stderr)
            self.assertIn("hint: run 'paperboy fetch --date 2025-12-26' or 'paperboy import DIR' first",
                          p.stderr)
            self.assertEqual(os.listdir(self.tmp), [], args)

    def test_failed_fetch_prints_no_summary(self):
        hf = self.fake_hf()
        hf.faults([{"status": 500, "times": 5}])
        p = pbtest.run(["run", "--no-translate", "--no-audio", "--retries", "0", "--out", self.out,
                        "--date", "2025-12-26", "--hf-url", hf.url])
        self.assertExit(p, 1)
        self.assertIn("HTTP 500", p.stderr)
        self.assertNotIn("fetched 0 (0 new)", p.stderr)

    def test_help_help_is_the_top_level_help(self):
        p = pbtest.run(["help", "help"])
        self.assertExit(p, 0)
        self.assertEqual(p.stdout, pbtest.run(["--help"]).stdout)
        self.assertIn("see every output, offline, in a few seconds", p.stdout)

    def test_help_texts(self):
        demo = pbtest.run(["demo", "--help"]).stdout
        self.assertNotIn("--date", demo)
        self.assertIn("(default: paperboy-demo)", demo)
        self.assertIn("--no-audio", demo)
        self.assertIn("xdg-open paperboy-demo/", demo)
        self.assertNotIn("&& open ", demo)
        p = pbtest.run(["demo", "--date", "2025-12-01"])
        self.assertExit(p, 2)
        self.assertIn("does not take option '--date'", p.stderr)
        self.assertNotIn("--date", pbtest.run(["import", "--help"]).stdout)
        run = pbtest.run(["run", "--help"]).stdout
        options, examples = run.split("\nExamples:")
        self.assertTrue(options.rstrip().endswith("It is never printed."))
        self.assertLess(options.index("--no-audio"), options.index("The LLM key is read"))
        self.assertIn("timeout of each Hugging Face request", run)
        self.assertIn("Hugging Face retries on 429", run)
        render = pbtest.run(["render", "--help"]).stdout
        self.assertIn("the poster OUT/posters/D_poster.png", render)
        self.assertIn("OUT/stats/D_stats.json", render)


class SummaryTest(pbtest.PaperboyTestCase):
    def test_summary_leaves_out_zero_warnings_and_retries(self):
        hf = self.fake_hf()
        llm = self.fake_llm()
        p = pbtest.run(["run", "--no-audio", "--out", self.out, "--date", "2025-12-26",
                        "--hf-url", hf.url, "--llm-url", llm.url])
        self.assertIn(p.returncode, (0, 3), p.stderr)
        line = [l for l in p.stderr.splitlines() if l.startswith("paperboy: 2025-12-26: fetched")]
        self.assertEqual(len(line), 1, p.stderr)
        self.assertIn("translated ", line[0])
        self.assertNotIn("0 number warnings", line[0])
        self.assertNotIn("0 retries", line[0])


if __name__ == "__main__":
    pbtest.main()
