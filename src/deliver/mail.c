/* mail.c - the edition as a MIME message (RFC 5322, 2045-2047, 2369, 8058) over libcurl's SMTP. */
#include "core/common.h"

#include "deliver/mail.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/text.h"
#include "lang/lang.h"
#include "net/http.h"

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
	if (o->unsubscribe && strncmp(o->unsubscribe, "mailto:", 7) && !url_is_http(o->unsubscribe))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] unsubscribe must be a mailto: or https: URL, "
				  "got '%s'", o->unsubscribe);
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

/* ---- the message ------------------------------------------------------------------------- */

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
 * RFC 2047 "B" encoded words of at most 75 characters, each holding whole UTF-8
 * characters, folded one per line: the header name and first word share the first line.
 */
static void add_encoded(struct buf *m, const char *text)
{
	const size_t max_raw = 45; /* 45 bytes -> 60 base64 + 12 of =?UTF-8?B??= = 72 */
	size_t len = strlen(text);
	bool first = true;
	for (size_t i = 0; i < len || first;) {
		size_t n = 0;
		while (i + n < len) {
			size_t step = 1;
			unsigned char c = (unsigned char)text[i + n];
			if (c >= 0xf0)
				step = 4;
			else if (c >= 0xe0)
				step = 3;
			else if (c >= 0xc0)
				step = 2;
			if (n + step > max_raw)
				break;
			n += step;
		}
		if (n == 0 && i < len)
			n = 1; /* invalid UTF-8: one byte at a time rather than never */
		gchar *b64 = g_base64_encode((const guchar *)text + i, n);
		sb_addf(m, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		g_free(b64);
		i += n;
		first = false;
	}
}

/* A header whose value may need RFC 2047 (Subject, a display name). */
static void add_text_header(struct buf *m, const char *name, const char *value)
{
	char *safe = header_safe(value);
	sb_addf(m, "%s: ", name);
	if (is_ascii(safe) && strlen(safe) + strlen(name) < 76)
		sb_adds(m, safe);
	else
		add_encoded(m, safe);
	sb_adds(m, "\r\n");
	free(safe);
}

/* base64 in lines of 76 (RFC 2045). */
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

/* The digest as plain text: what a client without HTML shows, and what filters read. */
static char *text_part(const struct digest *d)
{
	struct buf t;
	buf_init(&t, 0);
	sb_addf(&t, "%s\n\n", d->title);
	char *hot = ui_format(d->ui, "push.hot", (struct tmpl_var[]){{"topics", d->hot_areas}}, 1);
	sb_addf(&t, "%s\n\n", hot);
	free(hot);
	for (size_t i = 0; i < d->n_papers; i++) {
		const struct digest_paper *p = &d->papers[i];
		sb_addf(&t, "%zu. %s\n", i + 1, p->title);
		if (p->summary)
			sb_addf(&t, "   %s\n", p->summary);
		sb_addf(&t, "   %s\n\n", p->url);
	}
	sb_addf(&t, "%s: %s\n", ui_get(d->ui, "push.read"), d->edition_url);
	return buf_detach(&t);
}

struct inline_part {
	char *cid;
	char *path;
	char *name;
};

static const char *image_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return NULL;
	if (!g_ascii_strcasecmp(dot, ".png"))
		return "image/png";
	if (!g_ascii_strcasecmp(dot, ".jpg") || !g_ascii_strcasecmp(dot, ".jpeg"))
		return "image/jpeg";
	if (!g_ascii_strcasecmp(dot, ".gif"))
		return "image/gif";
	return NULL;
}

/*
 * The HTML edition with its links made to work in a mailbox: a picture under OUT
 * ("../images/…") becomes a cid: part, or its URL on the site with a base URL; any
 * other link into OUT goes to the site, or to the day's page.
 */
static char *mail_html(const struct digest *d, const char *html, struct inline_part **parts,
		       size_t *n_parts)
{
	struct buf out;
	buf_init(&out, 0);
	size_t cap = 0, inline_bytes = 0;
	const char *p = html;
	while (*p) {
		/* The attributes that may point into OUT: src, href and og:image's content. */
		static const char *const attrs[] = {"src=\"", "href=\"", "content=\""};
		const char *at = NULL;
		size_t which = 0;
		for (size_t k = 0; k < PB_ARRAY_LEN(attrs); k++) {
			const char *hit = strstr(p, attrs[k]);
			if (hit && (!at || hit < at)) {
				at = hit;
				which = k;
			}
		}
		if (!at) {
			sb_adds(&out, p);
			break;
		}
		bool is_src = which == 0;
		const char *val = at + strlen(attrs[which]);
		const char *end = strchr(val, '"');
		if (!end) {
			sb_adds(&out, p);
			break;
		}
		sb_add(&out, p, (size_t)(val - p));
		size_t len = (size_t)(end - val);
		if (len > 3 && !strncmp(val, "../", 3)) {
			char *rel = xstrndup(val + 3, len - 3);
			char *file = path_join(d->out_dir, rel);
			const char *type = image_type(rel);
			long long size = -1;
			if (type && is_src && !d->site_base_url) {
				struct buf img;
				buf_init(&img, MAIL_MAX_INLINE);
				struct pb_err ignored = PB_ERR_INIT;
				if (fs_read_file(file, &img, &ignored) == 0)
					size = (long long)img.len;
				buf_release(&img);
			}
			if (size >= 0 && inline_bytes + (size_t)size <= MAIL_MAX_INLINE) {
				inline_bytes += (size_t)size;
				const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
				char *cid = NULL;
				for (size_t i = 0; i < *n_parts && !cid; i++)
					if (!strcmp((*parts)[i].path, file))
						cid = (*parts)[i].cid;
				if (!cid) {
					GROW(*parts, cap, *n_parts + 1);
					struct inline_part *ip = &(*parts)[(*n_parts)++];
					ip->cid = xasprintf("part%zu.%s@paperboy", *n_parts, base);
					ip->path = xstrdup(file);
					ip->name = xstrdup(base);
					cid = ip->cid;
				}
				sb_addf(&out, "cid:%s", cid);
			} else if (d->site_base_url) {
				char *url = url_join(d->site_base_url, rel);
				char *esc = html_escaped(url);
				sb_adds(&out, esc);
				free(esc);
				free(url);
			} else {
				char *esc = html_escaped(d->edition_url);
				sb_adds(&out, esc);
				free(esc);
			}
			free(file);
			free(rel);
		} else {
			sb_add(&out, val, len);
		}
		p = end;
	}
	return buf_detach(&out);
}

static void boundary_for(const char *seed, const char *kind, char *out, size_t size)
{
	char hash[PB_SHA256_HEX_LEN + 1];
	sha256_hex(seed, strlen(seed), hash);
	/* "=_" never occurs in base64, and every part is base64: no body line can match. */
	snprintf(out, size, "=_pb_%s_%.24s", kind, hash);
}

int mail_compose(const struct mail_options *o, const struct digest *d, const char *recipient,
		 time_t now, struct mail_message *out, struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	buf_init(&out->data, MAIL_MAX_MESSAGE);
	char *from_addr, *from_name;
	if (split_from(o->from, &from_addr, &from_name))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] from is not an address: '%s'", o->from);
	const char *domain = strchr(from_addr, '@') + 1;
	struct buf html_file;
	buf_init(&html_file, 8u << 20);
	int rc = fs_read_file(d->html_path, &html_file, err);
	if (rc) {
		free(from_addr);
		free(from_name);
		buf_release(&html_file);
		return rc;
	}
	out->recipient = xstrdup(recipient);
	char rhash[PB_SHA256_HEX_LEN + 1];
	sha256_hex(recipient, strlen(recipient), rhash);
	out->message_id = xasprintf("%s.%s.%.16s@%s", d->date, d->lang, rhash, domain);

	struct inline_part *parts = NULL;
	size_t n_parts = 0;
	char *html = mail_html(d, html_file.data, &parts, &n_parts);
	char *text = text_part(d);
	char alt[64], rel[64];
	boundary_for(out->message_id, "alt", alt, sizeof(alt));
	boundary_for(out->message_id, "rel", rel, sizeof(rel));

	struct buf *m = &out->data;
	char date[64];
	rfc5322_date(now, date, sizeof(date));
	if (from_name) {
		char *safe = header_safe(from_name);
		sb_adds(m, "From: ");
		if (is_ascii(safe) && !strpbrk(safe, "\"\\()<>[]:;@,."))
			sb_adds(m, safe);
		else if (is_ascii(safe)) {
			sb_addc(m, '"');
			for (const char *c = safe; *c; c++) {
				if (*c == '"' || *c == '\\')
					sb_addc(m, '\\');
				sb_addc(m, *c);
			}
			sb_addc(m, '"');
		} else {
			add_encoded(m, safe);
		}
		sb_addf(m, " <%s>\r\n", from_addr);
		free(safe);
	} else {
		sb_addf(m, "From: %s\r\n", from_addr);
	}
	sb_addf(m, "To: %s\r\n", recipient);
	add_text_header(m, "Subject", d->title);
	sb_addf(m, "Date: %s\r\n", date);
	sb_addf(m, "Message-ID: <%s>\r\n", out->message_id);
	sb_addf(m, "Content-Language: %s\r\n", d->lang);
	if (o->list_id) {
		char *safe = header_safe(o->list_id);
		sb_addf(m, "List-Id: <%s>\r\n", safe);
		free(safe);
	} else {
		sb_addf(m, "List-Id: <daily-papers.%s>\r\n", domain);
	}
	if (o->unsubscribe) {
		char *safe = header_safe(o->unsubscribe);
		sb_addf(m, "List-Unsubscribe: <%s>\r\n", safe);
		if (!strncmp(safe, "https://", 8))
			sb_adds(m, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
		free(safe);
	}
	sb_adds(m, "Auto-Submitted: auto-generated\r\nPrecedence: bulk\r\nMIME-Version: 1.0\r\n");
	sb_addf(m, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
	sb_adds(m, "This is a multi-part message in MIME format.\r\n");
	sb_addf(m, "\r\n--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n", alt);
	add_base64(m, text, strlen(text));
	sb_addf(m, "\r\n--%s\r\nContent-Type: multipart/related; boundary=\"%s\"; type=\"text/html\"\r\n\r\n",
		alt, rel);
	sb_addf(m, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n", rel);
	add_base64(m, html, strlen(html));
	for (size_t i = 0; i < n_parts && !rc; i++) {
		struct buf img;
		buf_init(&img, MAIL_MAX_INLINE);
		rc = fs_read_file(parts[i].path, &img, err);
		if (!rc) {
			sb_addf(m, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: "
				"base64\r\nContent-ID: <%s>\r\nContent-Disposition: inline; filename=\"%s\"\r\n\r\n",
				rel, image_type(parts[i].path), parts[i].name, parts[i].cid, parts[i].name);
			add_base64(m, img.data, img.len);
		}
		buf_release(&img);
	}
	sb_addf(m, "\r\n--%s--\r\n\r\n--%s--\r\n", rel, alt);
	for (size_t i = 0; i < n_parts; i++) {
		free(parts[i].cid);
		free(parts[i].path);
		free(parts[i].name);
	}
	free(parts);
	free(html);
	free(text);
	free(from_addr);
	free(from_name);
	buf_release(&html_file);
	return rc;
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

static int on_progress(void *userdata, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	const struct upload *u = userdata;
	return pb_run_stopped(u->run) ? 1 : 0;
}

/* "smtp://host:587/…" -> "host" for messages. */
static void host_of(const char *url, char *out, size_t size)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, ":/");
	snprintf(out, size, "%.*s", (int)n, h);
}

int mail_send(const struct mail_options *o, const struct mail_message *m, const struct pb_run *run,
	      struct pb_err *err)
{
	char host[256];
	host_of(o->url, host, sizeof(host));
	char *from_addr, *from_name;
	if (split_from(o->from, &from_addr, &from_name))
		return pb_err_set(err, PB_ERR_USAGE, "[mail] from is not an address: '%s'", o->from);
	CURL *c = curl_easy_init();
	if (!c) {
		free(from_addr);
		free(from_name);
		return pb_err_set(err, PB_ERR_NET, "cannot start an SMTP client (curl_easy_init failed)");
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	char *envelope_from = xasprintf("<%s>", from_addr);
	char *rcpt = xasprintf("<%s>", m->recipient);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {m, 0, run};
	bool local = net_url_is_local(o->url);
	curl_easy_setopt(c, CURLOPT_URL, o->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/* smtp:// must upgrade with STARTTLS, or fail; only this machine may be spoken to in clear. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, local ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	if (local) {
		curl_easy_setopt(c, CURLOPT_PROXY, "");
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	}
	if (o->user)
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
	if (o->password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m->data.len);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &u);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	if (o->connect_timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	if (o->timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	CURLcode cc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	int rc = 0;
	if (cc == CURLE_ABORTED_BY_CALLBACK && pb_run_stopped(run)) {
		rc = pb_err_set(err, PB_ERR_STOPPED, "mail to %s interrupted", m->recipient);
	} else if (cc != CURLE_OK) {
		rc = pb_err_set(err, PB_ERR_NET, "mail to %s via %s failed: %s%s%ld%s", m->recipient, host,
				errbuf[0] ? errbuf : curl_easy_strerror(cc), code ? " (SMTP " : "", code,
				code ? ")" : "");
		if (cc == CURLE_LOGIN_DENIED || code == 535)
			pb_err_hint(err, "the server refused the login: check [mail] user and password");
		else if (cc == CURLE_USE_SSL_FAILED)
			pb_err_hint(err, "the server offers no STARTTLS: use smtps:// (port 465) or a "
					 "server that encrypts; paperboy sends in clear only to this machine");
		else if (code == 550 || code == 553 || cc == CURLE_RECV_ERROR)
			pb_err_hint(err, "the server refused the address %s; check it in [mail] to/to_file",
				    m->recipient);
		else
			pb_err_hint(err, "check [mail] url and the network; the next run retries this "
					 "recipient");
	}
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	free(rcpt);
	free(envelope_from);
	free(from_addr);
	free(from_name);
	return rc;
}
