/* speak.c - script, voice, MP3 and chapters for one day. */
#include "core/common.h"

#include "speak/speak.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "speak/id3.h"
#include "speak/mp3.h"
#include "speak/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void speak_options_default(struct speak_options *o)
{
	memset(o, 0, sizeof(*o));
	o->espeak.voice = "cmn";
	o->kbps = MP3_DEFAULT_KBPS;
	o->pause_s = 0.6;
	o->http.jobs = 4;
	o->http.max_tries = 4;
	o->http.timeout_ms = 120000;
	o->http.model = "tts-1";
	o->http.voice = "alloy";
}

void speak_result_release(struct speak_result *r)
{
	free(r->path);
	free(r->voice);
	memset(r, 0, sizeof(*r));
}

int speak_script(struct archive *a, const char *date, char **text, struct pb_err *err)
{
	struct paper_list papers = {0};
	int rc = archive_load_day(a, date, &papers, err);
	if (!rc) {
		struct script s;
		script_build(date, &papers, &s);
		*text = script_text(&s);
		script_release(&s);
	}
	paper_list_release(&papers);
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

/* The cover: the day's poster, when it has been drawn (render runs first in `run`). */
static void read_cover(const char *out_dir, const char *date, struct buf *cover)
{
	char *name = xasprintf("posters/%s_poster.png", date);
	char *path = path_join(out_dir, name);
	struct pb_err ignored = PB_ERR_INIT;
	if (fs_read_file(path, cover, &ignored))
		buf_reset(cover);
	free(name);
	free(path);
}

int speak_day(struct archive *a, const char *date, const char *out_dir, const struct speak_options *o,
	      struct speak_result *r, const struct pb_log *log, struct pb_err *err)
{
	memset(r, 0, sizeof(*r));
	double started = now_s();
	struct paper_list papers = {0};
	int rc = archive_load_day(a, date, &papers, err);
	if (rc)
		return rc;
	struct script s;
	script_build(date, &papers, &s);
	struct pcm *segments = xcalloc(s.n_segments, sizeof(*segments));
	if (o->use_http) {
		pb_info(log, "speaking %zu segments with %s (%s, voice %s)", s.n_segments, o->http.base_url,
			o->http.model, o->http.voice);
		rc = http_tts_speak((const char *const *)s.segments, s.n_segments, &o->http, segments, err);
		r->voice = xasprintf("tts:%s/%s", o->http.model, o->http.voice);
	} else {
		pb_info(log, "speaking %zu segments with espeak-ng (voice %s)", s.n_segments, o->espeak.voice);
		rc = espeak_speak((const char *const *)s.segments, s.n_segments, &o->espeak, segments, err);
		r->voice = xasprintf("espeak-ng:%s", o->espeak.voice);
	}

	/* Join the segments with a pause, noting where each paper starts. */
	struct pcm all = {0};
	size_t *starts = xcalloc(s.n_segments + 1, sizeof(*starts));
	for (size_t i = 0; i < s.n_segments && !rc; i++) {
		if (!segments[i].n) {
			rc = pb_err_set(err, PB_ERR, "the voice produced no sound for segment %zu", i);
			break;
		}
		all.rate = segments[i].rate;
		starts[i] = all.n;
		pcm_append(&all, segments[i].samples, segments[i].n);
		size_t pause = (size_t)(o->pause_s * all.rate);
		int16_t *silence = xcalloc(pause + 1, sizeof(*silence));
		pcm_append(&all, silence, pause);
		free(silence);
	}
	struct buf file, cover;
	buf_init(&file, BUF_LIMIT_NONE);
	buf_init(&cover, BUF_LIMIT_FILE);
	struct id3_chapter *chapters = xcalloc(s.n_papers + 1, sizeof(*chapters));
	if (!rc) {
		/* Paper i is segment i+1; its chapter runs to the next paper (the last one to the end). */
		for (size_t i = 0; i < s.n_papers; i++) {
			chapters[i].title = s.titles[i];
			chapters[i].start_ms = (uint32_t)samples_to_ms(starts[i + 1], all.rate);
			chapters[i].end_ms = (uint32_t)samples_to_ms(i + 1 < s.n_papers ? starts[i + 2] : all.n,
								   all.rate);
		}
		read_cover(out_dir, date, &cover);
		char *title = xasprintf("Hugging Face %s 论文日报", date);
		char *comment = xasprintf("%zu 篇论文的中文解读，由 paperboy 生成", s.n_papers);
		struct id3_tags tags = {
			.title = title, .artist = "paperboy", .album = "Hugging Face 论文日报",
			.date = date, .genre = "Podcast", .comment = comment,
			.cover = cover.len ? (const unsigned char *)cover.data : NULL,
			.cover_len = cover.len, .cover_mime = "image/png",
			.chapters = chapters, .n_chapters = s.n_papers,
		};
		rc = id3_build(&tags, &file, err);
		size_t tag_len = file.len;
		if (!rc)
			rc = mp3_encode(&all, o->kbps, &file, err);
		free(title);
		free(comment);
		r->duration_ms = samples_to_ms(all.n, all.rate);
		r->chapters = s.n_papers;
		pb_debug(log, "audio: %zu samples at %d Hz, ID3 %zu bytes, MP3 %zu bytes", all.n, all.rate,
			 tag_len, file.len - tag_len);
	}
	char *rel = xasprintf("audio/%s_daily_papers.mp3", date);
	r->path = path_join(out_dir, rel);
	if (!rc)
		rc = fs_write_atomic(r->path, file.data, file.len, err);
	if (!rc) {
		r->bytes = (long long)file.len;
		struct audio_record rec = {"", rel, r->bytes, r->duration_ms, (int)r->chapters, r->voice};
		snprintf(rec.date, sizeof(rec.date), "%s", date);
		rc = archive_put_audio(a, &rec, err);
	}
	r->wall_s = now_s() - started;
	free(rel);
	free(chapters);
	buf_release(&file);
	buf_release(&cover);
	free(starts);
	pcm_release(&all);
	for (size_t i = 0; i < s.n_segments; i++)
		pcm_release(&segments[i]);
	free(segments);
	script_release(&s);
	paper_list_release(&papers);
	return rc;
}
