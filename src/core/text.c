/* text.c - normalisation and context escaping. */
#include "core/common.h"

#include "core/text.h"

#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	uint32_t c, min;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

bool utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

bool text_is_invisible_control(uint32_t cp)
{
	/* Noncharacters (U+FDD0..FDEF, U+xFFFE/xFFFF of every plane): XML 1.0 forbids the last two. */
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return true;
	/* Bidi embeddings, overrides and isolates, and the marks: "RTL \u202Egnp.exe" shows as
	 * "RTL exe.png". Zero-width space, word joiner, BOM: invisible text that changes nothing
	 * a reader should see. ZWJ and ZWNJ stay: emoji sequences and several scripts need them. */
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF;
}

char *text_normalize(const char *s)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	bool pending_space = false;
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n) {
			cp = 0xFFFD;
			n = 1;
		}
		/* ASCII whitespace, NBSP, and the Unicode line/paragraph separators. */
		bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
			     cp == '\v' || cp == 0xA0 || cp == 0x2028 || cp == 0x2029;
		bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
			       text_is_invisible_control(cp);
		if (space) {
			pending_space = out.len > 0;
		} else if (!control) {
			if (pending_space)
				sb_addc(&out, ' ');
			pending_space = false;
			if (cp == 0xFFFD && n == 1)
				sb_adds(&out, "\xEF\xBF\xBD");
			else
				sb_add(&out, p, n);
		}
		p += n;
		len -= n;
	}
	return buf_detach(&out);
}

void md_escape_text(struct buf *out, const char *s)
{
	/* A block marker only matters at the start of a line; our text always starts one. */
	size_t digits = strspn(s, "0123456789");
	if (digits && digits <= 9 && (s[digits] == '.' || s[digits] == ')')) {
		sb_add(out, s, digits);
		sb_addc(out, '\\');
		s += digits;
	} else if (s[0] && strchr("-+=", s[0])) { /* # > | are escaped below anyway */
		sb_addc(out, '\\');
	}
	for (; *s; s++) {
		char c = *s;
		if (c == '\n' || c == '\r' || c == '\t') {
			sb_addc(out, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>&~|#", c))
			sb_addc(out, '\\');
		sb_addc(out, c);
	}
}

bool url_is_http(const char *url)
{
	const char *rest;
	if (!strncmp(url, "https://", 8))
		rest = url + 8;
	else if (!strncmp(url, "http://", 7))
		rest = url + 7;
	else
		return false;
	if (!*rest || *rest == '/' || strlen(url) > 2048)
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7F || *p == '"' || *p == '\\')
			return false;
	return true;
}

bool md_append_url(struct buf *out, const char *url)
{
	if (!url_is_http(url))
		return false;
	for (const char *p = url; *p; p++) {
		/* These would end or confuse a destination; %-encoding keeps the URL equivalent. */
		if (strchr("()<>[]`'*_", *p))
			sb_addf(out, "%%%02X", (unsigned char)*p);
		else
			sb_addc(out, *p);
	}
	return true;
}

void html_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_adds(out, "&amp;"); break;
		case '<': sb_adds(out, "&lt;"); break;
		case '>': sb_adds(out, "&gt;"); break;
		case '"': sb_adds(out, "&quot;"); break;
		case '\'': sb_adds(out, "&#39;"); break;
		default: sb_addc(out, *s);
		}
	}
}

char *html_escaped(const char *s)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	html_escape(&b, s ? s : "");
	return buf_detach(&b);
}

bool paper_id_is_safe(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

char *first_sentence(const char *text)
{
	static const char *const ends[] = {"。", "！", "？", ". ", "! ", "? "};
	const char *cut = NULL;
	size_t cut_len = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(ends); i++) {
		const char *p = strstr(text, ends[i]);
		if (p && (!cut || p < cut)) {
			cut = p;
			cut_len = strlen(ends[i]);
		}
	}
	if (!cut)
		return xstrdup(text);
	char *s = xstrndup(text, (size_t)(cut - text) + cut_len);
	size_t n = strlen(s);
	if (n && s[n - 1] == ' ')
		s[n - 1] = '\0';
	return s;
}

/*
 * Append s as XML character data (also fit for an attribute value). XML 1.0
 * forbids most C0 controls and invalid UTF-8 even as references, so those
 * are dropped (text_normalize turns bad bytes into U+FFFD) rather than
 * making the whole feed unreadable.
 */
void xml_escape(struct buf *out, const char *s)
{
	if (!s)
		return;
	char *norm = utf8_is_valid(s, strlen(s)) ? NULL : text_normalize(s);
	struct buf clean;
	buf_init(&clean, BUF_LIMIT_NONE);
	for (const unsigned char *p = (const unsigned char *)(norm ? norm : s); *p; p++) {
		if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			p += 2; /* U+FFFE, U+FFFF: not characters in XML 1.0 either */
			continue;
		}
		if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
			sb_addc(&clean, (char)*p);
	}
	html_escape(out, clean.data);
	buf_release(&clean);
	free(norm);
}

/*
 * base (ending in '/') + path, a path relative to it: a leading '/' is
 * dropped so the URL stays under base, and bytes a URL cannot carry
 * (spaces, non-ASCII, quotes, '?', '#' ...) are percent-encoded. A '%' is
 * kept, so an already encoded path stays as it was. Caller frees.
 */
char *url_join(const char *base, const char *path)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@%";
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, base);
	while (*path == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(keep, *p))
			sb_addc(&b, (char)*p);
		else
			sb_addf(&b, "%%%02X", *p);
	}
	return buf_detach(&b);
}


char *url_for_display(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	size_t auth_len = strcspn(host, "/?#");
	const char *at = NULL;
	for (const char *c = host; c < host + auth_len; c++)
		if (*c == '@')
			at = c; /* the last '@' of the authority ends the userinfo */
	if (!at)
		return xstrdup(url);
	return xasprintf("%.*s***%s", (int)(host - url), url, at);
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}
