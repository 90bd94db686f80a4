/* script.c - the broadcast's words, made speakable. */
#include "core/common.h"

#include "speak/script.h"
#include "core/buf.h"
#include "core/text.h"
#include "lang/lang.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the URL at s (http:// or https:// up to a space or non-ASCII), or 0. */
static size_t url_length(const char *s)
{
	if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8))
		return 0;
	size_t n = 0;
	while (s[n] && !isspace((unsigned char)s[n]) && (unsigned char)s[n] < 0x80)
		n++;
	/* Sentence punctuation right after a URL belongs to the sentence. */
	while (n && strchr(".,;:)", s[n - 1]))
		n--;
	return n;
}

/* A number at s ("14", "14.36"); its length or 0. */
static size_t number_length(const char *s)
{
	size_t n = 0;
	while (is_digit(s[n]))
		n++;
	if (n && s[n] == '.' && is_digit(s[n + 1])) {
		n++;
		while (is_digit(s[n]))
			n++;
	}
	return n;
}

/* An acronym of 2..6 capitals at s (not part of a longer word): its length or 0. */
static size_t acronym_length(const char *s, const char *start)
{
	if (s > start && (is_alpha(s[-1]) || is_digit(s[-1])))
		return 0;
	size_t n = 0;
	while (s[n] >= 'A' && s[n] <= 'Z')
		n++;
	if (s[n] == 's' && n >= 2 && !is_alpha(s[n + 1]) && !is_digit(s[n + 1]))
		return n; /* "LLMs": spell the LLM, drop the plural */
	if (n < 2 || n > 6 || is_alpha(s[n]) || is_digit(s[n]))
		return 0;
	return n;
}

char *speakable(const struct ui_strings *ui, const char *text)
{
	char *norm = text_normalize(text);
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	const char *const dims[] = {"", ui_get(ui, "script.dim1"), ui_get(ui, "script.dim2"),
				    ui_get(ui, "script.dim3"), ui_get(ui, "script.dim4")};
	const char *percent = ui_get(ui, "script.percent"), *range = ui_get(ui, "script.range");
	for (const char *s = norm; *s;) {
		size_t n;
		if ((n = url_length(s))) {
			s += n;
			continue;
		}
		if (strchr("*_`#<>[]{}|~\\", *s)) {
			s++;
			continue;
		}
		/* "1D".."4D" as a word: 三维 rather than "three D". */
		if (*s >= '1' && *s <= '4' && s[1] == 'D' && !is_alpha(s[2]) &&
		    (s == norm || !is_alpha(s[-1]))) {
			sb_adds(&out, dims[*s - '0']);
			s += 2;
			continue;
		}
		if (is_digit(*s) && (s == norm || !is_alpha(s[-1]))) {
			n = number_length(s);
			/* "10-30%" and "14.36%": Chinese says the percent first. */
			if (s[n] == '-' && is_digit(s[n + 1])) {
				size_t m = number_length(s + n + 1);
				if (s[n + 1 + m] == '%') {
					sb_adds(&out, percent);
					sb_add(&out, s, n);
					sb_adds(&out, range);
					sb_add(&out, s + n + 1, m);
					s += n + 1 + m + 1;
					continue;
				}
				sb_add(&out, s, n);
				sb_adds(&out, range);
				s += n + 1;
				continue;
			}
			if (s[n] == '%') {
				sb_adds(&out, percent);
				sb_add(&out, s, n);
				s += n + 1;
				continue;
			}
			sb_add(&out, s, n);
			s += n;
			continue;
		}
		if ((n = acronym_length(s, norm))) {
			for (size_t i = 0; i < n; i++) {
				if (i)
					sb_addc(&out, ' ');
				sb_addc(&out, s[i]);
			}
			s += n;
			if (*s == 's' && !is_alpha(s[1]))
				s++;
			continue;
		}
		/* A hyphen inside a name (GPT-4o, LLaMA-3, VA-π) is a short pause, not "minus". */
		if (*s == '-' && s > norm && (is_alpha(s[-1]) || is_digit(s[-1])) &&
		    (is_alpha(s[1]) || is_digit(s[1]) || (unsigned char)s[1] >= 0x80)) {
			sb_addc(&out, ' ');
			s++;
			continue;
		}
		sb_addc(&out, *s);
		s++;
	}
	free(norm);
	char *result = text_normalize(out.data);
	buf_release(&out);
	return result;
}

/* "2025-12-26" -> "2025年12月26日" */
static char *spoken_date(const struct ui_strings *ui, const char *date)
{
	if (strlen(date) != 10)
		return xstrdup(date);
	char year[8], month[8], day[8];
	snprintf(year, sizeof(year), "%.4s", date);
	snprintf(month, sizeof(month), "%d", atoi(date + 5));
	snprintf(day, sizeof(day), "%d", atoi(date + 8));
	const struct tmpl_var vars[] = {{"year", year}, {"month", month}, {"day", day}};
	return ui_format(ui, "date.long", vars, PB_ARRAY_LEN(vars));
}

/* End a sentence with 。 unless it already ends with punctuation. */
static void add_sentence(struct buf *b, const char *text, const char *full_stop)
{
	sb_adds(b, text);
	static const char *const ends[] = {"。", "！", "？", ".", "!", "?"};
	size_t n = strlen(text);
	for (size_t i = 0; i < PB_ARRAY_LEN(ends); i++) {
		size_t e = strlen(ends[i]);
		if (n >= e && !strcmp(text + n - e, ends[i]))
			return;
	}
	sb_adds(b, full_stop);
}

void script_build(const struct ui_strings *ui, const char *date, const struct paper_list *papers,
		  struct script *out)
{
	memset(out, 0, sizeof(*out));
	out->n_papers = papers->n;
	out->n_segments = papers->n + 2;
	out->segments = xcalloc(out->n_segments + 1, sizeof(*out->segments));
	out->titles = xcalloc(papers->n + 1, sizeof(*out->titles));
	char *when = spoken_date(ui, date);
	char count[24];
	snprintf(count, sizeof(count), "%zu", papers->n);
	const struct tmpl_var intro[] = {{"date", when}, {"count", count}};
	out->segments[0] = ui_format(ui, "script.intro", intro, PB_ARRAY_LEN(intro));
	free(when);
	const char *full_stop = ui_get(ui, "script.full_stop");
	for (size_t i = 0; i < papers->n; i++) {
		const struct paper *p = &papers->items[i];
		const char *title = p->title_zh ? p->title_zh : p->title;
		const char *abstract = p->abstract_zh ? p->abstract_zh : p->abstract;
		char *t = speakable(ui, title), *a = speakable(ui, abstract);
		struct buf seg;
		buf_init(&seg, BUF_LIMIT_NONE);
		char index[24];
		snprintf(index, sizeof(index), "%zu", i + 1);
		char *chapter = ui_format(ui, "script.paper", (const struct tmpl_var[]){{"index", index}}, 1);
		sb_adds(&seg, chapter);
		free(chapter);
		add_sentence(&seg, t, full_stop);
		sb_adds(&seg, a);
		out->segments[i + 1] = buf_detach(&seg);
		out->titles[i] = text_normalize(title);
		free(t);
		free(a);
	}
	out->segments[papers->n + 1] = xstrdup(ui_get(ui, "script.outro"));
}

void script_release(struct script *s)
{
	for (size_t i = 0; i < s->n_segments; i++)
		free(s->segments[i]);
	for (size_t i = 0; i < s->n_papers; i++)
		free(s->titles[i]);
	free(s->segments);
	free(s->titles);
	memset(s, 0, sizeof(*s));
}

char *script_text(const struct script *s)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (size_t i = 0; i < s->n_segments; i++)
		sb_addf(&b, "%s%s", i ? "\n\n" : "", s->segments[i]);
	sb_addc(&b, '\n');
	return buf_detach(&b);
}
