/* Unit tests for core/config: shipped defaults, files, precedence, errors. */
#include "core/common.h"

#include "core/config.h"
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
	CHECK_INT(cfg.n_channels, 1);
	CHECK_STR(cfg.channels[0].label, "GitHub");
	CHECK_STR(cfg.channels[0].text, "hf-daily-paper-newsletter-chinese");

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
	return test_report("test_config");
}
