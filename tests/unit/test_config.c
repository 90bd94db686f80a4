/* Unit tests for core/config: shipped defaults, files, precedence, errors. */
#include "core/common.h"

#include "core/config.h"
#include "core/data.h"

#include <stdio.h>
#include <string.h>
#include "harness.h"

static const char *fake_env_value;

static const char *fake_env(const char *name)
{
	return !strcmp(name, "PAPERBOY_HF_URL") ? fake_env_value : NULL;
}

int main(void)
{
	struct pb_config cfg;
	struct pb_err err = PB_ERR_INIT;
	config_init(&cfg);
	/* The shipped data/paperboy.ini parses and gives the documented defaults. */
	CHECK_STR(cfg.hf_url, "https://huggingface.co");
	CHECK_STR(cfg.out_dir, ".");
	CHECK(cfg.db_path == NULL);
	CHECK_INT(cfg.http_timeout_s, 30);
	CHECK_INT(cfg.http_retries, 3);
	/* No 订阅渠道 by default: an edition links no one else's project. */
	CHECK_INT(cfg.n_channels, 0);
	CHECK_STR(cfg.brand, "paperboy");
	CHECK(cfg.site_base_url == NULL);
	CHECK_STR(cfg.feed_author, "");

	CHECK_INT(config_load_string(&cfg,
				     "[paperboy]\nout = /tmp/x\ntimeout = 5\n"
				     "[channels]\n邮件 = 订阅邮件 https://example.com/sub\n"
				     "RSS = feed https://example.com/rss.xml\n",
				     "mine.ini", &err), 0);
	CHECK_STR(cfg.out_dir, "/tmp/x");
	CHECK_INT(cfg.http_timeout_s, 5);
	/* A file's [channels] replaces the default list, keeping its order. */
	CHECK_INT(cfg.n_channels, 2);
	CHECK_STR(cfg.channels[0].label, "邮件");
	CHECK_STR(cfg.channels[1].url, "https://example.com/rss.xml");

	fake_env_value = "http://127.0.0.1:9";
	CHECK_INT(config_apply_env(&cfg, fake_env, &err), 0);
	CHECK_STR(cfg.hf_url, "http://127.0.0.1:9");
	fake_env_value = "ftp://nope";
	CHECK_INT(config_apply_env(&cfg, fake_env, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "PAPERBOY_HF_URL");
	pb_err_clear(&err);

	CHECK_INT(config_load_string(&cfg, "[paperboy]\ntimout = 5\n", "typo.ini", &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "typo.ini' line 2");
	CHECK_CONTAINS(err.msg, "unknown key 'timout'");
	pb_err_clear(&err);
	CHECK_INT(config_load_string(&cfg, "[paperboy]\nretries = many\n", "r.ini", &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "retries must be 0..20");
	pb_err_clear(&err);
	CHECK_INT(config_load_string(&cfg, "[channels]\nX = javascript:alert(1)\n", "c.ini", &err),
		  PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "channel 'X'");
	pb_err_clear(&err);
	CHECK_INT(config_load_file(&cfg, "/nonexistent/paperboy.ini", &err), PB_ERR_IO);
	CHECK_CONTAINS(err.msg, "/nonexistent/paperboy.ini");
	config_release(&cfg);
	/* The key table: every key has its default in the shipped file, flags and variables are unique. */
	{
		size_t n;
		const struct config_key *keys = config_keys(&n);
		CHECK(n > 20);
		struct pb_config defaults;
		config_init(&defaults);
		for (size_t i = 0; i < n; i++) {
			char needle[96];
			snprintf(needle, sizeof(needle), "\n%s =", keys[i].key);
			const char *ini = data_get("data/paperboy.ini", NULL);
			CHECK_CONTAINS(ini, needle);
			CHECK(config_key_find(keys[i].section, keys[i].key) == &keys[i]);
			CHECK(!keys[i].flag || keys[i].help); /* every flag has a --help line */
			for (size_t j = i + 1; j < n; j++) {
				CHECK(!keys[i].flag || !keys[j].flag || strcmp(keys[i].flag, keys[j].flag));
				CHECK(!keys[i].env || !keys[j].env || strcmp(keys[i].env, keys[j].env));
			}
			char value[256];
			CHECK(config_format_value(&defaults, &keys[i], value, sizeof(value)) >= 0);
		}
		/* The one place a default lives: the file, read through the table. */
		CHECK_INT(defaults.llm_jobs, 8);
		CHECK_INT(defaults.connect_timeout_s, 10);
		CHECK_STR(defaults.voice, "cmn-latn-pinyin");
		CHECK(defaults.languages && !strcmp(defaults.languages, "zh-CN"));
		struct pb_err e = PB_ERR_INIT;
		CHECK(config_set(&defaults, "llm", "jobs", "0", &e) != 0);
		CHECK_CONTAINS(e.msg, "jobs must be 1..256");
		pb_err_clear(&e);
		CHECK(config_set(&defaults, "edition", "colour", "x", &e) != 0);
		CHECK_CONTAINS(e.msg, "unknown key 'colour' in [edition]");
		pb_err_clear(&e);
		CHECK(config_set(&defaults, "nosuch", "x", "y", &e) != 0);
		CHECK_CONTAINS(e.msg, "unknown section [nosuch]");
		pb_err_clear(&e);
		/*
		 * NaN compares false with every bound, so a plain range check lets it
		 * through (then (long long)NaN is undefined behaviour and a token budget
		 * never trips); infinities and overflows (1e400) are no numbers either.
		 * Flags, the environment and files all go through config_set's parsers.
		 */
		static const char *const not_finite[] = {"nan", "NaN", "-nan", "nan(0x1)", "inf",
							 "-inf", "infinity", "1e400", "-1e400"};
		for (size_t i = 0; i < sizeof(not_finite) / sizeof(*not_finite); i++) {
			char money[32], tokens[32];
			long long bt = -1;
			double bu = -1;
			CHECK(parse_budget(not_finite[i], &bt, &bu, &e) != 0);
			CHECK_CONTAINS(e.msg, not_finite[i]);
			pb_err_clear(&e);
			snprintf(money, sizeof(money), "$%s", not_finite[i]);
			CHECK(parse_budget(money, &bt, &bu, &e) != 0);
			pb_err_clear(&e);
			snprintf(tokens, sizeof(tokens), "%sk", not_finite[i]);
			CHECK(parse_budget(tokens, &bt, &bu, &e) != 0);
			pb_err_clear(&e);
			CHECK(config_set(&defaults, "llm", "budget", not_finite[i], &e) != 0);
			pb_err_clear(&e);
			/* a KEY_DOUBLE: [llm] rpm, and it keeps its value */
			double rpm_before = defaults.llm_rpm;
			CHECK(config_set(&defaults, "llm", "rpm", not_finite[i], &e) != 0);
			CHECK_CONTAINS(e.msg, "rpm must be a number");
			pb_err_clear(&e);
			CHECK(defaults.llm_rpm == rpm_before);
			/* prices have their own parser */
			CHECK(config_set(&defaults, "prices", "m", not_finite[i], &e) != 0);
			pb_err_clear(&e);
			snprintf(money, sizeof(money), "0.27 %s", not_finite[i]);
			CHECK(config_set(&defaults, "prices", "m", money, &e) != 0);
			pb_err_clear(&e);
		}
		/* finite values still pass */
		long long bt = 0;
		double bu = 0;
		CHECK_INT(parse_budget("200k", &bt, &bu, &e), 0);
		CHECK_INT(bt, 200000);
		CHECK_INT(parse_budget("$0.5", &bt, &bu, &e), 0);
		CHECK(bu == 0.5);
		CHECK_INT(config_set(&defaults, "llm", "rpm", "60", &e), 0);
		CHECK(defaults.llm_rpm == 60);
		CHECK_INT(config_set(&defaults, "prices", "m", "0.27 1.10", &e), 0);
		config_release(&defaults);
	}
	return test_report("test_config");
}
