/* report.c - reports/D_run.json and the summary line. */
#include "core/common.h"

#include "pipeline/report.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/layout.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct run_report {
	json_t *root;
	json_t *stages;
	char date[PB_DATE_LEN + 1];
};

struct run_report *run_report_new(const char *date, const char *command)
{
	struct run_report *r = xcalloc(1, sizeof(*r));
	char now[21];
	timestamp_utc(time(NULL), now);
	snprintf(r->date, sizeof(r->date), "%s", date);
	r->stages = json_object();
	r->root = json_pack("{s:s, s:s, s:s, s:O}", "date", date, "command", command,
			    "started_at", now, "stages", r->stages);
	json_decref(r->stages); /* the root holds it now */
	return r;
}

void run_report_free(struct run_report *r)
{
	if (!r)
		return;
	json_decref(r->root);
	free(r);
}

void run_report_fetch(struct run_report *r, const struct fetch_summary *s, const char *status,
		      double wall_s)
{
	json_object_set_new(r->stages, "fetch",
			    json_pack("{s:s, s:I, s:I, s:I, s:I, s:i, s:f}", "status", status,
				      "papers", (json_int_t)s->papers, "new", (json_int_t)s->n_new,
				      "skipped", (json_int_t)s->skipped, "day_total",
				      (json_int_t)s->total, "requests", s->requests, "wall_s", wall_s));
}

static json_t *issues_json(const struct paper_issue *items, size_t n, const char *key)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "paper", items[i].paper_id, key,
						     items[i].detail));
	return arr;
}

void run_report_translate(struct run_report *r, const struct translate_report *t,
			  const char *model, const char *status)
{
	const struct llm_stats *s = &t->llm;
	json_t *obj = json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I,"
		" s:{s:I, s:I}, s:o, s:f, s:b, s:b, s:b}",
		"status", status, "model", model, "prompt_version", t->prompt_version,
		"papers", (json_int_t)t->papers, "translated", (json_int_t)t->translated,
		"cached", (json_int_t)t->cached, "failed", (json_int_t)t->failed,
		"unfinished", (json_int_t)t->unfinished,
		"failures", issues_json(t->failures, t->n_failures, "reason"),
		"number_warnings", issues_json(t->warnings, t->n_warnings, "warning"),
		"requests", (json_int_t)s->requests, "retries", (json_int_t)s->retries,
		"max_in_flight", (json_int_t)s->max_in_flight, "throttled", (json_int_t)s->throttled,
		"tokens", "input", (json_int_t)s->tokens_in, "output", (json_int_t)s->tokens_out,
		"cost_usd", t->cost_known ? json_real(t->cost) : json_null(), "wall_s", t->wall_s,
		"budget_reached", s->budget_hit, "deadline_reached", s->deadline_hit,
		"interrupted", s->stopped);
	json_object_set_new(r->stages, "translate", obj);
}

void run_report_speak(struct run_report *r, const struct speak_result *s, const char *status,
		      const char *why)
{
	json_t *obj = json_pack("{s:s, s:s?, s:s?, s:I, s:f, s:I, s:f, s:s?}", "status", status,
				"voice", s->voice, "file", s->path, "bytes", (json_int_t)s->bytes,
				"minutes", s->duration_ms / 60000.0, "chapters", (json_int_t)s->chapters,
				"wall_s", s->wall_s, "error", why);
	if (s->http) /* the speech API: what was paid for, and what the cache saved */
		json_object_set_new(obj, "tts", json_pack("{s:I, s:I, s:I, s:I, s:o}",
			"requests", (json_int_t)s->tts.requests, "characters", (json_int_t)s->tts.chars,
			"cached", (json_int_t)s->tts.cached, "cached_characters",
			(json_int_t)s->tts.cached_chars,
			"cost_usd", s->cost_known ? json_real(s->cost_usd) : json_null()));
	json_object_set_new(r->stages, "speak", obj);
}

void run_report_render(struct run_report *r, size_t papers, size_t untranslated,
		       const char *status, double wall_s)
{
	json_object_set_new(r->stages, "render",
			    json_pack("{s:s, s:I, s:I, s:f}", "status", status, "papers",
				      (json_int_t)papers, "untranslated", (json_int_t)untranslated,
				      "wall_s", wall_s));
}

void run_report_send(struct run_report *r, const struct send_report *s, const char *status)
{
	json_t *items = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const struct send_item *it = &s->items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s?, s:s?}",
			"channel", it->channel, "kind", it->kind, "lang", it->lang, "recipient",
			it->recipient, "part", it->part + 1, "parts", it->parts, "result",
			send_result_name(it->result), "message_id", it->message_id, "error",
			it->result == SEND_FAILED ? it->detail : NULL));
	}
	json_object_set_new(r->stages, "send", json_pack("{s:s, s:I, s:I, s:I, s:o}", "status", status,
		"sent", (json_int_t)s->sent, "already_sent", (json_int_t)s->already, "failed",
		(json_int_t)s->failed, "messages", items));
}

int run_report_write(struct run_report *r, const char *out_dir, const char *status, char **path,
		     struct pb_err *err)
{
	char now[21];
	timestamp_utc(time(NULL), now);
	json_object_set_new(r->root, "finished_at", json_string(now));
	json_object_set_new(r->root, "status", json_string(status));
	char *text = json_dumps(r->root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	struct layout lay = {out_dir};
	char *full = layout_path(&lay, ART_RUN_REPORT, r->date, NULL);
	char *with_newline = xasprintf("%s\n", text);
	int rc = fs_write_atomic(full, with_newline, strlen(with_newline), err);
	free(with_newline);
	free(text);
	if (!rc && path)
		*path = full;
	else
		free(full);
	return rc;
}

static long long get_int(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

static void human_tokens(long long n, char *out, size_t size)
{
	if (n >= 1000000)
		snprintf(out, size, "%.2fM", n / 1e6);
	else if (n >= 1000)
		snprintf(out, size, "%.1fk", n / 1e3);
	else
		snprintf(out, size, "%lld", n);
}

void run_report_summary(const struct run_report *r, char *out, size_t size)
{
	size_t used = (size_t)snprintf(out, size, "%s:", r->date);
	json_t *f = json_object_get(r->stages, "fetch");
	json_t *t = json_object_get(r->stages, "translate");
	json_t *d = json_object_get(r->stages, "render");
	double wall = 0;
	if (f && used < size) {
		used += (size_t)snprintf(out + used, size - used, " fetched %lld (%lld new) ·",
					 get_int(f, "papers"), get_int(f, "new"));
		wall += json_real_value(json_object_get(f, "wall_s"));
	}
	if (t && used < size) {
		json_t *tok = json_object_get(t, "tokens");
		char tokens[32];
		human_tokens(get_int(tok, "input") + get_int(tok, "output"), tokens, sizeof(tokens));
		json_t *cost = json_object_get(t, "cost_usd");
		char money[32];
		if (json_is_real(cost))
			snprintf(money, sizeof(money), "$%.4f", json_real_value(cost));
		else
			snprintf(money, sizeof(money), "cost unknown");
		used += (size_t)snprintf(out + used, size - used,
					 " translated %lld, cached %lld, failed %lld · %s tokens · %s ·",
					 get_int(t, "translated"), get_int(t, "cached"),
					 get_int(t, "failed") + get_int(t, "unfinished"), tokens, money);
		/* Warnings and retries only when there were some: zeros are noise. */
		size_t warnings = json_array_size(json_object_get(t, "number_warnings"));
		if (warnings && used < size)
			used += (size_t)snprintf(out + used, size - used, " %zu number warning%s ·",
						 warnings, warnings == 1 ? "" : "s");
		long long retries = get_int(t, "retries");
		if (retries && used < size)
			used += (size_t)snprintf(out + used, size - used, " %lld retr%s ·", retries,
						 retries == 1 ? "y" : "ies");
		wall += json_real_value(json_object_get(t, "wall_s"));
	}
	if (d && used < size) {
		/* Say "rendered" only of an edition that was written (finding 12 of issue 13). */
		const char *st = json_string_value(json_object_get(d, "status"));
		if (st && !strcmp(st, "ok"))
			used += (size_t)snprintf(out + used, size - used, " rendered %lld ·",
						 get_int(d, "papers"));
		else
			used += (size_t)snprintf(out + used, size - used, " not rendered ·");
		wall += json_real_value(json_object_get(d, "wall_s"));
	}
	json_t *a = json_object_get(r->stages, "speak");
	if (a && used < size) {
		if (!strcmp(json_string_value(json_object_get(a, "status")), "ok"))
			used += (size_t)snprintf(out + used, size - used, " audio %.1f min ·",
						 json_real_value(json_object_get(a, "minutes")));
		else
			used += (size_t)snprintf(out + used, size - used, " no audio ·");
		wall += json_real_value(json_object_get(a, "wall_s"));
	}
	json_t *snd = json_object_get(r->stages, "send");
	if (snd && used < size)
		used += (size_t)snprintf(out + used, size - used, " sent %lld%s ·",
					 get_int(snd, "sent"), get_int(snd, "failed") ? ", some failed" : "");
	if (used < size)
		snprintf(out + used, size - used, " %.1f s", wall);
}
