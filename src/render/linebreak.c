/* linebreak.c - line breaking by ICU's rules and word boundaries, with no orphans. */
#include "core/common.h"

#include "render/linebreak.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#define WJ "\xE2\x81\xA0" /* U+2060 WORD JOINER */
#define ELLIPSIS "\xE2\x80\xA6"

char *linebreak_glue(const char *s)
{
	char *valid = g_utf8_make_valid(s ? s : "", -1);
	size_t n = strlen(valid);
	char *out = xmalloc(n * 4 + 1), *o = out;
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		if (p != valid) {
			memcpy(o, WJ, 3);
			o += 3;
		}
		size_t len = (size_t)(g_utf8_next_char(p) - p);
		memcpy(o, p, len);
		o += len;
	}
	*o = '\0';
	g_free(valid);
	return out;
}

/* text[start, end) without word joiners and without spaces at either end. */
static char *span(const char *text, size_t start, size_t end)
{
	while (start < end && (text[start] == ' ' || !strncmp(text + start, WJ, 3)))
		start += text[start] == ' ' ? 1 : 3;
	char *out = xmalloc(end - start + 1), *o = out;
	for (size_t i = start; i < end;) {
		if (end - i >= 3 && !strncmp(text + i, WJ, 3)) {
			i += 3;
			continue;
		}
		*o++ = text[i++];
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

static double measure_span(linebreak_measure_fn *measure, void *ud, const char *text, size_t start,
			   size_t end)
{
	char *s = span(text, start, end);
	double w = measure(ud, s);
	free(s);
	return w;
}

/* Letters, digits and ideographs in text[start, end): what makes a line look empty or not. */
static size_t visible_chars(const char *text, size_t start, size_t end)
{
	size_t n = 0;
	for (const char *p = text + start; p < text + end; p = g_utf8_next_char(p))
		n += g_unichar_isalnum(g_utf8_get_char(p)) ? 1 : 0;
	return n;
}

/*
 * The byte offsets where a line may start: ICU's line break opportunities
 * that are also word boundaries (its Chinese dictionary finds the words).
 * Returns how many, the first being 0 and the last strlen(text).
 */
static size_t break_points(const char *text, size_t **out)
{
	size_t len = strlen(text);
	size_t *points = xcalloc(len + 2, sizeof(*points));
	size_t n = 0;
	points[n++] = 0;
	UErrorCode status = U_ZERO_ERROR;
	int32_t u_len = 0;
	u_strFromUTF8(NULL, 0, &u_len, text, (int32_t)len, &status);
	status = U_ZERO_ERROR;
	UChar *u = xcalloc((size_t)u_len + 1, sizeof(*u));
	u_strFromUTF8(u, u_len + 1, NULL, text, (int32_t)len, &status);
	/* UTF-16 index -> UTF-8 offset. */
	size_t *byte_at = xcalloc((size_t)u_len + 1, sizeof(*byte_at));
	int32_t k = 0;
	for (const char *p = text; *p && k < u_len; p = g_utf8_next_char(p)) {
		byte_at[k++] = (size_t)(p - text);
		if (g_utf8_get_char(p) > 0xFFFF && k < u_len)
			byte_at[k++] = (size_t)(p - text);
	}
	byte_at[u_len] = len;
	bool *word = xcalloc((size_t)u_len + 1, sizeof(*word));
	UBreakIterator *wi = U_SUCCESS(status) ? ubrk_open(UBRK_WORD, "zh", u, u_len, &status) : NULL;
	if (wi && U_SUCCESS(status))
		for (int32_t b = ubrk_first(wi); b != UBRK_DONE; b = ubrk_next(wi))
			word[b] = true;
	else
		for (int32_t b = 0; b <= u_len; b++)
			word[b] = true;
	if (wi)
		ubrk_close(wi);
	status = U_ZERO_ERROR;
	UBreakIterator *li = ubrk_open(UBRK_LINE, "zh", u, u_len, &status);
	if (li && U_SUCCESS(status)) {
		for (int32_t b = ubrk_first(li); b != UBRK_DONE; b = ubrk_next(li))
			if (b > 0 && b < u_len && word[b])
				points[n++] = byte_at[b];
	}
	if (li)
		ubrk_close(li);
	if (len > 0)
		points[n++] = len;
	free(word);
	free(byte_at);
	free(u);
	*out = points;
	return n;
}

/* Any segment wider than the line on its own is cut into characters. */
static size_t split_wide(const char *text, size_t *points, size_t n, double width,
			 linebreak_measure_fn *measure, void *ud, size_t **out)
{
	size_t cap = strlen(text) + 2;
	size_t *res = xcalloc(cap, sizeof(*res));
	size_t m = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		res[m++] = points[i];
		if (measure_span(measure, ud, text, points[i], points[i + 1]) <= width)
			continue;
		for (const char *p = g_utf8_next_char(text + points[i]); p < text + points[i + 1];
		     p = g_utf8_next_char(p))
			if (strncmp(p, WJ, 3)) /* a joiner stays with the character before it */
				res[m++] = (size_t)(p - text);
	}
	if (n)
		res[m++] = points[n - 1];
	free(points);
	*out = res;
	return m;
}

void linebreak_wrap(const char *text, double width, int max_lines, linebreak_measure_fn *measure,
		    void *userdata, struct wrapped *out)
{
	memset(out, 0, sizeof(*out));
	char *valid = g_utf8_make_valid(text ? text : "", -1);
	size_t *points;
	size_t n = break_points(valid, &points);
	n = split_wide(valid, points, n, width, measure, userdata, &points);
	/* line k is segments [first[k], first[k + 1]) */
	size_t *first = xcalloc(n + 1, sizeof(*first));
	size_t lines = 0, seg = 0, segs = n ? n - 1 : 0;
	/* Each segment is measured once and a line's width estimated as the sum of its
	 * segments (shaping across a break point changes it by a fraction of a pixel); only
	 * the chosen line is measured whole, and shortened in the rare case it is over. Measuring
	 * every growing prefix instead was most of a 50-paper poster's time. */
	double *seg_w = xcalloc(segs + 1, sizeof(*seg_w));
	for (size_t i = 0; i < segs; i++)
		seg_w[i] = measure_span(measure, userdata, valid, points[i], points[i + 1]);
	while (seg < segs) {
		size_t end = seg + 1;
		double sum = seg_w[seg];
		while (end < segs && sum + seg_w[end] <= width)
			sum += seg_w[end++];
		while (end > seg + 1 && measure_span(measure, userdata, valid, points[seg], points[end]) > width)
			end--;
		first[lines++] = seg;
		seg = end;
	}
	free(seg_w);
	first[lines] = segs;

	bool truncated = max_lines > 0 && lines > (size_t)max_lines;
	if (!truncated && lines >= 2) {
		size_t last = lines - 1;
		while (visible_chars(valid, points[first[last]], points[segs]) <= LINEBREAK_ORPHAN_MAX &&
		       first[last] - first[last - 1] >= 2 &&
		       measure_span(measure, userdata, valid, points[first[last] - 1], points[segs]) <=
			       width)
			first[last]--;
	}

	size_t shown = truncated ? (size_t)max_lines : lines;
	out->lines = xcalloc(shown + 1, sizeof(*out->lines));
	for (size_t k = 0; k < shown; k++) {
		if (truncated && k == shown - 1) {
			/* As much of the rest as fits before "…". */
			size_t start = points[first[k]], cut = start;
			for (const char *p = valid + start; *p; p = g_utf8_next_char(p)) {
				size_t next = (size_t)(g_utf8_next_char(p) - valid);
				char *s = span(valid, start, next);
				char *with = xasprintf("%s%s", s, ELLIPSIS);
				bool fits = measure(userdata, with) <= width;
				free(with);
				free(s);
				if (!fits)
					break;
				cut = next;
			}
			char *s = span(valid, start, cut);
			out->lines[k] = xasprintf("%s%s", s, ELLIPSIS);
			free(s);
		} else {
			out->lines[k] = span(valid, points[first[k]], points[first[k + 1]]);
		}
	}
	out->n = shown;
	out->truncated = truncated;
	free(first);
	free(points);
	g_free(valid);
}

void wrapped_release(struct wrapped *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->lines[i]);
	free(w->lines);
	memset(w, 0, sizeof(*w));
}

char *wrapped_join(const struct wrapped *w)
{
	size_t len = 1;
	for (size_t i = 0; i < w->n; i++)
		len += strlen(w->lines[i]) + 1;
	char *out = xmalloc(len), *o = out;
	for (size_t i = 0; i < w->n; i++) {
		if (i)
			*o++ = '\n';
		size_t l = strlen(w->lines[i]);
		memcpy(o, w->lines[i], l);
		o += l;
	}
	*o = '\0';
	return out;
}
