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

char **numbers_extract(const char *text)
{
	char *t = drop_thousands_separators(text);
	char **list = NULL;
	size_t n = 0, cap = 0;
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
		char before = start ? t[start - 1] : ' ';
		bool glued = letter_before(t, start) || before == '.' ||
			     ((before == '-' || before == '_') && letter_before(t, start - 1)) ||
			     letter_at(t, i);
		if (glued)
			continue;
		char *num = xstrndup(t + start, i - start);
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(list[k], num);
		if (seen) {
			free(num);
			continue;
		}
		GROW(list, cap, n + 2);
		list[n++] = num;
		list[n] = NULL;
	}
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

size_t numbers_missing(char *const *numbers, const char *text, struct buf *missing)
{
	char *t = drop_thousands_separators(text);
	size_t count = 0;
	for (char *const *p = numbers; *p; p++) {
		if (contains_number(t, *p))
			continue;
		if (count++)
			sb_adds(missing, ", ");
		sb_adds(missing, *p);
	}
	free(t);
	return count;
}
