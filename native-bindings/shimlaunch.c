/*
 * tspod-shimlaunch: the shim's first moments, in C, so that the container can
 * start while the Node shim is still starting up.
 *
 *   tspod-shimlaunch -- NODE [NODE-ARGS...]    (run inside tspod's namespace, by tspod-nsexec)
 *
 * The CLI starts this (through tspod-nsexec) before it knows the container.
 * It becomes a child subreaper, makes three pipes (the container's stdin,
 * stdout and stderr), and forks a launcher child; then it execs the Node shim,
 * which inherits the pipes' shim ends on fds 5 (stdout), 6 (stderr) and 7
 * (stdin), the subreaper flag and the launcher child (its pid is in
 * TSPOD_LAUNCHER_PID).
 *
 * The launcher child reads one launch message from fd 4 (the CLI writes it as
 * soon as the OCI bundle is ready, then closes it): NUL-terminated fields
 *
 *   CWD  MOUNT-TARGET  MOUNT-DATA  RUNTIME-ARGV...  ""
 *
 * It mounts the overlay (when MOUNT-TARGET is not empty; relative layer paths
 * in MOUNT-DATA are relative to CWD), then execs the runtime (`runc run
 * --detach ...`) with the pipes as its stdio. When the runtime exits, the
 * container's init is re-parented to the shim, the subreaper. A closed fd 4
 * without a message means "not this way": the child exits 0 and the shim
 * starts the runtime itself.
 *
 * Errors: one line "tspod-shimlaunch: ..." on stderr (the container's stderr
 * pipe, for the child), exit status 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#define LAUNCH_FD 4
#define SHIM_STDOUT_FD 5
#define SHIM_STDERR_FD 6
#define SHIM_STDIN_FD 7
#define MAX_MESSAGE (1 << 20)
#define MAX_ARGS 256

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dprintf(STDERR_FILENO, "tspod-shimlaunch: ");
	vdprintf(STDERR_FILENO, fmt, ap);
	dprintf(STDERR_FILENO, "\n");
	va_end(ap);
	exit(125);
}

/* Read fd until EOF into a buffer (NUL-terminated); the message's length. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	for (;;) {
		if (len == size - 1) die("launch message too long");
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && errno == EBADF && len == 0) return 0; /* started without a launch pipe at all */
		if (n < 0) die("reading the launch message: %s", strerror(errno));
		if (n == 0) break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

static void __attribute__((noreturn)) launcher(const int in[2], const int out[2], const int err[2])
{
	static char msg[MAX_MESSAGE];
	size_t len = read_all(LAUNCH_FD, msg, sizeof msg);
	if (len == 0) _exit(0);

	char *fields[MAX_ARGS + 4];
	int n = 0;
	for (char *p = msg; p < msg + len && n < MAX_ARGS + 3; p += strlen(p) + 1) fields[n++] = p;
	if (n < 4) die("launch message has %d fields", n);
	const char *cwd = fields[0], *target = fields[1], *data = fields[2];
	char **argv = fields + 3;
	fields[n] = NULL;
	for (int i = 3; i < n; i++)
		if (fields[i][0] == '\0') fields[i] = NULL; /* the terminating empty field */

	if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0)
		die("dup2: %s", strerror(errno));
	/* Nothing else of the shim's (its report pipe, fd 3) may leak into the container. */
	close(3);
	close(LAUNCH_FD);
	if (target[0] != '\0') {
		if (chdir(cwd) < 0) die("chdir %s: %s", cwd, strerror(errno));
		/* A mount left by a shim that died would stack under the new one. */
		while (umount2(target, MNT_DETACH) == 0) {}
		if (mount("overlay", target, "overlay", 0, data) < 0) die("mount overlay on %s: %s", target, strerror(errno));
	}
	execv(argv[0], argv);
	die("exec %s: %s", argv[0], strerror(errno));
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && strcmp(argv[i], "--") == 0) i++;
	if (i >= argc) die("usage: tspod-shimlaunch -- NODE [ARGS...]");

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
	int in[2], out[2], err[2];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	/* Out of the way of the fixed numbers the pipes are moved to below. */
	int *ends[] = { &in[0], &in[1], &out[0], &out[1], &err[0], &err[1] };
	for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
		int high = fcntl(*ends[k], F_DUPFD_CLOEXEC, 16);
		if (high < 0) die("fcntl: %s", strerror(errno));
		close(*ends[k]);
		*ends[k] = high;
	}

	pid_t child = fork();
	if (child < 0) die("fork: %s", strerror(errno));
	if (child == 0) launcher(in, out, err);

	/* The shim's ends, on fixed fds that survive exec; the launcher's ends and fd 4 are its alone. */
	close(LAUNCH_FD);
	if (dup2(out[0], SHIM_STDOUT_FD) < 0 || dup2(err[0], SHIM_STDERR_FD) < 0 || dup2(in[1], SHIM_STDIN_FD) < 0)
		die("dup2: %s", strerror(errno));
	close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);

	char pid[24];
	snprintf(pid, sizeof pid, "%d", (int)child);
	if (setenv("TSPOD_LAUNCHER_PID", pid, 1) < 0) die("setenv: %s", strerror(errno));
	execvp(argv[i], argv + i);
	die("exec %s: %s", argv[i], strerror(errno));
}
