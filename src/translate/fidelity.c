/* fidelity.c - Chinese-ness and number preservation. */
#include "core/common.h"

#include "translate/fidelity.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Decode the code point at *p and advance; invalid bytes count as one unit. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	size_t n = 1;
	if (c >= 0xF0 && s[1] && s[2] && s[3]) {
		c = ((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		n = 4;
	} else if (c >= 0xE0 && s[1] && s[2]) {
		c = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		n = 3;
	} else if (c >= 0xC0 && s[1]) {
		c = ((c & 0x1F) << 6) | (s[1] & 0x3Fu);
		n = 2;
	}
	*p += n;
	return c;
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0xF900 && c <= 0xFAFF);
}

double cjk_ratio(const char *text)
{
	size_t cjk = 0, latin = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		uint32_t c = next_cp(&p);
		if (is_cjk(c))
			cjk++;
		else if (c < 0x80 && isalpha((int)c))
			latin++;
	}
	return cjk + latin ? (double)cjk / (double)(cjk + latin) : 0.0;
}

bool has_cjk(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p;)
		if (is_cjk(next_cp(&p)))
			return true;
	return false;
}

/* The text without thousands separators: a comma between a digit and exactly three digits. */
static char *drop_thousands_separators(const char *text)
{
	size_t n = strlen(text);
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (text[i] == ',' && i > 0 && isdigit((unsigned char)text[i - 1]) && i + 3 < n &&
		    isdigit((unsigned char)text[i + 1]) && isdigit((unsigned char)text[i + 2]) &&
		    isdigit((unsigned char)text[i + 3]) && !isdigit((unsigned char)text[i + 4]))
			continue;
		*o++ = text[i];
	}
	*o = '\0';
	return out;
}

static bool ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Is the character that ends just before t[end] a letter of an alphabet: ASCII, or
 * Latin-1/Latin Extended, Greek or Cyrillic? Abstracts name models with Greek letters
 * ("π_0", "π_{0.5}"): "π_0" is a name like "Llama-3", not the number 0, and asking the
 * LLM again for it wasted a request. Ideographs are not letters here: "在2024年" is 2024.
 */
static bool letter_before(const char *t, size_t end)
{
	if (!end)
		return false;
	if (ascii_alpha(t[end - 1]))
		return true;
	size_t start = end - 1;
	while (start > 0 && ((unsigned char)t[start] & 0xC0) == 0x80)
		start--; /* back over UTF-8 continuation bytes to the lead byte */
	const unsigned char *p = (const unsigned char *)t + start;
	uint32_t c = next_cp(&p);
	if ((const char *)p != t + end)
		return false; /* not one whole character */
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
	       (c >= 0x400 && c <= 0x4FF);
}

/* The same for the character starting at t[i]. */
static bool letter_at(const char *t, size_t i)
{
	if (ascii_alpha(t[i]))
		return true;
	const unsigned char *p = (const unsigned char *)t + i;
	uint32_t c = (unsigned char)t[i] >= 0xC0 ? next_cp(&p) : 0;
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
	       (c >= 0x400 && c <= 0x4FF);
}

/*
 * A set of byte strings (pointers into a text that outlives it), open addressing with
 * linear probing. numbers_extract and numbers_missing use it so that an abstract of
 * 60,000 numbers costs linear time, not the 15 s a list scan per number took inside the
 * transfer loop (issue 13, finding 11).
 */
struct strset {
	const char **key;
	size_t *len;
	size_t n, cap; /* cap is a power of two, kept at least twice n */
};

static uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static void strset_release(struct strset *set)
{
	free(set->key);
	free(set->len);
	memset(set, 0, sizeof(*set));
}

/* The slot of s: where it is, or the empty slot where it would go. */
static size_t strset_slot(const struct strset *set, const char *s, size_t len)
{
	size_t mask = set->cap - 1, i = (size_t)str_hash(s, len) & mask;
	while (set->key[i] && !(set->len[i] == len && !memcmp(set->key[i], s, len)))
		i = (i + 1) & mask;
	return i;
}

static bool strset_has(const struct strset *set, const char *s, size_t len)
{
	return set->cap && set->key[strset_slot(set, s, len)];
}

/* Add s (not copied); false if it was there already. */
static bool strset_add(struct strset *set, const char *s, size_t len)
{
	if (2 * (set->n + 1) > set->cap) {
		struct strset grown = {0};
		grown.cap = set->cap ? 2 * set->cap : 64;
		grown.key = xcalloc(grown.cap, sizeof(*grown.key));
		grown.len = xcalloc(grown.cap, sizeof(*grown.len));
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->key[i])
				continue;
			size_t k = strset_slot(&grown, set->key[i], set->len[i]);
			grown.key[k] = set->key[i];
			grown.len[k] = set->len[i];
		}
		grown.n = set->n;
		strset_release(set);
		*set = grown;
	}
	size_t k = strset_slot(set, s, len);
	if (set->key[k])
		return false;
	set->key[k] = s;
	set->len[k] = len;
	set->n++;
	return true;
}

char **numbers_extract(const char *text)
{
	char *t = drop_thousands_separators(text);
	char **list = NULL;
	size_t n = 0, cap = 0;
	struct strset seen = {0};
	for (size_t i = 0; t[i];) {
		if (!isdigit((unsigned char)t[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (isdigit((unsigned char)t[i]))
			i++;
		if (t[i] == '.' && isdigit((unsigned char)t[i + 1])) {
			i++;
			while (isdigit((unsigned char)t[i]))
				i++;
		}
		if (t[i] == '.' && isdigit((unsigned char)t[i + 1])) {
			/*
			 * A dotted run ("PyTorch 2.1.0", "192.168.0.1", "§3.2.1"): a version or a
			 * name, not a quantity. Taking "2.1" from it asked the LLM again for a
			 * translation that kept "2.1.0" exactly, since the matcher rightly does
			 * not see "2.1" there (fuzz/targets/llm_answer found it).
			 */
			while (isdigit((unsigned char)t[i]) || (t[i] == '.' && isdigit((unsigned char)t[i + 1])))
				i++;
			continue;
		}
		char before = start ? t[start - 1] : ' ';
		bool glued = letter_before(t, start) || before == '.' ||
			     ((before == '-' || before == '_') && letter_before(t, start - 1)) ||
			     letter_at(t, i);
		if (glued)
			continue;
		/* The set points into t, which lives until the list is done. */
		if (!strset_add(&seen, t + start, i - start))
			continue;
		GROW(list, cap, n + 2);
		list[n++] = xstrndup(t + start, i - start);
		list[n] = NULL;
	}
	strset_release(&seen);
	free(t);
	if (!list)
		list = xcalloc(1, sizeof(*list));
	return list;
}

void numbers_free(char **numbers)
{
	for (char **p = numbers; p && *p; p++)
		free(*p);
	free(numbers);
}

/* Does number occur in text as a whole number (not part of a longer one)? */
static bool contains_number(const char *text, const char *number)
{
	size_t len = strlen(number);
	for (const char *p = strstr(text, number); p; p = strstr(p + 1, number)) {
		bool left = p == text || (!isdigit((unsigned char)p[-1]) && p[-1] != '.');
		bool right = !isdigit((unsigned char)p[len]) &&
			     !(p[len] == '.' && isdigit((unsigned char)p[len + 1]));
		if (left && right)
			return true;
	}
	return false;
}

/* Is number a digit run with an optional decimal part, the only form numbers_extract gives? */
static bool plain_number(const char *number)
{
	const char *p = number;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return !*p;
}

/* Does t[i] end a number (what contains_number asks of the character after a match)? */
static bool number_ends_at(const char *t, size_t i)
{
	return !isdigit((unsigned char)t[i]) && !(t[i] == '.' && isdigit((unsigned char)t[i + 1]));
}

/*
 * Every whole number of t, as contains_number would find it, in one pass: a match
 * starts where the character before is neither digit nor '.', and is either the digit
 * run there or that run with its decimal part, whichever ends a number.
 */
static void whole_numbers(const char *t, struct strset *set)
{
	for (size_t i = 0; t[i];) {
		if (!isdigit((unsigned char)t[i]) || (i && (isdigit((unsigned char)t[i - 1]) ||
							     t[i - 1] == '.'))) {
			i++;
			continue;
		}
		size_t start = i;
		while (isdigit((unsigned char)t[i]))
			i++;
		if (number_ends_at(t, i))
			strset_add(set, t + start, i - start);
		else { /* t[i] is '.' before a digit */
			size_t j = i + 1;
			while (isdigit((unsigned char)t[j]))
				j++;
			if (number_ends_at(t, j))
				strset_add(set, t + start, j - start);
		}
	}
}

size_t numbers_missing(char *const *numbers, const char *text, struct buf *missing)
{
	char *t = drop_thousands_separators(text);
	struct strset found = {0};
	whole_numbers(t, &found);
	size_t count = 0;
	for (char *const *p = numbers; *p; p++) {
		/* Anything numbers_extract would not give keeps the old (slower) search. */
		bool ok = plain_number(*p) ? strset_has(&found, *p, strlen(*p)) : contains_number(t, *p);
		if (ok)
			continue;
		if (count++)
			sb_adds(missing, ", ");
		sb_adds(missing, *p);
	}
	strset_release(&found);
	free(t);
	return count;
}
