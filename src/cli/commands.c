/* commands.c - fetch, render, run, import, demo: thin layers over the pipeline. */
#include "core/common.h"

#include "cli/cli.h"
#include "cli/speak_cmd.h"
#include "cli/translate_cmd.h"
#include "core/date.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "demo/replay.h"
#include "importer/oldbot.h"
#include "pipeline/pipeline.h"
#include "pipeline/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_paths(const struct newsletter_paths *paths)
{
	const char *all[] = {paths->markdown, paths->html, paths->wordcloud, paths->chart,
			     paths->poster, paths->stats};
	for (size_t i = 0; i < PB_ARRAY_LEN(all); i++)
		if (all[i])
			printf("%s\n", all[i]);
}

static struct pipeline make_pipeline(struct command_ctx *ctx, struct archive *a)
{
	struct pipeline p = {
		.date = ctx->date, .out_dir = ctx->config.out_dir, .archive = a,
		.config = &ctx->config, .log = &ctx->log, .stop = cli_stop_flag(),
	};
	return p;
}

/* The fetch stage with the CLI's messages; shared by fetch and run. */
static int fetch_and_report(struct command_ctx *ctx, struct pipeline *p, struct run_report *report)
{
	struct fetch_summary s;
	struct pb_err err = PB_ERR_INIT;
	double started = now_s();
	int rc = pipeline_fetch(p, &s, &err);
	if (report)
		run_report_fetch(report, &s, rc == 0 ? "ok" : rc == PB_ERR_NO_PAPERS ? "no-papers" : "failed",
				 now_s() - started);
	if (rc == PB_ERR_NO_PAPERS) {
		char when[64];
		cli_describe_date(ctx, when, sizeof(when));
		fprintf(stderr, "paperboy: %s: no papers for %s: Hugging Face lists none for that day\n",
			ctx->cmd->name, when);
		fprintf(stderr, "hint: weekends, holidays and future dates are empty; "
				"try a weekday with --date YYYY-MM-DD\n");
		return EXIT_NO_PAPERS;
	}
	if (rc)
		return cli_fail(ctx, &err);
	pb_info(&ctx->log, "%s: %zu papers, %zu new, %zu invalid skipped; %zu in the day's list",
		ctx->date, s.papers, s.n_new, s.skipped, s.total);
	return EXIT_OK;
}

static int render_and_report(struct command_ctx *ctx, struct pipeline *p, struct run_report *report)
{
	struct newsletter_paths paths = {0};
	struct render_summary s = {0};
	struct pb_err err = PB_ERR_INIT;
	double started = now_s();
	int rc = pipeline_render(p, &paths, &s, &err);
	if (report)
		run_report_render(report, s.papers, s.untranslated, rc ? "failed" : "ok", now_s() - started);
	if (rc) {
		free(s.hot_topics);
		return cli_fail(ctx, &err);
	}
	pb_info(&ctx->log, "%s: 热门领域 %s; %zu words in the cloud", p->date, s.hot_topics,
		s.cloud_words);
	print_paths(&paths);
	newsletter_paths_release(&paths);
	free(s.hot_topics);
	return EXIT_OK;
}

int cmd_fetch(struct command_ctx *ctx)
{
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	cli_catch_signals();
	struct pipeline p = make_pipeline(ctx, a);
	rc = fetch_and_report(ctx, &p, NULL);
	archive_close(a);
	return rc;
}

/* Write reports/D_run.json and print its summary line. */
static void finish_report(struct command_ctx *ctx, struct run_report *report, int exit_code)
{
	const char *status = exit_code == EXIT_OK ? "ok" : exit_code == EXIT_PARTIAL ? "partial"
			   : exit_code == EXIT_NO_PAPERS ? "no-papers"
			   : exit_code == EXIT_INTERRUPTED ? "interrupted" : "failed";
	struct pb_err err = PB_ERR_INIT;
	char *path = NULL;
	if (run_report_write(report, ctx->config.out_dir, status, &path, &err))
		pb_warn(&ctx->log, "could not write the run report: %s", err.msg);
	char line[512];
	run_report_summary(report, line, sizeof(line));
	pb_info(&ctx->log, "%s", line);
	free(path);
}

static const char *translate_status(int rc, bool partial)
{
	return rc == EXIT_OK ? (partial ? "partial" : "ok") : rc == EXIT_INTERRUPTED ? "interrupted" : "failed";
}

/*
 * The broadcast after the pictures (its cover is the poster), then the
 * newsletter again so it links the audio, then the feed. A failed broadcast
 * leaves the edition as rendered, without the link, and the run partial.
 */
static int speak_and_link(struct command_ctx *ctx, struct pipeline *p, struct run_report *report,
			  bool *partial)
{
	bool failed = false;
	int rc = cli_speak(ctx, p, report, &failed);
	if (rc)
		return rc;
	if (failed) {
		*partial = true;
		return EXIT_OK;
	}
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_render_newsletter(p, &err))
		return cli_fail(ctx, &err);
	cli_feed(ctx, p);
	return EXIT_OK;
}

/*
 * The stages after the day is in the archive, shared by run and demo:
 * translate (unless skipped), render — whatever the LLM did, the edition
 * renders, untranslated papers in English — and speak; then the report.
 */
static int translate_render_speak(struct command_ctx *ctx, struct pipeline *p,
				  struct run_report *report, bool translate)
{
	bool partial = false;
	int rc = EXIT_OK;
	if (translate) {
		struct translate_report tr = {0};
		rc = cli_translate(ctx, p, &tr, &partial);
		if (rc != EXIT_USAGE)
			run_report_translate(report, &tr, ctx->config.llm_model, translate_status(rc, partial));
		translate_report_release(&tr);
	}
	if (rc == EXIT_OK)
		rc = render_and_report(ctx, p, report);
	if (rc == EXIT_OK && !ctx->no_audio)
		rc = speak_and_link(ctx, p, report, &partial);
	if (rc == EXIT_OK && partial)
		rc = EXIT_PARTIAL;
	finish_report(ctx, report, rc);
	return rc;
}

int cmd_speak(struct command_ctx *ctx)
{
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	struct pipeline p = make_pipeline(ctx, a);
	struct pb_err err = PB_ERR_INIT;
	if (ctx->script_only) {
		char *text = NULL;
		if (speak_script(a, ctx->date, &text, &err))
			rc = cli_fail(ctx, &err);
		else
			fputs(text, stdout);
		free(text);
	} else {
		cli_catch_signals();
		bool failed = false;
		rc = cli_speak(ctx, &p, NULL, &failed);
		if (!rc && failed)
			rc = EXIT_ERROR;
		if (!rc) {
			/* The edition, if rendered, now links its broadcast. */
			char *md = xasprintf("%s/newsletters/%s_daily_paper.md", ctx->config.out_dir, ctx->date);
			if (fs_is_file(md) && pipeline_render_newsletter(&p, &err))
				rc = cli_fail(ctx, &err);
			free(md);
			cli_feed(ctx, &p);
		}
	}
	archive_close(a);
	return rc;
}

int cmd_translate(struct command_ctx *ctx)
{
	int rc = cli_check_llm_key(ctx);
	if (rc)
		return rc;
	struct archive *a;
	if ((rc = cli_open_archive(ctx, &a)))
		return rc;
	cli_catch_signals();
	struct pipeline p = make_pipeline(ctx, a);
	struct run_report *report = run_report_new(ctx->date, "translate");
	struct translate_report tr = {0};
	bool partial = false;
	rc = cli_translate(ctx, &p, &tr, &partial);
	if (rc != EXIT_USAGE && rc != EXIT_NO_PAPERS) {
		run_report_translate(report, &tr, ctx->config.llm_model, translate_status(rc, partial));
		if (rc == EXIT_OK && partial)
			rc = EXIT_PARTIAL;
		finish_report(ctx, report, rc);
	}
	translate_report_release(&tr);
	run_report_free(report);
	archive_close(a);
	return rc;
}

int cmd_render(struct command_ctx *ctx)
{
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	struct pipeline p = make_pipeline(ctx, a);
	rc = render_and_report(ctx, &p, NULL);
	archive_close(a);
	return rc;
}

int cmd_run(struct command_ctx *ctx)
{
	/* Without a key the day could not be translated: say so before fetching anything. */
	int rc = ctx->no_translate ? EXIT_OK : cli_check_llm_key(ctx);
	if (rc)
		return rc;
	struct archive *a;
	if ((rc = cli_open_archive(ctx, &a)))
		return rc;
	cli_catch_signals();
	struct pipeline p = make_pipeline(ctx, a);
	struct run_report *report = run_report_new(ctx->date, "run");
	rc = fetch_and_report(ctx, &p, report);
	if (rc == EXIT_OK)
		rc = translate_render_speak(ctx, &p, report, !ctx->no_translate);
	else
		finish_report(ctx, report, rc);
	run_report_free(report);
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
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	struct import_report report;
	struct pb_err err = PB_ERR_INIT;
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

int cmd_demo(struct command_ctx *ctx)
{
	if (ctx->date_given && strcmp(ctx->date, DEMO_DATE)) {
		fprintf(stderr, "paperboy: demo: the bundled day is %s; --date cannot change it\n",
			DEMO_DATE);
		return EXIT_USAGE;
	}
	snprintf(ctx->date, sizeof(ctx->date), "%s", DEMO_DATE);
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	cli_catch_signals();
	size_t meta_len = 0, trans_len = 0;
	const char *meta = data_get(DEMO_METADATA, &meta_len);
	const char *trans = data_get(DEMO_TRANSLATIONS, &trans_len);
	struct import_report imported = {0};
	struct replay_server *server = NULL;
	struct pb_err err = PB_ERR_INIT;
	/* The day goes in through the importer, as with `paperboy import`; the answers are
	 * served over HTTP on 127.0.0.1, so the real translate stage runs, offline. */
	if (!meta || !trans)
		pb_err_set(&err, PB_ERR, "the demo day is missing from this build");
	else if (!oldbot_import_day_buffer(a, DEMO_DATE, meta, meta_len, DEMO_METADATA, &imported,
					   &ctx->log, &err))
		replay_server_start(trans, trans_len, &server, &err);
	if (pb_err_is_set(&err)) {
		rc = cli_fail(ctx, &err);
	} else {
		pb_info(&ctx->log, "demo: %s from bundled data; answers served at %s", DEMO_DATE,
			replay_server_url(server));
		free(ctx->config.llm_url);
		ctx->config.llm_url = xstrdup(replay_server_url(server));
		free(ctx->config.llm_model);
		ctx->config.llm_model = xstrdup("paperboy-demo-replay");
		ctx->api_key = NULL;
		struct pipeline p = make_pipeline(ctx, a);
		struct run_report *report = run_report_new(ctx->date, "demo");
		rc = translate_render_speak(ctx, &p, report, true);
		run_report_free(report);
	}
	replay_server_stop(server);
	archive_close(a);
	return rc;
}

int cmd_stats(struct command_ctx *ctx)
{
	struct archive *a;
	int rc = cli_open_archive(ctx, &a);
	if (rc)
		return rc;
	struct pipeline p = make_pipeline(ctx, a);
	struct window_summary w;
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_window_stats(&p, (size_t)ctx->window_days, (size_t)ctx->top, &w, &err)) {
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
