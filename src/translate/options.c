/* options.c - the translate stage's options and its before-anything checks. */
#include "core/common.h"

#include "translate/options.h"
#include "net/http.h"


int translate_check_key(const struct pb_config *cfg, const char *api_key, bool can_skip,
			struct pb_err *err)
{
	if (api_key || net_url_is_local(cfg->llm_url))
		return 0;
	pb_err_set(err, PB_ERR_USAGE,
		   "no API key for the LLM at '%s': set PAPERBOY_LLM_KEY (or DEEPSEEK_API_KEY / "
		   "OPENAI_API_KEY)", cfg->llm_url);
	if (can_skip)
		pb_err_hint(err, "pass --no-translate for an English edition, or --llm-url for a local "
				 "server (Ollama, llama.cpp, vLLM) that needs no key");
	else
		pb_err_hint(err, "set one of those variables, or pass --llm-url for a local server "
				 "(Ollama, llama.cpp, vLLM) that needs no key");
	return PB_ERR_USAGE;
}

int translate_options_from_config(const struct pb_config *cfg, const char *api_key,
				  const char *key_source, bool force, struct translate_options *o,
				  struct pb_err *err)
{
	translate_options_default(o);
	o->llm_url = cfg->llm_url;
	o->model = cfg->llm_model;
	o->api_key = api_key;
	o->key_source = key_source;
	o->glossary_path = cfg->glossary;
	o->jobs = (int)cfg->llm_jobs;
	o->rpm = cfg->llm_rpm;
	o->max_tries = (int)cfg->llm_tries;
	o->timeout_ms = cfg->llm_timeout_s * 1000;
	o->connect_timeout_ms = cfg->connect_timeout_s * 1000;
	o->deadline_s = cfg->llm_deadline_s;
	o->budget_tokens = cfg->budget_tokens;
	o->budget_cost = cfg->budget_usd;
	o->force = force;
	const struct pb_price *price = config_price(cfg, cfg->llm_model);
	if (price) {
		o->price_in = price->input;
		o->price_out = price->output;
		o->prices_known = true;
	} else if (net_url_is_local(cfg->llm_url)) {
		o->prices_known = true; /* a model on this machine costs no money per token */
	} else if (o->budget_cost > 0) {
		return pb_err_set(err, PB_ERR_USAGE,
				  "a money budget needs the price of '%s': add it under [prices] in the "
				  "config (or give the budget in tokens)", cfg->llm_model);
	}
	return 0;
}
