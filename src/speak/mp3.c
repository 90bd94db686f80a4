/* mp3.c - LAME encoding. */
#include "core/common.h"

#include "speak/mp3.h"

#include <lame/lame.h>
#include <stdlib.h>

#define CHUNK_SAMPLES 8192

int mp3_encode(const struct pcm *pcm, int kbps, struct buf *out, struct pb_err *err)
{
	lame_global_flags *gf = lame_init();
	if (!gf)
		return pb_err_set(err, PB_ERR, "cannot start the LAME encoder");
	lame_set_in_samplerate(gf, pcm->rate);
	lame_set_num_channels(gf, 1);
	lame_set_mode(gf, MONO);
	lame_set_brate(gf, kbps > 0 ? kbps : MP3_DEFAULT_KBPS);
	lame_set_quality(gf, 5);
	lame_set_bWriteVbrTag(gf, 0);
	lame_set_write_id3tag_automatic(gf, 0);
	int rc = 0;
	if (lame_init_params(gf) < 0) {
		rc = pb_err_set(err, PB_ERR, "LAME refused %d Hz mono at %d kbps", pcm->rate, kbps);
		lame_close(gf);
		return rc;
	}
	/* LAME's documented worst case for the output buffer: 1.25 * samples + 7200. */
	size_t cap = CHUNK_SAMPLES + CHUNK_SAMPLES / 4 + 7200;
	unsigned char *mp3 = xmalloc(cap);
	for (size_t i = 0; i < pcm->n && !rc; i += CHUNK_SAMPLES) {
		size_t n = pcm->n - i < CHUNK_SAMPLES ? pcm->n - i : CHUNK_SAMPLES;
		/* Mono: LAME reads only the left buffer. */
		int bytes = lame_encode_buffer(gf, pcm->samples + i, pcm->samples + i, (int)n, mp3, (int)cap);
		if (bytes < 0)
			rc = pb_err_set(err, PB_ERR, "LAME failed while encoding (error %d)", bytes);
		else
			sb_add(out, mp3, (size_t)bytes);
	}
	if (!rc) {
		int bytes = lame_encode_flush(gf, mp3, (int)cap);
		if (bytes < 0)
			rc = pb_err_set(err, PB_ERR, "LAME failed while finishing (error %d)", bytes);
		else
			sb_add(out, mp3, (size_t)bytes);
	}
	free(mp3);
	lame_close(gf);
	return rc;
}
