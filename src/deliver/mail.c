/* mail.c - the edition as a MIME message (RFC 5322, 2045-2047, 2369, 8058) over libcurl's SMTP. */
#include "core/common.h"

#include "deliver/mail.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/layout.h"
#include "core/text.h"
#include "lang/lang.h"
#include "net/http.h"
#include "net/retry.h"

#include <ctype.h>
#include <curl/curl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pictures inline beyond this many bytes in all are linked instead (mail servers cap ~25 MB). */
#define MAIL_MAX_INLINE (12u << 20)
#define MAIL_MAX_MESSAGE (32u << 20)

/* ---- addresses --------------------------------------------------------------------------- */

/* local@domain, printable ASCII, no space, quote, angle bracket or comma: what we can put in an
 * envelope without quoting. (Internationalised addresses are left to a later day.) */
static bool address_ok(const char *a, size_t len)
{
	const char *at = memchr(a, '@', len);
	if (!at || at == a || at == a + len - 1 || memchr(at + 1, '@', (size_t)(a + len - at - 1)))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return false;
	}
	return memchr(at, '.', (size_t)(a + len - at)) != NULL;
}

/* "Name <addr>" or "addr": the address (caller frees) and the display name (may be NULL). */
static int split_from(const char *from, char **addr, char **name)
{
	*addr = *name = NULL;
	const char *lt = strrchr(from, '<');
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || gt[1])
			return -1;
		if (!address_ok(lt + 1, (size_t)(gt - lt - 1)))
			return -1;
		*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		size_t n = (size_t)(lt - from);
		while (n && isspace((unsigned char)from[n - 1]))
			n--;
		const char *s = from;
		while (n && isspace((unsigned char)*s))
			s++, n--;
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
			s++, n -= 2;
		*name = n ? xstrndup(s, n) : NULL;
		return 0;
	}
	if (!address_ok(from, strlen(from)))
		return -1;
	*addr = xstrdup(from);
	return 0;
}

/*
 * The List-Unsubscribe URLs (RFC 2369): a comma-separated list of mailto: and http(s)
 * URLs without spaces, controls or angle brackets, so each goes inside <> as is.
 */
static int unsubscribe_urls(const char *list, char ***out, size_t *n, struct pb_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		const char *s = p;
		size_t l = len;
		while (l && isspace((unsigned char)*s))
			s++, l--;
		while (l && isspace((unsigned char)s[l - 1]))
			l--;
		p += len + (p[len] == ',');
		if (!l)
			continue;
		char *url = xstrndup(s, l);
		bool bad = false;
		for (const char *c = url; *c && !bad; c++)
			bad = (unsigned char)*c <= ' ' || *c == 0x7f || *c == '<' || *c == '>';
		if (bad || (strncmp(url, "mailto:", 7) ? !url_is_http(url) : !strchr(url, '@'))) {
			pb_err_set(err, PB_ERR_USAGE, "[mail] unsubscribe: '%s' is not a mailto: or https: "
				   "URL", url);
			pb_err_hint(err, "e.g. unsubscribe = mailto:leave@example.com, "
					 "https://example.com/unsubscribe?u=1");
			free(url);
			mail_recipients_free(*out, *n);
			*out = NULL;
			*n = 0;
			return PB_ERR_USAGE;
		}
		GROW(*out, cap, *n + 1);
		(*out)[(*n)++] = url;
	}
	return 0;
}

int mail_options_check(const struct mail_options *o, struct pb_err *err)
{
	if (!o->url || (strncmp(o->url, "smtp://", 7) && strncmp(o->url, "smtps://", 8)))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] url must be smtps://HOST[:PORT] or "
				  "smtp://HOST[:PORT] (STARTTLS), got '%s'", o->url ? o->url : "");
	if (strchr(o->url + 6, '@'))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] url must not carry a user or password: "
				  "give them as user and password (or password_env)");
	char *addr, *name;
	if (!o->from || split_from(o->from, &addr, &name)) {
		pb_err_set(err, PB_ERR_USAGE, "[mail] from must be 'Name <address>' or an address, "
			   "got '%s'", o->from ? o->from : "");
		return PB_ERR_USAGE;
	}
	free(addr);
	free(name);
	if (o->unsubscribe) {
		char **urls;
		size_t n;
		int rc = unsubscribe_urls(o->unsubscribe, &urls, &n, err);
		if (rc)
			return rc;
		mail_recipients_free(urls, n);
	}
	if (o->list_id && (!*o->list_id || strpbrk(o->list_id, "<>\r\n\t \"")))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] list_id must be a dotted name like "
				  "papers.example.com (no spaces or <>), got '%s'", o->list_id);
	if (o->password && !o->user)
		return pb_err_set(err, PB_ERR_USAGE, "[mail] has a password but no user");
	return 0;
}

struct recipients {
	char **list, **bad;
	size_t n, cap, n_bad, cap_bad;
};

static void add_recipient(struct recipients *r, const char *a, size_t len, const char *where,
			  long line)
{
	while (len && isspace((unsigned char)*a))
		a++, len--;
	while (len && isspace((unsigned char)a[len - 1]))
		len--;
	if (!len)
		return;
	if (!address_ok(a, len)) {
		GROW(r->bad, r->cap_bad, r->n_bad + 1);
		r->bad[r->n_bad++] = line ? xasprintf("'%.*s' in %s line %ld is not an e-mail address",
						      (int)len, a, where, line)
					  : xasprintf("'%.*s' in %s is not an e-mail address", (int)len,
						      a, where);
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->list[i]) == len && !g_ascii_strncasecmp(r->list[i], a, len))
			return;
	GROW(r->list, r->cap, r->n + 1);
	r->list[r->n++] = xstrndup(a, len);
}

int mail_read_recipients(const char *to, const char *to_file, char ***out, size_t *n,
			 char ***bad, size_t *n_bad, struct pb_err *err)
{
	struct recipients r = {0};
	for (const char *p = to ? to : ""; *p;) {
		size_t len = strcspn(p, ",");
		add_recipient(&r, p, len, "[mail] to", 0);
		p += len + (p[len] == ',');
	}
	int rc = 0;
	if (to_file) {
		struct buf text;
		buf_init(&text, 16u << 20);
		rc = fs_read_file(to_file, &text, err);
		if (rc)
			pb_err_hint(err, "[mail] to_file names a file of addresses, one a line");
		long line = 0;
		for (const char *p = !rc && text.data ? text.data : ""; *p;) {
			size_t len = strcspn(p, "\n");
			line++;
			const char *hash = memchr(p, '#', len);
			add_recipient(&r, p, hash ? (size_t)(hash - p) : len, to_file, line);
			p += len + (p[len] == '\n');
		}
		buf_release(&text);
	}
	if (rc) {
		mail_recipients_free(r.list, r.n);
		mail_recipients_free(r.bad, r.n_bad);
		r = (struct recipients){0};
	}
	*out = r.list;
	*n = r.n;
	*bad = r.bad;
	*n_bad = r.n_bad;
	return rc;
}

void mail_recipients_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* ---- header pieces ----------------------------------------------------------------------- */

/* Header text from data: no CR, LF or other control can start a header of its own. */
static char *header_safe(const char *s)
{
	char *out = xstrdup(s ? s : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * 39 bytes of text make 52 base64 characters, 64 with "=?UTF-8?B?" and "?=": a word
 * stays under RFC 2047's 75, and "Subject: " plus the first word, or the folding space
 * plus any later one, under its 76 a line.
 */
#define MAIL_WORD_BYTES 39

/* The length of the UTF-8 character at s (1 for a byte that starts none, so we move on). */
static size_t utf8_step(const char *s, size_t left)
{
	uint32_t cp;
	size_t n = utf8_decode((const unsigned char *)s, left, &cp);
	return n ? n : 1;
}

/*
 * RFC 2047 "B" encoded words, each holding whole UTF-8 characters, one a line: the
 * first goes on the current line, each next one after a CRLF and a space (folding).
 */
static void add_encoded(struct buf *m, const char *text)
{
	size_t len = strlen(text);
	bool first = true;
	for (size_t i = 0; i < len || first;) {
		size_t n = 0;
		while (i + n < len) {
			size_t step = utf8_step(text + i + n, len - i - n);
			if (n + step > MAIL_WORD_BYTES)
				break;
			n += step;
		}
		gchar *b64 = g_base64_encode((const guchar *)text + i, n);
		sb_addf(m, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		g_free(b64);
		i += n;
		first = false;
	}
}

/* "Subject: …": as is when short plain ASCII, else encoded words. */
static void add_text_header(struct buf *m, const char *name, const char *value)
{
	char *safe = header_safe(value);
	sb_addf(m, "%s: ", name);
	/* An ASCII text that looks like an encoded word would be decoded by readers: encode it too. */
	if (is_ascii(safe) && strlen(safe) + strlen(name) + 2 <= 76 && !strstr(safe, "=?"))
		sb_adds(m, safe);
	else
		add_encoded(m, safe);
	sb_adds(m, "\r\n");
	free(safe);
}

/* From: the display name as an atom, a quoted string or encoded words, then <addr>. */
static void add_from(struct buf *m, const char *name, const char *addr)
{
	if (!name) {
		sb_addf(m, "From: %s\r\n", addr);
		return;
	}
	char *safe = header_safe(name);
	sb_adds(m, "From: ");
	if (!is_ascii(safe) || strstr(safe, "=?") || strlen(safe) > 60) {
		add_encoded(m, safe);
		sb_adds(m, "\r\n"); /* fold: the address on a line of its own keeps lines short */
	} else if (strpbrk(safe, "\"\\()<>[]:;@,.")) {
		sb_addc(m, '"');
		for (const char *c = safe; *c; c++) {
			if (*c == '"' || *c == '\\')
				sb_addc(m, '\\');
			sb_addc(m, *c);
		}
		sb_addc(m, '"');
	} else {
		sb_adds(m, safe);
	}
	sb_addf(m, " <%s>\r\n", addr);
	free(safe);
}

/* base64 in lines of 76 (RFC 2045), each ended by CRLF. */
static void add_base64(struct buf *m, const void *data, size_t len)
{
	gchar *b64 = g_base64_encode(data, len);
	size_t n = strlen(b64);
	for (size_t i = 0; i < n; i += 76) {
		sb_add(m, b64 + i, n - i < 76 ? n - i : 76);
		sb_adds(m, "\r\n");
	}
	g_free(b64);
}

/* RFC 5322 date-time in UTC with its numeric zone: "Fri, 26 Dec 2025 08:00:00 +0000". */
static void rfc5322_date(time_t now, char *out, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- the text part ------------------------------------------------------------------------ */

/* One line of data text: whitespace runs (newlines too) to one space, controls gone. */
static void add_text_line(struct buf *t, const char *indent, const char *s)
{
	char *clean = text_normalize(s ? s : "");
	sb_addf(t, "%s%s\r\n", indent, clean);
	free(clean);
}

/* The digest as plain text, CRLF line ends (RFC 2046 text canonical form): what a client
 * without HTML shows, and what spam filters compare the HTML with. */
static char *text_part(const struct mail_options *o, const struct digest *d)
{
	struct buf t;
	buf_init(&t, BUF_LIMIT_NONE);
	add_text_line(&t, "", d->title);
	sb_adds(&t, "\r\n");
	char *hot = ui_format(d->ui, "mail.hot", (struct tmpl_var[]){{"topics", d->hot_areas}}, 1);
	add_text_line(&t, "", hot);
	free(hot);
	sb_adds(&t, "\r\n");
	for (size_t i = 0; i < d->n_papers; i++) {
		const struct digest_paper *p = &d->papers[i];
		char n[24];
		snprintf(n, sizeof(n), "%zu. ", i + 1);
		add_text_line(&t, n, p->title);
		add_text_line(&t, "   ", p->summary ? p->summary : ui_get(d->ui, "mail.no_summary"));
		if (p->areas && *p->areas) {
			char *areas = ui_format(d->ui, "mail.areas",
						(struct tmpl_var[]){{"areas", p->areas}}, 1);
			add_text_line(&t, "   ", areas);
			free(areas);
		}
		add_text_line(&t, "   ", p->url);
		sb_adds(&t, "\r\n");
	}
	char *read = ui_format(d->ui, "mail.read", (struct tmpl_var[]){{"url", d->edition_url}}, 1);
	add_text_line(&t, "", read);
	free(read);
	if (d->poster_url) {
		char *poster = ui_format(d->ui, "mail.poster",
					 (struct tmpl_var[]){{"url", d->poster_url}}, 1);
		add_text_line(&t, "", poster);
		free(poster);
	}
	sb_adds(&t, "\r\n-- \r\n");
	add_text_line(&t, "", ui_get(d->ui, "mail.footer"));
	if (o->unsubscribe) {
		char *unsub = ui_format(d->ui, "mail.unsubscribe",
					(struct tmpl_var[]){{"url", o->unsubscribe}}, 1);
		add_text_line(&t, "", unsub);
		free(unsub);
	}
	return buf_detach(&t);
}

/* ---- the HTML part ------------------------------------------------------------------------ */

struct inline_part {
	char *rel;  /* the picture's path under OUT: one part per file however often it is shown */
	char *cid;
	char *name; /* its file name, for clients that save it */
	const char *type;
	struct buf data;
};

struct html_ctx {
	const struct digest *d;
	const char *domain;  /* From's, for Content-IDs */
	char *dir;           /* the edition's directory under OUT: "newsletters" */
	char *edition_rel;   /* the edition's own path under OUT */
	struct inline_part *parts;
	size_t n_parts, cap_parts;
	size_t inline_bytes;
};

/* The MIME type of a picture from its first bytes (never from a name), or NULL. */
static const char *image_type(const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)b->data;
	if (b->len >= 8 && !memcmp(s, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (b->len >= 3 && s[0] == 0xff && s[1] == 0xd8 && s[2] == 0xff)
		return "image/jpeg";
	if (b->len >= 6 && (!memcmp(s, "GIF87a", 6) || !memcmp(s, "GIF89a", 6)))
		return "image/gif";
	if (b->len >= 12 && !memcmp(s, "RIFF", 4) && !memcmp(s + 8, "WEBP", 4))
		return "image/webp";
	return NULL;
}

/* Is v a URL with a scheme ("https:", "cid:", "data:", "mailto:")? */
static bool has_scheme(const char *v)
{
	if (!isalpha((unsigned char)v[0]))
		return false;
	size_t i = 1;
	while (isalnum((unsigned char)v[i]) || v[i] == '+' || v[i] == '-' || v[i] == '.')
		i++;
	return v[i] == ':';
}

/*
 * A link relative to the edition's page as a path under OUT ("../images/x.png" from
 * "newsletters" -> "images/x.png"), the fragment and query kept apart in *tail; NULL for
 * what is not such a link (absolute URLs, fragments alone) or would leave OUT.
 */
static char *out_relpath(const char *dir, const char *v, const char **tail)
{
	*tail = v + strcspn(v, "?#");
	if (!*v || *v == '#' || *v == '?' || *v == '/' || has_scheme(v) || *tail == v)
		return NULL;
	/* Segments of dir then of v; ".." pops one, and popping past OUT refuses the link. */
	struct buf path;
	buf_init(&path, BUF_LIMIT_NONE);
	sb_adds(&path, dir);
	const char *p = v;
	while (p < *tail) {
		size_t n = strcspn(p, "/?#");
		if (p + n > *tail)
			n = (size_t)(*tail - p);
		if (n == 2 && !strncmp(p, "..", 2)) {
			if (!path.len) {
				buf_release(&path);
				return NULL;
			}
			char *slash = strrchr(path.data, '/');
			path.len = slash ? (size_t)(slash - path.data) : 0;
			path.data[path.len] = '\0';
		} else if (n && !(n == 1 && *p == '.')) {
			if (path.len)
				sb_addc(&path, '/');
			sb_add(&path, p, n);
		}
		p += n + (p[n] == '/');
	}
	if (!path.len) {
		buf_release(&path);
		return NULL;
	}
	return buf_detach(&path);
}

/* The picture rel under OUT as an inline part: its Content-ID, or NULL when it is not a
 * readable picture or would make the message too large (the caller leaves it out). */
static const char *inline_picture(struct html_ctx *h, const char *rel)
{
	for (size_t i = 0; i < h->n_parts; i++)
		if (!strcmp(h->parts[i].rel, rel))
			return h->parts[i].cid;
	char *file = path_join(h->d->out_dir, rel);
	struct buf data;
	buf_init(&data, MAIL_MAX_INLINE);
	struct pb_err ignored = PB_ERR_INIT; /* a picture that cannot be read is left out, not fatal */
	int rc = fs_read_file(file, &data, &ignored);
	free(file);
	const char *type = rc ? NULL : image_type(&data);
	if (!type || h->inline_bytes + data.len > MAIL_MAX_INLINE) {
		buf_release(&data);
		return NULL;
	}
	h->inline_bytes += data.len;
	GROW(h->parts, h->cap_parts, h->n_parts + 1);
	struct inline_part *ip = &h->parts[h->n_parts++];
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	ip->rel = xstrdup(rel);
	ip->name = xstrdup(base);
	/* Only characters a cid: URL and a quoted file name carry as they are. */
	for (char *c = ip->name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
			*c = '_';
	ip->cid = xasprintf("%zu.%s@%s", h->n_parts, ip->name, h->domain);
	ip->type = type;
	ip->data = data;
	return ip->cid;
}

/*
 * Where a link into OUT points on the site: an edition page of this language is its day
 * page ("days/2025-12-26.html"), any other file keeps its name at the site's root, where
 * the site puts the media. Caller frees.
 */
static char *site_url(const struct html_ctx *h, const char *rel, const char *tail)
{
	const struct digest *d = h->d;
	const char *dir_end = strrchr(h->edition_rel, '/');
	size_t dir_len = dir_end ? (size_t)(dir_end - h->edition_rel) + 1 : 0;
	char *path = NULL;
	if (strlen(rel) > dir_len + 10 && !strncmp(rel, h->edition_rel, dir_len)) {
		char date[11];
		snprintf(date, sizeof(date), "%.10s", rel + dir_len);
		if (date_is_valid_string(date)) {
			char *page = layout_relpath(ART_EDITION_HTML, date, d->lang);
			if (!strcmp(page, rel))
				path = layout_site_day(date, d->lang);
			free(page);
		}
	}
	char *url = url_join(d->site_base_url, path ? path : rel);
	free(path);
	char *full = xasprintf("%s%s", url, tail);
	free(url);
	return full;
}

enum link_use { LINK_PICTURE, LINK_OTHER };
enum link_fate { LINK_KEEP, LINK_DROP, LINK_NEW };

/*
 * What becomes of a link attribute: kept as it is, dropped, or given the new URL *url
 * (caller frees). A picture becomes a cid: part, or its site URL; any other link into
 * OUT its site URL, or, without a site, nothing (the text stays, inert: a relative link
 * could only be broken in a mailbox).
 */
static enum link_fate rewrite_link(struct html_ctx *h, const char *value, enum link_use use,
				   char **url)
{
	*url = NULL;
	const char *tail;
	char *rel = out_relpath(h->dir, value, &tail);
	if (!rel) {
		/* Absolute links and #fragments are fine; a rooted or escaping path is not. */
		bool relative = *value && *value != '#' && !has_scheme(value) &&
				!(value[0] == '/' && value[1] == '/');
		return relative ? LINK_DROP : LINK_KEEP;
	}
	if (h->d->site_base_url) {
		*url = site_url(h, rel, use == LINK_PICTURE ? "" : tail);
	} else if (use == LINK_PICTURE) {
		const char *cid = inline_picture(h, rel);
		if (cid)
			*url = xasprintf("cid:%s", cid);
	} else if (!strcmp(rel, h->edition_rel)) {
		*url = *tail == '#' ? xstrdup(tail) : xstrdup(h->d->edition_url);
	}
	free(rel);
	return *url ? LINK_NEW : LINK_DROP;
}

static bool name_is(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && !g_ascii_strncasecmp(s, name, len);
}

/* Skip from s (just after an element's start tag) past its end tag "</name>"; returns the
 * position after it, or the end of the text. */
static const char *skip_element(const char *s, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = s; (p = strstr(p, "</")); p += 2)
		if (!g_ascii_strncasecmp(p + 2, name, n) && !isalnum((unsigned char)p[2 + n])) {
			const char *gt = strchr(p, '>');
			return gt ? gt + 1 : p + strlen(p);
		}
	return s + strlen(s);
}

/* The value of an attribute as text: the edition's only entity in URLs is &amp;. */
static char *attr_text(const char *v, size_t len)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '&' && len - i >= 5 && !strncmp(v + i, "&amp;", 5)) {
			sb_addc(&b, '&');
			i += 4;
		} else {
			sb_addc(&b, v[i]);
		}
	}
	return buf_detach(&b);
}

/*
 * One start tag, tag[0..len) from '<' to '>' included, rewritten into out. Returns false
 * when the whole element start is to be dropped (a picture that cannot be shown).
 */
static bool rewrite_tag(struct html_ctx *h, struct buf *out, const char *tag, size_t len,
			const char *name, size_t name_len)
{
	bool is_img = name_is(name, name_len, "img");
	bool is_meta = name_is(name, name_len, "meta");
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_add(&b, tag, (size_t)(name + name_len - tag));
	const char *p = name + name_len, *end = tag + len - 1; /* end: the '>' */
	bool keep = true;
	while (p < end) {
		const char *ws = p;
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *an = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' &&
		       !(*p == '/' && p + 1 == end))
			p++;
		size_t an_len = (size_t)(p - an);
		const char *val = NULL;
		size_t val_len = 0;
		if (p < end && *p == '=') {
			p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;
				val = p;
				while (p < end && *p != q)
					p++;
				val_len = (size_t)(p - val);
				if (p < end)
					p++;
			} else {
				val = p;
				while (p < end && !isspace((unsigned char)*p))
					p++;
				val_len = (size_t)(p - val);
			}
		}
		if (!an_len) {
			if (p == an) { /* a stray '/' of "<img … />" or a lone '=' */
				sb_add(&b, ws, (size_t)(p - ws) + (p < end));
				p += p < end;
			}
			continue;
		}
		bool link = val && (name_is(an, an_len, "href") || name_is(an, an_len, "src") ||
				    (is_meta && name_is(an, an_len, "content")));
		char *now = NULL;
		enum link_fate fate = LINK_KEEP;
		if (link) {
			char *v = attr_text(val, val_len);
			/* A meta's content is text unless it reads like a relative path. */
			if (!is_meta || !strncmp(v, "../", 3) || !strncmp(v, "./", 2))
				fate = rewrite_link(h, v, is_img && name_is(an, an_len, "src") ? LINK_PICTURE
											  : LINK_OTHER,
						    &now);
			free(v);
		} else if (name_is(an, an_len, "srcset")) {
			fate = LINK_DROP; /* the edition has none; another one's would be relative */
		}
		if (fate == LINK_KEEP) {
			sb_add(&b, ws, (size_t)(p - ws));
		} else if (fate == LINK_DROP) {
			if (is_img && name_is(an, an_len, "src"))
				keep = false;
		} else {
			sb_add(&b, " ", 1);
			sb_add(&b, an, an_len);
			sb_adds(&b, "=\"");
			html_escape(&b, now);
			sb_addc(&b, '"');
			free(now);
		}
	}
	sb_add(&b, end, 1);
	if (keep)
		sb_add(out, b.data, b.len);
	buf_release(&b);
	return keep;
}

/*
 * The HTML edition made for a mailbox: pictures inline (cid:) or on the site, links into
 * OUT to the site or away, <audio> and <video> (which mail clients do not play) unwrapped
 * to their fallback link with a site or dropped without one, <script> and comments dropped.
 */
static char *mail_html(struct html_ctx *h, const char *html)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	const char *p = html;
	while (*p) {
		const char *lt = strchr(p, '<');
		if (!lt) {
			sb_adds(&out, p);
			break;
		}
		sb_add(&out, p, (size_t)(lt - p));
		p = lt;
		if (!strncmp(p, "<!--", 4)) {
			/* Dropped: nobody reads them in a mailbox, and they may hold links into OUT. */
			const char *e = strstr(p + 4, "-->");
			p += e ? (size_t)(e + 3 - p) : strlen(p);
			continue;
		}
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t name_len = 0;
		while (isalnum((unsigned char)name[name_len]))
			name_len++;
		if (!name_len || !isalpha((unsigned char)*name)) {
			sb_addc(&out, '<');
			p++;
			continue;
		}
		/* The tag's end: the first '>' outside a quoted value. */
		const char *e = name + name_len;
		char q = 0;
		for (; *e && (q || *e != '>'); e++)
			if (q ? *e == q : (*e == '"' || *e == '\''))
				q = q ? 0 : *e;
		if (!*e) {
			sb_adds(&out, p);
			break;
		}
		size_t len = (size_t)(e + 1 - p);
		bool media = name_is(name, name_len, "audio") || name_is(name, name_len, "video");
		if (name_is(name, name_len, "script") && !closing) {
			p = skip_element(e + 1, "script");
		} else if (media && !closing && !h->d->site_base_url) {
			p = skip_element(e + 1, name_is(name, name_len, "audio") ? "audio" : "video");
		} else if (media || name_is(name, name_len, "source") || name_is(name, name_len, "track")) {
			p += len;
		} else if (name_is(name, name_len, "style") && !closing) {
			/* CSS is copied as it is: the edition's has no url() into OUT. */
			const char *after = skip_element(e + 1, "style");
			sb_add(&out, p, (size_t)(after - p));
			p = after;
		} else if (closing) {
			sb_add(&out, p, len);
			p += len;
		} else {
			rewrite_tag(h, &out, p, len, name, name_len);
			p += len;
		}
	}
	return buf_detach(&out);
}

/* ---- the message ------------------------------------------------------------------------- */

/* A boundary no body line can be: "=_" never occurs in base64, and every part is base64. */
static void boundary_for(const char *seed, const char *kind, char *out, size_t size)
{
	char hash[PB_SHA256_HEX_LEN + 1];
	sha256_hex(seed, strlen(seed), hash);
	snprintf(out, size, "=_pb_%s_%.24s", kind, hash);
}

static void add_list_headers(struct buf *m, const struct mail_options *o, const char *domain)
{
	if (o->list_id) {
		char *safe = header_safe(o->list_id);
		sb_addf(m, "List-Id: <%s>\r\n", safe);
		free(safe);
	} else {
		sb_addf(m, "List-Id: <daily-papers.%s>\r\n", domain);
	}
	char **urls = NULL;
	size_t n = 0;
	struct pb_err ignored = PB_ERR_INIT; /* mail_options_check said what is wrong already */
	if (o->unsubscribe && unsubscribe_urls(o->unsubscribe, &urls, &n, &ignored) == 0 && n) {
		bool one_click = false;
		sb_adds(m, "List-Unsubscribe: ");
		for (size_t i = 0; i < n; i++) {
			sb_addf(m, "%s<%s>", i ? ",\r\n " : "", urls[i]);
			/* RFC 8058: one click is a POST to an https URL, never to mailto: or http:. */
			one_click |= !strncmp(urls[i], "https://", 8);
		}
		sb_adds(m, "\r\n");
		if (one_click)
			sb_adds(m, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
	mail_recipients_free(urls, n);
}

/* The edition's directory and own path under OUT, from html_path, or from the layout. */
static void edition_place(const struct digest *d, struct html_ctx *h)
{
	size_t n = strlen(d->out_dir);
	while (n > 1 && d->out_dir[n - 1] == '/')
		n--;
	if (!strncmp(d->html_path, d->out_dir, n) && d->html_path[n] == '/')
		h->edition_rel = xstrdup(d->html_path + n + 1);
	else
		h->edition_rel = layout_relpath(ART_EDITION_HTML, d->date, d->lang);
	const char *slash = strrchr(h->edition_rel, '/');
	h->dir = slash ? xstrndup(h->edition_rel, (size_t)(slash - h->edition_rel)) : xstrdup("");
}

static void html_ctx_release(struct html_ctx *h)
{
	for (size_t i = 0; i < h->n_parts; i++) {
		free(h->parts[i].rel);
		free(h->parts[i].cid);
		free(h->parts[i].name);
		buf_release(&h->parts[i].data);
	}
	free(h->parts);
	free(h->dir);
	free(h->edition_rel);
}

int mail_compose(const struct mail_options *o, const struct digest *d, const char *recipient,
		 time_t now, struct mail_message *out, struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	buf_init(&out->data, MAIL_MAX_MESSAGE);
	if (!recipient || !address_ok(recipient, strlen(recipient)))
		return pb_err_set(err, PB_ERR_USAGE, "cannot write a mail to '%s': not an e-mail address",
				  recipient ? recipient : "");
	char *from_addr, *from_name;
	if (!o->from || split_from(o->from, &from_addr, &from_name))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] from is not an address: '%s'",
				  o->from ? o->from : "");
	const char *domain = strchr(from_addr, '@') + 1;
	struct buf html_file;
	buf_init(&html_file, 8u << 20);
	int rc = fs_read_file(d->html_path, &html_file, err);
	if (rc) {
		pb_err_hint(err, "the mail is the HTML edition: render it first (paperboy run --date %s)",
			    d->date);
		free(from_addr);
		free(from_name);
		buf_release(&html_file);
		return rc;
	}
	out->recipient = xstrdup(recipient);
	/* Stable per (day, language, reader): a resend is recognisably the same message. */
	char *lower = g_ascii_strdown(recipient, -1);
	char rhash[PB_SHA256_HEX_LEN + 1];
	sha256_hex(lower, strlen(lower), rhash);
	g_free(lower);
	out->message_id = xasprintf("%s.%s.%.16s@%s", d->date, d->lang, rhash, domain);

	struct html_ctx h = {.d = d, .domain = domain};
	edition_place(d, &h);
	char *html = mail_html(&h, html_file.data);
	char *text = text_part(o, d);
	char alt[64], rel[64];
	boundary_for(out->message_id, "alt", alt, sizeof(alt));
	boundary_for(out->message_id, "rel", rel, sizeof(rel));

	struct buf *m = &out->data;
	char date[64];
	rfc5322_date(now, date, sizeof(date));
	add_from(m, from_name, from_addr);
	sb_addf(m, "To: %s\r\n", recipient);
	add_text_header(m, "Subject", d->title);
	sb_addf(m, "Date: %s\r\n", date);
	sb_addf(m, "Message-ID: <%s>\r\n", out->message_id);
	char *lang = header_safe(d->lang);
	sb_addf(m, "Content-Language: %s\r\n", lang);
	free(lang);
	add_list_headers(m, o, domain);
	/* No vacation replies to a newsletter (RFC 3834), and bulk for the filters. */
	sb_adds(m, "Auto-Submitted: auto-generated\r\nPrecedence: bulk\r\nMIME-Version: 1.0\r\n");
	sb_addf(m, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", alt);
	sb_adds(m, "This is a multi-part message in MIME format.\r\n");
	sb_addf(m, "\r\n--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n", alt);
	add_base64(m, text, strlen(text));
	sb_addf(m, "\r\n--%s\r\nContent-Type: multipart/related;\r\n boundary=\"%s\";\r\n type=\"text/html\"\r\n\r\n",
		alt, rel);
	sb_addf(m, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n", rel);
	add_base64(m, html, strlen(html));
	for (size_t i = 0; i < h.n_parts; i++) {
		const struct inline_part *ip = &h.parts[i];
		sb_addf(m, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: "
			"base64\r\nContent-ID: <%s>\r\nContent-Disposition: inline; filename=\"%s\"\r\n\r\n",
			rel, ip->type, ip->name, ip->cid, ip->name);
		add_base64(m, ip->data.data, ip->data.len);
	}
	sb_addf(m, "\r\n--%s--\r\n\r\n--%s--\r\n", rel, alt);
	html_ctx_release(&h);
	free(html);
	free(text);
	free(from_addr);
	free(from_name);
	buf_release(&html_file);
	return 0;
}

void mail_message_release(struct mail_message *m)
{
	free(m->recipient);
	free(m->message_id);
	buf_release(&m->data);
	memset(m, 0, sizeof(*m));
}

/* ---- SMTP -------------------------------------------------------------------------------- */

struct upload {
	const struct mail_message *m;
	size_t sent;
	const struct pb_run *run;
	char reply[256]; /* the server's last refusal (4xx/5xx line), for the error */
};

static size_t on_read(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct upload *u = userdata;
	size_t room = size * nmemb, left = u->m->data.len - u->sent;
	size_t n = left < room ? left : room;
	memcpy(ptr, u->m->data.data + u->sent, n);
	u->sent += n;
	return n;
}

/* Called by curl about once a second and on every read: a stop aborts the transfer at once. */
static int on_progress(void *userdata, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	const struct upload *u = userdata;
	return pb_run_stopped(u->run) ? 1 : 0;
}

/*
 * libcurl's error buffer says "RCPT failed: 550" without the server's words; the words
 * ("5.1.1 User unknown") come through the debug stream. Only what the server said
 * (CURLINFO_HEADER_IN) is looked at, never what we said, which holds the AUTH exchange.
 */
static int on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *userdata)
{
	(void)c;
	struct upload *u = userdata;
	if (type != CURLINFO_HEADER_IN || size < 3 || (data[0] != '4' && data[0] != '5'))
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < size && n + 1 < sizeof(u->reply); i++) {
		unsigned char ch = (unsigned char)data[i];
		if (ch == '\r' || ch == '\n')
			break;
		u->reply[n++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	u->reply[n] = '\0';
	return 0;
}

/* A failure worth another try: a 4xx reply (greylisting, a full queue) or a transport
 * failure that may pass; a 5xx reply, a refused login or a TLS failure will not. */
static bool transient(CURLcode cc, long code)
{
	if (code >= 500)
		return false;
	if (code >= 400)
		return true;
	return cc != CURLE_LOGIN_DENIED && cc != CURLE_USE_SSL_FAILED &&
	       net_curl_error_is_retryable((int)cc);
}

static void failure_hint(struct pb_err *err, CURLcode cc, long code, const char *recipient)
{
	if (cc == CURLE_LOGIN_DENIED || code == 535 || code == 534)
		pb_err_hint(err, "the server refused the login: check [mail] user and password");
	else if (code == 530)
		pb_err_hint(err, "the server wants a login: set [mail] user and password (or password_env)");
	else if (cc == CURLE_USE_SSL_FAILED)
		pb_err_hint(err, "the server offers no STARTTLS: use smtps:// (port 465) or a server that "
				 "encrypts; paperboy sends in clear only to this machine");
	else if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE)
		pb_err_hint(err, "the server's TLS certificate could not be verified: check the host name "
				 "in [mail] url");
	else if (code == 550 || code == 551 || code == 553 || code == 501)
		pb_err_hint(err, "the server refused the address %s: check it in [mail] to/to_file",
			    recipient);
	else if (code == 552)
		pb_err_hint(err, "the message is too large for the server");
	else if (code >= 400 && code < 500)
		pb_err_hint(err, "the server is busy or greylisting: the next run retries this recipient");
	else
		pb_err_hint(err, "check [mail] url and the network; the next run retries this recipient");
}

/* One try. Returns the CURLcode; *code is the server's last reply code (0: none). */
static CURLcode send_once(CURL *c, const struct mail_options *o, const char *envelope_from,
			  struct curl_slist *rcpts, struct upload *u, char *errbuf, long *code)
{
	bool local = net_url_is_local(o->url);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, o->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/*
	 * smtp:// must upgrade with STARTTLS, or fail before AUTH: the password never goes
	 * out in clear. Only this machine (tests, a local relay) may be spoken to in clear.
	 */
	curl_easy_setopt(c, CURLOPT_USE_SSL, local ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (local) {
		curl_easy_setopt(c, CURLOPT_PROXY, "");
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	}
	if (o->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->m->data.len);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, u);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, u);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); /* feeds on_debug; it prints nothing */
	if (o->connect_timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	if (o->timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	/* A server that stops answering mid-message fails the try instead of hanging it. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	u->sent = 0;
	u->reply[0] = '\0';
	errbuf[0] = '\0';
	CURLcode cc = curl_easy_perform(c);
	*code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	return cc;
}

int mail_send(const struct mail_options *o, const struct mail_message *m, const struct pb_run *run,
	      struct pb_err *err)
{
	char host[256];
	net_url_host(o->url, host, sizeof(host));
	char *from_addr, *from_name;
	if (!o->from || split_from(o->from, &from_addr, &from_name))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] from is not an address: '%s'",
				  o->from ? o->from : "");
	free(from_name);
	if (!m->recipient || !address_ok(m->recipient, strlen(m->recipient))) {
		free(from_addr);
		return pb_err_set(err, PB_ERR_USAGE, "cannot send to '%s': not an e-mail address",
				  m->recipient ? m->recipient : "");
	}
	/* curl_global_init() is the CLI's job (src/cli/main.c), once per process. */
	CURL *c = curl_easy_init();
	if (!c) {
		free(from_addr);
		return pb_err_set(err, PB_ERR_NET, "cannot start an SMTP client (curl_easy_init failed)");
	}
	char errbuf[CURL_ERROR_SIZE];
	char *envelope_from = xasprintf("<%s>", from_addr);
	char *rcpt = xasprintf("<%s>", m->recipient);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {.m = m, .run = run};
	struct net_retry_policy policy = {.max_tries = o->max_tries > 0 ? o->max_tries : 3,
					  .backoff_base_ms = o->backoff_base_ms > 0 ? o->backoff_base_ms
										    : 2000,
					  .backoff_max_ms = 30000};
	uint32_t rng = net_jitter_seed(&u);
	const struct pb_log *log = run ? run->log : NULL;
	int rc = PB_ERR_NET;
	for (int attempt = 1;; attempt++) {
		if (pb_run_stopped(run)) {
			rc = pb_err_set(err, PB_ERR_STOPPED, "mail to %s interrupted", m->recipient);
			break;
		}
		long code = 0;
		CURLcode cc = send_once(c, o, envelope_from, rcpts, &u, errbuf, &code);
		if (cc == CURLE_OK) {
			rc = 0;
			break;
		}
		if (cc == CURLE_ABORTED_BY_CALLBACK && pb_run_stopped(run)) {
			rc = pb_err_set(err, PB_ERR_STOPPED, "mail to %s via %s interrupted", m->recipient,
					host);
			break;
		}
		/* The server's own words when it refused; libcurl's account of the transport else. */
		char cause[CURL_ERROR_SIZE + 300];
		const char *what = errbuf[0] ? errbuf : curl_easy_strerror(cc);
		if (u.reply[0])
			snprintf(cause, sizeof(cause), "%s (%s)", u.reply, what);
		else if (code)
			snprintf(cause, sizeof(cause), "%s (SMTP %ld)", what, code);
		else
			snprintf(cause, sizeof(cause), "%s", what);
		bool again = transient(cc, code) && attempt < policy.max_tries;
		long wait = again ? net_backoff_ms(&policy, attempt, -1, &rng) : 0;
		if (again && run && run->deadline > 0 && pb_monotonic_s() + wait / 1000.0 >= run->deadline)
			again = false;
		if (!again) {
			pb_err_set(err, PB_ERR_NET, "mail to %s via %s failed: %s%s", m->recipient, host,
				   cause, attempt > 1 ? " (after retries)" : "");
			failure_hint(err, cc, code, m->recipient);
			rc = PB_ERR_NET;
			break;
		}
		int left = policy.max_tries - attempt;
		pb_warn(log, "mail to %s via %s: %s; retrying in %.1f s (%d %s left)", m->recipient, host,
			cause, wait / 1000.0, left, left == 1 ? "try" : "tries");
		if (pb_sleep_ms(run ? run->stop : NULL, wait)) {
			rc = pb_err_set(err, PB_ERR_STOPPED, "mail to %s interrupted", m->recipient);
			break;
		}
	}
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	free(rcpt);
	free(envelope_from);
	free(from_addr);
	return rc;
}
