/*
 * common.h - included first by every paperboy source file.
 *
 * Compiler attributes, allocation wrappers that treat out-of-memory as fatal
 * (a short-lived CLI has nothing better to do), and the banned-function list.
 */
#ifndef PB_COMMON_H
#define PB_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_PRINTF(fmt_idx, arg_idx) __attribute__((format(printf, fmt_idx, arg_idx)))
#define PB_MUST_CHECK __attribute__((warn_unused_result))
#define PB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: abort with "paperboy: out of memory (N bytes)" on failure. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* xstrdup that passes NULL through. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) PB_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) PB_PRINTF(1, 0);

/* Grow *items (of *cap elements of elem_size) so that it holds at least need. */
void grow_array(void **items, size_t *cap, size_t need, size_t elem_size);
#define GROW(items, cap, need) grow_array((void **)&(items), &(cap), (need), sizeof(*(items)))

#include "core/banned.h"

#endif
