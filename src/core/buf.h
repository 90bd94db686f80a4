/*
 * buf.h - growable byte buffer with a size limit (after git's strbuf and
 * curl's dynbuf).
 *
 * Invariants: `data` is never NULL after buf_init and is always
 * NUL-terminated; `len` excludes the terminator. A buffer created with a
 * limit refuses to grow past it (append returns -1 and leaves the buffer as
 * it was), so a runaway HTTP body is a clear error, not an OOM crash.
 *
 *     struct buf b;
 *     buf_init(&b, BUF_LIMIT_HTTP);
 *     buf_addf(&b, "%d papers", n);
 *     ... use b.data / b.len ...
 *     buf_release(&b);        or    char *s = buf_detach(&b);  (caller frees)
 */
#ifndef PB_BUF_H
#define PB_BUF_H

#include "core/common.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit; /* 0: no limit */
};

#define BUF_LIMIT_NONE 0
#define BUF_LIMIT_HTTP (64u << 20) /* one HTTP body */
#define BUF_LIMIT_FILE (256u << 20) /* one file read from disk */

void buf_init(struct buf *b, size_t limit);
void buf_release(struct buf *b);
/* Return the string and reset the buffer; the caller frees it. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);

int buf_add(struct buf *b, const void *data, size_t len) PB_MUST_CHECK;
int buf_adds(struct buf *b, const char *s) PB_MUST_CHECK;
int buf_addc(struct buf *b, char c) PB_MUST_CHECK;
int buf_addf(struct buf *b, const char *fmt, ...) PB_PRINTF(2, 3) PB_MUST_CHECK;
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) PB_PRINTF(2, 0) PB_MUST_CHECK;

/*
 * Unlimited buffers cannot fail to append (OOM aborts); these wrappers make
 * that explicit at call sites that build text in memory.
 */
void sb_add(struct buf *b, const void *data, size_t len);
void sb_adds(struct buf *b, const char *s);
void sb_addc(struct buf *b, char c);
void sb_addf(struct buf *b, const char *fmt, ...) PB_PRINTF(2, 3);

#endif
