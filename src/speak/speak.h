/*
 * speak.h - the audio stage: the day's script spoken (espeak-ng offline, or
 * an OpenAI-compatible speech API), encoded as MP3 with LAME and tagged with
 * ID3v2 chapters (the greeting, then one per paper), timed from the samples
 * actually spoken:
 * OUT/audio/D_daily_papers.mp3, recorded in the archive for the feed.
 */
#ifndef PB_SPEAK_H
#define PB_SPEAK_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/run.h"
#include "speak/script.h"
#include "speak/voice.h"

/* The silence after each segment: a clear break between papers. */
#define SPEAK_PAPER_PAUSE_S 1.2

struct speak_options {
	bool use_http;                 /* false: espeak-ng */
	struct espeak_options espeak;
	struct http_tts_options http;
	int kbps;                      /* 0: MP3_DEFAULT_KBPS */
	double pause_s;                /* silence between segments (papers): a clear break */
	enum script_content content;   /* brief (default) or full */
	const struct ui_strings *ui;   /* the script's and the tag's words; NULL: zh-CN's */
	double tts_price;              /* USD per million characters of the speech model */
	bool tts_price_known;          /* false: a model [prices] does not list */
};

void speak_options_default(struct speak_options *o);
/* o from the config; the speech API takes the LLM's key. */
void speak_options_from_config(const struct pb_config *cfg, const char *api_key,
			       const char *key_source, struct speak_options *o);

struct speak_result {
	char *path;             /* OUT/audio/D_daily_papers.mp3 */
	long long bytes;
	long long duration_ms;
	size_t chapters;
	char *voice;            /* "espeak-ng:cmn" or "tts:<model>/<voice>" */
	double wall_s;
	bool http;              /* spoken by the speech API: the tts figures below apply */
	struct tts_stats tts;   /* requests, characters, cached pieces */
	double cost_usd;        /* of the characters sent this run */
	bool cost_known;
};

void speak_result_release(struct speak_result *r);

/* The day's script as text (for --script-only); o may be NULL (brief); caller frees *text. */
int speak_script(struct archive *a, const char *date, const struct speak_options *o, char **text,
		 struct pb_err *err);

/* Speak the day and write the MP3; run gives the log and the stop flag (PB_ERR_STOPPED). */
int speak_day(struct archive *a, const char *date, const char *out_dir, const struct speak_options *o,
	      struct speak_result *r, const struct pb_run *run, struct pb_err *err);

#endif
