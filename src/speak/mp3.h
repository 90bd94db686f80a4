/*
 * mp3.h - samples to MPEG audio with LAME: mono, constant bit rate
 * (64 kbps by default). The first frame is LAME's Info tag (the Xing
 * header of a CBR file: frame count, encoder delay and padding), written
 * when the stream is finished, so players know the exact duration and
 * gapless decoders drop the padding.
 */
#ifndef PB_MP3_H
#define PB_MP3_H

#include "core/buf.h"
#include "core/err.h"
#include "speak/voice.h"

#define MP3_DEFAULT_KBPS 64

/*
 * A streaming encoder, so a long broadcast never sits in memory as samples:
 *     struct mp3_encoder *e;
 *     mp3_encoder_new(rate, kbps, &e, &err);
 *     mp3_encoder_add(e, samples, n, &out, &err);   as often as needed
 *     mp3_encoder_finish(e, &out, &err);
 *     mp3_encoder_free(e);
 */
struct mp3_encoder;

int mp3_encoder_new(int rate, int kbps, struct mp3_encoder **out, struct pb_err *err);
int mp3_encoder_add(struct mp3_encoder *e, const int16_t *samples, size_t n, struct buf *out,
		    struct pb_err *err);
/* Flush, and fill in the Info tag: out must hold the whole stream from its first frame. */
int mp3_encoder_finish(struct mp3_encoder *e, struct buf *out, struct pb_err *err);
void mp3_encoder_free(struct mp3_encoder *e);

#endif
