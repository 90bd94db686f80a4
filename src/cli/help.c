/* help.c - a command's --help, its options generated from the config key table. */
#include "core/common.h"

#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

unsigned cli_group_opt(const struct config_key *k)
{
	switch (k->group) {
	case CFG_GROUP_NONE: return !strcmp(k->key, "db") ? OPT_DB : OPT_OUT;
	case CFG_GROUP_HF: return OPT_HF_URL;
	case CFG_GROUP_NET: return OPT_NET;
	case CFG_GROUP_LLM: return OPT_LLM;
	case CFG_GROUP_SPEAK: return OPT_SPEAK;
	case CFG_GROUP_LANG: return OPT_LANG;
	case CFG_GROUP_SITE: return OPT_SITE;
	case CFG_GROUP_SERVE: return OPT_SERVE;
	}
	return 0;
}

/* Word-wrap text at 79 columns, the first line starting at column `col`, the rest at 21. */
static void print_wrapped(FILE *f, const char *text, size_t col)
{
	const char *p = text;
	while (*p) {
		size_t room = col < 79 ? 79 - col : 20;
		size_t len = strcspn(p, "\n");
		size_t cut = len;
		if (len > room) {
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = len;
		}
		fprintf(f, "%.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p)
			fputs("                     ", f);
		col = 21;
	}
}

/* One option line: "  --flag ARG         help (default: X; env VAR)". */
static void print_key_option(FILE *f, const struct config_key *k, const struct pb_config *defaults)
{
	char left[40], value[160] = "", text[512];
	snprintf(left, sizeof(left), "--%s %s", k->flag, k->arg ? k->arg : "");
	config_format_value(defaults, k, value, sizeof(value));
	bool shows_default = value[0] && k->type != KEY_BUDGET;
	snprintf(text, sizeof(text), "%s%s%s%s%s%s%s%s", k->help ? k->help : "",
		 shows_default || k->env ? " (" : "", shows_default ? "default: " : "",
		 shows_default ? value : "", shows_default && k->env ? "; " : "", k->env ? "env " : "",
		 k->env ? k->env : "", shows_default || k->env ? ")" : "");
	for (char *c = text; *c; c++)
		if (*c == '\n')
			*c = ' '; /* the wrapping decides where lines end */
	if (strlen(left) > 18)
		fprintf(f, "  %s\n                     ", left);
	else
		fprintf(f, "  %-18s ", left);
	print_wrapped(f, text, 21);
}

/* The options a command takes, generated from the config key table and the CLI's own. */
static void print_options(const struct command *cmd, FILE *f)
{
	struct pb_config defaults;
	config_init(&defaults);
	size_t n;
	const struct config_key *keys = config_keys(&n);
	if (cmd->opts & OPT_DATE)
		fputs("  --date YYYY-MM-DD  the newsletter's day (default: today in Asia/Shanghai, as the\n"
		      "                     edition we replace; Hugging Face lists papers by that day)\n", f);
	if (cmd->opts & OPT_OUT)
		fprintf(f, "  --out DIR          where outputs and the archive go (default: %s)\n",
			cmd->default_out ? cmd->default_out : defaults.out_dir);
	static const enum config_group groups[] = {CFG_GROUP_NONE, CFG_GROUP_HF, CFG_GROUP_NET,
						   CFG_GROUP_LLM, CFG_GROUP_SPEAK, CFG_GROUP_LANG,
						   CFG_GROUP_SITE, CFG_GROUP_SERVE};
	for (size_t g = 0; g < PB_ARRAY_LEN(groups); g++) {
		for (size_t i = 0; i < n; i++) {
			const struct config_key *k = &keys[i];
			if (k->group != groups[g] || !k->flag || !strcmp(k->flag, "out") ||
			    !(cmd->opts & cli_group_opt(k)))
				continue;
			print_key_option(f, k, &defaults);
		}
		if (groups[g] == CFG_GROUP_LLM && (cmd->opts & OPT_LLM))
			fputs("  --force            translate again papers that already have a translation\n",
			      f);
		if (groups[g] == CFG_GROUP_NONE && (cmd->opts & OPT_CONFIG))
			fputs("  --config FILE      INI settings; flags > environment > config > defaults\n"
			      "  -q, --quiet        only errors on stderr\n"
			      "  -v, --verbose      every request and decision on stderr\n"
			      "  -h, --help         this help\n", f);
	}
	config_release(&defaults);
}

void cli_print_usage(const struct command *cmd, FILE *f)
{
	static const char marker[] = OPTIONS_HERE;
	const char *at = strstr(cmd->usage, marker);
	if (!at) {
		fputs(cmd->usage, f);
		return;
	}
	fwrite(cmd->usage, 1, (size_t)(at - cmd->usage), f);
	print_options(cmd, f);
	const char *rest = at + strlen(marker);
	const char *examples = strstr(rest, "\nExamples:");
	if (!(cmd->opts & OPT_LLM) || !examples) {
		fputs(rest, f);
		return;
	}
	/* After the options list (the command's own included), not in its middle. */
	fwrite(rest, 1, (size_t)(examples - rest), f);
	fputs("\nThe LLM key is read from PAPERBOY_LLM_KEY, else DEEPSEEK_API_KEY, else\n"
	      "OPENAI_API_KEY; servers on this machine (Ollama, llama.cpp, vLLM) need none.\n"
	      "It is never printed.\n", f);
	fputs(examples, f);
}

