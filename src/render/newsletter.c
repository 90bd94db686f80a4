/* newsletter.c - Markdown from templates, HTML through cmark. */
#include "core/common.h"

#include "render/newsletter.h"
#include "core/data.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/layout.h"
#include "core/template.h"
#include "core/text.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one piece of raw HTML an edition may contain: the header's logo. */
#define LOGO_HTML                                                                              \
	"<img src=\"https://huggingface.co/datasets/huggingface/brand-assets/resolve/main/"   \
	"hf-logo.png\" width=\"30\"/>"

static const char *template_text(const char *path, struct pb_err *err)
{
	const char *t = data_get(path, NULL);
	if (!t)
		pb_err_set(err, PB_ERR, "template '%s' is missing from this build", path);
	return t;
}

/*
 * The Markdown templates of the edition's language: zh-CN keeps the
 * replaced bot's data/newsletter/NAME.md (tests/golden pins it byte for
 * byte); another language has data/newsletter/<code>/NAME.md.
 */
static const char *edition_template(const struct edition *ed, const char *name, struct pb_err *err)
{
	char *path = layout_lang_is_default(ed->lang)
		? xasprintf("data/newsletter/%s", name)
		: xasprintf("data/newsletter/%s/%s", ed->lang, name);
	const char *t = template_text(path, err);
	free(path);
	return t;
}

static int check_edition(const struct edition *ed, struct pb_err *err)
{
	if (!ed->ui)
		return pb_err_set(err, PB_ERR_USAGE, "edition %s: no UI strings", ed->date);
	const char *code = layout_lang_is_default(ed->lang) ? LAYOUT_DEFAULT_LANG : ed->lang;
	if (strcmp(ui_language(ed->ui)->code, code))
		return pb_err_set(err, PB_ERR_USAGE, "edition %s is %s but its UI strings are %s",
				  ed->date, code, ui_language(ed->ui)->code);
	return 0;
}

static char *escaped(const char *s)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	md_escape_text(&b, s);
	return buf_detach(&b);
}

/* The link from the edition's page to one of its media (the cloud, the chart, the poster, the MP3). */
static char *media_link(const struct edition *ed, enum artefact from, enum artefact kind)
{
	if (!ed->place)
		return layout_link(from, kind, ed->date, ed->lang);
	char *rel = layout_relpath(kind, ed->date, ed->lang);
	char *link = xasprintf("%s%s", ed->place->media, rel);
	free(rel);
	return link;
}

/* The link to another day's edition in this language. */
static char *day_link(const struct edition *ed, const char *date)
{
	if (!ed->place)
		return layout_link(ART_EDITION_HTML, ART_EDITION_HTML, date, ed->lang);
	return xasprintf("%s%s.html", ed->place->days, date);
}

/*
 * A paper's anchor: its arXiv id ("2512.21218"), the same on the edition and
 * on every site page, so a link to a paper survives re-numbering; an id with
 * other characters (never seen from the API), or no paper, falls back to paper-N.
 */
static char *paper_anchor(const struct paper *p, size_t index)
{
	return p && p->id && paper_id_is_safe(p->id) ? xstrdup(p->id) : xasprintf("paper-%zu", index);
}

static int render_paper(struct buf *out, const struct edition *ed, const struct paper *p,
			size_t index, const char *tmpl, struct pb_err *err)
{
	char number[24];
	snprintf(number, sizeof(number), "%zu", index);
	/* Untranslated papers appear in English rather than not at all. */
	char *title_zh = escaped(p->title_zh ? p->title_zh : p->title);
	char *title = escaped(p->title);
	char *abstract = escaped(p->abstract_zh ? p->abstract_zh : p->abstract);
	char *hf_url = xasprintf("https://huggingface.co/papers/%s", p->id);
	char *arxiv_url = xasprintf("https://arxiv.org/abs/%s", p->id);
	struct buf code;
	buf_init(&code, BUF_LIMIT_NONE);
	if (p->github_repo) {
		sb_addf(&code, "**%s** [GitHub](", ui_get(ed->ui, "newsletter.code_label"));
		if (md_append_url(&code, p->github_repo))
			sb_adds(&code, ")\n");
		else
			buf_reset(&code);
	}
	const struct tmpl_var vars[] = {
		{"index", number},     {"title_zh", title_zh},   {"title", title},
		{"abstract", abstract}, {"hf_url", hf_url},       {"arxiv_url", arxiv_url},
		{"code_line", code.data},
	};
	int rc = template_expand(out, tmpl, "data/newsletter/paper.md", vars, PB_ARRAY_LEN(vars), err);
	free(title_zh);
	free(title);
	free(abstract);
	free(hf_url);
	free(arxiv_url);
	buf_release(&code);
	return rc;
}

int newsletter_markdown(const struct edition *ed, struct buf *out, struct pb_err *err)
{
	if (check_edition(ed, err))
		return PB_ERR_USAGE;
	const char *header = edition_template(ed, "header.md", err);
	const char *paper = edition_template(ed, "paper.md", err);
	const char *footer = edition_template(ed, "footer.md", err);
	if (!header || !paper || !footer)
		return PB_ERR;

	char total[24];
	snprintf(total, sizeof(total), "%zu", ed->papers->n);
	char *topics = escaped(ed->hot_topics);
	const struct tmpl_var head_vars[] = {{"date", ed->date}, {"total", total}, {"hot_topics", topics}};
	int rc = template_expand(out, header, "data/newsletter/header.md", head_vars,
				 PB_ARRAY_LEN(head_vars), err);
	free(topics);
	for (size_t i = 0; i < ed->papers->n && !rc; i++)
		rc = render_paper(out, ed, &ed->papers->items[i], i + 1, paper, err);
	if (rc)
		return rc;

	struct buf channels;
	buf_init(&channels, BUF_LIMIT_NONE);
	/* The 订阅渠道 section only when there is a channel: no heading over an empty list. */
	if (ed->n_channels) {
		sb_adds(&channels, "\n\n");
		sb_adds(&channels, ui_get(ed->ui, "newsletter.channels_heading"));
	}
	for (size_t i = 0; i < ed->n_channels; i++) {
		const struct pb_channel *ch = &ed->channels[i];
		sb_addc(&channels, '\n');
		sb_adds(&channels, "- ");
		md_escape_text(&channels, ch->label);
		sb_adds(&channels, ": [");
		md_escape_text(&channels, ch->text);
		sb_adds(&channels, "](");
		if (!md_append_url(&channels, ch->url))
			sb_adds(&channels, "#");
		sb_addc(&channels, ')');
	}
	char *wordcloud = media_link(ed, ART_EDITION_MD, ART_WORDCLOUD);
	char *chart = media_link(ed, ART_EDITION_MD, ART_CHART);
	/* Without a broadcast the line says so, rather than linking a file that is not there.
	 * The broadcast is one per day: every language links the same MP3. */
	char *audio_href = media_link(ed, ART_EDITION_MD, ART_AUDIO);
	char *audio = ed->has_audio
		? xasprintf("- [%s](%s)", ui_get(ed->ui, "newsletter.audio_link"), audio_href)
		: xasprintf("- %s", ui_get(ed->ui, "newsletter.no_audio"));
	free(audio_href);
	const struct tmpl_var foot_vars[] = {
		{"wordcloud", wordcloud}, {"chart", chart}, {"audio_line", audio}, {"channels", channels.data}};
	rc = template_expand(out, footer, "data/newsletter/footer.md", foot_vars,
			     PB_ARRAY_LEN(foot_vars), err);
	free(wordcloud);
	free(chart);
	free(audio);
	buf_release(&channels);
	return rc;
}

/* http(s), or a relative link of our own: no scheme (nothing before a ':' ), not "//host". */
static bool link_is_allowed(const char *url)
{
	if (!url)
		return false;
	if (url_is_http(url))
		return true;
	size_t scheme_end = strcspn(url, ":/?#");
	return url[scheme_end] != ':' && strncmp(url, "//", 2) && url[0] != '/';
}

/* A UI string with {{date}} / {{count}} filled, HTML-escaped. */
static char *ui_html(const struct edition *ed, const char *key, const char *name, const char *value)
{
	const struct tmpl_var vars[] = {{name ? name : "date", value ? value : ""}};
	char *text = ui_format(ed->ui, key, vars, name ? 1 : 0);
	char *html = html_escaped(text);
	free(text);
	return html;
}

/*
 * The logo on the page: data/newsletter/logo.svg inline, labelled, so the
 * page loads nothing from another host (the Markdown keeps the old bot's
 * hot-linked <img>).
 */
static char *logo_inline(const struct edition *ed, const char *svg)
{
	const char *open_end = strchr(svg, '>');
	if (strncmp(svg, "<svg ", 5) || !open_end)
		return xstrdup("");
	char *alt = html_escaped(ui_get(ed->ui, "newsletter.logo_alt"));
	size_t len = strlen(svg);
	while (len && (svg[len - 1] == '\n' || svg[len - 1] == ' '))
		len--;
	char *html = xasprintf("<svg class=\"logo\" role=\"img\" aria-label=\"%s\" width=\"30\" height=\"30\" "
			       "%.*s<title>%s</title>%.*s",
			       alt, (int)(open_end + 1 - (svg + 5)), svg + 5, alt,
			       (int)(svg + len - (open_end + 1)), open_end + 1);
	free(alt);
	return html;
}

/* The same SVG as the favicon: a data: URI, percent-encoded (so also safe in an attribute). */
static char *favicon_uri(const char *svg)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, "data:image/svg+xml,");
	for (const unsigned char *c = (const unsigned char *)svg; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~/=:;,()", *c))
			sb_addc(&b, (char)*c);
		else if (*c != '\n')
			sb_addf(&b, "%%%02X", *c);
	}
	return buf_detach(&b);
}

/*
 * Defence in depth: the Markdown escapes every outside string already, but
 * the HTML must stay inert even if an escaper had a hole. Raw HTML other
 * than the logo becomes text; links and images with another scheme lose
 * their destination. The logo becomes logo_html.
 */
static void sanitize_tree(cmark_node *root, const char *logo_html)
{
	cmark_iter *iter = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type type = cmark_node_get_type(node);
		if (type == CMARK_NODE_HTML_INLINE || type == CMARK_NODE_HTML_BLOCK) {
			const char *html = cmark_node_get_literal(node);
			if (type == CMARK_NODE_HTML_INLINE && html && !strcmp(html, LOGO_HTML)) {
				cmark_node_set_literal(node, logo_html);
				continue;
			}
			cmark_node *text = cmark_node_new(type == CMARK_NODE_HTML_INLINE
								  ? CMARK_NODE_TEXT
								  : CMARK_NODE_CODE_BLOCK);
			cmark_node_set_literal(text, html ? html : "");
			cmark_node_replace(node, text);
			cmark_node_free(node);
			cmark_iter_reset(iter, text, CMARK_EVENT_EXIT);
		} else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			if (!link_is_allowed(cmark_node_get_url(node)))
				cmark_node_set_url(node, "");
		}
	}
	cmark_iter_free(iter);
}

/* The nodes of one type (and, for headings, one level) in document order. */
struct node_list {
	cmark_node **items;
	size_t n, cap;
};

static void collect(cmark_node *doc, cmark_node_type type, int level, struct node_list *out)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != type)
			continue;
		if (type == CMARK_NODE_HEADING && cmark_node_get_heading_level(node) != level)
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 16;
			out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
		}
		out->items[out->n++] = node;
	}
	cmark_iter_free(iter);
}

/* Replace node by our own raw HTML block (node is freed). */
static cmark_node *replace_by_html(cmark_node *node, const char *html)
{
	cmark_node *block = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(block, html);
	cmark_node_replace(node, block);
	cmark_node_free(node);
	return block;
}

/* The HTML of a node's (sanitised) children. */
static void render_children(struct buf *out, cmark_node *node)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		char *html = cmark_render_html(c, CMARK_OPT_DEFAULT);
		sb_adds(out, html);
		free(html);
	}
}

/*
 * Each paper's heading gets its anchor (paper_anchor), and a
 * table of contents goes before the first: on a long day it starts folded.
 */
#define TOC_OPEN_MAX 12

static void add_table_of_contents(cmark_node *doc, const struct edition *ed)
{
	struct node_list h = {0};
	collect(doc, CMARK_NODE_HEADING, 3, &h);
	if (!h.n) {
		free(h.items);
		return;
	}
	struct buf toc;
	buf_init(&toc, BUF_LIMIT_NONE);
	char count[24];
	snprintf(count, sizeof(count), "%zu", ed->papers->n);
	char *summary = ui_html(ed, "newsletter.toc", "count", count);
	sb_addf(&toc, "<nav class=\"toc\" aria-label=\"%s\">\n<details%s>\n<summary>%s</summary>\n<ul>\n",
		summary, ed->papers->n <= TOC_OPEN_MAX ? " open" : "", summary);
	free(summary);
	for (size_t i = 0; i < ed->papers->n; i++) {
		const struct paper *p = &ed->papers->items[i];
		char *title = html_escaped(p->title_zh ? p->title_zh : p->title);
		char *anchor = paper_anchor(p, i + 1);
		sb_addf(&toc, "<li><a href=\"#%s\"><span class=\"n\">%zu.</span> %s</a></li>\n", anchor,
			i + 1, title);
		free(anchor);
		free(title);
	}
	if (ed->has_poster) {
		char *poster = html_escaped(ui_get(ed->ui, "newsletter.poster_title"));
		sb_addf(&toc, "<li class=\"extra\"><a href=\"#poster\">%s</a></li>\n", poster);
		free(poster);
	}
	sb_adds(&toc, "</ul>\n</details>\n</nav>\n");
	cmark_node *nav = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(nav, toc.data);
	cmark_node_insert_before(h.items[0], nav);
	buf_release(&toc);

	for (size_t i = 0; i < h.n; i++) {
		struct buf html;
		buf_init(&html, BUF_LIMIT_NONE);
		char *anchor = paper_anchor(i < ed->papers->n ? &ed->papers->items[i] : NULL, i + 1);
		sb_addf(&html, "<h3 id=\"%s\">", anchor);
		free(anchor);
		render_children(&html, h.items[i]);
		sb_adds(&html, "</h3>\n");
		replace_by_html(h.items[i], html.data);
		buf_release(&html);
	}
	free(h.items);
}

/*
 * A picture: readable on a phone rather than shrunk to the screen (it
 * scrolls sideways there), and a tap opens the full-size file.
 */
static char *picture_html(const struct edition *ed, const char *cls, const char *src, const char *alt,
			  const char *open_key)
{
	char *s = html_escaped(src), *a = html_escaped(alt);
	char *swipe = html_escaped(ui_get(ed->ui, "newsletter.picture_swipe"));
	char *open = html_escaped(ui_get(ed->ui, open_key));
	char *html = xasprintf("<figure class=\"picture %s\">\n<div class=\"frame\"><a href=\"%s\">"
			       "<img src=\"%s\" alt=\"%s\" /></a></div>\n"
			       "<figcaption><span class=\"swipe\">%s </span><a href=\"%s\">%s</a></figcaption>\n"
			       "</figure>\n",
			       cls, s, s, a, swipe, s, open);
	free(s);
	free(a);
	free(swipe);
	free(open);
	return html;
}

/* Paragraphs that are one picture (the cloud, the chart) become figures. */
static void wrap_pictures(cmark_node *doc, const struct edition *ed)
{
	struct node_list imgs = {0};
	collect(doc, CMARK_NODE_IMAGE, 0, &imgs);
	for (size_t i = 0; i < imgs.n; i++) {
		cmark_node *img = imgs.items[i], *para = cmark_node_parent(img);
		const char *url = cmark_node_get_url(img);
		if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
		    cmark_node_first_child(para) != img || cmark_node_next(img) || !url || !*url)
			continue;
		if (ed->place && ed->place->no_pictures) {
			/* The picture and the heading over it go: no section for a file never drawn. */
			cmark_node *heading = cmark_node_previous(para);
			if (heading && cmark_node_get_type(heading) == CMARK_NODE_HEADING)
				cmark_node_free(heading);
			cmark_node_free(para);
			continue;
		}
		struct buf alt;
		buf_init(&alt, BUF_LIMIT_NONE);
		for (cmark_node *c = cmark_node_first_child(img); c; c = cmark_node_next(c))
			if (cmark_node_get_literal(c))
				sb_adds(&alt, cmark_node_get_literal(c));
		char *html = picture_html(ed, "wide", url, alt.data, "newsletter.picture_open");
		replace_by_html(para, html);
		free(html);
		buf_release(&alt);
	}
	free(imgs.items);
}

/* The poster, the one phone-shaped picture, at the end: to look at, open and save. */
static void add_poster(cmark_node *doc, const struct edition *ed)
{
	char *src = media_link(ed, ART_EDITION_HTML, ART_POSTER);
	char *alt = ui_format(ed->ui, "newsletter.poster_alt", (struct tmpl_var[]){{"date", ed->date}}, 1);
	char *title = html_escaped(ui_get(ed->ui, "newsletter.poster_title"));
	char *figure = picture_html(ed, "poster", src, alt, "newsletter.poster_open");
	char *html = xasprintf("<section class=\"share\" id=\"poster\">\n<h2 class=\"share-title\">%s</h2>\n%s"
			       "</section>\n",
			       title, figure);
	cmark_node *block = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(block, html);
	cmark_node_append_child(doc, block);
	free(src);
	free(alt);
	free(title);
	free(figure);
	free(html);
}

/*
 * On the page the broadcast is a player, in place of the list that links
 * the MP3 (one control for one file; the link stays as the fallback of
 * browsers without <audio>). preload="metadata" shows the duration before
 * play. The URL is built from the date, which was validated, never from input.
 */
static void add_audio_player(cmark_node *doc, const struct edition *ed)
{
	char *href = media_link(ed, ART_EDITION_HTML, ART_AUDIO);
	struct node_list links = {0};
	collect(doc, CMARK_NODE_LINK, 0, &links);
	cmark_node *list = NULL;
	for (size_t i = 0; i < links.n && !list; i++) {
		const char *url = cmark_node_get_url(links.items[i]);
		if (url && !strcmp(url, href))
			for (list = links.items[i]; list && cmark_node_get_type(list) != CMARK_NODE_LIST;)
				list = cmark_node_parent(list);
	}
	free(links.items);
	if (list) {
		char *label = html_escaped(ui_get(ed->ui, "newsletter.audio_link"));
		char *html = xasprintf("<audio class=\"broadcast\" controls preload=\"metadata\" src=\"%s\">"
				       "<a href=\"%s\">%s</a></audio>\n",
				       href, href, label);
		replace_by_html(list, html);
		free(html);
		free(label);
	}
	free(href);
}

/* Links to the previous and next editions in this language, when the archive has them. */
static char *day_nav(const struct edition *ed)
{
	if (!ed->prev_date && !ed->next_date)
		return xstrdup("");
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	char *label = html_escaped(ui_get(ed->ui, "newsletter.days_nav"));
	sb_addf(&b, "<nav class=\"days\" aria-label=\"%s\">", label);
	free(label);
	const char *dates[2] = {ed->prev_date, ed->next_date};
	const char *keys[2] = {"newsletter.prev_day", "newsletter.next_day"};
	const char *rel[2] = {"prev", "next"};
	for (int i = 0; i < 2; i++) {
		if (!dates[i] || !date_is_valid_string(dates[i]))
			continue;
		char *href = day_link(ed, dates[i]);
		char *text = ui_html(ed, keys[i], "date", dates[i]);
		sb_addf(&b, "<a class=\"%s\" rel=\"%s\" href=\"%s\">%s</a>", rel[i], rel[i], href, text);
		free(href);
		free(text);
	}
	sb_adds(&b, "</nav>\n");
	return buf_detach(&b);
}

/* og:image: the poster, absolute under the base URL when one is configured. */
static char *og_image(const struct edition *ed)
{
	if (!ed->has_poster)
		return xstrdup("");
	char *url;
	if (ed->base_url && url_is_http(ed->base_url)) {
		char *rel = layout_relpath(ART_POSTER, ed->date, ed->lang);
		size_t n = strlen(ed->base_url);
		while (n && ed->base_url[n - 1] == '/')
			n--;
		url = xasprintf("%.*s/%s", (int)n, ed->base_url, rel);
		free(rel);
	} else {
		url = media_link(ed, ART_EDITION_HTML, ART_POSTER);
	}
	char *esc = html_escaped(url);
	char *alt = ui_format(ed->ui, "newsletter.poster_alt", (struct tmpl_var[]){{"date", ed->date}}, 1);
	char *alt_esc = html_escaped(alt);
	char *html = xasprintf("<meta property=\"og:image\" content=\"%s\">\n"
			       "<meta property=\"og:image:alt\" content=\"%s\">\n"
			       "<meta name=\"twitter:card\" content=\"summary_large_image\">\n",
			       esc, alt_esc);
	free(url);
	free(esc);
	free(alt);
	free(alt_esc);
	return html;
}

int newsletter_article(const struct edition *ed, const char *markdown, struct buf *out,
		       struct pb_err *err)
{
	if (check_edition(ed, err))
		return PB_ERR_USAGE;
	const char *svg = template_text("data/newsletter/logo.svg", err);
	if (!svg)
		return PB_ERR;
	char *logo = logo_inline(ed, svg);
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
	sanitize_tree(doc, logo);
	/* From here on only our own markup is added; the papers' text stays cmark's. */
	add_table_of_contents(doc, ed);
	wrap_pictures(doc, ed);
	if (ed->has_audio)
		add_audio_player(doc, ed);
	if (ed->has_poster)
		add_poster(doc, ed);
	/* UNSAFE keeps only our own HTML: sanitize_tree removed every other raw HTML. */
	char *body = cmark_render_html(doc, CMARK_OPT_UNSAFE);
	cmark_node_free(doc);
	free(logo);
	char *nav = day_nav(ed);
	sb_adds(out, body);
	sb_adds(out, nav);
	free(nav);
	free(body); /* cmark's default allocator is malloc */
	return 0;
}

int newsletter_html(const struct edition *ed, const char *markdown, struct buf *out,
		    struct pb_err *err)
{
	if (check_edition(ed, err))
		return PB_ERR_USAGE;
	const char *page = template_text("data/newsletter/page.html", err);
	const char *style = template_text("data/newsletter/style.css", err);
	const char *svg = template_text("data/newsletter/logo.svg", err);
	if (!page || !style || !svg)
		return PB_ERR;
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	if (newsletter_article(ed, markdown, &body, err)) {
		buf_release(&body);
		return PB_ERR;
	}
	char count[24];
	snprintf(count, sizeof(count), "%zu", ed->papers->n);
	/* The UI's words are ours, but escaped all the same: a translator may write "&". */
	const struct tmpl_var text_vars[] = {{"date", ed->date}, {"count", count}};
	char *page_title = ui_format(ed->ui, "newsletter.html_title", text_vars, 1);
	char *description = ui_format(ed->ui, "newsletter.html_description", text_vars, 2);
	char *t_esc = html_escaped(page_title);
	char *d_esc = html_escaped(description);
	char *c_esc = html_escaped(ui_get(ed->ui, "newsletter.html_colophon"));
	char *l_esc = html_escaped(ui_language(ed->ui)->html_lang);
	char *favicon = favicon_uri(svg);
	char *image = og_image(ed);
	const struct tmpl_var vars[] = {
		{"lang", l_esc},  {"title", t_esc},         {"description", d_esc},
		{"colophon", c_esc}, {"style", style},      {"body", body.data},
		{"favicon", favicon}, {"og_image", image}};
	int rc = template_expand(out, page, "data/newsletter/page.html", vars, PB_ARRAY_LEN(vars), err);
	free(page_title);
	free(description);
	free(t_esc);
	free(d_esc);
	free(c_esc);
	free(l_esc);
	free(favicon);
	free(image);
	buf_release(&body);
	return rc;
}

char *newsletter_favicon_uri(void)
{
	const char *svg = data_get("data/newsletter/logo.svg", NULL);
	return svg ? favicon_uri(svg) : xstrdup("");
}

char *newsletter_og_image(const struct edition *ed)
{
	return og_image(ed);
}

void newsletter_paths_release(struct newsletter_paths *paths)
{
	free(paths->markdown);
	free(paths->html);
	free(paths->wordcloud);
	free(paths->chart);
	free(paths->poster);
	free(paths->stats);
	memset(paths, 0, sizeof(*paths));
}

int newsletter_write(const struct edition *ed, const char *out_dir, struct newsletter_paths *paths,
		     struct pb_err *err)
{
	struct buf md, html;
	buf_init(&md, BUF_LIMIT_NONE);
	buf_init(&html, BUF_LIMIT_NONE);
	const struct layout lay = {.out_dir = out_dir};
	char *md_path = layout_path(&lay, ART_EDITION_MD, ed->date, ed->lang);
	char *html_path = layout_path(&lay, ART_EDITION_HTML, ed->date, ed->lang);
	int rc = newsletter_markdown(ed, &md, err);
	if (!rc)
		rc = newsletter_html(ed, md.data, &html, err);
	/* Both are rendered before either is written: no half-updated edition. */
	if (!rc)
		rc = fs_write_atomic(md_path, md.data, md.len, err);
	if (!rc)
		rc = fs_write_atomic(html_path, html.data, html.len, err);
	if (!rc && paths) {
		paths->markdown = md_path;
		paths->html = html_path;
		md_path = html_path = NULL;
	}
	free(md_path);
	free(html_path);
	buf_release(&md);
	buf_release(&html);
	return rc;
}
