/* main.c - paperboy's entry point: the command table, help, and version. */
#include "core/common.h"

#include "cli/cli.h"
#include "core/suggest.h"
#include "render/canvas.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>





#define EXIT_CODES                                                                              \
	"Exit status: 0 success, 1 error, 2 usage error, 3 partial result (e.g. papers left\n"  \
	"untranslated), 4 no papers for this date (a quiet weekend, not a failure),\n"          \
	"130 interrupted (answers already received are kept).\n"

static const char fetch_usage[] =
	"usage: paperboy fetch [--date YYYY-MM-DD] [options]\n\n"
	"Fetch a day's Hugging Face Daily Papers, every page of them, into the archive.\n"
	"Fetching a day again merges: papers added later appear, nothing is duplicated,\n"
	"and the order follows the API.\n\n"
	"Options:\n" OPTIONS_HERE "\n"
	"Examples:\n"
	"  paperboy fetch                       today's papers into ./paperboy.db\n"
	"  paperboy fetch --date 2025-12-26 --out ~/newsletter\n\n" EXIT_CODES;

static const char render_usage[] =
	"usage: paperboy render [--date YYYY-MM-DD] [options]\n\n"
	"Write the newsletter for a day already in the archive:\n"
	"  OUT/newsletters/D_daily_paper.md and OUT/newsletters/D_daily_paper.html,\n"
	"and the pictures it shows: OUT/images/D_keywords_wordcloud.png,\n"
	"OUT/images/D_daily_papers.png, the poster OUT/posters/D_poster.png and the\n"
	"day's stats OUT/stats/D_stats.json.\n"
	"Papers without a translation appear in English. Prints the paths written.\n\n"
	"Options:\n" OPTIONS_HERE "\n"
	"Examples:\n"
	"  paperboy render --date 2025-12-26\n"
	"  paperboy render --date 2025-12-26 --lang zh-TW\n"
	"  paperboy render --date 2025-12-26 --config newsletter.ini\n\n" EXIT_CODES;

static const char translate_usage[] =
	"usage: paperboy translate [--date YYYY-MM-DD] [options]\n\n"
	"Translate a day's papers (title, abstract, one-sentence summary) through any\n"
	"OpenAI-compatible chat API, many at a time. Every answer is committed to the\n"
	"archive as it arrives: a rerun asks only for what is missing, and a finished\n"
	"day costs nothing to run again. Answers that are empty, truncated or not\n"
	"Chinese are retried; one that drops a number of the abstract is asked again\n"
	"once, then kept with a warning. Writes OUT/reports/D_run.json.\n\n"
	"Options:\n" OPTIONS_HERE "\n"
	"Examples:\n"
	"  DEEPSEEK_API_KEY=... paperboy translate --date 2025-12-26\n"
	"  paperboy translate --llm-url http://127.0.0.1:11434/v1 --llm-model qwen2.5:14b\n"
	"  paperboy translate --jobs 16 --budget '$0.10'\n\n" EXIT_CODES;


static const char run_usage[] =
	"usage: paperboy run [--date YYYY-MM-DD] [options]\n\n"
	"The daily job: fetch, translate, render, speak, the site when [site] dir\n"
	"(or --site-dir) is set, and send when a [mail] or [push.NAME] channel is.\n"
	"Made for cron and CI: exit status 4 means the day has no papers (weekend or\n"
	"holiday), 3 that the edition went out incomplete (papers in English, no audio,\n"
	"or a delivery failed), anything else non-zero a failure. A failed or partial\n"
	"day is posted to [alerts] push, once. Writes OUT/reports/D_run.json and prints\n"
	"a one-line summary.\n\n"
	"Options:\n" OPTIONS_HERE
	"  --no-translate     an English edition on purpose (no key needed)\n"
	"  --no-audio         skip the audio broadcast\n\n"
	"Examples:\n"
	"  DEEPSEEK_API_KEY=... paperboy run    today's edition in the current directory\n"
	"  paperboy run --lang zh-CN,zh-TW      also the Traditional Chinese edition\n"
	"  paperboy run --no-translate --out site --date 2025-12-26\n"
	"  PAPERBOY_HF_URL=http://127.0.0.1:8080 paperboy run   (a mirror or a test server)\n\n"
	EXIT_CODES;

static const char backfill_usage[] =
	"usage: paperboy backfill --from YYYY-MM-DD --to YYYY-MM-DD [options]\n\n"
	"The daily job for every day of a range, oldest first: fetch, translate,\n"
	"pictures, speak, edition. Days whose stages are all complete (by the archive's\n"
	"records) are skipped, so a backfill that was killed resumes where it stopped\n"
	"and a rerun pays for nothing. Weekends with no papers are normal. Prints a line\n"
	"per day and a table at the end (date, papers, translated, failed, status); the\n"
	"podcast feed and, with [site] dir, the site are written once, at the end.\n"
	"Ctrl-C stops at once (exit 130).\n\n"
	"Options:\n"
	"  --from DATE        the first day (inclusive)\n"
	"  --to DATE          the last day (inclusive)\n" OPTIONS_HERE
	"  --no-translate     English editions on purpose (no key needed)\n"
	"  --no-audio         skip the audio broadcasts\n\n"
	"Examples:\n"
	"  DEEPSEEK_API_KEY=... paperboy backfill --from 2025-12-01 --to 2025-12-31\n"
	"  paperboy backfill --from 2025-11-27 --to 2025-12-26 --no-translate --no-audio\n\n"
	"Exit status: 0 every day done or empty, 1 a day failed, 2 usage error, 3 a day\n"
	"partial (papers in English, or no audio), 130 interrupted (finished days are kept).\n";

static const char import_usage[] =
	"usage: paperboy import DIR [options]\n\n"
	"Import an old hf-daily-paper-newsletter-chinese repository, so its history\n"
	"moves over: DIR/Paper_metadata_download/D.json (API responses) and\n"
	"DIR/HF-day-paper-deepseek/D_HF_deepseek_clean.json (translations).\n"
	"Malformed files are reported by name and skipped (exit status 3); the rest\n"
	"imports. Importing twice changes nothing.\n\n"
	"Options:\n" OPTIONS_HERE "\n"
	"Examples:\n"
	"  git clone https://github.com/2404589803/hf-daily-paper-newsletter-chinese old\n"
	"  paperboy import old --out ~/newsletter\n\n" EXIT_CODES;

static const char demo_usage[] =
	"usage: paperboy demo [--out DIR]\n\n"
	"Run the pipeline offline on a real day shipped with paperboy (2025-12-26,\n"
	"its API response and translations), imported through the same code as\n"
	"'paperboy import'. No network, no key. Default --out: ./paperboy-demo\n\n"
	"Options:\n" OPTIONS_HERE
	"  --no-audio         skip the audio broadcast\n\n"
	"Examples:\n"
	"  paperboy demo --lang zh-CN,zh-TW     both editions of the bundled day\n"
	"  paperboy demo && xdg-open paperboy-demo/newsletters/2025-12-26_daily_paper.html\n\n"
	EXIT_CODES;

static const char speak_usage[] =
	"usage: paperboy speak [--date YYYY-MM-DD] [--script-only] [options]\n\n"
	"The day's audio broadcast: 欢迎收听…, each paper's title and abstract, 感谢收听…,\n"
	"made speakable (numbers, model names and abbreviations read sensibly, URLs\n"
	"dropped) and spoken offline by espeak-ng, or by a neural voice. Writes\n"
	"OUT/audio/D_daily_papers.mp3 (mono MP3, ID3 tags, the poster as cover, one\n"
	"chapter per paper) and, when [feed] base_url is set, OUT/feed/podcast.xml.\n\n"
	"Options:\n" OPTIONS_HERE
	"  --script-only      print the script and stop\n\n"
	"Examples:\n"
	"  paperboy speak --date 2025-12-26 --script-only\n"
	"  paperboy speak --date 2025-12-26\n"
	"  paperboy speak --tts-url https://api.openai.com/v1 --tts-model gpt-4o-mini-tts\n\n"
	EXIT_CODES;

static const char stats_usage[] =
	"usage: paperboy stats [--date YYYY-MM-DD] [--days N] [--top K] [options]\n\n"
	"What the N days up to a date were about, from the archive: research areas by\n"
	"papers and the K most frequent keywords (printed as keyword<TAB>count), written\n"
	"to OUT/stats/D_last_Nd.json with a trend chart OUT/images/D_last_Nd_papers.png.\n\n"
	"Options:\n" OPTIONS_HERE
	"  --days N           the window, ending at --date (default: 30)\n"
	"  --top K            keywords to list (default: 30)\n\n"
	"Examples:\n"
	"  paperboy stats --days 7                this week's keywords\n"
	"  paperboy stats --date 2025-12-31 --days 365 --top 100\n\n" EXIT_CODES;

static const char site_usage[] =
	"usage: paperboy site [--site-dir DIR] [--serve [--port N]] [options]\n\n"
	"Build a static site from the archive, for every language of [edition] languages\n"
	"(zh-CN at the root, zh-TW under zh-TW/): index.html (the latest edition, then\n"
	"the last 14 days), archive.html, days/D.html (each paper at #<arXiv id>),\n"
	"topics/ (one page per research area), search.html with its index, feed.xml\n"
	"(Atom, the last 30 editions), podcast.xml, 404.html, robots.txt, and\n"
	"sitemap.xml when [site] base_url is set; with the pictures, posters and audio\n"
	"the pages show. Links are relative, so the folder works from any base path or\n"
	"from disk. Only files whose bytes change are rewritten. `run` and `backfill`\n"
	"build it too when [site] dir (or --site-dir) is set. Prints the folder; with\n"
	"--serve, then the preview's URL, serving the folder on 127.0.0.1 until Ctrl-C\n"
	"(the search page needs it: a page opened from disk cannot fetch its index).\n\n"
	"Options:\n" OPTIONS_HERE
	"  --serve            then serve it on http://127.0.0.1:PORT/ until Ctrl-C (exit 0)\n\n"
	"Examples:\n"
	"  paperboy site                        OUT/site from ./paperboy.db\n"
	"  paperboy demo && paperboy site --out paperboy-demo --serve\n"
	"  paperboy site --site-dir /var/www/papers --lang zh-CN,zh-TW\n\n"
	"Exit status: 0 success (also a preview ended by Ctrl-C), 1 error (e.g. no\n"
	"archive yet, the port taken), 2 usage error, 130 interrupted before the site\n"
	"was built.\n";

static const char send_usage[] =
	"usage: paperboy send [--date YYYY-MM-DD] [--only NAME,...] [--resend] [--dry-run] [options]\n\n"
	"Deliver a day's edition to every channel of the config: [mail] (SMTP, a text\n"
	"and an HTML part with the pictures) and each [push.NAME] (Feishu/Lark,\n"
	"DingTalk, WeCom, Slack, Discord, Telegram, each in its own format, split when a\n"
	"day does not fit one message). Each message is sent once: the archive records\n"
	"every delivery, a rerun sends only what did not go out, and a channel that\n"
	"fails never stops the others. `run` sends as its last stage when a channel is\n"
	"configured. Prints one line per message (sent, already sent, failed).\n\n"
	"Options:\n" OPTIONS_HERE
	"  --only NAME,...    only these channels ('mail' is the [mail] section)\n"
	"  --resend           send again what was already delivered\n"
	"  --dry-run          print every message as it would go out; send nothing\n\n"
	"Examples:\n"
	"  paperboy send --config newsletter.ini --dry-run\n"
	"  SLACK_WEBHOOK_URL=... paperboy send --config newsletter.ini --only team\n"
	"  paperboy send --date 2025-12-26 --only mail --resend\n\n"
	"Exit status: 0 every message delivered (now or before), 1 error (e.g. no\n"
	"edition for the day), 2 usage error (e.g. a channel's config incomplete),\n"
	"3 a delivery failed (the others went out; a rerun retries it), 130 interrupted.\n";

static const char health_usage[] =
	"usage: paperboy health [--date YYYY-MM-DD] [--days N] [options]\n\n"
	"Is the newsletter still going out? Reads the archive and OUT and prints one\n"
	"line per problem of the N days up to --date (default 7): a weekday never\n"
	"fetched, papers fetched but not translated, a day translated but without its\n"
	"edition, an edition without its broadcast, a channel not delivered, the site\n"
	"older than the newest edition, a failed, partial or killed run not redone, and\n"
	"no new edition for more than [health] max_age_hours weekday hours. With\n"
	"[alerts] push = NAME, new problems go to that chat channel in one message,\n"
	"each problem once, however often health runs.\n\n"
	"Options:\n" OPTIONS_HERE
	"  --days N           the days looked at, ending at --date (default: 7)\n"
	"  --no-audio         broadcasts are not expected\n\n"
	"Examples:\n"
	"  paperboy health --out ~/newsletter\n"
	"  paperboy health --days 30 --config newsletter.ini   (cron: alerts on problems)\n\n"
	"Exit status: 0 healthy, 1 a problem was found (or an error), 2 usage error.\n";

static const char config_usage[] =
	"usage: paperboy config [options]\n\n"
	"Print the settings a command would use, one line per key: section.key = value\n"
	"and where the value came from: flag, env (a PAPERBOY_* variable), file (--config)\n"
	"or default (the shipped paperboy.ini). The LLM key is never printed: only the\n"
	"variable it is read from. Every setting's flag is accepted, to see its effect.\n\n"
	"Options:\n" OPTIONS_HERE "\n"
	"Examples:\n"
	"  paperboy config\n"
	"  paperboy config --config newsletter.ini --jobs 16\n"
	"  PAPERBOY_LLM_URL=http://127.0.0.1:11434/v1 paperboy config\n\n"
	"Exit status: 0 success, 1 error (e.g. a bad config file), 2 usage error.\n";

const struct command commands[] = {
	{"fetch", "fetch a day's papers into the archive", fetch_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_HF_URL | OPT_CONFIG | OPT_NET, 0, 0, NULL, cmd_fetch},
	{"translate", "translate a day's papers through an OpenAI-compatible API", translate_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_LLM, 0, 0, NULL, cmd_translate},
	{"render", "write the newsletter (Markdown + HTML, pictures, poster) for a day", render_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_LANG, 0, 0, NULL, cmd_render},
	{"speak", "the audio broadcast: MP3 with chapters, and the podcast feed", speak_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_SPEAK | OPT_SCRIPT_ONLY, 0, 0, NULL, cmd_speak},
	{"run", "fetch, translate, render, speak: the daily job", run_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_HF_URL | OPT_CONFIG | OPT_NET | OPT_LLM | OPT_NO_TRANSLATE |
	 OPT_SPEAK | OPT_NO_AUDIO | OPT_LANG | OPT_SITE, 0, 0, NULL, cmd_run},
	{"backfill", "the daily job over a range of days, resumable", backfill_usage,
	 OPT_RANGE | OPT_OUT | OPT_DB | OPT_HF_URL | OPT_CONFIG | OPT_NET | OPT_LLM | OPT_NO_TRANSLATE |
	 OPT_SPEAK | OPT_NO_AUDIO | OPT_LANG | OPT_SITE, 0, 0, NULL, cmd_backfill},
	{"import", "import an old hf-daily-paper-newsletter-chinese repository", import_usage,
	 OPT_OUT | OPT_DB | OPT_CONFIG, 1, 1, NULL, cmd_import},
	{"stats", "keywords and research areas over a window of days", stats_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_WINDOW | OPT_DAYS, 0, 0, NULL, cmd_stats},
	{"site", "a static site of every edition: archive, topics, search, feeds", site_usage,
	 OPT_OUT | OPT_DB | OPT_CONFIG | OPT_LANG | OPT_SITE | OPT_SERVE, 0, 0, NULL, cmd_site},
	{"demo", "the whole pipeline offline on a bundled real day", demo_usage,
	 OPT_OUT | OPT_DB | OPT_CONFIG | OPT_SPEAK | OPT_NO_AUDIO | OPT_LANG | OPT_SITE, 0, 0,
	 "paperboy-demo",
	 cmd_demo},
	{"send", "deliver a day's edition by e-mail and to chat channels, once", send_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_NET | OPT_SEND, 0, 0, NULL,
	 cmd_send},
	{"health", "check the last days: missing, partial, undelivered, stale", health_usage,
	 OPT_DATE | OPT_OUT | OPT_DB | OPT_CONFIG | OPT_DAYS | OPT_NO_AUDIO | OPT_LANG, 0, 0, NULL,
	 cmd_health},
	{"config", "print the effective settings and where each came from", config_usage,
	 OPT_OUT | OPT_DB | OPT_HF_URL | OPT_CONFIG | OPT_NET | OPT_LLM | OPT_SPEAK | OPT_LANG |
	 OPT_SITE | OPT_SERVE, 0, 0, NULL, cmd_config},
	{NULL, NULL, NULL, 0, 0, 0, NULL, NULL},
};

static void print_main_help(FILE *f)
{
	fputs("usage: paperboy [--version] [--help] <command> [options]\n\n"
	      "paperboy delivers the Hugging Face Daily Papers as a Chinese newsletter.\n\n"
	      "Commands:\n", f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "  %-9s %s\n", "help", "explain a command: 'paperboy help COMMAND'");
	fputs("\n'paperboy help COMMAND' or 'paperboy COMMAND --help' explains one command.\n\n"
	      "Examples:\n"
	      "  paperboy demo                        see every output, offline, in a few seconds\n"
	      "  paperboy run                         today's edition (Asia/Shanghai day)\n"
	      "  paperboy run --date 2025-12-26 --out ~/newsletter\n\n" EXIT_CODES, f);
}

const char *cli_suggest_command(const char *name)
{
	const char *names[32];
	size_t n = 0;
	for (const struct command *c = commands; c->name && n < PB_ARRAY_LEN(names) - 1; c++)
		names[n++] = c->name;
	names[n++] = "help";
	return suggest_closest(name, names, n);
}

/* "paperboy: 'rnu' is not a command; did you mean 'run'?" */
static void unknown_command(bool after_help, const char *name)
{
	const char *near = cli_suggest_command(name);
	if (after_help)
		fprintf(stderr, "paperboy: no command '%s'", name);
	else
		fprintf(stderr, "paperboy: '%s' is not a command", name);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputc('\n', stderr);
	fprintf(stderr, "hint: see 'paperboy --help' for the commands\n");
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static bool is_global_option(const char *arg)
{
	return !strcmp(arg, "-q") || !strcmp(arg, "--quiet") || !strcmp(arg, "-v") ||
	       !strcmp(arg, "--verbose");
}

int main(int argc, char **argv)
{
	/* -q and -v may come before the command too: "paperboy -v render" is "paperboy render -v". */
	int globals = 0;
	while (1 + globals < argc && is_global_option(argv[1 + globals]))
		globals++;
	if (globals && 1 + globals < argc) {
		char *command = argv[1 + globals];
		memmove(argv + 2, argv + 1, (size_t)globals * sizeof(*argv));
		argv[1] = command;
	}
	if (argc < 2 || argc == 1 + globals) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (name[0] == '-' && strcmp(name, "--version") && strcmp(name, "--help") &&
	    strcmp(name, "-h")) {
		/* "paperboy --date 2025-12-26 render": say where options go. */
		int later = 0;
		for (int i = 2; i < argc && !later; i++)
			if (find_command(argv[i]))
				later = i;
		fprintf(stderr, "paperboy: '%s' is not a command; options go after the command: "
				"paperboy %s", name, later ? argv[later] : "COMMAND");
		for (int i = 1; i < (later ? later : 2); i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
		fprintf(stderr, "hint: see 'paperboy --help' for the commands\n");
		return EXIT_USAGE;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("paperboy %s\n", PAPERBOY_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			print_main_help(stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[2], "help")) {
			print_main_help(stdout);
			return EXIT_OK;
		}
		const struct command *c = find_command(argv[2]);
		if (!c) {
			unknown_command(true, argv[2]);
			return EXIT_USAGE;
		}
		cli_print_usage(c, stdout);
		return EXIT_OK;
	}
	const struct command *cmd = find_command(name);
	if (!cmd) {
		unknown_command(false, name);
		return EXIT_USAGE;
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "paperboy: cannot initialise libcurl\n");
		return EXIT_ERROR;
	}
	struct command_ctx ctx;
	int rc = cli_parse(cmd, argc - 1, argv + 1, &ctx);
	if (rc == -1)
		rc = EXIT_OK;
	else if (rc == EXIT_OK)
		rc = cmd->run(&ctx);
	cli_ctx_release(&ctx);
	curl_global_cleanup();
	canvas_release_fonts();
	/* A full disk can make the last write to stdout fail; say so instead of exiting 0. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "paperboy: cannot write to standard output\n");
		return EXIT_ERROR;
	}
	return rc;
}
