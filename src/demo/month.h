/*
 * month.h - the month before the demo's day, so `paperboy demo` draws a
 * real trend chart.
 *
 * data/demo/month.json (written by scripts/demo-month.py from real API
 * responses) is {"fetched_empty": [dates], "days": {date: [entries]}}. Each
 * day goes in through the importer as a fetched day would (untranslated);
 * each empty date is recorded as a fetch run that found no papers, exactly
 * what a real fetch of a quiet weekend leaves. Importing twice changes
 * nothing and records nothing twice.
 */
#ifndef PB_DEMO_MONTH_H
#define PB_DEMO_MONTH_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/log.h"
#include "importer/oldbot.h"

int demo_import_month(struct archive *a, const char *json, size_t len, const char *name,
		      struct import_report *rep, const struct pb_log *log, struct pb_err *err);

#endif
