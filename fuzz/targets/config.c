/*
 * config - the configuration and the values of options: the input is an INI
 * file, then (after a 0x1E) one value per line, given in turn to every key
 * of the config table as `--flag VALUE` would be, and to the budget and date
 * parsers.
 * Properties: a refused file or value has a message; every accepted number is
 * finite and within its key's range; every value formats back; a budget is
 * never negative, NaN or infinite; an accepted date formats to a valid one.
 */
#include "fuzz.h"

#include "core/common.h"
#include "core/config.h"
#include "core/date.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T "config"

static void check_key(const struct pb_config *cfg, const struct config_key *k)
{
	const char *field = (const char *)cfg + k->offset;
	if (k->type == KEY_LONG) {
		long v;
		memcpy(&v, field, sizeof(v));
		FUZZ_CHECK(T, v >= k->min && v <= k->max, k->key);
	} else if (k->type == KEY_DOUBLE) {
		double v;
		memcpy(&v, field, sizeof(v));
		FUZZ_CHECK(T, isfinite(v) && v >= k->min && v <= k->max, k->key);
	}
	char text[4096];
	FUZZ_CHECK(T, config_format_value(cfg, k, text, sizeof(text)) >= 0, k->key);
}

static void check_all(const struct pb_config *cfg)
{
	size_t n;
	const struct config_key *keys = config_keys(&n);
	for (size_t i = 0; i < n; i++)
		check_key(cfg, &keys[i]);
	FUZZ_CHECK(T, cfg->budget_tokens >= 0, "budget_tokens");
	FUZZ_CHECK(T, isfinite(cfg->budget_usd) && cfg->budget_usd >= 0, "budget_usd");
}

static void check_value(struct pb_config *cfg, const struct config_key *k, const char *value)
{
	struct pb_err err = PB_ERR_INIT;
	if (config_set(cfg, k->section, k->key, value, &err))
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused value without a message");
	else
		check_key(cfg, k);

	long long tokens = 0;
	double usd = 0;
	err = (struct pb_err)PB_ERR_INIT;
	if (parse_budget(value, &tokens, &usd, &err) == 0)
		FUZZ_CHECK(T, tokens >= 0 && isfinite(usd) && usd >= 0, value);

	struct pb_date d;
	err = (struct pb_err)PB_ERR_INIT;
	if (date_parse(value, &d, &err) == 0) {
		char text[PB_DATE_LEN + 1];
		date_format(&d, text);
		FUZZ_CHECK(T, date_is_valid_string(text), text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = fuzz_string(data, size);
	char *values = strchr(input, FUZZ_RECORD);
	if (values)
		*values++ = '\0';

	struct pb_config cfg;
	config_init(&cfg);
	struct pb_err err = PB_ERR_INIT;
	if (config_load_string(&cfg, input, "fuzz.ini", &err))
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused file without a message");
	check_all(&cfg);

	size_t n;
	const struct config_key *keys = config_keys(&n);
	for (size_t i = 0; values && *values && i < 4 * n; i++) {
		char *end = strchr(values, '\n');
		if (end)
			*end = '\0';
		check_value(&cfg, &keys[i % n], values);
		values = end ? end + 1 : NULL;
	}
	check_all(&cfg);
	config_release(&cfg);
	free(input);
	return 0;
}
