/*
 * mp3.h - samples to MPEG audio with LAME: mono, constant bit rate
 * (64 kbps by default), no LAME/Xing tag, so the file is exactly the
 * frames and its duration follows from them.
 */
#ifndef PB_MP3_H
#define PB_MP3_H

#include "core/buf.h"
#include "core/err.h"
#include "speak/voice.h"

#define MP3_DEFAULT_KBPS 64

/* Append the encoded frames of pcm to out. */
int mp3_encode(const struct pcm *pcm, int kbps, struct buf *out, struct pb_err *err);

#endif
