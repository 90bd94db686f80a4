/* hf.c - Hugging Face Daily Papers: parse, validate, page. */
#include "core/common.h"

#include "fetch/hf.h"
#include "core/buf.h"
#include "core/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void hf_skips_release(struct hf_skips *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].id);
		free(s->items[i].reasons);
	}
	for (size_t i = 0; i < s->n_cuts; i++) {
		free(s->cuts[i].id);
		free(s->cuts[i].reasons);
	}
	free(s->items);
	free(s->cuts);
	memset(s, 0, sizeof(*s));
}

void hf_day_release(struct hf_day *day)
{
	paper_list_release(&day->papers);
	hf_skips_release(&day->skips);
	for (size_t i = 0; i < day->n_pages; i++)
		raw_page_release(&day->pages[i]);
	free(day->pages);
	memset(day, 0, sizeof(*day));
}

/* A non-empty string member, or NULL. */
static const char *get_string(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s && *s ? s : NULL;
}

static char *normalized_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *n = text_normalize(s);
	if (!*n) {
		free(n);
		return NULL;
	}
	return n;
}

static long get_long(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

/* Does this string value hold a U+0000 (JSON_ALLOW_NUL lets it through the parser)? */
static bool has_nul(json_t *v)
{
	return json_is_string(v) && json_string_length(v) != strlen(json_string_value(v));
}

/*
 * The largest i in (floor, end] where s[0..i) ends a sentence: '.', '!' or '?' before a
 * space (or the end), or an ideographic full stop or full-width '!' / '?' (no space
 * needed); 0 if there is none. s must have at least end bytes.
 */
static size_t sentence_end_before(const char *s, size_t end, size_t floor)
{
	for (size_t i = end; i > floor; i--) {
		const char *p = s + i;
		if ((p[-1] == '.' || p[-1] == '!' || p[-1] == '?') && (p[0] == ' ' || !p[0]))
			return i;
		if (i >= 3 && (!memcmp(p - 3, "\xe3\x80\x82", 3) || !memcmp(p - 3, "\xef\xbc\x81", 3) ||
			       !memcmp(p - 3, "\xef\xbc\x9f", 3)))
			return i;
	}
	return 0;
}

/*
 * Cut s (valid UTF-8, normalised) to at most limit bytes, in place: at the last sentence
 * end of the second half if sentences and there is one, else between two characters
 * (at a space when one is near) with "…" to show text is missing. Returns the old
 * length, 0 if s was within the limit.
 */
static size_t cut_text(char *s, size_t limit, bool sentences)
{
	size_t len = strlen(s);
	if (len <= limit)
		return 0;
	size_t end = limit - 3; /* room for "…" */
	for (int k = 0; k < 3 && end && ((unsigned char)s[end] & 0xC0) == 0x80; k++)
		end--; /* s[end] is now a character's first byte: cut before it */
	size_t cut = sentences ? sentence_end_before(s, limit, limit / 2) : 0;
	if (cut) {
		s[cut] = '\0';
		return len;
	}
	for (size_t i = end; i > 0 && i + 64 > end; i--) {
		if (s[i - 1] == ' ') {
			end = i - 1;
			break;
		}
	}
	memcpy(s + end, "\xe2\x80\xa6", 4); /* U+2026 and the terminator */
	return len;
}

/*
 * ["Kelvin Li", ...] from [{"name": "Kelvin Li", ...}, ...]; NULL if there is no name.
 * At most HF_MAX_AUTHORS names of at most HF_MAX_AUTHOR_NAME bytes; *cut says whether
 * any were dropped or shortened.
 */
static char *author_names(json_t *authors, bool *cut)
{
	json_t *names = json_array();
	size_t i;
	json_t *a;
	*cut = false;
	json_array_foreach(authors, i, a) {
		const char *name = get_string(a, "name");
		if (!name)
			continue;
		if (json_array_size(names) >= HF_MAX_AUTHORS) {
			*cut = true;
			break;
		}
		char *n = text_normalize(name);
		if (cut_text(n, HF_MAX_AUTHOR_NAME, false))
			*cut = true;
		json_array_append_new(names, json_string(n));
		free(n);
	}
	/* jansson allocates with malloc by default, so callers free() this like our strings. */
	char *out = json_array_size(names) ? json_dumps(names, JSON_COMPACT) : NULL;
	json_decref(names);
	return out;
}

static char *string_array(json_t *arr)
{
	if (!json_is_array(arr) || !json_array_size(arr))
		return NULL;
	json_t *clean = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (json_array_size(clean) >= HF_MAX_KEYWORDS)
			break;
		if (json_is_string(v)) {
			char *n = text_normalize(json_string_value(v));
			/* A keyword is a word or two; a longer one is not one, and is dropped. */
			if (*n && strlen(n) <= HF_MAX_KEYWORD)
				json_array_append_new(clean, json_string(n));
			free(n);
		}
	}
	char *out = json_array_size(clean) ? json_dumps(clean, JSON_COMPACT) : NULL;
	json_decref(clean);
	return out;
}

static char *http_url_or_null(const char *s)
{
	return s && url_is_http(s) ? xstrdup(s) : NULL; /* which also caps it at 2 KB */
}

static void add_reason(struct buf *reasons, const char *reason)
{
	if (reasons->len)
		sb_adds(reasons, "; ");
	sb_adds(reasons, reason);
}

/* What key_nuls_to_marker puts for a \u0000 in a key: U+FFFF, as UTF-8. */
#define KEY_NUL_MARKER "\xEF\xBF\xBF"

/*
 * Where v holds a string with a U+0000 ("paper.authors[2].name"), appended to path;
 * false if nowhere. Such a string would be cut short at the NUL by every C string
 * function after it, so the entry cannot be taken as it is. With key_nuls, a key
 * holding KEY_NUL_MARKER is one that held a U+0000 (see key_nuls_to_marker).
 */
static bool find_nul(json_t *v, struct buf *path, bool key_nuls)
{
	size_t mark = path->len;
	if (has_nul(v))
		return true;
	if (json_is_object(v)) {
		const char *key;
		json_t *member;
		json_object_foreach(v, key, member) {
			const char *nul_at = key_nuls ? strstr(key, KEY_NUL_MARKER) : NULL;
			if (nul_at) {
				/* Named up to the NUL, which is where the server's key ended. */
				sb_addf(path, "%s%.*s (a key)", mark ? "." : "", (int)(nul_at - key), key);
				return true;
			}
			sb_addf(path, "%s%s", mark ? "." : "", key);
			if (find_nul(member, path, key_nuls))
				return true;
			path->len = mark;
			path->data[mark] = '\0';
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *member;
		json_array_foreach(v, i, member) {
			sb_addf(path, "[%zu]", i);
			if (find_nul(member, path, key_nuls))
				return true;
			path->len = mark;
			path->data[mark] = '\0';
		}
	}
	return false;
}

/* Record a cut for the paper id: "title cut from 5000 to 1024 bytes". */
static void note_cut(struct buf *cuts, const char *field, size_t from, const char *now)
{
	if (!from)
		return;
	if (cuts->len)
		sb_adds(cuts, "; ");
	sb_addf(cuts, "%s cut from %zu to %zu bytes", field, from, strlen(now));
}

/*
 * Validate as the old bot did (id, title, summary, authors, publishedAt), then extract.
 * dup_key, if not NULL, says that the entry's text gives a key twice: jansson kept the
 * last value, but which one the server meant is unknown (another parser keeps the
 * first), so the entry is skipped rather than taken with a guessed title or id.
 * key_nuls says that the page's keys had their U+0000 replaced by KEY_NUL_MARKER.
 */
static void parse_entry(json_t *entry, size_t index, const char *dup_key, bool key_nuls,
			struct paper_list *papers, struct hf_skips *skips)
{
	struct buf reasons, where;
	buf_init(&reasons, BUF_LIMIT_NONE);
	buf_init(&where, BUF_LIMIT_NONE);
	json_t *paper = json_object_get(entry, "paper");
	const char *id = NULL;
	bool id_nul = false, authors_cut = false;
	char *title = NULL, *abstract = NULL, *authors = NULL;
	const char *published = get_string(entry, "publishedAt");
	if (dup_key)
		add_reason(&reasons, dup_key);
	if (find_nul(entry, &where, key_nuls)) {
		char *r = xasprintf("a string holds U+0000 (at %s)", where.data);
		add_reason(&reasons, r);
		free(r);
	}
	buf_release(&where);
	if (!json_is_object(paper)) {
		add_reason(&reasons, "no paper object");
	} else {
		id = get_string(paper, "id");
		/* An id cut short at its NUL may be another paper's: never name the skip by it. */
		id_nul = has_nul(json_object_get(paper, "id"));
		title = normalized_or_null(get_string(paper, "title"));
		abstract = normalized_or_null(get_string(paper, "summary"));
		authors = author_names(json_object_get(paper, "authors"), &authors_cut);
		if (!published)
			published = get_string(paper, "publishedAt");
		if (!id_nul && !id)
			add_reason(&reasons, "missing id");
		else if (!id_nul && !paper_id_is_safe(id))
			add_reason(&reasons, "id has characters a paper id cannot have");
		if (!title)
			add_reason(&reasons, "missing title");
		if (!abstract)
			add_reason(&reasons, "missing summary");
		if (!authors)
			add_reason(&reasons, "missing authors");
	}
	if (!published)
		add_reason(&reasons, "missing publishedAt");

	if (reasons.len) {
		GROW(skips->items, skips->cap, skips->n + 1);
		struct hf_skip *s = &skips->items[skips->n++];
		s->id = id && !id_nul && paper_id_is_safe(id) ? xstrdup(id)
							      : xasprintf("entry %zu", index);
		s->reasons = buf_detach(&reasons);
		free(title);
		free(abstract);
		free(authors);
		return;
	}
	buf_release(&reasons);
	if (paper_list_find(papers, id) >= 0) {
		free(title);
		free(abstract);
		free(authors);
		return;
	}
	/* Over-long fields are cut, not the paper dropped; the warning names the paper. */
	struct buf cuts;
	buf_init(&cuts, BUF_LIMIT_NONE);
	note_cut(&cuts, "title", cut_text(title, HF_MAX_TITLE, false), title);
	note_cut(&cuts, "abstract", cut_text(abstract, HF_MAX_ABSTRACT, true), abstract);
	if (authors_cut)
		sb_addf(&cuts, "%sauthor list cut to at most %d names of at most %d bytes",
			cuts.len ? "; " : "", HF_MAX_AUTHORS, HF_MAX_AUTHOR_NAME);
	struct paper *p = paper_list_push(papers);
	p->id = xstrdup(id);
	p->title = title;
	p->abstract = abstract;
	p->authors = authors;
	p->published_at = xstrdup(published);
	p->submitted_on_daily_at = xstrdup_or_null(get_string(paper, "submittedOnDailyAt"));
	p->upvotes = get_long(paper, "upvotes");
	p->num_comments = get_long(entry, "numComments");
	p->github_repo = http_url_or_null(get_string(paper, "githubRepo"));
	p->github_stars = get_long(paper, "githubStars");
	p->project_page = http_url_or_null(get_string(paper, "projectPage"));
	p->ai_summary = normalized_or_null(get_string(paper, "ai_summary"));
	if (p->ai_summary)
		note_cut(&cuts, "AI summary", cut_text(p->ai_summary, HF_MAX_ABSTRACT, true),
			 p->ai_summary);
	p->ai_keywords = string_array(json_object_get(paper, "ai_keywords"));
	json_t *org = json_object_get(paper, "organization");
	if (!json_is_object(org))
		org = json_object_get(entry, "organization");
	const char *org_name = get_string(org, "fullname");
	p->organization = normalized_or_null(org_name ? org_name : get_string(org, "name"));
	if (p->organization)
		note_cut(&cuts, "organization", cut_text(p->organization, HF_MAX_TITLE, false),
			 p->organization);
	if (cuts.len) {
		GROW(skips->cuts, skips->cap_cuts, skips->n_cuts + 1);
		struct hf_skip *c = &skips->cuts[skips->n_cuts++];
		c->id = xstrdup(id);
		c->reasons = buf_detach(&cuts);
	} else {
		buf_release(&cuts);
	}
}

/* Say what a wrong top-level value is, naming the old bot's known breakages. */
static int describe_not_a_list(json_t *root, const char *what, struct pb_err *err)
{
	if (json_is_object(root)) {
		const char *msg = get_string(root, "error");
		if (msg)
			return pb_err_set(err, PB_ERR_PARSE, "'%s' is an error object, not a list of papers: %s",
					  what, msg);
		if (json_object_get(root, "status") && json_object_get(root, "data"))
			return pb_err_set(err, PB_ERR_PARSE,
					  "'%s' is a {status, data} wrapper, not a list of papers "
					  "(the old bot wrote some files this way)", what);
		return pb_err_set(err, PB_ERR_PARSE, "'%s' is a JSON object, not a list of papers", what);
	}
	return pb_err_set(err, PB_ERR_PARSE, "'%s' is not a list of papers", what);
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/*
 * For a body already parsed leniently as a list of n objects: which entries give a key
 * twice? NULL if none (the common case costs one strict parse of the page); else n
 * reasons, NULL for the good entries. jansson only says a page has a duplicate, so each
 * entry's own text is found (parsing one value at a time) and parsed strictly alone.
 * If the entries cannot be told apart (which a body jansson accepted should not allow),
 * every entry is marked rather than one with an ambiguous value taken.
 */
static char **duplicate_keys(const char *body, size_t len, size_t n)
{
	json_error_t jerr;
	json_t *strict = json_loadb(body, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (strict) {
		json_decref(strict);
		return NULL;
	}
	char **dups = xcalloc(n ? n : 1, sizeof(*dups));
	size_t pos = skip_ws(body, len, 0);
	bool lost = pos >= len || body[pos] != '[';
	pos++;
	for (size_t i = 0; i < n && !lost; i++) {
		pos = skip_ws(body, len, pos);
		if (i) {
			if (pos >= len || body[pos] != ',') {
				lost = true;
				break;
			}
			pos = skip_ws(body, len, pos + 1);
		}
		/* With JSON_DISABLE_EOF_CHECK jansson stops after the object's '}' and reports
		 * the bytes it read in position. */
		json_t *one = json_loadb(body + pos, len - pos, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK,
					 &jerr);
		if (!one || jerr.position <= 0 || (size_t)jerr.position > len - pos) {
			json_decref(one);
			lost = true;
			break;
		}
		json_decref(one);
		size_t used = (size_t)jerr.position;
		one = json_loadb(body + pos, used, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
		if (one)
			json_decref(one);
		else
			dups[i] = xasprintf("a key is given twice (%s, line %d, column %d of the entry)",
					    jerr.text, jerr.line, jerr.column);
		pos += used;
	}
	if (lost) {
		for (size_t i = 0; i < n; i++)
			if (!dups[i])
				dups[i] = xstrdup("a key is given twice somewhere on the page, and the "
						  "entry holding it could not be found");
	}
	return dups;
}

/*
 * A copy of body with each \u0000 escape in an object key spelt \uFFFF, or NULL if no
 * key has one. jansson refuses a U+0000 in a key even with JSON_ALLOW_NUL, which made
 * one such key cost the whole day; marked, it costs its entry (find_nul names it).
 * Keys are told from values by the ':' after them; the copy has body's length.
 */
static char *key_nuls_to_marker(const char *body, size_t len)
{
	char *copy = NULL;
	size_t i = 0;
	while (i < len) {
		if (body[i++] != '"')
			continue;
		size_t start = i;  /* the string's first byte */
		bool nul = false;
		while (i < len && body[i] != '"') {
			if (body[i] == '\\' && i + 1 < len) {
				if (body[i + 1] == 'u' && i + 6 <= len && !memcmp(body + i + 2, "0000", 4))
					nul = true;
				i += body[i + 1] == 'u' ? 6 : 2;
			} else {
				i++;
			}
		}
		size_t end = i < len ? i : len;  /* the closing quote */
		i = end + 1;
		if (!nul || skip_ws(body, len, i) >= len || body[skip_ws(body, len, i)] != ':')
			continue;
		if (!copy) {
			copy = xmalloc(len + 1);
			memcpy(copy, body, len);
			copy[len] = '\0';
		}
		for (size_t j = start; j + 6 <= end; j++) {
			if (body[j] != '\\')
				continue;
			if (body[j + 1] == 'u' && !memcmp(body + j + 2, "0000", 4))
				memcpy(copy + j + 2, "FFFF", 4);
			j += body[j + 1] == 'u' ? 5 : 1;
		}
	}
	return copy;
}

int hf_parse_page(const char *body, size_t len, const char *what, struct paper_list *papers,
		  struct hf_skips *skips, size_t *n_entries, struct pb_err *err)
{
	json_error_t jerr;
	/*
	 * Leniently (U+0000 allowed, duplicated keys not refused): either of these in one
	 * entry made the whole page "not valid JSON" and cost the day its edition. Each
	 * entry is checked for them below and skipped alone.
	 */
	json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	char *marked = NULL;
	if (!root && json_error_code(&jerr) == json_error_null_byte_in_key &&
	    (marked = key_nuls_to_marker(body, len))) {
		body = marked;
		root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	}
	if (!root) {
		pb_err_set(err, PB_ERR_PARSE, "'%s' is not valid JSON (line %d, column %d: %s)", what,
			   jerr.line, jerr.column, jerr.text);
		free(marked);
		return PB_ERR_PARSE;
	}
	int rc = 0;
	if (!json_is_array(root)) {
		rc = describe_not_a_list(root, what, err);
		goto out;
	}
	/* Check the shape of the whole list before taking anything from it. */
	size_t i;
	json_t *entry;
	json_array_foreach(root, i, entry) {
		if (json_is_string(entry) && !strncmp(json_string_value(entry), "{'paper'", 8)) {
			rc = pb_err_set(err, PB_ERR_PARSE,
					"'%s' holds Python repr strings, not JSON objects (entry %zu; "
					"the old bot wrote some files this way)", what, i);
			goto out;
		}
		if (!json_is_object(entry)) {
			rc = pb_err_set(err, PB_ERR_PARSE, "'%s': entry %zu is not an object", what, i);
			goto out;
		}
	}
	char **dups = duplicate_keys(body, len, json_array_size(root));
	json_array_foreach(root, i, entry)
		parse_entry(entry, i, dups ? dups[i] : NULL, marked != NULL, papers, skips);
	if (dups) {
		for (i = 0; i < json_array_size(root); i++)
			free(dups[i]);
		free(dups);
	}
	*n_entries = json_array_size(root);
out:
	json_decref(root);
	free(marked);
	return rc;
}

static char *page_url(const char *base_url, const char *date, int page)
{
	size_t n = strlen(base_url);
	while (n && base_url[n - 1] == '/')
		n--;
	return xasprintf("%.*s/api/daily_papers?date=%s&limit=%d&p=%d", (int)n, base_url, date,
			 HF_PAGE_LIMIT, page);
}

int hf_fetch_day(const char *base_url, const struct net_options *http, const char *date,
		 struct hf_day *day, const struct pb_run *run, struct pb_err *err)
{
	const struct pb_log *log = run ? run->log : NULL;
	struct net_client *client = net_client_new(http, err);
	if (!client)
		return PB_ERR_NET;
	int rc = 0;
	size_t total_entries = 0;
	for (int page = 0;; page++) {
		if (page >= HF_MAX_PAGES) {
			rc = pb_err_set(err, PB_ERR_PARSE, "'%s' kept sending full pages for %s (%d pages)",
					base_url, date, page);
			break;
		}
		char *url = page_url(base_url, date, page);
		struct net_response resp;
		net_response_init(&resp, http->max_body);
		pb_debug(log, "GET %s", url);
		rc = net_get(client, url, &resp, run, err);
		day->http_tries += resp.tries;
		if (rc == PB_ERR_NET && resp.status == 0)
			pb_err_hint(err, "check the network, or point --hf-url (env PAPERBOY_HF_URL) at "
					 "a reachable server");
		size_t n_entries = 0;
		if (!rc)
			rc = hf_parse_page(resp.body.data, resp.body.len, url, &day->papers, &day->skips,
					   &n_entries, err);
		if (!rc) {
			GROW(day->pages, day->cap_pages, day->n_pages + 1);
			struct raw_page *raw = &day->pages[day->n_pages++];
			raw->url = url;
			raw->page = page;
			raw->status = resp.status;
			raw->len = resp.body.len;
			raw->body = buf_detach(&resp.body);
			url = NULL;
		}
		free(url);
		net_response_release(&resp);
		if (rc)
			break;
		total_entries += n_entries;
		pb_debug(log, "page %d of %s: %zu entries", page, date, n_entries);
		if (n_entries < HF_PAGE_LIMIT)
			break;
	}
	net_client_free(client);
	if (rc)
		return rc;
	for (size_t i = 0; i < day->skips.n; i++)
		pb_warn(log, "skipped paper %s: %s", day->skips.items[i].id, day->skips.items[i].reasons);
	for (size_t i = 0; i < day->skips.n_cuts; i++)
		pb_warn(log, "paper %s: %s", day->skips.cuts[i].id, day->skips.cuts[i].reasons);
	if (total_entries == 0) {
		pb_err_set(err, PB_ERR_NO_PAPERS, "Hugging Face lists no papers for %s", date);
		return PB_ERR_NO_PAPERS;
	}
	if (day->papers.n == 0)
		return pb_err_set(err, PB_ERR_PARSE, "all %zu entries for %s failed validation",
				  total_entries, date);
	return 0;
}
