/*
 * voice.h - turning text into samples: espeak-ng through its C library
 * (offline, the default; Chinese in its Mandarin voice, English words and
 * names in its English voice), or any OpenAI-compatible POST {base}/audio/speech for neural
 * voices, many segments at a time through the batch engine (net/batch.h:
 * retries, backoff, 401 handling), each asked for as WAV so segments join
 * sample-exactly.
 *
 * Both look at the run's stop flag: espeak-ng aborts the segment it is
 * synthesising, the speech API starts no new request (those in flight are
 * awaited), and the call returns PB_ERR_STOPPED.
 *
 * Each text becomes its own run of samples, so chapter times are measured
 * from what was spoken, not estimated. All segments share one sample rate.
 */
#ifndef PB_VOICE_H
#define PB_VOICE_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/run.h"

#include <stdint.h>

struct pcm {
	int16_t *samples; /* mono, signed 16 bit */
	size_t n, cap;
	int rate;         /* samples per second */
};

void pcm_append(struct pcm *p, const int16_t *samples, size_t n);
void pcm_release(struct pcm *p);

/*
 * Parse a WAV file (RIFF, PCM 16 bit, mono or stereo) into p (appending;
 * stereo is mixed down). PB_ERR_PARSE when it is not one or is cut short.
 */
int wav_parse(const unsigned char *data, size_t len, struct pcm *p, struct pb_err *err);

struct espeak_options {
	const char *voice; /* for Chinese: "cmn-latn-pinyin"; Latin runs use "en" */
	int rate_wpm;      /* words per minute; 0: espeak's default */
};

/* The pause between two sentences of a segment (espeak-ng). */
#define ESPEAK_SENTENCE_PAUSE_S 0.4

/*
 * espeak-ng is a process-wide engine: open it once, say each segment (the
 * caller can encode and free the samples before the next one), close it.
 */
int espeak_open(const struct espeak_options *o, struct pb_err *err);
/* Append the samples of text to out (which gets espeak's rate); PB_ERR_STOPPED on a stop (run may be NULL). */
int espeak_say(const struct espeak_options *o, const char *text, struct pcm *out,
	       const struct pb_run *run, struct pb_err *err);
void espeak_close(void);

struct http_tts_options {
	const char *base_url;   /* ".../v1"; "/audio/speech" is appended */
	const char *model;      /* "tts-1", "gpt-4o-mini-tts", ... */
	const char *voice;      /* "alloy", ... */
	double speed;           /* 0: the server's default */
	const char *api_key;    /* NULL: none */
	const char *key_source;
	int jobs;
	int max_tries;
	long timeout_ms;        /* per request; 0: 120 s */
	long connect_timeout_ms; /* 0: 10 s */
	struct archive *cache;  /* answers kept here, keyed by text and settings; NULL: none */
};

/* What a speech run asked for and what it took from the cache. */
struct tts_stats {
	size_t requests;       /* pieces sent to the API (answered ones; retries not counted) */
	size_t cached;         /* pieces taken from the cache */
	long long chars;       /* Unicode characters sent, i.e. billed */
	long long cached_chars;
};

/*
 * Speak texts[i] into out[i]; long texts are split at sentence ends and
 * joined. A piece already in o->cache is not asked for again, and each new
 * answer is stored there as it arrives (so an interrupted run keeps what it
 * paid for). run gives the log and the stop flag (may be NULL); stats may
 * be NULL.
 */
int http_tts_speak(const char *const *texts, size_t n, const struct http_tts_options *o,
		   struct pcm *out, struct tts_stats *stats, const struct pb_run *run,
		   struct pb_err *err);

#endif
