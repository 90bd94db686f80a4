/*
 * script.h - the broadcast's words: an intro, one segment per paper, an
 * outro, made speakable for a Mandarin voice.
 *
 *   欢迎收听Hugging Face 2025年12月26日论文日报。今天为您带来7篇论文解读。
 *   第1篇论文：<title>。<abstract>
 *   …
 *   感谢收听，我们明天再会。
 *
 * Speakable: URLs and Markdown are removed; "14.36%" becomes "百分之14.36",
 * "10-30%" "百分之10到30", "3D" "三维"; hyphens inside model names become
 * spaces ("GPT-4o" -> "GPT 4o", "LLaMA-3" -> "LLaMA 3"); capital acronyms
 * are spelt out ("LLM" -> "L L M"). Pure functions over strings.
 *
 * The script's own words (greeting, "第N篇论文：", closing, 百分之, 三维)
 * come from the UI strings (script.*, date.long); the titles and abstracts
 * are spoken as given.
 */
#ifndef PB_SCRIPT_H
#define PB_SCRIPT_H

#include "core/paper.h"
#include "lang/lang.h"

struct script {
	char **segments;  /* [0] intro, [1..n_papers] papers, [n_papers+1] outro */
	size_t n_segments;
	char **titles;    /* chapter title of each paper (the Chinese title, or English) */
	size_t n_papers;
};

/* Build the script of a day; caller releases it. */
void script_build(const struct ui_strings *ui, const char *date, const struct paper_list *papers,
		  struct script *out);
void script_release(struct script *s);
/* The whole script as one text, segments separated by blank lines; caller frees. */
char *script_text(const struct script *s);

/* Make one piece of text speakable (see above); caller frees. */
char *speakable(const struct ui_strings *ui, const char *text);

#endif
