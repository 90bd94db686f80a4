/* speak.c - script, voice, MP3 and chapters for one day. */
#include "core/common.h"

#include "speak/speak.h"
#include "core/buf.h"
#include "core/layout.h"
#include "core/fsutil.h"
#include "lang/lang.h"
#include "render/cover.h"
#include "speak/id3.h"
#include "speak/level.h"
#include "speak/mp3.h"
#include "speak/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void speak_options_default(struct speak_options *o)
{
	/* What the config does not set; the voice, rate, bit rate and speech API settings come
	 * from data/paperboy.ini through speak_options_from_config. */
	memset(o, 0, sizeof(*o));
	o->kbps = MP3_DEFAULT_KBPS;
	o->pause_s = SPEAK_PAPER_PAUSE_S;
	o->content = SCRIPT_BRIEF;
	o->http.max_tries = 4;
	o->http.timeout_ms = 120000;
}

void speak_options_from_config(const struct pb_config *cfg, const char *api_key,
			       const char *key_source, struct speak_options *o)
{
	speak_options_default(o);
	o->espeak.voice = cfg->voice;
	o->espeak.rate_wpm = (int)cfg->speak_rate;
	o->kbps = (int)cfg->kbps;
	if (!script_content_parse(cfg->speak_content, &o->content))
		o->content = SCRIPT_BRIEF;
	if (cfg->tts_url) {
		o->use_http = true;
		o->http.base_url = cfg->tts_url;
		o->http.model = cfg->tts_model;
		o->http.voice = cfg->tts_voice;
		o->http.speed = cfg->tts_speed;
		o->http.jobs = (int)cfg->tts_jobs;
		o->http.connect_timeout_ms = cfg->connect_timeout_s * 1000;
		/* The speech API takes the same key variables as the LLM. */
		o->http.api_key = api_key;
		o->http.key_source = key_source;
		const struct pb_price *price = config_price(cfg, cfg->tts_model);
		if (price && price->per_char) {
			o->tts_price = price->input;
			o->tts_price_known = true;
		}
	}
}

void speak_result_release(struct speak_result *r)
{
	free(r->path);
	free(r->voice);
	memset(r, 0, sizeof(*r));
}

/* The UI strings to speak with: o's, or zh-CN's loaded into *owned. */
static const struct ui_strings *speak_ui(const struct speak_options *o, struct ui_strings **owned,
					 struct pb_err *err)
{
	*owned = NULL;
	if (o && o->ui)
		return o->ui;
	return ui_strings_load(lang_default(), owned, err) ? NULL : *owned;
}

int speak_script(struct archive *a, const char *date, const struct speak_options *o, char **text,
		 struct pb_err *err)
{
	struct paper_list papers = {0};
	struct ui_strings *owned;
	const struct ui_strings *ui = speak_ui(NULL, &owned, err);
	int rc = ui ? archive_load_day(a, date, NULL, &papers, err) : PB_ERR;
	if (!rc) {
		struct script s;
		script_build(ui, date, &papers, o ? o->content : SCRIPT_BRIEF, &s);
		*text = script_text(&s);
		script_release(&s);
	}
	paper_list_release(&papers);
	ui_strings_free(owned);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long samples_to_ms(size_t samples, int rate)
{
	return (long long)((double)samples * 1000.0 / rate + 0.5);
}

/*
 * The cover: the show's square art (render/cover.h), drawn into the output
 * beside the feed and embedded in every MP3; the same every day. Without it
 * (no fonts, a write error) the MP3 has no picture rather than no sound.
 */
static void read_cover(const struct ui_strings *ui, const char *out_dir, struct buf *cover,
		       const struct pb_log *log)
{
	char *path = path_join(out_dir, PODCAST_COVER_PATH);
	struct pb_err err = PB_ERR_INIT;
	if (fs_mkdir_parent(path, &err) ||
	    podcast_cover_write(ui_get(ui, "speak.album"), ui_get(ui, "speak.cover_subtitle"), path, &err) ||
	    fs_read_file(path, cover, &err)) {
		pb_warn(log, "no cover art: %s", err.msg);
		buf_reset(cover);
	}
	free(path);
}

/* Encode one spoken segment and the pause after it; note where it starts. */
static int add_segment(struct mp3_encoder **enc, const struct speak_options *o, struct pcm *seg,
		       size_t index, size_t *total, size_t *start, struct buf *frames, int *rate,
		       struct pb_err *err)
{
	if (!seg->n)
		return pb_err_set(err, PB_ERR, "the voice produced no sound for segment %zu", index);
	if (!*enc) {
		*rate = seg->rate;
		if (mp3_encoder_new(seg->rate, o->kbps, enc, err))
			return PB_ERR;
	} else if (seg->rate != *rate) {
		return pb_err_set(err, PB_ERR, "the voice changed its sample rate (%d, then %d Hz)", *rate,
				  seg->rate);
	}
	*start = *total;
	/* Each segment at the same loudness, its peaks under the ceiling. */
	level_normalize(seg->samples, seg->n, seg->rate, LEVEL_TARGET_LUFS, LEVEL_CEILING_DBFS);
	size_t pause = (size_t)(o->pause_s * seg->rate);
	int16_t *silence = xcalloc(pause + 1, sizeof(*silence));
	int rc = mp3_encoder_add(*enc, seg->samples, seg->n, frames, err);
	if (!rc)
		rc = mp3_encoder_add(*enc, silence, pause, frames, err);
	free(silence);
	*total += seg->n + pause;
	pcm_release(seg); /* encoded: a long broadcast never sits in memory as samples */
	return rc;
}

int speak_day(struct archive *a, const char *date, const char *out_dir, const struct speak_options *o,
	      struct speak_result *r, const struct pb_run *run, struct pb_err *err)
{
	const struct pb_log *log = run ? run->log : NULL;
	memset(r, 0, sizeof(*r));
	double started = now_s();
	struct paper_list papers = {0};
	struct ui_strings *owned_ui;
	const struct ui_strings *ui = speak_ui(o, &owned_ui, err);
	int rc = ui ? archive_load_day(a, date, NULL, &papers, err) : PB_ERR;
	if (rc) {
		ui_strings_free(owned_ui);
		return rc;
	}
	/* One chapter per paper and one for the greeting: checked before any speech is paid for,
	 * so the tag can never refuse a broadcast that has been synthesised already. */
	if (papers.n + 1 > ID3_MAX_CHAPTERS) {
		rc = pb_err_set(err, PB_ERR_USAGE,
				"%s has %zu papers, more than the %d one broadcast can carry "
				"(an ID3 table of contents holds %d chapters, one is the greeting)",
				date, papers.n, ID3_MAX_CHAPTERS - 1, ID3_MAX_CHAPTERS);
		pb_err_hint(err, "no speech was requested; speak a smaller day or split it");
		paper_list_release(&papers);
		ui_strings_free(owned_ui);
		return rc;
	}
	struct script s;
	script_build(ui, date, &papers, o->content, &s);
	struct pcm *segments = xcalloc(s.n_segments, sizeof(*segments));
	size_t *starts = xcalloc(s.n_segments + 1, sizeof(*starts));
	struct buf frames;
	buf_init(&frames, BUF_LIMIT_NONE);
	struct mp3_encoder *enc = NULL;
	size_t total = 0;
	int rate = 0;
	if (o->use_http) {
		pb_info(log, "speaking %zu segments with %s (%s, voice %s)", s.n_segments, o->http.base_url,
			o->http.model, o->http.voice);
		r->voice = xasprintf("tts:%s/%s", o->http.model, o->http.voice);
		struct http_tts_options http = o->http;
		if (!http.cache)
			http.cache = a; /* never pay twice for the same speech */
		r->http = true;
		rc = http_tts_speak((const char *const *)s.segments, s.n_segments, &http, segments, &r->tts,
				    run, err);
		r->cost_known = o->tts_price_known;
		r->cost_usd = (double)r->tts.chars * o->tts_price / 1e6;
		for (size_t i = 0; i < s.n_segments && !rc; i++)
			rc = add_segment(&enc, o, &segments[i], i, &total, &starts[i], &frames, &rate, err);
	} else {
		pb_info(log, "speaking %zu segments with espeak-ng (voice %s)", s.n_segments, o->espeak.voice);
		r->voice = xasprintf("espeak-ng:%s", o->espeak.voice);
		rc = espeak_open(&o->espeak, err);
		for (size_t i = 0; i < s.n_segments && !rc; i++) {
			rc = espeak_say(&o->espeak, s.segments[i], &segments[i], run, err);
			if (!rc)
				rc = add_segment(&enc, o, &segments[i], i, &total, &starts[i], &frames, &rate, err);
		}
		espeak_close();
	}
	if (!rc)
		rc = mp3_encoder_finish(enc, &frames, err);

	struct buf file, cover; /* file: the ID3 tag, written before the frames */
	buf_init(&file, BUF_LIMIT_NONE);
	buf_init(&cover, BUF_LIMIT_FILE);
	struct id3_chapter *chapters = xcalloc(s.n_papers + 2, sizeof(*chapters));
	if (!rc) {
		/* Chapter 0 is the greeting; paper i is segment and chapter i+1, running to the next
		 * paper (the last one, with the closing line, to the end). */
		for (size_t i = 0; i <= s.n_papers; i++) {
			chapters[i].title = i ? s.titles[i - 1] : ui_get(ui, "script.intro_chapter");
			chapters[i].start_ms = (uint32_t)samples_to_ms(starts[i], rate);
			chapters[i].end_ms = (uint32_t)samples_to_ms(i < s.n_papers ? starts[i + 1] : total,
								   rate);
		}
		read_cover(ui, out_dir, &cover, log);
		char count[24];
		snprintf(count, sizeof(count), "%zu", s.n_papers);
		char *title = ui_format(ui, "speak.title", (const struct tmpl_var[]){{"date", date}}, 1);
		char *comment = ui_format(ui, "speak.comment", (const struct tmpl_var[]){{"count", count}}, 1);
		struct id3_tags tags = {
			.title = title, .artist = "paperboy", .album = ui_get(ui, "speak.album"),
			.date = date, .genre = "Podcast", .comment = comment,
			.cover = cover.len ? (const unsigned char *)cover.data : NULL,
			.cover_len = cover.len, .cover_mime = "image/png",
			.chapters = chapters, .n_chapters = s.n_papers + 1,
		};
		/* The tag goes first; it is built last, once the chapter times are known. */
		rc = id3_build(&tags, &file, err);
		free(title);
		free(comment);
		r->duration_ms = samples_to_ms(total, rate);
		r->chapters = s.n_papers + 1;
		pb_debug(log, "audio: %zu samples at %d Hz, MP3 %zu bytes", total, rate, frames.len);
	}
	char *rel = layout_relpath(ART_AUDIO, date, NULL);
	r->path = path_join(out_dir, rel);
	const void *parts[] = {file.data, frames.data};
	const size_t lens[] = {file.len, frames.len};
	if (!rc)
		rc = fs_write_atomic_parts(r->path, parts, lens, 2, err);
	buf_release(&frames);
	if (!rc) {
		r->bytes = (long long)(lens[0] + lens[1]);
		struct audio_record rec = {"", rel, r->bytes, r->duration_ms, (int)r->chapters, r->voice};
		snprintf(rec.date, sizeof(rec.date), "%s", date);
		rc = archive_put_audio(a, &rec, err);
	}
	r->wall_s = now_s() - started;
	if (rc) {
		/* Nothing was written (an interruption, a failure): the path must not be
		 * listed as written on stdout or named as the broadcast in the run report. */
		free(r->path);
		r->path = NULL;
	}
	mp3_encoder_free(enc);
	free(rel);
	free(chapters);
	buf_release(&file);
	buf_release(&cover);
	free(starts);
	for (size_t i = 0; i < s.n_segments; i++)
		pcm_release(&segments[i]);
	free(segments);
	script_release(&s);
	paper_list_release(&papers);
	ui_strings_free(owned_ui);
	return rc;
}
