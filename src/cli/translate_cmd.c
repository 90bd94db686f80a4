/* translate_cmd.c - the translate stage for the CLI: options, key, progress, signals. */
#include "core/common.h"

#include "cli/translate_cmd.h"
#include "core/config.h"
#include "net/http.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Set by SIGINT/SIGTERM; the LLM batch polls it and stops cleanly. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

const volatile sig_atomic_t *cli_stop_flag(void)
{
	return &stop_signal;
}

bool cli_interrupted(void)
{
	return stop_signal != 0;
}

int cli_check_llm_key(const struct command_ctx *ctx)
{
	if (ctx->api_key || net_url_is_local(ctx->config.llm_url))
		return EXIT_OK;
	fprintf(stderr,
		"paperboy: %s: no API key for the LLM at '%s': set PAPERBOY_LLM_KEY "
		"(or DEEPSEEK_API_KEY / OPENAI_API_KEY)\n"
		"hint: pass --no-translate for an English edition, or --llm-url for a local server "
		"(Ollama, llama.cpp, vLLM) that needs no key\n",
		ctx->cmd->name, ctx->config.llm_url);
	return EXIT_USAGE;
}

struct progress {
	bool tty;
	size_t last_reported;
	const struct pb_log *log;
};

static void show_progress(void *userdata, const struct llm_stats *s, size_t cached)
{
	struct progress *p = userdata;
	if (p->log->level < PB_LOG_INFO)
		return;
	size_t finished = s->done + s->failed;
	if (p->tty) {
		fprintf(stderr, "\r\033[Kpaperboy: translating %zu/%zu finished · %zu in flight · %zu retries"
				" · %.1fk tokens%s", finished, s->jobs, s->in_flight, s->retries,
			(s->tokens_in + s->tokens_out) / 1000.0, cached ? " · cached before: " : "");
		if (cached)
			fprintf(stderr, "%zu", cached);
		if (finished == s->jobs)
			fputc('\n', stderr);
		fflush(stderr);
		return;
	}
	/* Not a terminal: a plain line at every tenth of the way, and at the end. */
	size_t step = s->jobs >= 10 ? s->jobs / 10 : 1;
	if (finished == s->jobs || finished >= p->last_reported + step) {
		p->last_reported = finished;
		pb_info(p->log, "translation %zu/%zu finished (%zu failed, %zu retries, %lld tokens)",
			finished, s->jobs, s->failed, s->retries, s->tokens_in + s->tokens_out);
	}
}

int cli_translate(struct command_ctx *ctx, struct pipeline *p, struct translate_report *report,
		  bool *partial)
{
	const struct pb_config *cfg = &ctx->config;
	struct translate_options o;
	translate_options_default(&o);
	o.llm_url = cfg->llm_url;
	o.model = cfg->llm_model;
	o.api_key = ctx->api_key;
	o.key_source = ctx->key_source;
	o.glossary_path = cfg->glossary;
	o.jobs = (int)cfg->llm_jobs;
	o.rpm = cfg->llm_rpm;
	o.max_tries = (int)cfg->llm_tries;
	o.timeout_ms = cfg->llm_timeout_s * 1000;
	o.deadline_s = cfg->llm_deadline_s;
	o.budget_tokens = cfg->budget_tokens;
	o.budget_cost = cfg->budget_usd;
	o.force = ctx->force;
	o.connect_timeout_ms = cfg->connect_timeout_s * 1000;
	const struct pb_price *price = config_price(cfg, cfg->llm_model);
	if (price) {
		o.price_in = price->input;
		o.price_out = price->output;
		o.prices_known = true;
	} else if (net_url_is_local(cfg->llm_url)) {
		o.prices_known = true; /* a model on this machine costs no money per token */
	} else if (o.budget_cost > 0) {
		fprintf(stderr, "paperboy: %s: a money budget needs the price of '%s': add it under "
				"[prices] in the config (or give the budget in tokens)\n",
			ctx->cmd->name, cfg->llm_model);
		return EXIT_USAGE;
	}
	struct progress progress = {isatty(STDERR_FILENO) != 0, 0, &ctx->log};
	o.on_progress = show_progress;
	o.progress_userdata = &progress;

	struct pb_err err = PB_ERR_INIT;
	int rc = pipeline_translate(p, &o, report, &err);
	if (rc)
		return cli_fail(ctx, &err);
	for (size_t i = 0; i < report->n_warnings; i++)
		pb_warn(&ctx->log, "%s kept with %s", report->warnings[i].paper_id,
			report->warnings[i].detail);
	const struct llm_stats *s = &report->llm;
	if (s->budget_hit)
		pb_warn(&ctx->log, "budget reached: %zu papers left untranslated (they appear in English)",
			report->unfinished);
	if (s->deadline_hit)
		pb_warn(&ctx->log, "deadline of %.0f s reached: %zu papers left untranslated",
			o.deadline_s, report->unfinished);
	*partial = translate_report_is_partial(report);
	if (cli_interrupted()) {
		fprintf(stderr, "paperboy: %s: interrupted; %zu answers received were kept, "
				"a rerun asks only for the rest\n", ctx->cmd->name, report->translated);
		return EXIT_INTERRUPTED;
	}
	return EXIT_OK;
}
