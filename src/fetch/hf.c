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
	free(s->items);
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

/* ["Kelvin Li", ...] from [{"name": "Kelvin Li", ...}, ...]; NULL if there is no name. */
static char *author_names(json_t *authors)
{
	json_t *names = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(authors, i, a) {
		const char *name = get_string(a, "name");
		if (name) {
			char *n = text_normalize(name);
			json_array_append_new(names, json_string(n));
			free(n);
		}
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
		if (json_is_string(v)) {
			char *n = text_normalize(json_string_value(v));
			if (*n)
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
	return s && url_is_http(s) ? xstrdup(s) : NULL;
}

static void add_reason(struct buf *reasons, const char *reason)
{
	if (reasons->len)
		sb_adds(reasons, "; ");
	sb_adds(reasons, reason);
}

/* Validate as the old bot did (id, title, summary, authors, publishedAt), then extract. */
static void parse_entry(json_t *entry, size_t index, struct paper_list *papers,
			struct hf_skips *skips)
{
	struct buf reasons;
	buf_init(&reasons, BUF_LIMIT_NONE);
	json_t *paper = json_object_get(entry, "paper");
	const char *id = NULL;
	char *title = NULL, *abstract = NULL, *authors = NULL;
	const char *published = get_string(entry, "publishedAt");
	if (!json_is_object(paper)) {
		add_reason(&reasons, "no paper object");
	} else {
		id = get_string(paper, "id");
		title = normalized_or_null(get_string(paper, "title"));
		abstract = normalized_or_null(get_string(paper, "summary"));
		authors = author_names(json_object_get(paper, "authors"));
		if (!published)
			published = get_string(paper, "publishedAt");
		if (!id)
			add_reason(&reasons, "missing id");
		else if (!paper_id_is_safe(id))
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
		s->id = id && paper_id_is_safe(id) ? xstrdup(id) : xasprintf("entry %zu", index);
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
	p->ai_keywords = string_array(json_object_get(paper, "ai_keywords"));
	json_t *org = json_object_get(paper, "organization");
	if (!json_is_object(org))
		org = json_object_get(entry, "organization");
	const char *org_name = get_string(org, "fullname");
	p->organization = normalized_or_null(org_name ? org_name : get_string(org, "name"));
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

int hf_parse_page(const char *body, size_t len, const char *what, struct paper_list *papers,
		  struct hf_skips *skips, size_t *n_entries, struct pb_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		pb_err_set(err, PB_ERR_PARSE, "'%s' is not valid JSON (line %d, column %d: %s)", what,
			   jerr.line, jerr.column, jerr.text);
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
	json_array_foreach(root, i, entry)
		parse_entry(entry, i, papers, skips);
	*n_entries = json_array_size(root);
out:
	json_decref(root);
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
	if (total_entries == 0) {
		pb_err_set(err, PB_ERR_NO_PAPERS, "Hugging Face lists no papers for %s", date);
		return PB_ERR_NO_PAPERS;
	}
	if (day->papers.n == 0)
		return pb_err_set(err, PB_ERR_PARSE, "all %zu entries for %s failed validation",
				  total_entries, date);
	return 0;
}
