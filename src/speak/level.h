/*
 * level.h - a broadcast's level, as podcast apps expect it: loudness near
 * -16 LUFS (ITU-R BS.1770 K-weighting, 400 ms blocks, the absolute and
 * relative gates) and true peak at most -1 dBTP, by a gain and then a
 * limiter whose ceiling leaves room for what MP3 encoding adds. Pure
 * functions over samples.
 */
#ifndef PB_LEVEL_H
#define PB_LEVEL_H

#include <stddef.h>
#include <stdint.h>

#define LEVEL_TARGET_LUFS (-16.0)
#define LEVEL_CEILING_DBFS (-2.0) /* sample peak; -1 dBTP after encoding */

/* Integrated loudness in LUFS of mono samples; -70 or lower for silence. */
double level_loudness(const int16_t *x, size_t n, int rate);

/* Bring x to target LUFS with its peaks limited to ceiling dBFS, in place. */
void level_normalize(int16_t *x, size_t n, int rate, double target_lufs, double ceiling_dbfs);

#endif
