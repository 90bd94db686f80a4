/* progress.c - the translation's progress on stderr: one live line on a terminal, else a line per tenth. */
#include "core/common.h"

#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>

void cli_progress_init(struct cli_progress *p, const struct pb_log *log)
{
	p->tty = isatty(STDERR_FILENO) != 0;
	p->last_reported = 0;
	p->log = log;
}

void cli_show_translate_progress(void *userdata, const struct llm_stats *s, size_t cached)
{
	struct cli_progress *p = userdata;
	if (p->log->level < PB_LOG_INFO)
		return;
	size_t finished = s->done + s->failed;
	if (p->tty) {
		fprintf(stderr, "\r\033[Kpaperboy: translating %zu/%zu finished · %zu in flight · %zu retries"
				" · %.1fk tokens%s", finished, s->jobs, s->in_flight, s->retries,
			llm_tokens_add(s->tokens_in, s->tokens_out) / 1000.0, cached ? " · cached before: " : "");
		if (cached)
			fprintf(stderr, "%zu", cached);
		if (finished == s->jobs)
			fputc('\n', stderr);
		fflush(stderr);
		return;
	}
	size_t step = s->jobs >= 10 ? s->jobs / 10 : 1;
	if (finished == s->jobs || finished >= p->last_reported + step) {
		p->last_reported = finished;
		pb_info(p->log, "translation %zu/%zu finished (%zu failed, %zu retries, %lld tokens)",
			finished, s->jobs, s->failed, s->retries, llm_tokens_add(s->tokens_in, s->tokens_out));
	}
}
