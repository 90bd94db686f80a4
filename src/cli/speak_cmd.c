/* speak_cmd.c - the audio stage for the CLI: voice from the config, the report, messages. */
#include "core/common.h"

#include "cli/speak_cmd.h"
#include "cli/translate_cmd.h"

#include <stdio.h>
#include <stdlib.h>

static void speak_options_from(const struct command_ctx *ctx, struct speak_options *o)
{
	const struct pb_config *cfg = &ctx->config;
	speak_options_default(o);
	o->espeak.voice = cfg->voice;
	o->espeak.rate_wpm = (int)cfg->speak_rate;
	o->kbps = (int)cfg->kbps;
	if (cfg->tts_url) {
		o->use_http = true;
		o->http.base_url = cfg->tts_url;
		o->http.model = cfg->tts_model;
		o->http.voice = cfg->tts_voice;
		o->http.speed = cfg->tts_speed;
		o->http.jobs = (int)cfg->tts_jobs;
		o->http.api_key = ctx->api_key;
		o->http.key_source = ctx->key_source;
		o->http.connect_timeout_ms = cfg->connect_timeout_s * 1000;
	}
}

int cli_speak(struct command_ctx *ctx, struct pipeline *p, struct run_report *report, bool *failed)
{
	struct speak_options o;
	speak_options_from(ctx, &o);
	struct speak_result r;
	struct pb_err err = PB_ERR_INIT;
	int rc = pipeline_speak(p, &o, &r, &err);
	*failed = rc != 0;
	if (report)
		run_report_speak(report, &r, rc ? "failed" : "ok", rc ? err.msg : NULL);
	if (rc) {
		/* The edition still goes out; it says there is no broadcast today. */
		pb_warn(&ctx->log, "no audio for %s: %s", ctx->date, err.msg);
		if (err.hint[0])
			pb_warn(&ctx->log, "hint: %s", err.hint);
	} else {
		pb_info(&ctx->log, "audio: %.1f min, %zu chapters, %lld KB (%s) in %.1f s",
			r.duration_ms / 60000.0, r.chapters, r.bytes / 1024, r.voice, r.wall_s);
		printf("%s\n", r.path);
	}
	speak_result_release(&r);
	return rc == PB_ERR_NO_PAPERS ? EXIT_NO_PAPERS : EXIT_OK;
}

void cli_feed(struct command_ctx *ctx, struct pipeline *p)
{
	char *path = NULL;
	struct pb_err err = PB_ERR_INIT;
	if (pipeline_feed(p, &path, &err))
		pb_warn(&ctx->log, "podcast feed not written: %s", err.msg);
	else if (path)
		printf("%s\n", path);
	free(path);
}
