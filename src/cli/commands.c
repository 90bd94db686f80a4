/* commands.c - the commands as thin layers: parse (options.c), call the day runner, print. */
#include "core/common.h"

#include "cli/cli.h"
#include "cli/progress.h"
#include "core/data.h"
#include "demo/month.h"
#include "demo/replay.h"
#include "importer/oldbot.h"
#include "pipeline/backfill.h"
#include "pipeline/stats.h"
#include "core/fsutil.h"
#include "publish/serve.h"
#include "speak/speak.h"
#include "translate/options.h"
#include "net/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The key goes in an Authorization header to the LLM and the speech API; over
 * plain http:// to another machine anyone on the path can read it. Said once
 * per command, before any request, naming the host, so a typo'd or copied
 * "http://" is caught; loopback servers (Ollama, the fakes) are exempt.
 */
static void warn_key_in_clear(const struct command_ctx *ctx, const char *what, const char *option,
			      const char *url)
{
	char host[256];
	/* Even under -q: a cron job is quiet, and it is the one nobody watches send the key. */
	struct pb_log loud_log = ctx->log;
	const struct pb_log *loud = &loud_log;
	if (loud_log.level < PB_LOG_WARN)
		loud_log.level = PB_LOG_WARN;
	if (net_url_plain_remote_host(url, host, sizeof(host)))
		pb_warn(loud, "the API key goes UNENCRYPTED to %s at host '%s' (%s is plain "
			"http:// and not this machine): anyone on the network path can read it; "
			"use an https:// URL", what, host, option);
}

int cli_pipeline_options(struct command_ctx *ctx, unsigned stages, struct pipeline_options *o)
{
	pipeline_options_init(o, &ctx->config);
	o->stages = stages;
	o->api_key = ctx->api_key;
	o->key_source = ctx->key_source;
	o->force = ctx->force;
	o->llm = !ctx->no_translate;
	o->command = ctx->cmd->name;
	o->site_dir = ctx->config.site_dir;
	o->getenv = cli_getenv;
	/* The daily job delivers last and raises the alarm; the other commands do neither. */
	bool delivers = !strcmp(ctx->cmd->name, "run") || !strcmp(ctx->cmd->name, "send");
	o->send = delivers ? &ctx->send : NULL;
	o->alert = delivers && !ctx->send.dry_run;
	struct pb_err err = PB_ERR_INIT;
	if (ctx->api_key && *ctx->api_key) {
		if (o->llm && (stages & STAGE_BIT(STAGE_TRANSLATE)))
			warn_key_in_clear(ctx, "the LLM", "--llm-url", ctx->config.llm_url);
		if ((stages & STAGE_BIT(STAGE_SPEAK)) && ctx->config.tts_url)
			warn_key_in_clear(ctx, "the speech API", "--tts-url", ctx->config.tts_url);
	}
	const char *langs = ctx->config.languages;
	if (langs && pipeline_set_langs(o, langs, &err)) {
		cli_fail(ctx, &err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static void print_no_papers(const struct command_ctx *ctx, const char *date)
{
	/* Not a failure: under -q (cron mails on output) exit status 4 says it all. */
	if (ctx->log.level < PB_LOG_INFO)
		return;
	char when[64];
	if (ctx->date_given || strcmp(date, ctx->date))
		snprintf(when, sizeof(when), "%s", date);
	else
		cli_describe_date(ctx, when, sizeof(when));
	fprintf(stderr, "paperboy: %s: no papers for %s: Hugging Face lists none for that day\n",
		ctx->cmd->name, when);
	fprintf(stderr, "hint: weekends, holidays and future dates are empty; "
			"try a weekday with --date YYYY-MM-DD\n");
}

int cli_day_exit(struct command_ctx *ctx, const struct day_report *r)
{
	for (size_t i = 0; i < r->n_written; i++)
		printf("%s\n", r->written[i]);
	/* A day that failed before anything past the fetch ran has nothing to sum up: the
	 * error says it all ("fetched 0 (0 new) · 0.0 s" under it only confuses). */
	bool past_fetch = false;
	for (int s = 0; s < STAGE_COUNT; s++)
		past_fetch = past_fetch || (s != STAGE_FETCH && r->ran[s]);
	if (r->summary[0] && (r->outcome != DAY_FAILED || past_fetch))
		pb_info(&ctx->log, "%s", r->summary);
	switch (r->outcome) {
	case DAY_OK:
	case DAY_SKIPPED:
		return EXIT_OK;
	case DAY_PARTIAL:
		return EXIT_PARTIAL;
	case DAY_NO_PAPERS:
		if (r->ran[STAGE_FETCH] && r->err.status == PB_ERR_NO_PAPERS &&
		    !r->ran[STAGE_TRANSLATE] && !r->ran[STAGE_PICTURES]) {
			print_no_papers(ctx, r->date);
			return EXIT_NO_PAPERS;
		}
		return cli_fail(ctx, &r->err);
	case DAY_STOPPED:
		if (r->ran[STAGE_TRANSLATE])
			fprintf(stderr, "paperboy: %s: interrupted; %zu answers received were kept, "
					"a rerun asks only for the rest\n", ctx->cmd->name,
				r->translate.translated);
		else /* no LLM answers to speak of (fetch, speak): nothing half-written is left */
			fprintf(stderr, "paperboy: %s: interrupted; a rerun starts the unfinished "
					"stage again\n", ctx->cmd->name);
		return EXIT_INTERRUPTED;
	case DAY_FAILED:
	default:
		return cli_fail(ctx, &r->err);
	}
}

/* Open the archive, run the stages for ctx->date, print, close. */
static int run_stages(struct command_ctx *ctx, unsigned stages, bool report)
{
	struct pipeline_options o;
	int rc = cli_pipeline_options(ctx, stages, &o);
	if (rc)
		return rc;
	o.write_report = report;
	struct cli_progress progress;
	cli_progress_init(&progress, &ctx->log);
	o.on_translate_progress = cli_show_translate_progress;
	o.progress_userdata = &progress;
	struct archive *a;
	if ((rc = cli_open_archive(ctx, (stages & STAGE_BIT(STAGE_FETCH)) != 0, &a)))
		return rc;
	cli_catch_signals();
	struct day_report r;
	pipeline_run_day(a, &o, ctx->date, &ctx->run, &r);
	rc = cli_day_exit(ctx, &r);
	day_report_release(&r);
	archive_close(a);
	return rc;
}

/* Without a key the day could not be translated: say so before fetching anything. */
static int check_key(struct command_ctx *ctx)
{
	struct pb_err err = PB_ERR_INIT;
	if (translate_check_key(&ctx->config, ctx->api_key,
				(ctx->cmd->opts & OPT_NO_TRANSLATE) != 0, &err))
		return cli_fail(ctx, &err);
	return EXIT_OK;
}

int cmd_fetch(struct command_ctx *ctx)
{
	return run_stages(ctx, STAGE_BIT(STAGE_FETCH), false);
}

int cmd_translate(struct command_ctx *ctx)
{
	int rc = check_key(ctx);
	return rc ? rc : run_stages(ctx, STAGE_BIT(STAGE_TRANSLATE), true);
}

int cmd_render(struct command_ctx *ctx)
{
	/* The translate stage only converts the other editions here: render never pays. */
	ctx->no_translate = true;
	return run_stages(ctx, STAGES_RENDER | STAGE_BIT(STAGE_TRANSLATE), false);
}

static unsigned run_stage_set(const struct command_ctx *ctx)
{
	unsigned stages = STAGES_ALL; /* --no-translate: the translate stage only converts */
	if (ctx->no_audio)
		stages &= ~(STAGE_BIT(STAGE_SPEAK) | STAGE_BIT(STAGE_FEED));
	return stages;
}

/* A channel that cannot be used is met before anything is fetched or paid for. */
int cli_check_channels(struct command_ctx *ctx)
{
	struct pb_err err = PB_ERR_INIT;
	if (send_check(&ctx->config, &ctx->send, &err))
		return cli_fail(ctx, &err);
	return EXIT_OK;
}

int cmd_run(struct command_ctx *ctx)
{
	int rc = cli_check_channels(ctx);
	if (!rc && !ctx->no_translate)
		rc = check_key(ctx);
	return rc ? rc : run_stages(ctx, run_stage_set(ctx), true);
}

int cmd_speak(struct command_ctx *ctx)
{
	if (ctx->script_only) {
		struct archive *a;
		int rc = cli_open_archive(ctx, false, &a);
		if (rc)
			return rc;
		char *text = NULL;
		struct pb_err err = PB_ERR_INIT;
		struct speak_options so;
		speak_options_from_config(&ctx->config, NULL, NULL, &so);
		if (speak_script(a, ctx->date, &so, &text, &err))
			rc = cli_fail(ctx, &err);
		else
			fputs(text, stdout);
		free(text);
		archive_close(a);
		return rc;
	}
	/* A broadcast that fails is this command's failure, not a partial edition. */
	struct pipeline_options o;
	int rc = cli_pipeline_options(ctx, STAGE_BIT(STAGE_SPEAK), &o);
	struct archive *a;
	if (rc || (rc = cli_open_archive(ctx, false, &a)))
		return rc;
	cli_catch_signals();
	struct day_report r;
	pipeline_run_day(a, &o, ctx->date, &ctx->run, &r);
	if (r.speak_failed) {
		cli_fail(ctx, &r.speak_err);
		rc = EXIT_ERROR; /* even for a bad --voice: the broadcast is what this command makes */
	} else {
		rc = cli_day_exit(ctx, &r);
		if (rc == EXIT_OK) {
			/* The editions already written now link the broadcast; then the feed. */
			struct day_report e;
			o.stages = STAGE_BIT(STAGE_FEED);
			if (pipeline_edition_recorded(a, ctx->date))
				o.stages |= STAGE_BIT(STAGE_EDITION);
			pipeline_run_day(a, &o, ctx->date, &ctx->run, &e);
			rc = cli_day_exit(ctx, &e);
			day_report_release(&e);
		}
	}
	day_report_release(&r);
	archive_close(a);
	return rc;
}

static void report_import(const struct command_ctx *ctx, const struct import_report *r)
{
	pb_info(&ctx->log,
		"imported %zu day files (%zu changed the archive, %zu papers new to their day), "
		"%zu translations (%zu new, %zu without their paper), %zu malformed files skipped",
		r->days, r->days_changed, r->papers_new, r->translations, r->translations_new,
		r->translations_orphan, r->files_skipped);
}

int cmd_import(struct command_ctx *ctx)
{
	struct pb_err err = PB_ERR_INIT;
	/* A path that is no old bot's repository must not leave an empty archive behind. */
	if (oldbot_check_dir(ctx->args[0], &err))
		return cli_fail(ctx, &err);
	struct archive *a;
	int rc = cli_open_archive(ctx, true, &a);
	if (rc)
		return rc;
	struct import_report report;
	if (oldbot_import_dir(a, ctx->args[0], &report, &ctx->log, &err)) {
		rc = cli_fail(ctx, &err);
	} else {
		report_import(ctx, &report);
		/* Some files could not be read: the import is partial, and says so. */
		rc = report.files_skipped ? EXIT_PARTIAL : EXIT_OK;
	}
	archive_close(a);
	return rc;
}

/* The bundled day: a real edition's API response and its translations. */
#define DEMO_DATE "2025-12-26"
#define DEMO_METADATA "data/demo/Paper_metadata_download/" DEMO_DATE ".json"
#define DEMO_TRANSLATIONS "data/demo/HF-day-paper-deepseek/" DEMO_DATE "_HF_deepseek_clean.json"
/* The month before the day, untranslated, so the trend chart shows a real month. */
#define DEMO_MONTH "data/demo/month.json"

int cmd_demo(struct command_ctx *ctx)
{
	/* The bundled day is the only one: demo takes no --date. */
	snprintf(ctx->date, sizeof(ctx->date), "%s", DEMO_DATE);
	struct archive *a;
	int rc = cli_open_archive(ctx, true, &a);
	if (rc)
		return rc;
	size_t meta_len = 0, trans_len = 0;
	const char *meta = data_get(DEMO_METADATA, &meta_len);
	const char *trans = data_get(DEMO_TRANSLATIONS, &trans_len);
	size_t month_len = 0;
	const char *month = data_get(DEMO_MONTH, &month_len);
	struct import_report imported = {0};
	struct replay_server *server = NULL;
	struct pb_err err = PB_ERR_INIT;
	/* The day goes in through the importer, as with `paperboy import`; the answers are
	 * served over HTTP on 127.0.0.1, so the real translate stage runs, offline. */
	if (!meta || !trans || !month)
		pb_err_set(&err, PB_ERR, "the demo day is missing from this build");
	else if (!demo_import_month(a, month, month_len, DEMO_MONTH, &imported, &ctx->log, &err) &&
		 !oldbot_import_day_buffer(a, DEMO_DATE, meta, meta_len, DEMO_METADATA, &imported,
					   &ctx->log, &err))
		replay_server_start(trans, trans_len, &server, &err);
	if (pb_err_is_set(&err)) {
		rc = cli_fail(ctx, &err);
	} else {
		pb_info(&ctx->log, "demo: %s and the month before it from bundled data; "
			"answers served at %s", DEMO_DATE, replay_server_url(server));
		free(ctx->config.llm_url);
		ctx->config.llm_url = xstrdup(replay_server_url(server));
		free(ctx->config.llm_model);
		ctx->config.llm_model = xstrdup("paperboy-demo-replay");
		ctx->api_key = NULL;
		/* Every output, the site too: OUT/site unless [site] dir says elsewhere. */
		if (!ctx->config.site_dir)
			ctx->config.site_dir = path_join(ctx->config.out_dir, "site");
		archive_close(a);
		a = NULL;
		rc = run_stages(ctx, run_stage_set(ctx) & ~STAGE_BIT(STAGE_FETCH), true);
	}
	replay_server_stop(server);
	archive_close(a);
	return rc;
}

static void print_backfill_day(void *userdata, size_t index, size_t total, const struct day_report *r)
{
	const struct command_ctx *ctx = userdata;
	char line[256];
	backfill_day_line(r, line, sizeof(line));
	pb_info(&ctx->log, "[%zu/%zu] %s", index + 1, total, line);
	if (r->outcome == DAY_FAILED) {
		pb_warn(&ctx->log, "%s: %s", r->date, r->err.msg);
		if (r->err.hint[0])
			pb_warn(&ctx->log, "hint: %s", r->err.hint);
	}
}

int cmd_backfill(struct command_ctx *ctx)
{
	if (!ctx->from[0] || !ctx->to[0]) {
		fprintf(stderr, "paperboy: backfill: --from and --to are both needed\n"
				"Try 'paperboy backfill --help'.\n");
		return EXIT_USAGE;
	}
	if (strcmp(ctx->from, ctx->to) > 0) {
		fprintf(stderr, "paperboy: backfill: --from %s is after --to %s\n", ctx->from, ctx->to);
		return EXIT_USAGE;
	}
	int rc = ctx->no_translate ? EXIT_OK : check_key(ctx);
	struct pipeline_options o;
	if (rc || (rc = cli_pipeline_options(ctx, run_stage_set(ctx), &o)))
		return rc;
	o.write_report = true;
	struct archive *a;
	if ((rc = cli_open_archive(ctx, true, &a)))
		return rc;
	cli_catch_signals();
	struct backfill_report b;
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_backfill(a, &o, ctx->from, ctx->to, &ctx->run, print_backfill_day, ctx, &b, &err)) {
		rc = cli_fail(ctx, &err);
	} else {
		backfill_print_table(&b, stdout);
		if (b.feed_path)
			printf("%s\n", b.feed_path);
		rc = b.stopped ? EXIT_INTERRUPTED : b.failed ? EXIT_ERROR : b.partial ? EXIT_PARTIAL : EXIT_OK;
		if (b.stopped)
			fprintf(stderr, "paperboy: backfill: interrupted at %s; finished days are kept, "
					"a rerun goes on from there\n", b.stopped_at);
	}
	backfill_report_release(&b);
	archive_close(a);
	return rc;
}

int cmd_stats(struct command_ctx *ctx)
{
	struct archive *a;
	int rc = cli_open_archive(ctx, false, &a);
	if (rc)
		return rc;
	struct window_summary w;
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_window_stats(a, &ctx->run, ctx->date, (size_t)ctx->window_days, (size_t)ctx->top,
				  &w, &err)) {
		rc = cli_fail(ctx, &err);
	} else {
		pb_info(&ctx->log, "%ld days up to %s: %zu in the archive, %zu papers; areas: %s",
			ctx->window_days, ctx->date, w.days_known, w.papers, w.areas);
		printf("keyword\tcount\n");
		for (size_t i = 0; i < w.keywords.n; i++)
			printf("%s\t%ld\n", w.keywords.items[i].word, w.keywords.items[i].count);
		pb_info(&ctx->log, "wrote %s and %s", w.json_path, w.chart_path);
	}
	window_summary_release(&w);
	archive_close(a);
	return rc;
}

/* One line per setting of the key table: its value and where it came from; keys never shown. */
int cmd_config(struct command_ctx *ctx)
{
	size_t n;
	const struct config_key *keys = config_keys(&n);
	const struct pb_config *cfg = &ctx->config;
	printf("# paperboy's effective settings: section.key = value  (source)\n"
	       "# precedence: flag > env > file (--config) > default (the shipped paperboy.ini)\n");
	for (size_t i = 0; i < n; i++) {
		const struct config_key *k = &keys[i];
		char value[512], name[64], source[600];
		config_format_value(cfg, k, value, sizeof(value));
		snprintf(name, sizeof(name), "%s.%s", k->section, k->key);
		enum config_source src = config_key_source(cfg, k);
		switch (src) {
		case CFG_SRC_FLAG: snprintf(source, sizeof(source), "flag --%s", k->flag); break;
		case CFG_SRC_ENV: snprintf(source, sizeof(source), "env %s", k->env); break;
		case CFG_SRC_FILE:
			snprintf(source, sizeof(source), "file %s", ctx->config_path ? ctx->config_path : "?");
			break;
		default: snprintf(source, sizeof(source), "%s", config_source_name(src)); break;
		}
		printf("%-26s = %s%s(%s)\n", name, value, *value ? "  " : "", source);
	}
	printf("%-26s = %zu%s(%s)\n", "channels", cfg->n_channels, "  ",
	       cfg->n_channels ? "[channels] entries" : "none: the edition has no 订阅渠道 section");
	printf("%-26s = %zu models  ([prices])\n", "prices", cfg->n_prices);
	/* Delivery channels: a secret shows where it comes from, never what it is. */
	for (size_t i = 0; i < cfg->n_deliveries; i++) {
		const struct pb_delivery *d = &cfg->deliveries[i];
		for (int k = 0; k < DK_COUNT; k++) {
			const struct pb_setting *st = &d->keys[k];
			if (!st->value && !st->env)
				continue;
			char name[96];
			snprintf(name, sizeof(name), "%s%s.%s", d->is_mail ? "" : "push.", d->name,
				 config_delivery_key_name((enum delivery_key)k));
			if (st->env)
				printf("%-26s = from env %s%s\n", name, st->env,
				       getenv(st->env) && *getenv(st->env) ? " (set)" : " (NOT SET)");
			else if (config_delivery_key_is_secret(d, (enum delivery_key)k))
				printf("%-26s = (set in the file; a secret, not shown)\n", name);
			else
				printf("%-26s = %s\n", name, st->value);
		}
	}
	/* The key: which variable holds it, never its value. */
	if (ctx->key_source)
		printf("%-26s = set in %s (value not shown)\n", "llm key", ctx->key_source);
	else
		printf("%-26s = not set (read from %s, %s or %s)\n", "llm key", cli_key_vars[0],
		       cli_key_vars[1], cli_key_vars[2]);
	return EXIT_OK;
}

static void print_serving(void *userdata, const char *url)
{
	const struct command_ctx *ctx = userdata;
	printf("%s\n", url);
	fflush(stdout);
	pb_info(&ctx->log, "serving the site at %s (on this machine only); Ctrl-C stops", url);
}

/* The preview runs until Ctrl-C, which is its normal end: exit 0. */
static int serve_site(struct command_ctx *ctx, const char *dir)
{
	const struct serve_options so = {dir, "127.0.0.1", (unsigned)ctx->config.site_port};
	struct pb_err err = PB_ERR_INIT;
	if (site_serve(&so, &ctx->run, print_serving, ctx, &err))
		return cli_fail(ctx, &err);
	return EXIT_OK;
}

/* [site] dir, or OUT/site: where `paperboy site` builds. Caller frees. */
static char *site_dir_of(const struct command_ctx *ctx)
{
	return ctx->config.site_dir ? xstrdup(ctx->config.site_dir) : path_join(ctx->config.out_dir, "site");
}

int cmd_site(struct command_ctx *ctx)
{
	struct pipeline_options o;
	int rc = cli_pipeline_options(ctx, STAGE_BIT(STAGE_SITE), &o);
	if (rc)
		return rc;
	char *dir = site_dir_of(ctx);
	o.site_dir = dir;
	struct archive *a;
	if ((rc = cli_open_archive(ctx, false, &a))) {
		free(dir);
		return rc;
	}
	cli_catch_signals();
	struct day_report r;
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_run_archive_stages(a, &o, &ctx->run, &r, &err)) {
		rc = pb_run_stopped(&ctx->run) ? EXIT_INTERRUPTED : cli_fail(ctx, &err);
	} else if (pb_run_stopped(&ctx->run)) {
		rc = EXIT_INTERRUPTED;
	} else {
		printf("%s\n", dir); /* the stage said what it wrote */
	}
	day_report_release(&r);
	archive_close(a);
	if (rc == EXIT_OK && ctx->serve)
		rc = serve_site(ctx, dir);
	free(dir);
	return rc;
}
