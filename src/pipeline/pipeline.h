/*
 * pipeline.h - what a day is: the stages in order, run for one date by one
 * function that every command (run, demo, backfill; later send and health)
 * calls. The order is written down once, in the stage table in day.c:
 *
 *     fetch → translate → pictures → speak → edition → feed → site → send
 *
 * translate, pictures and edition run once per edition (a language); fetch
 * and speak once per day (the zh-TW edition links the day's broadcast);
 * feed and site are archive-wide (site only when a site folder is given). Each stage is a library function with plain inputs
 * (archive, edition, options, run context) that reads what it needs from the
 * archive and records its outcome there (the runs table), so each stage runs
 * once per day and nothing is guessed from files on disk.
 *
 *     struct pipeline_options o;
 *     pipeline_options_init(&o, &cfg);
 *     struct day_report r;
 *     pipeline_run_day(archive, &o, "2025-12-26", &run, &r);
 *     ... r.outcome, r.err, r.written ...
 *     day_report_release(&r);
 *
 * Nothing here prints: progress goes to run->log, results into the report.
 */
#ifndef PB_PIPELINE_H
#define PB_PIPELINE_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "core/run.h"
#include "deliver/send.h"
#include "fetch/fetch.h"
#include "insights/insights.h"
#include "publish/site.h"
#include "render/edition.h"
#include "render/pictures.h"
#include "speak/speak.h"
#include "translate/translate.h"

enum pipeline_stage {
	STAGE_FETCH,
	STAGE_TRANSLATE,
	STAGE_PICTURES,
	STAGE_SPEAK,
	STAGE_EDITION,
	STAGE_FEED,
	STAGE_SITE,
	STAGE_SEND,
	STAGE_COUNT
};

#define STAGE_BIT(s) (1u << (s))
#define STAGES_ALL ((1u << STAGE_COUNT) - 1)
/* What `render` means to users: the pictures and the edition. */
#define STAGES_RENDER (STAGE_BIT(STAGE_PICTURES) | STAGE_BIT(STAGE_EDITION))

/* "fetch", "translate", ... as recorded in the archive's runs table. */
const char *pipeline_stage_name(enum pipeline_stage s);

#define PIPELINE_MAX_LANGS 4

struct pipeline_options {
	const struct pb_config *config;
	const char *api_key;       /* from the environment; never printed */
	const char *key_source;    /* the variable it came from, for messages */
	const char *langs[PIPELINE_MAX_LANGS]; /* the editions; zh-CN first */
	size_t n_langs;
	unsigned stages;           /* STAGE_BIT()s to run */
	bool force;                /* translate again what has a translation */
	bool llm;                  /* the translate stage may ask the LLM (false: --no-translate,
				    * render); the other editions are still converted, at no cost */
	const char *command;       /* "run", "demo", "backfill": names the run report */
	bool write_report;         /* reports/D_run.json */
	const char *site_dir;      /* the site stage builds the static site there; NULL: no site */
	const struct send_options *send; /* the send stage delivers with these; NULL: it does not
				    * run (nor when no channel is configured) */
	pb_getenv_fn *getenv;      /* alerts read their channel's KEY_env variables here */
	bool alert;                /* post a failed or partial day to [alerts] push */
	/* Translation progress (for a TTY display); may be NULL. */
	void (*on_translate_progress)(void *userdata, const struct llm_stats *stats, size_t cached);
	void *progress_userdata;
};

/* Every stage, the config's languages, the report written. */
void pipeline_options_init(struct pipeline_options *o, const struct pb_config *cfg);

/*
 * Parse "zh-CN, zh-TW" into o->langs (zh-CN is always first: the other
 * editions are made from it). PB_ERR_USAGE naming the bad code.
 */
int pipeline_set_langs(struct pipeline_options *o, const char *list, struct pb_err *err);

enum day_outcome {
	DAY_OK,        /* every stage asked for ran */
	DAY_PARTIAL,   /* papers left untranslated, or no broadcast */
	DAY_NO_PAPERS, /* Hugging Face lists none (a weekend): normal */
	DAY_FAILED,    /* a stage failed: r->err says which and why */
	DAY_STOPPED,   /* SIGINT/SIGTERM: what was paid for is kept */
	DAY_SKIPPED    /* backfill: every stage already complete */
};

const char *day_outcome_name(enum day_outcome o); /* "ok", "partial", ... */

struct day_report {
	char date[PB_DATE_LEN + 1];
	enum day_outcome outcome;
	struct pb_err err;              /* why the day failed (DAY_FAILED, or a fatal stop) */
	bool ran[STAGE_COUNT];          /* which stages ran (any language) */
	int failed_stage;               /* the enum pipeline_stage that failed the day; -1: none */
	struct fetch_summary fetch;
	struct translate_report translate; /* the LLM stage (zh-CN) */
	bool translate_partial;
	size_t converted;               /* papers converted into the other languages */
	struct pictures_summary pictures[PIPELINE_MAX_LANGS];
	struct speak_result speak;
	bool speak_failed;
	struct pb_err speak_err;        /* why there is no broadcast */
	struct edition_summary editions[PIPELINE_MAX_LANGS];
	char *feed_path;
	struct site_summary site;       /* the site stage, when it ran */
	struct send_report send;        /* the send stage, when it ran */
	struct pb_err send_err;         /* why not everything was delivered */
	char **written;                 /* every file written, in order (borrowed from the above) */
	size_t n_written, cap_written;
	char summary[512];              /* "2025-12-26: fetched 7 (0 new) · translated …" */
	char *report_path;              /* reports/D_run.json when written */
	double wall_s;
};

void day_report_release(struct day_report *r);

/*
 * Run o->stages for date. Always fills r (r->outcome says how it went;
 * r->err why it failed); returns 0 unless the day failed or was stopped.
 */
int pipeline_run_day(struct archive *a, const struct pipeline_options *o, const char *date,
		     const struct pb_run *run, struct day_report *r);

/*
 * The archive-wide stages of o->stages (the feed, the site) once, e.g. at the
 * end of a backfill or for `paperboy site`: r is filled as for a day with no
 * date (r->feed_path, r->site); caller releases. Returns the first failure.
 */
int pipeline_run_archive_stages(struct archive *a, const struct pipeline_options *o,
				const struct pb_run *run, struct day_report *r, struct pb_err *err);

/*
 * Has every stage of o->stages completed for date, by the archive's
 * records? (A day Hugging Face lists no papers for is complete once fetched.)
 */
int pipeline_day_complete(struct archive *a, const struct pipeline_options *o, const char *date,
			  bool *complete, struct pb_err *err);

/* Has the edition stage ever completed for date (so a new broadcast should re-link it)? */
bool pipeline_edition_recorded(struct archive *a, const char *date);

#endif
