/*
 * options.h - the translate stage's options from the config, and the
 * checks to make before anything is fetched or paid: a key for a remote
 * API, a price for a money budget.
 */
#ifndef PB_TRANSLATE_OPTIONS_H
#define PB_TRANSLATE_OPTIONS_H

#include "core/config.h"
#include "core/err.h"
#include "translate/translate.h"

/* PB_ERR_USAGE (naming the variables to set) when a remote LLM has no key. The hint offers
 * --no-translate only when the command takes it (can_skip: run, backfill). */
int translate_check_key(const struct pb_config *cfg, const char *api_key, bool can_skip,
			struct pb_err *err);

/* o from the config; PB_ERR_USAGE when a money budget has no price for the model. */
int translate_options_from_config(const struct pb_config *cfg, const char *api_key,
				  const char *key_source, bool force, struct translate_options *o,
				  struct pb_err *err);

#endif
