/*
 * newsletter - the edition (render/newsletter.c) from hostile papers: the
 * Markdown and the HTML page of the papers in the input, the first record's
 * twelfth field as the hot topics.
 * Properties: the Markdown re-parses (cmark) to the edition's structure: one
 * H1, one H3 per paper whose text is exactly "N. " and the paper's title as
 * given (nothing in a title can end the heading early, add one or be lost);
 * the HTML page (parsed by libxml2's HTML parser, as a browser would) has no
 * active content: no script, iframe, object, embed, form or base element, no
 * on* attribute, and no link or source to a javascript:, vbscript: or data:
 * URL other than the page's own data:image favicon.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "core/common.h"
#include "lang/lang.h"
#include "render/newsletter.h"

#include <cmark.h>
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define T "newsletter"

static void heading_text(cmark_node *n, struct buf *out)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			sb_adds(out, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			sb_addc(out, '\n');
		else
			heading_text(c, out);
	}
}

static void check_markdown(const char *md, const struct paper_list *papers)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	size_t h1 = 0, h3 = 0;
	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		int level = cmark_node_get_heading_level(n);
		if (level == 1)
			h1++;
		if (level != 3)
			continue;
		FUZZ_CHECK(T, h3 < papers->n, "more paper headings than papers");
		const struct paper *p = &papers->items[h3];
		char *want = xasprintf("%zu. %s", h3 + 1, p->title_zh ? p->title_zh : p->title);
		struct buf got;
		buf_init(&got, BUF_LIMIT_NONE);
		heading_text(n, &got);
		sb_addc(&got, '\0');
		FUZZ_CHECK(T, strcmp(got.data, want) == 0, got.data);
		buf_release(&got);
		free(want);
		h3++;
	}
	FUZZ_CHECK(T, h1 == 1, "the edition's H1");
	FUZZ_CHECK(T, h3 == papers->n, "one H3 per paper");
	cmark_node_free(doc);
}

static bool url_is_active(const char *v)
{
	while (*v && (isspace((unsigned char)*v) || (unsigned char)*v < 0x20))
		v++;
	return !strncasecmp(v, "javascript:", 11) || !strncasecmp(v, "vbscript:", 9) ||
	       !strncasecmp(v, "data:", 5);
}

static void check_node(xmlNode *n)
{
	static const char *const banned[] = {"script", "iframe", "object", "embed", "form",
					     "base", "frame", "frameset", "applet"};
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		for (size_t i = 0; i < sizeof(banned) / sizeof(*banned); i++)
			FUZZ_CHECK(T, strcasecmp(name, banned[i]) != 0, name);
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *attr = (const char *)a->name;
			FUZZ_CHECK(T, strncasecmp(attr, "on", 2) != 0, attr);
			if (strcasecmp(attr, "href") && strcasecmp(attr, "src") &&
			    strcasecmp(attr, "action") && strcasecmp(attr, "formaction") &&
			    strcasecmp(attr, "poster") && strcasecmp(attr, "content"))
				continue;
			xmlChar *v = xmlNodeGetContent((xmlNode *)a);
			const char *value = v ? (const char *)v : "";
			bool favicon = !strcasecmp(name, "link") && !strncmp(value, "data:image/", 11);
			bool meta = !strcasecmp(name, "meta") && !strcasecmp(attr, "content");
			FUZZ_CHECK(T, favicon || (meta ? strncasecmp(value, "javascript:", 11) != 0
						       : !url_is_active(value)),
				   value);
			xmlFree(v);
		}
		check_node(n->children);
	}
}

static void check_html(const char *html, size_t len)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)len, "fuzz.html", "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	FUZZ_CHECK(T, doc != NULL, "the page does not parse");
	check_node(xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_records r = {0};
	fuzz_records_split(data, size, &r);
	struct paper_list papers = {0};
	fuzz_papers(&r, &papers);
	const struct edition ed = {
		.date = "2025-12-26", .ui = fuzz_ui_zh_cn(T), .papers = &papers,
		.hot_topics = fuzz_field(&r, 0, 11), .has_audio = true, .has_poster = true,
		.prev_date = "2025-12-25", .base_url = "https://example.org/daily/",
	};
	struct buf md, html;
	buf_init(&md, BUF_LIMIT_NONE);
	buf_init(&html, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	FUZZ_CHECK(T, newsletter_markdown(&ed, &md, &err) == 0, err.msg);
	sb_addc(&md, '\0');
	check_markdown(md.data, &papers);
	FUZZ_CHECK(T, newsletter_html(&ed, md.data, &html, &err) == 0, err.msg);
	check_html(html.data, html.len);
	buf_release(&md);
	buf_release(&html);
	paper_list_release(&papers);
	fuzz_records_release(&r);
	return 0;
}
