/*
 * script.h - the broadcast's words: an intro, one segment per paper, an
 * outro, made speakable for a Mandarin voice.
 *
 *   欢迎收听Hugging Face 2025年12月26日论文日报。今天为您带来7篇论文解读。
 *   第1篇论文：<title>。<abstract>
 *   …
 *   感谢收听，我们明天再会。
 *
 * Speakable: Markdown is removed, and in Chinese text a clause that only
 * names a URL goes with it ("代码可在https://…获取。" is not read at all);
 * numbers are words, as a Mandarin reader says them, so no number reaches
 * the English voice: "14.36" 十四点三六, "0.306" 零点三零六, "7.65%"
 * 百分之七点六五, "10-30%" 百分之十到三十, "2025年" 二零二五年, "1,234"
 * 一千二百三十四, "7B" 七十亿, "3×" 三倍, "±0.5" 正负零点五. "3D" is 三维;
 * hyphens inside model names become spaces ("GPT-4o" -> "GPT 四o");
 * capital acronyms are spelt out ("LLM" -> "L L M"). English text (an
 * untranslated paper) keeps its digits for the English voice. Pure
 * functions over strings.
 *
 * Content: brief (the default) reads each paper's title and its
 * 一句话总结 (the abstract's first sentence when it has none); full reads
 * the whole abstract. The closing line never promises 明天 on a Friday or
 * Saturday: the next edition is on Monday.
 *
 * The script's own words (greeting, "第N篇论文：", closing, 百分之, 三维)
 * come from the UI strings (script.*, date.long); the titles and abstracts
 * are spoken as given.
 */
#ifndef PB_SCRIPT_H
#define PB_SCRIPT_H

#include "core/paper.h"
#include "lang/lang.h"

enum script_content {
	SCRIPT_BRIEF, /* title and one-sentence summary */
	SCRIPT_FULL,  /* title and whole abstract */
};

/* "brief" or "full" into *out; false for anything else. */
bool script_content_parse(const char *text, enum script_content *out);

struct script {
	char **segments;  /* [0] intro, [1..n_papers] papers, [n_papers+1] outro */
	size_t n_segments;
	char **titles;    /* chapter title of each paper (the Chinese title, or English) */
	size_t n_papers;
};

/* Build the script of a day; caller releases it. */
void script_build(const struct ui_strings *ui, const char *date, const struct paper_list *papers,
		  enum script_content content, struct script *out);
void script_release(struct script *s);
/* The whole script as one text, segments separated by blank lines; caller frees. */
char *script_text(const struct script *s);

/* Make one piece of text speakable (see above); caller frees. */
char *speakable(const struct ui_strings *ui, const char *text);

#endif
