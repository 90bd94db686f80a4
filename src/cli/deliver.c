/* deliver.c - `paperboy send` and `paperboy health`: parse, call the library, print. */
#include "core/common.h"

#include "cli/cli.h"
#include "core/fsutil.h"
#include "lang/lang.h"
#include "pipeline/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_items(const struct send_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct send_item *it = &r->items[i];
		char part[32] = "";
		if (it->parts > 1)
			snprintf(part, sizeof(part), " %d/%d", it->part + 1, it->parts);
		if (it->result == SEND_DRY_RUN) {
			printf("=== %s (%s, %s)%s%s%s ===\n%s\n\n", it->channel, it->kind, it->lang,
			       *it->recipient ? " → " : "", it->recipient, part, it->detail);
			continue;
		}
		printf("%-12s %s (%s, %s)%s%s%s%s%s\n", send_result_name(it->result), it->channel, it->kind,
		       it->lang, *it->recipient ? " → " : "", it->recipient, part,
		       it->message_id ? " id " : "", it->message_id ? it->message_id : "");
	}
}

int cmd_send(struct command_ctx *ctx)
{
	struct pb_err err = PB_ERR_INIT;
	if (!send_configured(&ctx->config)) {
		pb_err_set(&err, PB_ERR_USAGE, "no channel to send to: the config has no [mail] or "
			   "[push.NAME] section");
		pb_err_hint(&err, "add one to a --config file; the README's \"Deliver\" section shows "
				  "each platform's keys");
		return cli_fail(ctx, &err);
	}
	struct pipeline_options o;
	int rc = cli_check_channels(ctx);
	if (!rc)
		rc = cli_pipeline_options(ctx, STAGE_BIT(STAGE_SEND), &o);
	struct archive *a;
	if (rc || (rc = cli_open_archive(ctx, false, &a)))
		return rc;
	cli_catch_signals();
	struct day_report r;
	pipeline_run_day(a, &o, ctx->date, &ctx->run, &r);
	print_items(&r.send);
	char line[256];
	send_report_summary(&r.send, line, sizeof(line));
	pb_info(&ctx->log, "%s %s", ctx->date, line);
	if (r.outcome == DAY_PARTIAL && r.send_err.msg[0]) {
		/* Each failure was printed above; the exit status says "not all delivered". */
		rc = EXIT_PARTIAL;
	} else {
		rc = cli_day_exit(ctx, &r);
	}
	day_report_release(&r);
	archive_close(a);
	return rc;
}

/* The alert: the new problems in one short message (the channel's limits cut the rest). */
static void alert_problems(struct command_ctx *ctx, struct archive *a, const struct health_report *h)
{
	const char **keys = xcalloc(h->n + 1, sizeof(*keys));
	struct buf text;
	buf_init(&text, 0);
	size_t fresh = 0;
	for (size_t i = 0; i < h->n; i++) {
		bool seen = false;
		struct pb_err err = PB_ERR_INIT;
		if (archive_alert_seen(a, h->items[i].key, &seen, &err))
			pb_warn(&ctx->log, "%s", err.msg);
		if (seen)
			continue;
		keys[fresh++] = h->items[i].key;
		sb_addf(&text, "%s%s", fresh > 1 ? "\n" : "", h->items[i].text);
	}
	if (fresh) {
		char *msg = xasprintf("paperboy health: %zu new problem%s\n%s", fresh, fresh == 1 ? "" : "s",
				      text.data);
		bool sent = false;
		struct pb_err err = PB_ERR_INIT;
		if (send_alert(a, &ctx->config, cli_getenv, keys, fresh, msg, &ctx->run, &sent, &err))
			pb_warn(&ctx->log, "could not send the alert: %s", err.msg);
		else if (sent)
			pb_info(&ctx->log, "alert sent to %s (%zu new problem%s)", ctx->config.alerts_push,
				fresh, fresh == 1 ? "" : "s");
		free(msg);
	}
	buf_release(&text);
	free(keys);
}

int cmd_health(struct command_ctx *ctx)
{
	struct pipeline_options o;
	int rc = cli_pipeline_options(ctx, 0, &o);
	struct archive *a;
	if (rc || (rc = cli_open_archive(ctx, false, &a)))
		return rc;
	char *site = ctx->config.site_dir ? xstrdup(ctx->config.site_dir)
					   : path_join(ctx->config.out_dir, "site");
	struct health_options ho = {
		.today = ctx->date,
		.days = ctx->days_given ? (size_t)ctx->window_days : 7,
		.now = time(NULL),
		.audio = !ctx->no_audio,
		.site_dir = fs_is_dir(site) ? site : NULL,
		.langs = o.langs,
		.n_langs = o.n_langs,
	};
	struct health_report h = {0};
	struct pb_err err = PB_ERR_INIT;
	if (health_check(a, &ctx->config, &ho, &ctx->run, &h, &err)) {
		rc = cli_fail(ctx, &err);
	} else {
		for (size_t i = 0; i < h.n; i++)
			printf("%s\n", h.items[i].text);
		if (h.n && ctx->config.alerts_push)
			alert_problems(ctx, a, &h);
		if (h.n == 0)
			pb_info(&ctx->log, "healthy: %zu of the last %zu days in the archive, no problem",
				h.days_seen, ho.days);
		rc = h.n ? EXIT_ERROR : EXIT_OK;
	}
	health_report_release(&h);
	free(site);
	archive_close(a);
	return rc;
}
