/*
 * tspod-init: a minimal init for `tspod run --init` (bind-mounted into the
 * container and run as PID 1; statically linked because the image may have no
 * libc).
 *
 *   tspod-init [--] CMD [ARG...]
 *
 * - runs CMD as a child in its own process group (the terminal's foreground
 *   group when stdin is a tty, so job control and ^C work as in a shell);
 * - forwards the signals a container receives (SIGTERM from `stop`, SIGINT,
 *   SIGHUP, SIGQUIT, SIGUSR1/2, SIGWINCH, SIGCONT, ...) to that process group;
 * - reaps every zombie reparented to it (PID 1's job, which CMD rarely does);
 * - exits with CMD's status, 128+N when CMD was killed by signal N (as a shell
 *   reports it), 127/126 when CMD cannot be found/executed.
 *
 * Outside a PID namespace it makes itself a child subreaper, so it still reaps
 * orphaned descendants.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec-path.h"

/* Signals about the process itself (faults) or the terminal are not forwarded. */
static int not_forwarded(int sig)
{
	switch (sig) {
	case SIGFPE: case SIGILL: case SIGSEGV: case SIGBUS: case SIGABRT: case SIGTRAP: case SIGSYS:
	case SIGTTIN: case SIGTTOU: case SIGKILL: case SIGSTOP:
		return 1;
	}
	return 0;
}

static int exit_code(int status)
{
	if (WIFEXITED(status)) return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
	return 125;
}

int main(int argc, char **argv)
{
	int first = 1;
	if (first < argc && strcmp(argv[first], "--") == 0) first++;
	if (first >= argc) {
		dprintf(STDERR_FILENO, "usage: tspod-init [--] CMD [ARG...]\n");
		return 125;
	}

	sigset_t waited, orig;
	sigemptyset(&waited);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (!not_forwarded(sig)) sigaddset(&waited, sig);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) sigaddset(&waited, sig);
	/* Block them all: they are taken synchronously with sigwaitinfo() below,
	 * so no handler races with fork() or waitpid(). Blocked signals also reach
	 * a PID 1 from inside its namespace (the kernel drops only unblocked ones
	 * whose action is SIG_DFL), so `kill 1` in the container works. */
	sigprocmask(SIG_BLOCK, &waited, &orig);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		dprintf(STDERR_FILENO, "tspod-init: cannot become a subreaper: %s\n", strerror(errno));

	pid_t child = fork();
	if (child < 0) {
		dprintf(STDERR_FILENO, "tspod-init: fork: %s\n", strerror(errno));
		return 125;
	}
	if (child == 0) {
		setpgid(0, 0);
		/* SIGTTOU is still ignored here, so tcsetpgrp() from the background works. */
		if (isatty(STDIN_FILENO)) tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		sigprocmask(SIG_SETMASK, &orig, NULL);
		int err = exec_path(argv + first);
		dprintf(STDERR_FILENO, "tspod-init: exec %s: %s\n", argv[first], strerror(err));
		_exit(err == ENOENT ? 127 : 126);
	}
	setpgid(child, child); /* also here: whichever runs first, the group exists before a signal is forwarded */

	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(&waited, &info);
		if (sig < 0) continue; /* EINTR */
		if (sig != SIGCHLD) {
			/* CMD may have moved itself to another group: then signal it alone. */
			if (kill(-child, sig) < 0 && errno == ESRCH) kill(child, sig);
			continue;
		}
		int status;
		pid_t pid;
		int done = 0, code = 0;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid == child) {
				done = 1;
				code = exit_code(status);
			}
		}
		if (done) return code;
	}
}
