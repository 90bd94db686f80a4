/* atom.c - the site's Atom feed (RFC 4287). */
#include "core/common.h"

#include "publish/atom.h"
#include "core/hash.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

static void elem(struct buf *out, const char *indent, const char *name, const char *text)
{
	sb_addf(out, "%s<%s>", indent, name);
	xml_escape(out, text);
	sb_addf(out, "</%s>\n", name);
}

static void link_elem(struct buf *out, const char *indent, const char *rel, const char *type,
		      const char *href)
{
	sb_addf(out, "%s<link rel=\"%s\"", indent, rel);
	if (type)
		sb_addf(out, " type=\"%s\"", type);
	sb_adds(out, " href=\"");
	xml_escape(out, href);
	sb_adds(out, "\"/>\n");
}

void atom_render(const struct atom_feed *f, const struct atom_entry *e, size_t n, struct buf *out)
{
	sb_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (f->lang) {
		sb_adds(out, " xml:lang=\"");
		xml_escape(out, f->lang);
		sb_addc(out, '"');
	}
	sb_adds(out, ">\n");
	elem(out, "  ", "id", f->id);
	elem(out, "  ", "title", f->title);
	if (f->subtitle)
		elem(out, "  ", "subtitle", f->subtitle);
	elem(out, "  ", "updated", f->updated);
	link_elem(out, "  ", "self", "application/atom+xml", f->self);
	link_elem(out, "  ", "alternate", "text/html", f->home);
	sb_adds(out, "  <author>\n");
	elem(out, "    ", "name", f->author);
	sb_adds(out, "  </author>\n");
	sb_adds(out, "  <generator>paperboy</generator>\n");
	for (size_t i = 0; i < n; i++) {
		sb_adds(out, "  <entry>\n");
		elem(out, "    ", "id", e[i].id);
		elem(out, "    ", "title", e[i].title);
		elem(out, "    ", "updated", e[i].updated);
		link_elem(out, "    ", "alternate", "text/html", e[i].link);
		if (e[i].summary)
			elem(out, "    ", "summary", e[i].summary);
		sb_adds(out, "    <content type=\"html\"");
		if (e[i].base) {
			sb_adds(out, " xml:base=\"");
			xml_escape(out, e[i].base);
			sb_addc(out, '"');
		}
		sb_adds(out, ">");
		xml_escape(out, e[i].content);
		sb_adds(out, "</content>\n  </entry>\n");
	}
	sb_adds(out, "</feed>\n");
}

char *atom_uuid_urn(const char *name)
{
	char hex[PB_SHA256_HEX_LEN + 1];
	sha256_hex(name, strlen(name), hex);
	hex[12] = '8';                                   /* version 8: custom (RFC 9562 §5.8) */
	hex[16] = "89ab"[strtol((char[]){hex[16], 0}, NULL, 16) & 3]; /* variant 10xx */
	return xasprintf("urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}
