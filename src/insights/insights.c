/* insights.c - research areas from the taxonomy, keywords through ICU. */
#include "core/common.h"

#include "insights/insights.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/text.h"
#include "lang/lang.h"

#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* The most keywords a day keeps (the cloud shows fewer). */
/* Mentions of an area in an abstract that make it the paper's area (see areas_of). */
#define AREA_MIN_MENTIONS 2
#define DAY_KEYWORDS 200

struct pattern {
	char *text;   /* as written; lower-cased when not case-sensitive */
	size_t len;
	bool case_sensitive;
	bool title_only;  /* written "^reasoning": a word that names the area only in a title */
	size_t area;
};

struct area {
	char *name;
	struct pattern *en;
	size_t n_en;
	char **zh;
	size_t n_zh;
	size_t min_mentions; /* in the abstract, when the title has none */
};

struct insights {
	struct area *areas;
	size_t n_areas;
	/* Every English pattern, bucketed by its first (lower-case) byte, so a text is
	 * scanned once and each word start is compared only with patterns that could match. */
	const struct pattern **by_first[256];
	size_t n_by_first[256];
	char **phrases; /* longest first */
	size_t n_phrases;
	GHashTable *stop_zh, *stop_en; /* sets */
	GHashTable *aliases;           /* variant (ASCII lower-cased) -> its concept's one word */
};

/* ---- data files --------------------------------------------------------- */

static char **split(const char *s, char sep, size_t *n)
{
	char **out = NULL;
	size_t cap = 0;
	*n = 0;
	while (*s) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char *raw = xstrndup(s, len);
		char *item = text_normalize(raw);
		free(raw);
		if (*item) {
			GROW(out, cap, *n + 1);
			out[(*n)++] = item;
		} else {
			free(item);
		}
		s += len + (end ? 1 : 0);
	}
	return out;
}

static int add_area(void *ud, char *line, int line_no)
{
	(void)line_no;
	struct insights *in = ud;
	size_t n;
	char **cols = split(line, '\t', &n);
	int rc = (n == 3 || n == 4) && in->n_areas < INSIGHTS_MAX_AREAS ? 0 : -1;
	long min_mentions = n == 4 ? strtol(cols[3], NULL, 10) : AREA_MIN_MENTIONS;
	if (min_mentions < 1 || min_mentions > 9)
		rc = -1;
	if (!rc) {
		in->areas = xrealloc(in->areas, (in->n_areas + 1) * sizeof(*in->areas));
		struct area *a = &in->areas[in->n_areas++];
		memset(a, 0, sizeof(*a));
		a->name = xstrdup(cols[0]);
		a->min_mentions = (size_t)min_mentions;
		char **en = split(cols[1], '|', &a->n_en);
		a->en = xcalloc(a->n_en + 1, sizeof(*a->en));
		for (size_t i = 0; i < a->n_en; i++) {
			if (en[i][0] == '^' && en[i][1]) {
				memmove(en[i], en[i] + 1, strlen(en[i]));
				a->en[i].title_only = true;
			}
			a->en[i].text = en[i];
			a->en[i].len = strlen(en[i]);
			a->en[i].area = in->n_areas - 1;
			for (const char *c = en[i]; *c; c++)
				a->en[i].case_sensitive |= isupper((unsigned char)*c) != 0;
			if (!a->en[i].case_sensitive)
				for (char *c = en[i]; *c; c++)
					*c = (char)tolower((unsigned char)*c);
		}
		free(en);
		a->zh = split(cols[2], '|', &a->n_zh);
	}
	for (size_t i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
	return rc;
}

static int add_phrase(void *ud, char *line, int line_no)
{
	(void)line_no;
	struct insights *in = ud;
	char *p = text_normalize(line);
	in->phrases = xrealloc(in->phrases, (in->n_phrases + 1) * sizeof(*in->phrases));
	in->phrases[in->n_phrases++] = p;
	return 0;
}

static int add_stop_word(void *ud, char *line, int line_no)
{
	(void)line_no;
	char *w = text_normalize(line);
	g_hash_table_add(ud, w);
	return 0;
}

/* Lower-case ASCII letters; other bytes (CJK) as they are. */
static char *fold(const char *s)
{
	char *f = xstrdup(s);
	for (char *c = f; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return f;
}

/* "强化学习<TAB>RL|reinforcement learning|…": every variant becomes the first column. */
static int add_alias(void *ud, char *line, int line_no)
{
	(void)line_no;
	GHashTable *aliases = ud;
	size_t n, n_variants = 0;
	char **cols = split(line, '\t', &n);
	int rc = n == 2 ? 0 : -1;
	char **variants = rc ? NULL : split(cols[1], '|', &n_variants);
	for (size_t i = 0; i < n_variants; i++) {
		char *key = fold(variants[i]);
		if (g_hash_table_contains(aliases, key))
			rc = -1; /* one variant, one concept */
		g_hash_table_insert(aliases, key, xstrdup(cols[0]));
		free(variants[i]);
	}
	free(variants);
	for (size_t i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
	return rc;
}

static int longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la == lb ? strcmp(*(char *const *)a, *(char *const *)b) : (la < lb) - (la > lb);
}

/* Longer patterns first; equal lengths in taxonomy order (area, then position). */
static int longer_pattern_first(const void *a, const void *b)
{
	const struct pattern *x = *(const struct pattern *const *)a, *y = *(const struct pattern *const *)b;
	if (x->len != y->len)
		return x->len < y->len ? 1 : -1;
	return x->area != y->area ? (x->area < y->area ? -1 : 1) : (x < y ? -1 : x > y);
}

int insights_new(struct insights **out, struct pb_err *err)
{
	struct insights *in = xcalloc(1, sizeof(*in));
	in->stop_zh = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	in->stop_en = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	in->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	int rc = data_each_line("data/insights/taxonomy.tsv", add_area, in, err);
	if (!rc)
		rc = data_each_line("data/insights/aliases.tsv", add_alias, in->aliases, err);
	if (!rc)
		rc = data_each_line("data/insights/phrases_zh.txt", add_phrase, in, err);
	if (!rc)
		rc = data_each_line("data/insights/stopwords_zh.txt", add_stop_word, in->stop_zh, err);
	if (!rc)
		rc = data_each_line("data/insights/stopwords_en.txt", add_stop_word, in->stop_en, err);
	if (rc) {
		insights_free(in);
		return rc;
	}
	if (in->n_phrases)
		qsort(in->phrases, in->n_phrases, sizeof(*in->phrases), longer_first);
	for (size_t a = 0; a < in->n_areas; a++) {
		for (size_t j = 0; j < in->areas[a].n_en; j++) {
			const struct pattern *p = &in->areas[a].en[j];
			unsigned char first = (unsigned char)tolower((unsigned char)p->text[0]);
			in->by_first[first] = xrealloc(in->by_first[first],
						       (in->n_by_first[first] + 1) * sizeof(*in->by_first[first]));
			in->by_first[first][in->n_by_first[first]++] = p;
		}
	}
	for (size_t b = 0; b < 256; b++)
		if (in->n_by_first[b] > 1)
			qsort(in->by_first[b], in->n_by_first[b], sizeof(*in->by_first[b]), longer_pattern_first);
	*out = in;
	return 0;
}

void insights_free(struct insights *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->n_areas; i++) {
		struct area *a = &in->areas[i];
		free(a->name);
		for (size_t j = 0; j < a->n_en; j++)
			free(a->en[j].text);
		free(a->en);
		for (size_t j = 0; j < a->n_zh; j++)
			free(a->zh[j]);
		free(a->zh);
	}
	free(in->areas);
	for (size_t i = 0; i < 256; i++)
		free(in->by_first[i]);
	for (size_t i = 0; i < in->n_phrases; i++)
		free(in->phrases[i]);
	free(in->phrases);
	g_hash_table_destroy(in->stop_zh);
	g_hash_table_destroy(in->stop_en);
	g_hash_table_destroy(in->aliases);
	free(in);
}

size_t insights_area_count(const struct insights *in)
{
	return in->n_areas;
}

const char *insights_area_name(const struct insights *in, size_t area)
{
	return in->areas[area].name;
}

long insights_area_find(const struct insights *in, const char *name)
{
	for (size_t k = 0; k < insights_area_count(in); k++)
		if (!strcmp(insights_area_name(in, k), name))
			return (long)k;
	return -1;
}

/* ---- areas --------------------------------------------------------------- */

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* Does pattern p start at s (and lower, the same text lower-cased) as whole words? */
static bool pattern_at(const char *s, const char *lower, const struct pattern *p)
{
	if (strncmp(p->case_sensitive ? s : lower, p->text, p->len))
		return false;
	const char *end = s + p->len;
	if (*end == 's' && !is_word_char(end[1]))
		end++; /* a plural */
	return !is_word_char(*end);
}

/* Add to hits[area] every whole-word occurrence of the area's English patterns in text. */
static void english_hits(const struct insights *in, const char *text, bool title, size_t *hits)
{
	size_t n = strlen(text);
	char *lower = xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && is_word_char(text[i - 1]))
			continue; /* patterns start at a word start */
		/* Longest pattern first (the buckets are sorted so), and a match is consumed:
		 * "multimodal large language model" is 多模态, not also 语言模型; "vision-language-
		 * action" is 机器人, not also the "vision-language" of 多模态. */
		unsigned char first = (unsigned char)lower[i];
		for (size_t k = 0; k < in->n_by_first[first]; k++) {
			const struct pattern *p = in->by_first[first][k];
			if ((title || !p->title_only) && pattern_at(text + i, lower + i, p)) {
				hits[p->area]++;
				i += p->len - 1;
				break;
			}
		}
	}
	free(lower);
}

/* Add to hits[area] every occurrence of the area's Chinese patterns in text, longest match
 * first and consumed, as in English (多模态大语言模型 is 多模态, not also 语言模型). */
static void chinese_hits(const struct insights *in, const char *text, bool title, size_t *hits)
{
	(void)title;
	for (const char *s = text; *s;) {
		size_t best = 0, area = 0;
		for (size_t a = 0; a < in->n_areas; a++)
			for (size_t j = 0; j < in->areas[a].n_zh; j++) {
				size_t len = strlen(in->areas[a].zh[j]);
				if (len > best && !strncmp(s, in->areas[a].zh[j], len)) {
					best = len;
					area = a;
				}
			}
		if (best) {
			hits[area]++;
			s += best;
		} else {
			s++;
			while (((unsigned char)*s & 0xC0) == 0x80)
				s++;
		}
	}
}

/*
 * What the paper is about, not what it mentions: an area whose pattern is in
 * the title, or whose patterns come up at least min_mentions times in the
 * abstract (the English one or its translation): AREA_MIN_MENTIONS, or the
 * area's own fourth column where its words are in every other abstract
 * (LLM). One passing mention ("unlike RL methods") is not a paper's area.
 */
static uint64_t areas_of(const struct insights *in, const char *title, const char *abstract,
			 void (*hits_of)(const struct insights *, const char *, bool, size_t *))
{
	size_t in_title[INSIGHTS_MAX_AREAS] = {0}, in_abstract[INSIGHTS_MAX_AREAS] = {0};
	if (title)
		hits_of(in, title, true, in_title);
	if (abstract)
		hits_of(in, abstract, false, in_abstract);
	uint64_t mask = 0;
	for (size_t a = 0; a < in->n_areas; a++)
		if (in_title[a] || in_abstract[a] >= in->areas[a].min_mentions)
			mask |= UINT64_C(1) << a;
	return mask;
}

uint64_t insights_paper_areas(const struct insights *in, const struct paper *p)
{
	uint64_t mask = areas_of(in, p->title, p->abstract, english_hits);
	if (p->title_zh)
		mask |= areas_of(in, p->title_zh, p->abstract_zh, chinese_hits);
	return mask;
}

/* ---- keywords ------------------------------------------------------------ */

struct keyword_counter {
	GHashTable *table; /* char* -> struct tally*, both owned */
};

struct tally {
	long count;    /* papers (or what the caller added) */
	long mentions; /* occurrences */
};

struct keyword_counter *keyword_counter_new(void)
{
	struct keyword_counter *c = xmalloc(sizeof(*c));
	c->table = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	return c;
}

void keyword_counter_free(struct keyword_counter *c)
{
	if (!c)
		return;
	g_hash_table_destroy(c->table);
	free(c);
}

static void tally_add(struct keyword_counter *c, const char *word, long count, long mentions)
{
	struct tally *t = g_hash_table_lookup(c->table, word);
	if (!t) {
		t = xcalloc(1, sizeof(*t));
		g_hash_table_insert(c->table, xstrdup(word), t);
	}
	t->count += count;
	t->mentions += mentions;
}

void keyword_counter_add(struct keyword_counter *c, const char *word, long n)
{
	tally_add(c, word, n, n);
}

static int by_count_then_word(const void *a, const void *b)
{
	const struct keyword_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->mentions != y->mentions)
		return x->mentions < y->mentions ? 1 : -1;
	return strcmp(x->word, y->word);
}

void keyword_counter_sorted(const struct keyword_counter *c, size_t max, struct keyword_list *out)
{
	memset(out, 0, sizeof(*out));
	size_t n = g_hash_table_size(c->table);
	struct keyword_count *all = xcalloc(n + 1, sizeof(*all));
	GHashTableIter it;
	gpointer key, value;
	size_t i = 0;
	g_hash_table_iter_init(&it, c->table);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const struct tally *t = value;
		all[i].word = key;
		all[i].count = t->count;
		all[i++].mentions = t->mentions;
	}
	qsort(all, n, sizeof(*all), by_count_then_word);
	size_t keep = max && max < n ? max : n;
	out->items = xcalloc(keep + 1, sizeof(*out->items));
	for (i = 0; i < keep; i++) {
		out->items[i].word = xstrdup(all[i].word);
		out->items[i].count = all[i].count;
		out->items[i].mentions = all[i].mentions;
	}
	out->n = out->cap = keep;
	free(all);
}

void keyword_list_release(struct keyword_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].word);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Count word once more in a paper's counter, under its concept's one word. */
static void add_word(const struct insights *in, struct keyword_counter *c, const char *word)
{
	char *key = fold(word);
	const char *canonical = g_hash_table_lookup(in->aliases, key);
	free(key);
	keyword_counter_add(c, canonical ? canonical : word, 1);
}

/*
 * A word ICU cut out that opens with a negation, a degree adverb or a
 * conjunction (没有, 无关, 不同, 非常, 更好, 最新, 而无, 并非) says how
 * something is or joins clauses; it does not name anything: not a term. Terms that start so (无监督, 非自回归) are domain phrases or
 * aliases, which never come through here.
 */
static bool qualifier(const char *s)
{
	static const char *const openers[] = {"不", "无", "没", "非", "未", "很", "更", "最",
					      "较", "极", "太", "颇", "而", "且", "并", "亦"};
	for (size_t i = 0; i < PB_ARRAY_LEN(openers); i++)
		if (!strncmp(s, openers[i], strlen(openers[i])))
			return true;
	return false;
}

/* Number of code points in s[0..len) and whether all are CJK ideographs. */
static bool all_cjk(const char *s, size_t len, size_t *chars)
{
	*chars = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0xE0 || c >= 0xF0)
			return false; /* CJK ideographs are three bytes in UTF-8 */
		uint32_t cp = ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
			      ((unsigned char)s[i + 2] & 0x3Fu);
		if (cp < 0x3400 || cp > 0x9FFF)
			return false;
		i += 3;
		(*chars)++;
	}
	return true;
}

static void count_zh_word(const struct insights *in, struct keyword_counter *c, const char *s,
			  size_t len)
{
	size_t chars;
	if (!all_cjk(s, len, &chars) || chars < 2)
		return;
	char *word = xstrndup(s, len);
	char *key = fold(word);
	bool alias = g_hash_table_contains(in->aliases, key);
	free(key);
	if (alias || (!g_hash_table_contains(in->stop_zh, word) && !qualifier(word)))
		add_word(in, c, word);
	free(word);
}

/* ICU word segmentation of a run of text without domain phrases. */
static void segment_run(const struct insights *in, struct keyword_counter *c, const char *s,
			size_t len)
{
	if (!len)
		return;
	UErrorCode status = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, s, (int64_t)len, &status);
	UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
	ubrk_setUText(bi, ut, &status);
	if (U_SUCCESS(status)) {
		int32_t start = ubrk_first(bi);
		for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
			/* Only "words" (ideographic or letters), not spaces or punctuation. */
			if (ubrk_getRuleStatus(bi) >= UBRK_WORD_LETTER)
				count_zh_word(in, c, s + start, (size_t)(end - start));
		}
	}
	ubrk_close(bi);
	utext_close(ut);
}

/* Chinese keywords: domain phrases whole, the rest through ICU. */
static void count_zh(const struct insights *in, struct keyword_counter *c, const char *text)
{
	const char *run = text;
	for (const char *s = text; *s;) {
		const char *hit = NULL;
		for (size_t i = 0; i < in->n_phrases && !hit; i++)
			if (!strncmp(s, in->phrases[i], strlen(in->phrases[i])))
				hit = in->phrases[i];
		if (hit) {
			segment_run(in, c, run, (size_t)(s - run));
			add_word(in, c, hit);
			s += strlen(hit);
			run = s;
		} else {
			s++;
			while (((unsigned char)*s & 0xC0) == 0x80)
				s++;
		}
	}
	segment_run(in, c, run, strlen(run));
}

/* "LLMs" -> "LLM": an acronym of 2..8 capitals and digits, at least two capitals. */
static bool acronym(const char *w, size_t len, char *out, size_t size)
{
	if (len > 2 && w[len - 1] == 's')
		len--;
	if (len < 2 || len > 8 || len >= size || !isupper((unsigned char)w[0]))
		return false;
	size_t upper = 0;
	for (size_t i = 0; i < len; i++) {
		if (isupper((unsigned char)w[i]))
			upper++;
		else if (!isdigit((unsigned char)w[i]))
			return false;
	}
	if (upper < 2)
		return false;
	memcpy(out, w, len);
	out[len] = '\0';
	return true;
}

static bool plain_word(const struct insights *in, const char *w, size_t len, char *out, size_t size)
{
	if (len < 3 || len >= size)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isalpha((unsigned char)w[i]) && w[i] != '-')
			return false;
		out[i] = (char)tolower((unsigned char)w[i]);
	}
	out[len] = '\0';
	return !g_hash_table_contains(in->stop_en, out);
}

/* English terms from the original: acronyms, and two-word terms ("diffusion model"). */
static void count_en(const struct insights *in, struct keyword_counter *c, const char *text)
{
	char prev[64] = "";
	const char *s = text;
	while (*s) {
		while (*s && !isalnum((unsigned char)*s)) {
			if (*s != ' ' && *s != '-')
				prev[0] = '\0'; /* a term never spans punctuation */
			s++;
		}
		const char *start = s;
		while (*s && (isalnum((unsigned char)*s) || *s == '-'))
			s++;
		size_t len = (size_t)(s - start);
		if (!len)
			continue;
		char word[64];
		if (acronym(start, len, word, sizeof(word))) {
			add_word(in, c, word);
			prev[0] = '\0';
		} else if (plain_word(in, start, len, word, sizeof(word))) {
			if (prev[0]) {
				/* "diffusion models" and "diffusion model" are one term */
				size_t wl = strlen(word);
				if (wl > 3 && word[wl - 1] == 's' && word[wl - 2] != 's')
					word[wl - 1] = '\0';
				char *term = xasprintf("%s %s", prev, word);
				add_word(in, c, term);
				free(term);
			}
			snprintf(prev, sizeof(prev), "%s", word);
		} else {
			prev[0] = '\0';
		}
	}
}

/* One paper's keyword occurrences, each under its concept's one word. */
static void paper_keywords(const struct insights *in, const struct paper *p,
			   struct keyword_counter *c)
{
	if (p->title_zh)
		count_zh(in, c, p->title_zh);
	if (p->abstract_zh)
		count_zh(in, c, p->abstract_zh);
	count_en(in, c, p->title);
	count_en(in, c, p->abstract);
	if (p->ai_keywords) {
		/* ["keyword", ...] as stored by the fetch stage */
		size_t n;
		char *inner = xstrdup(p->ai_keywords);
		for (char *q = inner; *q; q++)
			if (*q == '[' || *q == ']' || *q == '"')
				*q = ' ';
		char **items = split(inner, ',', &n);
		for (size_t i = 0; i < n; i++) {
			/* "Segment Anything Model (SAM)": the term, without its acronym in brackets. */
			char *bracket = strchr(items[i], '(');
			if (bracket && bracket > items[i]) {
				while (bracket > items[i] && bracket[-1] == ' ')
					bracket--;
				*bracket = '\0';
			}
			/* Phrases are folded to lower case; a single token keeps its case, so the
			 * API's "GRPO" and the abstract's GRPO are one keyword. */
			if (strchr(items[i], ' '))
				for (char *q = items[i]; *q; q++)
					*q = (char)tolower((unsigned char)*q);
			if (strlen(items[i]) >= 2 && !g_hash_table_contains(in->stop_en, items[i])) {
				char *key = fold(items[i]);
				/* Short tokens only when they are a known concept ("RL", "AR"). */
				if (strlen(items[i]) >= 3 || g_hash_table_contains(in->aliases, key))
					add_word(in, c, items[i]);
				free(key);
			}
			free(items[i]);
		}
		free(items);
		free(inner);
	}
}

void insights_count_keywords(const struct insights *in, const struct paper *p,
			     struct keyword_counter *c)
{
	/* Document frequency: the paper counts once per keyword, however often it says it. */
	struct keyword_counter *one = keyword_counter_new();
	paper_keywords(in, p, one);
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, one->table);
	while (g_hash_table_iter_next(&it, &key, &value))
		tally_add(c, key, 1, ((const struct tally *)value)->mentions);
	keyword_counter_free(one);
}

/* A word the data names as a term: a domain phrase or a concept of aliases.tsv. */
static bool known_term(const struct insights *in, const char *word)
{
	for (size_t i = 0; i < in->n_phrases; i++)
		if (!strcmp(in->phrases[i], word))
			return true;
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, in->aliases);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (!strcmp(value, word))
			return true;
	return false;
}

/*
 * Two-word English terms of one paper are noise. A word ICU cut out of
 * Chinese prose that one paper says once (主要是, 伴随, 先前) is that
 * paper's wording, not the day's keyword; known terms, acronyms and the
 * API's keywords stay however rare.
 */
static bool keep_keyword(const struct insights *in, const struct keyword_count *k)
{
	if (strchr(k->word, ' '))
		return k->count >= 2;
	if (k->count >= 2 || k->mentions >= 2 || (unsigned char)k->word[0] < 0x80)
		return true;
	return known_term(in, k->word);
}

void insights_day(const struct insights *in, const struct paper_list *papers,
		  struct day_insights *out)
{
	memset(out, 0, sizeof(*out));
	out->n_papers = papers->n;
	out->paper_areas = xcalloc(papers->n + 1, sizeof(*out->paper_areas));
	size_t counts[INSIGHTS_MAX_AREAS] = {0};
	struct keyword_counter *c = keyword_counter_new();
	for (size_t i = 0; i < papers->n; i++) {
		uint64_t mask = insights_paper_areas(in, &papers->items[i]);
		out->paper_areas[i] = mask;
		for (size_t a = 0; a < in->n_areas; a++)
			counts[a] += (mask >> a) & 1;
		insights_count_keywords(in, &papers->items[i], c);
	}
	insights_rank_areas(in, counts, out);
	struct keyword_list all;
	keyword_counter_sorted(c, 0, &all);
	keyword_counter_free(c);
	out->keywords.items = xcalloc(DAY_KEYWORDS + 1, sizeof(*out->keywords.items));
	for (size_t i = 0; i < all.n; i++) {
		if (out->keywords.n < DAY_KEYWORDS && keep_keyword(in, &all.items[i])) {
			out->keywords.items[out->keywords.n++] = all.items[i];
			all.items[i].word = NULL;
		}
	}
	out->keywords.cap = DAY_KEYWORDS;
	for (size_t i = 0; i < all.n; i++)
		free(all.items[i].word);
	free(all.items);
}

void insights_rank_areas(const struct insights *in, const size_t *counts, struct day_insights *d)
{
	free(d->areas);
	d->n_areas = 0;
	d->areas = xcalloc(in->n_areas + 1, sizeof(*d->areas));
	for (size_t a = 0; a < in->n_areas; a++)
		if (counts[a])
			d->areas[d->n_areas++] = (struct area_count){a, counts[a]};
	/* Most papers first; equal counts keep taxonomy order (insertion sort is stable). */
	for (size_t i = 1; i < d->n_areas; i++) {
		struct area_count key = d->areas[i];
		size_t j = i;
		while (j > 0 && d->areas[j - 1].papers < key.papers) {
			d->areas[j] = d->areas[j - 1];
			j--;
		}
		d->areas[j] = key;
	}
}

void day_insights_release(struct day_insights *d)
{
	free(d->areas);
	free(d->paper_areas);
	keyword_list_release(&d->keywords);
	memset(d, 0, sizeof(*d));
}

/* The area's name in ui's language ("area.<taxonomy name>" in data/lang/<code>.ini). */
static const char *display_name(const struct insights *in, const struct ui_strings *ui, size_t area)
{
	char *key = xasprintf("area.%s", in->areas[area].name);
	const char *name = ui_get(ui, key);
	free(key);
	return name;
}

char *insights_hot_topics(const struct insights *in, const struct ui_strings *ui,
			  const struct day_insights *d, size_t max)
{
	if (!d->n_areas)
		return xstrdup(ui_get(ui, "hot_topics.none"));
	const char *sep = ui_get(ui, "hot_topics.separator");
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (size_t i = 0; i < d->n_areas && i < max; i++)
		sb_addf(&b, "%s%s(%zu)", i ? sep : "", display_name(in, ui, d->areas[i].area),
			d->areas[i].papers);
	return buf_detach(&b);
}

char *insights_area_names(const struct insights *in, const struct ui_strings *ui, uint64_t areas,
			  size_t max)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	size_t shown = 0;
	for (size_t a = 0; a < in->n_areas && shown < max; a++) {
		if ((areas >> a) & 1) {
			/* " · " is the poster's separator between chips (poster.c splits on it). */
			sb_addf(&b, "%s%s", shown ? " \xC2\xB7 " : "", display_name(in, ui, a));
			shown++;
		}
	}
	return buf_detach(&b);
}
