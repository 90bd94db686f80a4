/* convert.c - another edition's translations, converted from the zh-CN ones. */
#include "core/common.h"

#include "translate/convert.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "lang/lang.h"

#include <stdlib.h>
#include <string.h>

static int open_converter(const struct day_edition *ed, const char *glossary_path,
			  struct lang_converter **cv, struct pb_err *err)
{
	if (!glossary_path)
		return lang_converter_new(ed->language, cv, err);
	struct buf text;
	buf_init(&text, BUF_LIMIT_FILE);
	int rc = fs_read_file(glossary_path, &text, err);
	if (!rc)
		rc = lang_converter_new_glossary(ed->language, text.data, glossary_path, cv, err);
	buf_release(&text);
	return rc;
}

int convert_day(struct archive *a, const struct day_edition *ed, const char *glossary_path,
		const struct pb_run *run, size_t *converted, struct pb_err *err)
{
	*converted = 0;
	struct paper_list papers = {0};
	struct lang_converter *cv = NULL;
	int rc = archive_load_day(a, ed->date, NULL, &papers, err);
	if (!rc)
		rc = open_converter(ed, glossary_path, &cv, err);
	struct archive_variant *v = xcalloc(papers.n + 1, sizeof(*v));
	char **texts = xcalloc(3 * papers.n + 1, sizeof(*texts));
	size_t n = 0;
	for (size_t i = 0; i < papers.n && !rc; i++) {
		const struct paper *p = &papers.items[i];
		if (!p->translation_id || !p->title_zh)
			continue;
		texts[3 * n] = lang_convert(cv, p->title_zh);
		texts[3 * n + 1] = lang_convert(cv, p->abstract_zh);
		texts[3 * n + 2] = lang_convert(cv, p->summary_zh);
		v[n] = (struct archive_variant){p->translation_id, texts[3 * n], texts[3 * n + 1],
						texts[3 * n + 2]};
		n++;
	}
	/* One transaction: the edition's text is all converted, or none of it changed. */
	if (!rc && n) {
		char *converter = xasprintf("opencc:%s", ed->language->opencc_config);
		rc = archive_put_variants(a, ed->lang, converter, v, n, err);
		free(converter);
	}
	if (!rc) {
		*converted = n;
		pb_info(run->log, "%s: %zu translations converted to %s (%s)", ed->date, n, ed->lang,
			ed->language->name);
	}
	for (size_t i = 0; i < 3 * n; i++)
		free(texts[i]);
	free(texts);
	free(v);
	lang_converter_free(cv);
	paper_list_release(&papers);
	return rc;
}
