/* newsletter.c - Markdown from templates, HTML through cmark. */
#include "core/common.h"

#include "render/newsletter.h"
#include "core/data.h"
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
	char *wordcloud = layout_link(ART_EDITION_MD, ART_WORDCLOUD, ed->date, ed->lang);
	char *chart = layout_link(ART_EDITION_MD, ART_CHART, ed->date, ed->lang);
	/* Without a broadcast the line says so, rather than linking a file that is not there.
	 * The broadcast is one per day: every language links the same MP3. */
	char *audio_href = layout_link(ART_EDITION_MD, ART_AUDIO, ed->date, ed->lang);
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

static bool link_is_allowed(const char *url)
{
	return url && (url_is_http(url) || !strncmp(url, "../", 3));
}

/*
 * Defence in depth: the Markdown escapes every outside string already, but
 * the HTML must stay inert even if an escaper had a hole. Raw HTML other
 * than the logo becomes text; links and images with another scheme lose
 * their destination.
 */
static void sanitize_tree(cmark_node *root)
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
			if (type == CMARK_NODE_HTML_INLINE && html && !strcmp(html, LOGO_HTML))
				continue;
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

/*
 * On the page the broadcast is also a player: after the list that links the
 * MP3, an <audio> element of our own (the URL is built from the date, which
 * was validated, never from input), added after sanitizing.
 */
static void add_audio_player(cmark_node *doc, const struct edition *ed)
{
	char *href = layout_link(ART_EDITION_HTML, ART_AUDIO, ed->date, ed->lang);
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_node *list = NULL;
	cmark_event_type ev;
	while (!list && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		const char *url = cmark_node_get_type(node) == CMARK_NODE_LINK ? cmark_node_get_url(node) : NULL;
		if (ev == CMARK_EVENT_ENTER && url && !strcmp(url, href)) {
			for (list = node; list && cmark_node_get_type(list) != CMARK_NODE_LIST;)
				list = cmark_node_parent(list);
		}
	}
	cmark_iter_free(iter);
	if (list) {
		char *html = xasprintf("<audio class=\"broadcast\" controls preload=\"none\" src=\"%s\"></audio>\n",
				       href);
		cmark_node *player = cmark_node_new(CMARK_NODE_HTML_BLOCK);
		cmark_node_set_literal(player, html);
		cmark_node_insert_after(list, player);
		free(html);
	}
	free(href);
}

int newsletter_html(const struct edition *ed, const char *markdown, struct buf *out,
		    struct pb_err *err)
{
	if (check_edition(ed, err))
		return PB_ERR_USAGE;
	const char *page = template_text("data/newsletter/page.html", err);
	const char *style = template_text("data/newsletter/style.css", err);
	if (!page || !style)
		return PB_ERR;
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
	sanitize_tree(doc);
	if (ed->has_audio)
		add_audio_player(doc, ed);
	/* UNSAFE keeps only the logo and the player: sanitize_tree removed every other raw HTML. */
	char *body = cmark_render_html(doc, CMARK_OPT_UNSAFE);
	cmark_node_free(doc);

	struct buf title;
	buf_init(&title, BUF_LIMIT_NONE);
	html_escape(&title, ed->date);
	char count[24];
	snprintf(count, sizeof(count), "%zu", ed->papers->n);
	/* The UI's words are ours, but escaped all the same: a translator may write "&". */
	const struct tmpl_var text_vars[] = {{"date", ed->date}, {"count", count}};
	char *page_title = ui_format(ed->ui, "newsletter.html_title", text_vars, 1);
	char *description = ui_format(ed->ui, "newsletter.html_description", text_vars, 2);
	struct buf t_esc, d_esc, c_esc, l_esc;
	buf_init(&t_esc, BUF_LIMIT_NONE);
	buf_init(&d_esc, BUF_LIMIT_NONE);
	buf_init(&c_esc, BUF_LIMIT_NONE);
	buf_init(&l_esc, BUF_LIMIT_NONE);
	html_escape(&t_esc, page_title);
	html_escape(&d_esc, description);
	html_escape(&c_esc, ui_get(ed->ui, "newsletter.html_colophon"));
	html_escape(&l_esc, ui_language(ed->ui)->html_lang);
	const struct tmpl_var vars[] = {
		{"lang", l_esc.data}, {"title", t_esc.data}, {"description", d_esc.data},
		{"colophon", c_esc.data}, {"style", style}, {"body", body}};
	int rc = template_expand(out, page, "data/newsletter/page.html", vars, PB_ARRAY_LEN(vars), err);
	free(page_title);
	free(description);
	buf_release(&t_esc);
	buf_release(&d_esc);
	buf_release(&c_esc);
	buf_release(&l_esc);
	buf_release(&title);
	free(body); /* cmark's default allocator is malloc */
	return rc;
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
