/* mp3.c - LAME encoding. */
#include "core/common.h"

#include "speak/mp3.h"

#include <lame/lame.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SAMPLES 8192

struct mp3_encoder {
	lame_global_flags *gf;
	unsigned char *frames; /* LAME's output for one chunk */
	size_t cap;
};

int mp3_encoder_new(int rate, int kbps, struct mp3_encoder **out, struct pb_err *err)
{
	lame_global_flags *gf = lame_init();
	if (!gf)
		return pb_err_set(err, PB_ERR, "cannot start the LAME encoder");
	lame_set_in_samplerate(gf, rate);
	lame_set_num_channels(gf, 1);
	lame_set_mode(gf, MONO);
	lame_set_brate(gf, kbps > 0 ? kbps : MP3_DEFAULT_KBPS);
	lame_set_quality(gf, 5);
	lame_set_bWriteVbrTag(gf, 1); /* the Info tag: a placeholder frame now, filled at the end */
	lame_set_write_id3tag_automatic(gf, 0);
	if (lame_init_params(gf) < 0) {
		lame_close(gf);
		return pb_err_set(err, PB_ERR, "LAME refused %d Hz mono at %d kbps", rate, kbps);
	}
	struct mp3_encoder *e = xcalloc(1, sizeof(*e));
	e->gf = gf;
	/* LAME's documented worst case for the output buffer: 1.25 * samples + 7200. */
	e->cap = CHUNK_SAMPLES + CHUNK_SAMPLES / 4 + 7200;
	e->frames = xmalloc(e->cap);
	*out = e;
	return 0;
}

int mp3_encoder_add(struct mp3_encoder *e, const int16_t *samples, size_t n, struct buf *out,
		    struct pb_err *err)
{
	for (size_t i = 0; i < n; i += CHUNK_SAMPLES) {
		size_t k = n - i < CHUNK_SAMPLES ? n - i : CHUNK_SAMPLES;
		/* Mono: LAME reads only the left buffer. */
		int bytes = lame_encode_buffer(e->gf, samples + i, samples + i, (int)k, e->frames,
					       (int)e->cap);
		if (bytes < 0)
			return pb_err_set(err, PB_ERR, "LAME failed while encoding (error %d)", bytes);
		sb_add(out, e->frames, (size_t)bytes);
	}
	return 0;
}

int mp3_encoder_finish(struct mp3_encoder *e, struct buf *out, struct pb_err *err)
{
	int bytes = lame_encode_flush(e->gf, e->frames, (int)e->cap);
	if (bytes < 0)
		return pb_err_set(err, PB_ERR, "LAME failed while finishing (error %d)", bytes);
	sb_add(out, e->frames, (size_t)bytes);
	/* The placeholder is the stream's first frame, of exactly the tag's size. */
	unsigned char tag[2880];
	size_t n = lame_get_lametag_frame(e->gf, tag, sizeof(tag));
	if (n > sizeof(tag) || n > out->len)
		return pb_err_set(err, PB_ERR, "LAME's Info tag (%zu bytes) does not fit the stream", n);
	memcpy(out->data, tag, n);
	return 0;
}

void mp3_encoder_free(struct mp3_encoder *e)
{
	if (!e)
		return;
	lame_close(e->gf);
	free(e->frames);
	free(e);
}
