/* voice.c - samples from espeak-ng or from an OpenAI-compatible speech API. */
#include "core/common.h"

#include "speak/voice.h"
#include "core/log.h"
#include "net/batch.h"
#include "core/text.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A request to a speech API carries at most this many bytes of text (providers cap input). */
#define TTS_CHUNK_BYTES 1200

void pcm_append(struct pcm *p, const int16_t *samples, size_t n)
{
	GROW(p->samples, p->cap, p->n + n);
	memcpy(p->samples + p->n, samples, n * sizeof(*samples));
	p->n += n;
}

void pcm_release(struct pcm *p)
{
	free(p->samples);
	memset(p, 0, sizeof(*p));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * What we accept from a WAV header. We ask for 16-bit PCM; rates and
 * channels outside these are a broken or hostile server, and trusting them
 * costs memory (the pause after a segment is rate * seconds samples).
 */
#define WAV_MIN_RATE 8000
#define WAV_MAX_RATE 192000
#define WAV_MAX_CHANNELS 2
/* Real files have fmt, data and a few more (LIST, fact); a server sending more is not a WAV writer. */
#define WAV_MAX_CHUNKS 64

/* A chunk id fit for a message: printable ASCII as it is, anything else as '?'. */
static void chunk_name(char out[5], const unsigned char *id)
{
	for (int i = 0; i < 4; i++)
		out[i] = id[i] >= 0x20 && id[i] < 0x7F && id[i] != '\'' ? (char)id[i] : '?';
	out[4] = '\0';
}

static int check_format(int format, int channels, uint32_t rate, int bits, struct pb_err *err)
{
	if (format != 1 || bits != 16)
		return pb_err_set(err, PB_ERR_PARSE,
				  "the WAV is not 16-bit PCM (the server sent format %d, %d bit); "
				  "paperboy asks for and reads only 16-bit PCM",
				  format, bits);
	if (channels < 1 || channels > WAV_MAX_CHANNELS)
		return pb_err_set(err, PB_ERR_PARSE,
				  "the WAV has %d channels (the server's header); paperboy reads mono or stereo",
				  channels);
	if (rate < WAV_MIN_RATE || rate > WAV_MAX_RATE)
		return pb_err_set(err, PB_ERR_PARSE,
				  "the WAV claims %" PRIu32 " Hz (the server's header); paperboy accepts "
				  "%d..%d Hz",
				  rate, WAV_MIN_RATE, WAV_MAX_RATE);
	return 0;
}

/*
 * Walk the RIFF chunks. Every step is computed in 64 bits and is at least
 * the 8-byte chunk header, every size is checked against what is left, and
 * the number of chunks is bounded: the walk ends after at most
 * WAV_MAX_CHUNKS steps whatever the bytes say. It runs inside the transfer
 * callback, where no stop flag is looked at, so it must never loop on its
 * input (a size of 0xFFFFFFF7 once wrapped a 32-bit step to 0).
 */
int wav_parse(const unsigned char *data, size_t len, struct pcm *p, struct pb_err *err)
{
	if (len < 12 || memcmp(data, "RIFF", 4) || memcmp(data + 8, "WAVE", 4))
		return pb_err_set(err, PB_ERR_PARSE, "the audio is not a WAV file");
	int channels = 0, bits = 0, format = 0;
	uint32_t rate = 0;
	bool have_fmt = false;
	uint64_t off = 12;
	for (int chunks = 0; off < len; chunks++) {
		if (chunks == WAV_MAX_CHUNKS)
			return pb_err_set(err, PB_ERR_PARSE,
					  "the WAV has more than %d chunks before its data", WAV_MAX_CHUNKS);
		if (len - off < 8)
			return pb_err_set(err, PB_ERR_PARSE,
					  "the WAV is cut short inside a chunk header (%" PRIu64 " of 8 bytes)",
					  (uint64_t)len - off);
		const unsigned char *id = data + off;
		uint32_t size = le32(id + 4);
		const unsigned char *body = id + 8;
		uint64_t avail = (uint64_t)len - off - 8;
		char name[5];
		chunk_name(name, id);
		if (!memcmp(id, "fmt ", 4)) {
			if (size < 16)
				return pb_err_set(err, PB_ERR_PARSE,
						  "the WAV's fmt chunk of %" PRIu32 " bytes is too small (16 at least)",
						  size);
			if (size > avail)
				return pb_err_set(err, PB_ERR_PARSE,
						  "the WAV header is cut short (fmt chunk of %" PRIu32
						  " bytes, %" PRIu64 " came)",
						  size, avail);
			format = le16(body);
			channels = le16(body + 2);
			rate = le32(body + 4);
			bits = le16(body + 14);
			have_fmt = true;
		} else if (!memcmp(id, "data", 4)) {
			if (!have_fmt)
				return pb_err_set(err, PB_ERR_PARSE, "the WAV has data before its fmt chunk");
			int rc = check_format(format, channels, rate, bits, err);
			if (rc)
				return rc;
			/* Servers that stream may write 0 or 0xFFFFFFFF as the size: take what came. */
			uint64_t want = size == 0 || size == 0xFFFFFFFFu ? avail : size;
			if (want > avail)
				return pb_err_set(err, PB_ERR_PARSE,
						  "the WAV is cut short (%" PRIu64 " of %" PRIu64 " bytes)",
						  avail, want);
			if (p->rate && p->rate != (int)rate)
				return pb_err_set(err, PB_ERR_PARSE, "the WAV's rate changed from %d to %d Hz",
						  p->rate, (int)rate);
			p->rate = (int)rate;
			size_t frames = (size_t)want / (size_t)(2 * channels);
			int16_t chunk[1024];
			for (size_t i = 0; i < frames;) {
				size_t k = 0;
				for (; k < PB_ARRAY_LEN(chunk) && i < frames; k++, i++) {
					const unsigned char *f = body + i * (size_t)(2 * channels);
					int v = (int16_t)le16(f);
					if (channels == 2)
						v = (v + (int16_t)le16(f + 2)) / 2;
					chunk[k] = (int16_t)v;
				}
				pcm_append(p, chunk, k);
			}
			return 0;
		} else if (size > avail) {
			return pb_err_set(err, PB_ERR_PARSE,
					  "the WAV's '%s' chunk of %" PRIu32 " bytes runs past the end "
					  "(%" PRIu64 " bytes left)",
					  name, size, avail);
		}
		/* Odd sizes are followed by a pad byte (RIFF); a missing last pad byte ends the walk. */
		off += 8 + (uint64_t)size + (size & 1);
	}
	return pb_err_set(err, PB_ERR_PARSE, "the WAV has no data");
}

/* ---- espeak-ng --------------------------------------------------------- */

/* What espeak's callback gets: where samples go, and the run whose stop flag ends synthesis. */
struct synth_target {
	struct pcm *out;
	const struct pb_run *run;
};

static int on_espeak_samples(short *wav, int n, espeak_EVENT *events)
{
	struct synth_target *t = events->user_data;
	if (wav && n > 0)
		pcm_append(t->out, wav, (size_t)n);
	/* A long segment takes seconds to synthesise: 1 makes espeak abandon it on a stop. */
	return pb_run_stopped(t->run) ? 1 : 0;
}

int espeak_open(const struct espeak_options *o, struct pb_err *err)
{
	(void)o;
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, NULL, 0);
	if (rate <= 0)
		return pb_err_set(err, PB_ERR, "cannot start espeak-ng (is espeak-ng-data installed?)");
	espeak_SetSynthCallback(on_espeak_samples);
	return 0;
}

/* Length of the run of text at s read in one voice: Latin (from a letter through ASCII) or not. */
static size_t voice_run(const char *s, bool *latin)
{
	unsigned char c = (unsigned char)*s;
	*latin = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
	size_t n = 0;
	if (*latin) {
		while (s[n] && (unsigned char)s[n] < 0x80)
			n++;
		return n;
	}
	/* Up to the next Latin letter (digits and punctuation stay with the Chinese). */
	while (s[n]) {
		unsigned char d = (unsigned char)s[n];
		if ((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z'))
			break;
		n++;
	}
	return n;
}

static int synth_run(const char *voice, int rate_wpm, const char *text, size_t len,
		     struct synth_target *target, struct pb_err *err)
{
	if (espeak_SetVoiceByName(voice) != EE_OK) {
		pb_err_set(err, PB_ERR_USAGE, "espeak-ng has no voice '%s'", voice);
		pb_err_hint(err, "list voices with 'espeak-ng --voices'; Mandarin is 'cmn-latn-pinyin'");
		return PB_ERR_USAGE;
	}
	if (rate_wpm) /* after the voice: choosing a voice resets its rate */
		espeak_SetParameter(espeakRATE, rate_wpm, 0);
	char *run = xstrndup(text, len);
	espeak_ERROR e = espeak_Synth(run, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, target);
	free(run);
	if (pb_run_stopped(target->run))
		return pb_err_set(err, PB_ERR_STOPPED, "speech synthesis interrupted");
	if (e != EE_OK)
		return pb_err_set(err, PB_ERR, "espeak-ng could not speak (error %d)", e);
	return 0;
}

/* Silence: samples this quiet (about -54 dBFS) for this long are a pause. */
#define QUIET 64
#define MAX_GAP_S 0.1   /* the longest pause left inside a sentence */

/* Length of the sentence at s, through its end mark (。！？；, or ". " in English). */
static size_t sentence_length(const char *s)
{
	static const char *const ends[] = {"。", "！", "？", "；", ". ", "! ", "? "};
	size_t best = strlen(s);
	for (size_t i = 0; i < PB_ARRAY_LEN(ends); i++) {
		const char *p = strstr(s, ends[i]);
		if (p && (size_t)(p - s) + strlen(ends[i]) < best)
			best = (size_t)(p - s) + strlen(ends[i]);
	}
	return best;
}

/*
 * Append sentence to out without espeak's gaps: each voice switch (a Latin
 * run in a Chinese sentence) is its own synthesis, padded by espeak with
 * about 0.3 s of silence on either side. Leading and trailing silence is
 * cut and any pause inside the sentence is shortened to MAX_GAP_S, so an
 * acronym does not stand out like a paper break.
 */
static void append_tight(struct pcm *out, const struct pcm *sentence)
{
	size_t n = sentence->n, first = 0, last = n;
	const int16_t *x = sentence->samples;
	while (first < n && abs(x[first]) < QUIET)
		first++;
	while (last > first && abs(x[last - 1]) < QUIET)
		last--;
	size_t max_gap = (size_t)(MAX_GAP_S * (sentence->rate ? sentence->rate : 22050));
	for (size_t i = first; i < last;) {
		size_t j = i;
		while (j < last && abs(x[j]) < QUIET)
			j++;
		if (j > i) { /* a pause: keep at most max_gap of it */
			pcm_append(out, x + i, j - i < max_gap ? j - i : max_gap);
			i = j;
			continue;
		}
		while (j < last && abs(x[j]) >= QUIET)
			j++;
		/* the loud part and any short dip inside it */
		pcm_append(out, x + i, j - i);
		i = j;
	}
}

/*
 * Chinese and Latin runs are spoken by their own voices, as a bilingual
 * reader would: espeak-ng's "cmn" voice turns Chinese into pinyin and then
 * reads that pinyin as English ("huan one"), so Chinese goes to the voice
 * that reads pinyin as pinyin (cmn-latn-pinyin, the default), and English
 * terms, names and acronyms go to the English voice. Numbers are already
 * Chinese words (script.h), so they never reach the English voice.
 * Sentence by sentence: silence inside a sentence is kept short, and
 * sentences are joined by ESPEAK_SENTENCE_PAUSE_S.
 */
int espeak_say(const struct espeak_options *o, const char *text, struct pcm *out,
	       const struct pb_run *run, struct pb_err *err)
{
	const char *chinese = o->voice ? o->voice : "cmn-latn-pinyin";
	out->rate = espeak_ng_GetSampleRate();
	struct pcm sentence = {0};
	sentence.rate = out->rate;
	struct synth_target target = {&sentence, run};
	int rc = 0;
	bool any = false;
	for (const char *t = text; *t && !rc;) {
		size_t len = sentence_length(t);
		sentence.n = 0;
		for (const char *s = t; s < t + len && !rc;) {
			if (pb_run_stopped(run)) {
				/* Through the end of the function: the sentence's samples are freed there. */
				rc = pb_err_set(err, PB_ERR_STOPPED, "speech synthesis interrupted");
				break;
			}
			bool latin;
			size_t n = voice_run(s, &latin);
			if (s + n > t + len)
				n = (size_t)(t + len - s);
			rc = synth_run(latin ? "en" : chinese, o->rate_wpm, s, n, &target, err);
			s += n;
		}
		t += len;
		if (rc)
			break;
		size_t before = out->n;
		if (any && sentence.n) {
			size_t pause = (size_t)(ESPEAK_SENTENCE_PAUSE_S * out->rate);
			int16_t *silence = xcalloc(pause + 1, sizeof(*silence));
			pcm_append(out, silence, pause);
			free(silence);
		}
		append_tight(out, &sentence);
		if (out->n == before + (any && sentence.n ? (size_t)(ESPEAK_SENTENCE_PAUSE_S * out->rate) : 0))
			out->n = before; /* nothing audible: no pause for it either */
		else
			any = true;
	}
	pcm_release(&sentence);
	return rc;
}

void espeak_close(void)
{
	espeak_Terminate();
}

/* ---- OpenAI-compatible /audio/speech ------------------------------------ */


struct chunk {
	size_t segment;
	char *text;
	struct pcm pcm;
	bool cached;
};

struct tts_run {
	struct chunk *chunks;
	size_t n_chunks;
	size_t *job_chunk;  /* batch job -> chunk */
	const struct http_tts_options *o;
	const struct pb_run *pbrun;
	struct tts_stats stats;
	struct pb_err first_failure;
	char why[256];
};

/* Split text at sentence ends into pieces of at most TTS_CHUNK_BYTES. */
static void split_text(const char *text, size_t segment, struct chunk **chunks, size_t *n,
		       size_t *cap)
{
	static const char *const ends[] = {"。", "！", "？", "；", ". ", "! ", "? "};
	while (*text) {
		size_t len = strlen(text);
		size_t cut = len;
		if (len > TTS_CHUNK_BYTES) {
			cut = 0;
			for (size_t i = 0; i < PB_ARRAY_LEN(ends); i++) {
				for (const char *p = strstr(text, ends[i]); p && (size_t)(p - text) < TTS_CHUNK_BYTES;
				     p = strstr(p + 1, ends[i])) {
					size_t end = (size_t)(p - text) + strlen(ends[i]);
					if (end <= TTS_CHUNK_BYTES && end > cut)
						cut = end;
				}
			}
			if (!cut) { /* no sentence end: cut at a character boundary */
				cut = TTS_CHUNK_BYTES;
				while (cut && ((unsigned char)text[cut] & 0xC0) == 0x80)
					cut--;
			}
		}
		GROW(*chunks, *cap, *n + 1);
		(*chunks)[*n].segment = segment;
		(*chunks)[*n].text = xstrndup(text, cut);
		memset(&(*chunks)[*n].pcm, 0, sizeof(struct pcm));
		(*n)++;
		text += cut;
	}
}

static enum net_verdict on_audio(void *userdata, size_t job, const struct net_answer *ans,
				 const char **why)
{
	struct tts_run *run = userdata;
	struct pcm pcm = {0};
	struct pb_err err = PB_ERR_INIT;
	if (wav_parse(ans->body, ans->len, &pcm, &err) || pcm.n == 0) {
		pcm_release(&pcm);
		snprintf(run->why, sizeof(run->why), "%.200s", err.msg[0] ? err.msg : "empty audio");
		*why = run->why;
		return NET_RETRY;
	}
	struct chunk *c = &run->chunks[run->job_chunk[job]];
	pcm_release(&c->pcm);
	c->pcm = pcm;
	run->stats.requests++;
	run->stats.chars += (long long)utf8_length(c->text);
	if (run->o->cache) {
		/* Paid for: kept at once, whatever happens to the rest of the run. */
		struct tts_key k = {c->text, run->o->voice, run->o->model, "wav", run->o->speed};
		struct pb_err e = PB_ERR_INIT;
		if (archive_tts_put(run->o->cache, &k, ans->body, ans->len, &e))
			pb_warn(run->pbrun ? run->pbrun->log : NULL, "speech not cached: %s", e.msg);
	}
	return NET_ACCEPT;
}

static void on_audio_failure(void *userdata, size_t job, const char *why)
{
	struct tts_run *run = userdata;
	pb_err_set(&run->first_failure, PB_ERR_NET, "speech for segment %zu failed: %s",
		   run->chunks[run->job_chunk[job]].segment, why);
}

#define TTS_URL_OPTION "--tts-url (env PAPERBOY_TTS_URL)"
#define TTS_FALLBACK "leave --tts-url unset to speak offline with espeak-ng"

int http_tts_speak(const char *const *texts, size_t n, const struct http_tts_options *o,
		   struct pcm *out, struct tts_stats *stats, const struct pb_run *pbrun,
		   struct pb_err *err)
{
	size_t len = strlen(o->base_url);
	while (len && o->base_url[len - 1] == '/')
		len--;
	char *url = xasprintf("%.*s/audio/speech", (int)len, o->base_url);
	char *auth = o->api_key && *o->api_key ? xasprintf("Authorization: Bearer %s", o->api_key)
					       : NULL;
	const char *headers[] = {"Content-Type: application/json", auth, NULL};
	struct net_batch_options bo;
	net_batch_options_default(&bo);
	bo.url = url;
	bo.headers = headers;
	bo.service = "the speech API";
	bo.url_option = TTS_URL_OPTION;
	bo.max_jobs = o->jobs;
	bo.retry.max_tries = o->max_tries;
	bo.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 120000;
	if (o->connect_timeout_ms > 0)
		bo.connect_timeout_ms = o->connect_timeout_ms;
	struct net_batch *batch = net_batch_new(&bo, err);
	if (auth) {
		/* The batch keeps its own copy; do not leave the key in freed memory. */
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(url);
	if (!batch)
		return PB_ERR_NET;

	struct tts_run run = {0};
	run.first_failure = (struct pb_err)PB_ERR_INIT;
	run.o = o;
	run.pbrun = pbrun;
	size_t cap = 0;
	for (size_t i = 0; i < n; i++)
		split_text(texts[i], i, &run.chunks, &run.n_chunks, &cap);
	run.job_chunk = xcalloc(run.n_chunks + 1, sizeof(*run.job_chunk));
	size_t n_jobs = 0;
	for (size_t i = 0; i < run.n_chunks; i++) {
		if (o->cache) {
			struct tts_key k = {run.chunks[i].text, o->voice, o->model, "wav", o->speed};
			struct buf wav;
			buf_init(&wav, BUF_LIMIT_NONE);
			bool found = false;
			struct pb_err e = PB_ERR_INIT;
			if (!archive_tts_get(o->cache, &k, &wav, &found, &e) && found &&
			    !wav_parse((const unsigned char *)wav.data, wav.len, &run.chunks[i].pcm, &e) &&
			    run.chunks[i].pcm.n) {
				run.chunks[i].cached = true;
				run.stats.cached++;
				run.stats.cached_chars += (long long)utf8_length(run.chunks[i].text);
				buf_release(&wav);
				continue;
			}
			pcm_release(&run.chunks[i].pcm);
			buf_release(&wav);
		}
		run.job_chunk[n_jobs++] = i;
		json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "model", o->model, "input",
					run.chunks[i].text, "voice", o->voice, "response_format", "wav");
		if (o->speed > 0)
			json_object_set_new(req, "speed", json_real(o->speed));
		char *body = json_dumps(req, JSON_COMPACT);
		char label[32];
		snprintf(label, sizeof(label), "speech %zu/%zu", i + 1, run.n_chunks);
		net_batch_add(batch, body, label);
		free(body);
		json_decref(req);
	}
	if (o->cache)
		pb_info(pbrun ? pbrun->log : NULL, "speech: %zu of %zu pieces cached, %zu to ask for",
			run.stats.cached, run.n_chunks, n_jobs);
	struct net_batch_callbacks cb = {&run, on_audio, on_audio_failure, NULL, NULL, NULL};
	int rc = n_jobs ? net_batch_run(batch, &cb, pbrun, err) : 0;
	const struct net_batch_stats *st = net_batch_stats(batch);
	/* The engine says what failed; the way out is ours. */
	if ((rc == PB_ERR_USAGE && (st->fatal_status == 401 || st->fatal_status == 403)) && o->key_source)
		pb_err_hint(err, "check the key in %s; or %s", o->key_source, TTS_FALLBACK);
	else if (rc == PB_ERR_USAGE && st->fatal_status == 404)
		pb_err_hint(err, "%s is the API base ending in /v1 (paperboy appends /audio/speech); "
				 "check --tts-model too", TTS_URL_OPTION);
	else if (rc)
		pb_err_hint(err, "check %s and the network, or %s", TTS_URL_OPTION, TTS_FALLBACK);
	if (!rc && st->stopped && st->done < n_jobs)
		rc = pb_err_set(err, PB_ERR_STOPPED, "speech interrupted with %zu of %zu segments spoken",
				st->done + run.stats.cached, run.n_chunks);
	else if (!rc && pb_err_is_set(&run.first_failure))
		rc = pb_err_set(err, PB_ERR_NET, "%s", run.first_failure.msg);
	else if (!rc && st->done < n_jobs)
		rc = pb_err_set(err, PB_ERR_NET, "speech stopped with %zu of %zu segments spoken",
				st->done + run.stats.cached, run.n_chunks);
	if (stats)
		*stats = run.stats;
	int rate = 0;
	for (size_t i = 0; i < run.n_chunks && !rc; i++) {
		struct chunk *c = &run.chunks[i];
		if (rate && c->pcm.rate != rate)
			rc = pb_err_set(err, PB_ERR_PARSE, "the speech API changed its sample rate (%d, then %d Hz)",
					rate, c->pcm.rate);
		rate = c->pcm.rate;
		out[c->segment].rate = rate;
		pcm_append(&out[c->segment], c->pcm.samples, c->pcm.n);
	}
	for (size_t i = 0; i < run.n_chunks; i++) {
		free(run.chunks[i].text);
		pcm_release(&run.chunks[i].pcm);
	}
	free(run.chunks);
	free(run.job_chunk);
	net_batch_free(batch);
	return rc;
}
