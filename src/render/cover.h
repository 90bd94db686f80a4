/*
 * cover.h - the show's cover art: a square PNG (PODCAST_COVER_PX, inside
 * the 1400-3000 px podcast directories ask for), the same every day (it
 * draws only the show's name, never the day), for the feed's channel
 * image and the MP3's embedded picture. The day's poster stays the
 * episode's own image.
 */
#ifndef PB_COVER_H
#define PB_COVER_H

#include "core/err.h"

#define PODCAST_COVER_PX 1400
#define PODCAST_COVER_PATH "feed/cover.png" /* relative to the output directory */

/* Draw the cover with title and subtitle and write it atomically to path. */
int podcast_cover_write(const char *title, const char *subtitle, const char *path,
			struct pb_err *err);

#endif
