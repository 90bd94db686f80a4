/* script.c - the broadcast's words, made speakable. */
#include "core/common.h"

#include "speak/script.h"
#include "core/buf.h"
#include "core/date.h"
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

/* ---- numbers, as a Mandarin reader says them ----------------------------- */

/* The words numbers are made of, from the UI strings (script.digits …). */
struct num_words {
	char digit[10][8];
	char unit[3][8];   /* 十 百 千 */
	char myriad[3][16]; /* 万 亿 万亿 */
	const char *point, *percent, *range, *times, *by, *ratio, *negative, *plus_minus,
		*about, *ge, *le, *gt, *lt, *year, *month, *day;
};

/* Split a space-separated UI string into up to n words of at most size bytes. */
static void split_words(const char *text, char *words, size_t n, size_t size)
{
	memset(words, 0, n * size);
	for (size_t i = 0; i < n && *text; i++) {
		while (*text == ' ')
			text++;
		size_t len = strcspn(text, " ");
		snprintf(words + i * size, size, "%.*s", (int)len, text);
		text += len;
	}
}

static void num_words_load(const struct ui_strings *ui, struct num_words *w)
{
	split_words(ui_get(ui, "script.digits"), &w->digit[0][0], 10, sizeof(w->digit[0]));
	split_words(ui_get(ui, "script.units"), &w->unit[0][0], 3, sizeof(w->unit[0]));
	split_words(ui_get(ui, "script.myriads"), &w->myriad[0][0], 3, sizeof(w->myriad[0]));
	w->point = ui_get(ui, "script.point");
	w->percent = ui_get(ui, "script.percent");
	w->range = ui_get(ui, "script.range");
	w->times = ui_get(ui, "script.times");
	w->by = ui_get(ui, "script.by");
	w->ratio = ui_get(ui, "script.ratio");
	w->negative = ui_get(ui, "script.negative");
	w->plus_minus = ui_get(ui, "script.plus_minus");
	w->about = ui_get(ui, "script.about");
	w->ge = ui_get(ui, "script.ge");
	w->le = ui_get(ui, "script.le");
	w->gt = ui_get(ui, "script.gt");
	w->lt = ui_get(ui, "script.lt");
	w->year = ui_get(ui, "script.year");
	w->month = ui_get(ui, "script.month");
	w->day = ui_get(ui, "script.day");
}

/* A number as written: its integer digits (thousands separators gone) and its fraction. */
struct number {
	char whole[40];
	char frac[24];
	size_t len; /* bytes of text it took */
};

/* A number at s: "14", "14.36", "1,234,567", "0.306"; false when there is none. */
static bool number_parse(const char *s, struct number *n)
{
	memset(n, 0, sizeof(*n));
	size_t i = 0, w = 0;
	while (is_digit(s[i]) && w + 1 < sizeof(n->whole))
		n->whole[w++] = s[i++];
	if (!w)
		return false;
	/* "1,234": groups of exactly three after a first group of one to three */
	if (w <= 3)
		while (s[i] == ',' && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
		       !is_digit(s[i + 4]) && w + 4 < sizeof(n->whole)) {
			memcpy(n->whole + w, s + i + 1, 3);
			w += 3;
			i += 4;
		}
	if (s[i] == '.' && is_digit(s[i + 1])) {
		size_t f = 0;
		i++;
		while (is_digit(s[i]) && f + 1 < sizeof(n->frac))
			n->frac[f++] = s[i++];
		if (is_digit(s[i]))
			return false; /* too long to be a quantity */
	}
	if (is_digit(s[i]))
		return false;
	n->len = i;
	return true;
}

static void say_digits(struct buf *out, const struct num_words *w, const char *digits)
{
	for (; *digits; digits++)
		sb_adds(out, w->digit[*digits - '0']);
}

/* 0..9999 as a group of a larger number; zero marks a 零 owed before it. */
static void say_group(struct buf *out, const struct num_words *w, const char *g, size_t len,
		      bool leading, bool *zero)
{
	for (size_t i = 0; i < len; i++) {
		int d = g[i] - '0';
		size_t place = len - 1 - i; /* 3: 千, 2: 百, 1: 十, 0 */
		if (!d) {
			*zero = true;
			continue;
		}
		if (*zero && !leading)
			sb_adds(out, w->digit[0]);
		*zero = false;
		/* "十二", not "一十二", at the start of a number */
		if (!(d == 1 && place == 1 && leading && i == 0))
			sb_adds(out, w->digit[d]);
		if (place)
			sb_adds(out, w->unit[place - 1]);
		leading = false;
	}
}

/* An integer read as a quantity: 10 十, 105 一百零五, 12345 一万二千三百四十五. */
static void say_integer(struct buf *out, const struct num_words *w, const char *digits)
{
	size_t len = strlen(digits);
	if (len > 1 && digits[0] == '0') { /* "007", "05": a code, digit by digit */
		say_digits(out, w, digits);
		return;
	}
	if (len > 16) {
		say_digits(out, w, digits);
		return;
	}
	if (strspn(digits, "0") == len) {
		sb_adds(out, w->digit[0]);
		return;
	}
	bool leading = true, zero = false;
	size_t groups = (len + 3) / 4, first = len - (groups - 1) * 4;
	const char *g = digits;
	for (size_t k = 0; k < groups; k++) {
		size_t glen = k ? 4 : first;
		bool all_zero = strspn(g, "0") >= glen;
		if (!all_zero) {
			if (!leading && g[0] == '0')
				zero = true;
			say_group(out, w, g, glen, leading, &zero);
			leading = false;
			size_t rank = groups - 1 - k; /* 2: 亿, 1: 万 */
			if (rank)
				sb_adds(out, w->myriad[rank == 1 ? 0 : rank == 2 ? 1 : 2]);
		} else {
			zero = true;
		}
		g += glen;
	}
}

static void say_number(struct buf *out, const struct num_words *w, const struct number *n)
{
	say_integer(out, w, n->whole);
	if (n->frac[0]) {
		sb_adds(out, w->point);
		say_digits(out, w, n->frac);
	}
}

/* "1.5" and a scale (K 3, M 6, B 9, T 12) into the number it is: 15 0000 0000. */
static void number_scale(struct number *n, int shift)
{
	char all[64];
	snprintf(all, sizeof(all), "%s%s", n->whole, n->frac);
	size_t point = strlen(n->whole);
	size_t flen = strlen(n->frac);
	for (int i = 0; i < shift; i++) {
		if (flen) {
			flen--;
		} else {
			size_t l = strlen(all);
			if (l + 1 < sizeof(all)) {
				all[l] = '0';
				all[l + 1] = 0;
			}
		}
		point++;
	}
	if (point >= sizeof(n->whole))
		return;
	memcpy(n->whole, all, point);
	n->whole[point] = 0;
	snprintf(n->frac, sizeof(n->frac), "%s", all + point);
	/* drop leading zeros the shift left ("0.5K" -> "500") and trailing ones of the fraction */
	size_t z = 0;
	while (n->whole[z] == '0' && n->whole[z + 1])
		z++;
	memmove(n->whole, n->whole + z, strlen(n->whole + z) + 1);
	size_t f = strlen(n->frac);
	while (f && n->frac[f - 1] == '0')
		n->frac[--f] = 0;
}

static bool starts(const char *s, const char *prefix)
{
	return prefix && *prefix && !strncmp(s, prefix, strlen(prefix));
}

/* A character that ends a Latin word: not a letter or digit. */
static bool word_end(char c)
{
	return !is_alpha(c) && !is_digit(c);
}

/*
 * A number and what belongs to it at s, spoken: "14.36" 十四点三六,
 * "7.65%" 百分之七点六五, "10-30%" 百分之十到三十, "2025年" 二零二五年,
 * "7B" 七十亿, "3×" 三倍, "1:1" 一比一, "2025-12-26" a date. Returns the
 * bytes used, 0 when s holds no number.
 */
static size_t say_quantity(struct buf *out, const struct num_words *w, const char *s)
{
	struct number a;
	if (!number_parse(s, &a))
		return 0;
	const char *p = s + a.len;
	/* 2025-12-26: a date */
	if (strlen(a.whole) == 4 && !a.frac[0] && p[0] == '-' && is_digit(p[1]) && is_digit(p[2]) &&
	    p[3] == '-' && is_digit(p[4]) && is_digit(p[5]) && !is_digit(p[6])) {
		char m[3] = {p[1], p[2], 0}, d[3] = {p[4], p[5], 0};
		say_digits(out, w, a.whole);
		sb_adds(out, w->year);
		say_integer(out, w, m[0] == '0' ? m + 1 : m);
		sb_adds(out, w->month);
		say_integer(out, w, d[0] == '0' ? d + 1 : d);
		sb_adds(out, w->day);
		return (size_t)(p + 6 - s);
	}
	/* 2025年: a year, digit by digit */
	if (!a.frac[0] && strlen(a.whole) >= 2 && strlen(a.whole) <= 4 && starts(p, w->year) &&
	    !strchr(a.whole, ',')) {
		say_digits(out, w, a.whole);
		return a.len;
	}
	/* 7B, 1.5M, 1K: the number it stands for */
	static const struct {
		char c;
		int shift;
	} scales[] = {{'K', 3}, {'k', 3}, {'M', 6}, {'B', 9}, {'T', 12}};
	for (size_t i = 0; i < PB_ARRAY_LEN(scales); i++)
		if (*p == scales[i].c && word_end(p[1])) {
			number_scale(&a, scales[i].shift);
			p++;
			a.len++;
			break;
		}
	bool percent = *p == '%';
	if (percent)
		p++;
	/* A range: 10-30%, 10%-30%, 3–5, 3~5, 3 到 5 */
	const char *sep = NULL;
	size_t sep_len = 0;
	if ((*p == '-' || *p == '~') && is_digit(p[1]))
		sep = p, sep_len = 1;
	else if (starts(p, "–") && is_digit(p[strlen("–")]))
		sep = p, sep_len = strlen("–");
	else if (starts(p, "～") && is_digit(p[strlen("～")]))
		sep = p, sep_len = strlen("～");
	struct number b;
	if (sep && number_parse(sep + sep_len, &b)) {
		const char *q = sep + sep_len + b.len;
		for (size_t i = 0; i < PB_ARRAY_LEN(scales); i++)
			if (*q == scales[i].c && word_end(q[1])) {
				number_scale(&b, scales[i].shift);
				q++;
				break;
			}
		bool b_percent = *q == '%';
		if (b_percent)
			q++;
		if (percent || b_percent)
			sb_adds(out, w->percent);
		say_number(out, w, &a);
		sb_adds(out, w->range);
		if (percent && b_percent)
			sb_adds(out, w->percent);
		say_number(out, w, &b);
		return (size_t)(q - s);
	}
	if (percent) {
		sb_adds(out, w->percent);
		say_number(out, w, &a);
		return (size_t)(p - s);
	}
	/* 3×4 乘, 3× and 3x 倍, 1:1 比 */
	const char *cross = "×";
	if (starts(p, cross)) {
		const char *q = p + strlen(cross);
		struct number c;
		say_number(out, w, &a);
		if (number_parse(q, &c)) {
			sb_adds(out, w->by);
			say_number(out, w, &c);
			return (size_t)(q + c.len - s);
		}
		sb_adds(out, w->times);
		return (size_t)(q - s);
	}
	if ((*p == 'x' || *p == 'X') && word_end(p[1])) {
		say_number(out, w, &a);
		sb_adds(out, w->times);
		return (size_t)(p + 1 - s);
	}
	if (*p == ':' && is_digit(p[1])) {
		struct number c;
		if (number_parse(p + 1, &c)) {
			say_number(out, w, &a);
			sb_adds(out, w->ratio);
			say_number(out, w, &c);
			return (size_t)(p + 1 + c.len - s);
		}
	}
	say_number(out, w, &a);
	return (size_t)(p - s);
}

/* Chinese context: the text has a CJK character, so its numbers are read in Mandarin. */
static bool is_chinese_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xE3 && *p <= 0xE9)
			return true;
	return false;
}

/* ---- URLs: the clause that names one goes with it ------------------------ */

static bool at_clause_mark(const char *s, size_t *len)
{
	static const char *const marks[] = {"。", "，", "；", "！", "？", "：", "（", "）"};
	for (size_t i = 0; i < PB_ARRAY_LEN(marks); i++)
		if (starts(s, marks[i])) {
			*len = strlen(marks[i]);
			return true;
		}
	*len = 1;
	return *s == '(' || *s == ')';
}

/*
 * Chinese text without its URLs: "代码可在https://x获取。" is a clause that
 * only points at the URL, so the whole clause goes; the sentence end stays
 * when there is one. A clause is cut at ，；：（）。！？. Caller frees.
 */
static char *drop_url_clauses(const char *text)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	size_t clause = 0; /* where the current clause starts in out */
	for (const char *s = text; *s;) {
		size_t n = url_length(s), mark;
		if (n) {
			/* drop back to the clause start, then skip to its end */
			out.len = clause;
			if (out.data)
				out.data[out.len] = 0;
			s += n;
			while (*s && !at_clause_mark(s, &mark))
				s += mark;
			if (starts(s, "，") || starts(s, "；") || starts(s, "：")) {
				s += 3; /* the clause's own separator goes with it */
			} else if ((starts(s, "。") || starts(s, "！") || starts(s, "？")) &&
				   (out.len < 3 || starts(out.data + out.len - 3, "。") ||
				    starts(out.data + out.len - 3, "！") || starts(out.data + out.len - 3, "？"))) {
				s += 3; /* the whole sentence was the clause */
			} else if ((starts(s, "。") || starts(s, "！") || starts(s, "？")) && out.len >= 3) {
				/* the sentence ends here: end it after the clause before */
				const char *prev = out.data + out.len - 3;
				if (starts(prev, "，") || starts(prev, "；") || starts(prev, "："))
					out.len -= 3, out.data[out.len] = 0;
			}
			continue;
		}
		if (at_clause_mark(s, &mark)) {
			sb_add(&out, s, mark);
			s += mark;
			clause = out.len;
			continue;
		}
		sb_add(&out, s, mark);
		s += mark;
	}
	if (!out.data)
		sb_adds(&out, "");
	return buf_detach(&out);
}

char *speakable(const struct ui_strings *ui, const char *text)
{
	char *norm0 = text_normalize(text);
	bool chinese = is_chinese_text(norm0);
	char *norm = chinese ? drop_url_clauses(norm0) : xstrdup(norm0);
	free(norm0);
	struct num_words words;
	num_words_load(ui, &words);
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
		if (chinese) {
			/* Signs before a number: ± ≥ ≤ > < ~ + - */
			static const char *const signs[] = {"±", "≥", "≤", "~", "～", "约~"};
			const char *const said[] = {words.plus_minus, words.ge, words.le, words.about,
						    words.about, words.about};
			bool done = false;
			for (size_t i = 0; i < PB_ARRAY_LEN(signs) && !done; i++) {
				size_t l = strlen(signs[i]);
				if (!strncmp(s, signs[i], l) && (is_digit(s[l]) || (s[l] == ' ' && is_digit(s[l + 1])))) {
					sb_adds(&out, said[i]);
					s += l + (s[l] == ' ');
					done = true;
				}
			}
			if (done)
				continue;
			if ((*s == '>' || *s == '<') && (is_digit(s[1]) || (s[1] == ' ' && is_digit(s[2])))) {
				sb_adds(&out, *s == '>' ? words.gt : words.lt);
				s += 1 + (s[1] == ' ');
				continue;
			}
			if (*s == '+' && is_digit(s[1])) {
				s++;
				continue;
			}
			if (*s == '-' && is_digit(s[1]) &&
			    (s == norm || (!is_alpha(s[-1]) && !is_digit(s[-1]) && s[-1] != ')'))) {
				sb_adds(&out, words.negative);
				s++;
				continue;
			}
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
		if (chinese && is_digit(*s) && (n = say_quantity(&out, &words, s))) {
			s += n;
			continue;
		}
		if (chinese && is_digit(*s)) {
			/* Too long to be a quantity (an id, a hash): digit by digit, never as digits
			 * the English voice would read (found by fuzz/targets/script.c). */
			size_t run = strspn(s, "0123456789");
			char *digits = xstrndup(s, run);
			say_digits(&out, &words, digits);
			free(digits);
			s += run;
			continue;
		}
		if (!chinese && is_digit(*s) && (s == norm || !is_alpha(s[-1]))) {
			struct number num;
			n = number_parse(s, &num) ? num.len : 1;
			/* "10-30%" and "14.36%": Chinese says the percent first. */
			if (s[n] == '-' && is_digit(s[n + 1])) {
				struct number m;
				size_t ml = number_parse(s + n + 1, &m) ? m.len : 0;
				if (ml && s[n + 1 + ml] == '%') {
					sb_adds(&out, percent);
					sb_add(&out, s, n);
					sb_adds(&out, range);
					sb_add(&out, s + n + 1, ml);
					s += n + 1 + ml + 1;
					continue;
				}
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
	char *result = text_normalize(out.data ? out.data : "");
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

bool script_content_parse(const char *text, enum script_content *out)
{
	if (text && !strcmp(text, "brief"))
		*out = SCRIPT_BRIEF;
	else if (text && !strcmp(text, "full"))
		*out = SCRIPT_FULL;
	else
		return false;
	return true;
}

/* Friday or Saturday: the next edition is on Monday. */
static bool before_weekend(const char *date)
{
	struct pb_date d;
	struct pb_err ignored = PB_ERR_INIT;
	if (date_parse(date, &d, &ignored))
		return false;
	long wday = ((date_to_days(&d) % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday (4) */
	return wday == 5 || wday == 6;
}

void script_build(const struct ui_strings *ui, const char *date, const struct paper_list *papers,
		  enum script_content content, struct script *out)
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
	char *greeting = ui_format(ui, "script.intro", intro, PB_ARRAY_LEN(intro));
	out->segments[0] = speakable(ui, greeting);
	free(greeting);
	free(when);
	const char *full_stop = ui_get(ui, "script.full_stop");
	for (size_t i = 0; i < papers->n; i++) {
		const struct paper *p = &papers->items[i];
		const char *title = p->title_zh ? p->title_zh : p->title;
		const char *abstract = p->abstract_zh ? p->abstract_zh : p->abstract;
		char *body;
		if (content == SCRIPT_FULL)
			body = xstrdup(abstract ? abstract : "");
		else if (p->title_zh && p->summary_zh && *p->summary_zh)
			body = xstrdup(p->summary_zh);
		else
			body = first_sentence(abstract ? abstract : "");
		char *t = speakable(ui, title), *a = speakable(ui, body);
		free(body);
		struct buf seg;
		buf_init(&seg, BUF_LIMIT_NONE);
		char index[24];
		snprintf(index, sizeof(index), "%zu", i + 1);
		char *chapter = ui_format(ui, "script.paper", (const struct tmpl_var[]){{"index", index}}, 1);
		char *said = speakable(ui, chapter);
		sb_adds(&seg, said);
		free(said);
		free(chapter);
		add_sentence(&seg, t, full_stop);
		sb_adds(&seg, a);
		out->segments[i + 1] = buf_detach(&seg);
		out->titles[i] = text_normalize(title);
		free(t);
		free(a);
	}
	out->segments[papers->n + 1] =
		xstrdup(ui_get(ui, before_weekend(date) ? "script.outro_monday" : "script.outro"));
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
