/* signals.c - SIGINT/SIGTERM: the one piece of process-wide mutable state. */
#include "core/common.h"

#include "cli/cli.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Set by the first SIGINT/SIGTERM; every wait in the library looks at it. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	if (stop_signal) {
		/* A second signal: the user means now. Paid answers are already committed as
		 * they arrive, so only those still in flight are lost. */
		static const char msg[] = "\npaperboy: stopped at once (second signal)\n";
		ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)ignored;
		_exit(130);
	}
	stop_signal = sig;
}

void cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

const volatile sig_atomic_t *cli_stop_flag(void)
{
	return &stop_signal;
}
