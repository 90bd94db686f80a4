/*
 * text.h - text normalisation and escaping for each output context.
 *
 * Every string that came from outside (the HF API, an LLM, an imported file)
 * passes through one of the md_/html_ escapers before it reaches an output,
 * so a title like "<script>alert(1)</script>" or "[x](javascript:alert(1))"
 * stays inert text (tests/e2e/test_render.py pins this).
 */
#ifndef PB_TEXT_H
#define PB_TEXT_H

#include "core/buf.h"

/*
 * Code points no output should carry, dropped by text_normalize: noncharacters
 * (U+FFFE and U+FFFF among them, which XML 1.0 forbids, so one would break every
 * later podcast feed), bidi controls (U+202A-202E, U+2066-2069, LRM, RLM, ALM)
 * and invisible ones (U+200B, U+2060, U+FEFF).
 */
bool text_is_invisible_control(uint32_t cp);

/*
 * Collapse every run of whitespace (including the arXiv line wraps older
 * titles carry, "in\n  Virtual 3D Spaces") to one space and trim both ends.
 * Invalid UTF-8 bytes become U+FFFD; control characters, and the invisible ones
 * of text_is_invisible_control, are dropped. Every string from outside (the API,
 * the LLM) passes here on its way in: the one place for every output.
 * Returns a new string; the caller frees it.
 */
char *text_normalize(const char *s);

/*
 * Decode the UTF-8 sequence at s (len bytes available) into *cp; returns its
 * length, or 0 when it is invalid (overlong, surrogate, cut short).
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Is s valid UTF-8 (no overlongs, no surrogates)? */
bool utf8_is_valid(const char *s, size_t len);
/* Code points of UTF-8 text (continuation bytes not counted): what speech APIs bill and
 * chat platforms limit. */
size_t utf8_length(const char *s);

/*
 * Append s as Markdown inline text: characters that could start markup
 * (\ ` * _ [ ] < > & and friends) are backslash-escaped, and a line-leading
 * block marker (#, >, -, +, =, "1.") is neutralised. Newlines become spaces.
 */
void md_escape_text(struct buf *out, const char *s);

/*
 * Append url as a Markdown link destination if it is an absolute http(s)
 * URL; characters that would end the destination are percent-encoded.
 * Returns false (appending nothing) for any other scheme or a malformed URL.
 */
bool md_append_url(struct buf *out, const char *url);
/* Is url an absolute http:// or https:// URL with a host and no spaces or controls? */
bool url_is_http(const char *url);

/* Append s with & < > " ' replaced by entities. */
void html_escape(struct buf *out, const char *s);
/* An HTML-escaped copy of s ("" for NULL). Caller frees. */
char *html_escaped(const char *s);

/* Is s safe as a paper id in a URL path ("2512.21218": letters, digits, . _ -)? */
bool paper_id_is_safe(const char *s);

/* The first sentence of a Chinese (or English) text, through its 。！？ or ". "; caller frees. */
char *first_sentence(const char *text);

/* Append s as XML character data, also fit for an attribute value: escaped, and the characters
 * XML 1.0 cannot carry at all (C0 controls, U+FFFE, U+FFFF, bad UTF-8) dropped. */
void xml_escape(struct buf *out, const char *s);
/* url with any "user:password@" replaced by "***@", for messages. Caller frees. */
char *url_for_display(const char *url);
/* base + path relative to it, percent-encoding what a URL cannot carry ('%' is kept). Caller frees. */
char *url_join(const char *base, const char *path);

#endif
