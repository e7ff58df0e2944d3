/*
 * tspod-nsexec: run a command inside the user's shared user+mount namespace.
 *
 *   tspod-nsexec --pause-dir DIR [--uid-map MAP --gid-map MAP] [--no-create] [--] CMD [ARG...]
 *
 *   MAP          'CONTAINER HOST COUNT[,CONTAINER HOST COUNT...]' (as in /proc/PID/uid_map)
 *   --no-create  fail if no pause process is running instead of creating one
 *
 * Model (podman's): one user+mount namespace per user, held open by a tiny
 * "pause" process; every invocation joins it, so mounts and the id map are
 * shared by all of them. Node cannot unshare()/setns() a user namespace (it is
 * multi-threaded), so entry happens here, in a single-threaded program, right
 * before exec: CMD starts inside the namespace as uid 0 / gid 0.
 *
 * Files in DIR:
 *   pause.alive  the pause process holds a POSIX write lock on it for its whole
 *                life. F_GETLK names the holder's pid, so liveness and identity
 *                come from the kernel: no stale state after kill -9, pid reuse or
 *                a reboot (the lock dies with the process).
 *   pause.pid    the pause process's pid, for people and the Node side.
 *   pause.map    the maps it was created with ("uid:MAP\ngid:MAP\n"), so the
 *                Node side can warn when /etc/subuid changed since.
 *   pause.lock   flock()ed by creators: two concurrent first calls end with one
 *                pause process.
 *
 * The maps are written by newuidmap/newgidmap (whose exit status and stderr are
 * checked), or, when a map is only the caller's own id, directly through
 * /proc/PID/{setgroups,uid_map,gid_map} (no setuid helper needed).
 *
 * When the caller already is uid 0 (real root, or already inside the namespace)
 * CMD is executed directly. Supplementary groups are kept (they show up as
 * "nogroup" inside, like podman's), so host group permissions still apply.
 *
 * Errors: one line "tspod-nsexec: ..." on stderr, exit status 125; 126/127 when
 * CMD cannot be executed / is not found (chroot(1) conventions, like podman).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec-path.h"

#define MAX_MAP_LINES 340 /* the kernel's limit for uid_map/gid_map */
#define PAUSE_NAME "tspod-pause"

struct idmap {
	const char *text; /* as given on the command line */
	int n;
	unsigned long entry[MAX_MAP_LINES][3];
};

struct opts {
	const char *dir;
	struct idmap uid, gid;
	int have_uid, have_gid;
	int no_create;
	char **cmd;
};

/* A message from the pause process to its creator; one write() each (< PIPE_BUF). */
struct report {
	int pid;        /* > 0 when the step succeeded */
	char err[256];
};

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* One line, whatever the helpers printed. */
	for (char *p = buf; *p; p++)
		if (*p == '\n') *p = ' ';
	dprintf(STDERR_FILENO, "tspod-nsexec: %s\n", buf);
	exit(125);
}

static void usage(void)
{
	die("usage: tspod-nsexec --pause-dir DIR [--uid-map MAP --gid-map MAP] [--no-create] [--] CMD [ARG...]");
}

static void parse_map(const char *what, const char *text, struct idmap *m)
{
	const char *p = text;
	m->text = text;
	m->n = 0;
	while (*p) {
		char *end;
		if (m->n == MAX_MAP_LINES) die("%s: more than %d ranges", what, MAX_MAP_LINES);
		for (int i = 0; i < 3; i++) {
			while (*p == ' ') p++;
			if (*p < '0' || *p > '9') die("%s: expected 'CONTAINER HOST COUNT[,...]', got '%s'", what, text);
			errno = 0;
			m->entry[m->n][i] = strtoul(p, &end, 10);
			if (errno || m->entry[m->n][i] > UINT_MAX) die("%s: number out of range in '%s'", what, text);
			p = end;
		}
		if (m->entry[m->n][2] == 0) die("%s: empty range in '%s'", what, text);
		m->n++;
		while (*p == ' ') p++;
		if (*p == ',') p++;
		else if (*p) die("%s: expected ',' in '%s'", what, text);
	}
	if (m->n == 0) die("%s: empty map", what);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int i = 1;
	memset(o, 0, sizeof *o);
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) { i++; break; }
		if (a[0] != '-') break;
		if (strcmp(a, "--no-create") == 0) { o->no_create = 1; continue; }
		if (i + 1 >= argc) usage();
		if (strcmp(a, "--pause-dir") == 0) o->dir = argv[++i];
		else if (strcmp(a, "--uid-map") == 0) { parse_map("--uid-map", argv[++i], &o->uid); o->have_uid = 1; }
		else if (strcmp(a, "--gid-map") == 0) { parse_map("--gid-map", argv[++i], &o->gid); o->have_gid = 1; }
		else die("unknown option %s", a);
	}
	if (!o->dir || i >= argc) usage();
	o->cmd = argv + i;
}

static void exec_cmd(char **cmd)
{
	int err = exec_path(cmd);
	dprintf(STDERR_FILENO, "tspod-nsexec: exec %s: %s\n", cmd[0], strerror(err));
	exit(err == ENOENT ? 127 : 126);
}

static void path_in(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) die("path too long: %s/%s", dir, name);
}

static void mkdir_p(const char *dir)
{
	char buf[PATH_MAX];
	if (strlen(dir) >= sizeof buf) die("path too long: %s", dir);
	strcpy(buf, dir);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST) die("mkdir %s: %s", buf, strerror(errno));
			if (c == '\0') break;
			*p = c;
		}
	}
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* pid holding the write lock on pause.alive, 0 if none. */
static pid_t lock_holder(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	if (fcntl(fd, F_GETLK, &fl) < 0) die("fcntl F_GETLK pause.alive: %s", strerror(errno));
	return fl.l_type == F_UNLCK ? 0 : fl.l_pid;
}

/*
 * A pidfd for the live pause process of DIR, or -1. The pid comes from the
 * lock on pause.alive; asking again after pidfd_open() proves the pidfd is that
 * holder and not a process that reused its pid in between.
 */
static int find_pause(const char *dir, pid_t *pid_out)
{
	char path[PATH_MAX];
	path_in(path, sizeof path, dir, "pause.alive");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) return -1;
		die("open %s: %s", path, strerror(errno));
	}
	int pidfd = -1;
	pid_t pid = lock_holder(fd);
	if (pid > 0) {
		pidfd = pidfd_open_(pid);
		if (pidfd < 0 && errno != ESRCH) die("pidfd_open %d: %s", pid, strerror(errno));
		if (pidfd >= 0 && lock_holder(fd) != pid) {
			close(pidfd);
			pidfd = -1;
		}
	}
	close(fd);
	*pid_out = pid;
	return pidfd;
}

/* Older kernels (< 5.8) cannot setns() through a pidfd: use the files in /proc/PID/ns. */
static int setns_by_path(pid_t pid)
{
	static const struct { const char *name; int type; } ns[] = { { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS } };
	for (size_t i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, ns[i].name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) return -1;
		int r = setns(fd, ns[i].type);
		close(fd);
		if (r < 0) return -1;
	}
	return 0;
}

/* Returns 0, or -1 with errno ESRCH when the pause process died meanwhile. */
static int join(int pidfd, pid_t pid)
{
	/* setns(CLONE_NEWNS) moves us to the namespace's root: come back to the
	 * caller's directory afterwards, by path (so mounts made inside count). */
	char cwd[PATH_MAX];
	int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
	int cwdfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	int r = setns(pidfd, CLONE_NEWUSER | CLONE_NEWNS);
	if (r < 0 && errno == EINVAL) r = setns_by_path(pid);
	int err = errno;
	close(pidfd);
	if (r < 0) {
		if (cwdfd >= 0) close(cwdfd);
		if (err == ESRCH || err == ENOENT) { errno = ESRCH; return -1; }
		die("joining the user namespace of pause process %d: %s", pid, strerror(err));
	}
	if (setresgid(0, 0, 0) < 0) die("setresgid(0) in the user namespace: %s", strerror(errno));
	if (setresuid(0, 0, 0) < 0) die("setresuid(0) in the user namespace: %s", strerror(errno));
	if (!(have_cwd && chdir(cwd) == 0) && !(cwdfd >= 0 && fchdir(cwdfd) == 0))
		die("cannot return to the working directory %s inside the user namespace", have_cwd ? cwd : "(unknown)");
	if (cwdfd >= 0) close(cwdfd);
	return 0;
}

static void write_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) die("open %s: %s", path, strerror(errno));
	ssize_t n = write(fd, data, strlen(data));
	if (n < 0) die("write %s: %s", path, strerror(errno));
	close(fd);
}

static int is_own_id(const struct idmap *m, unsigned long id)
{
	return m->n == 1 && m->entry[0][1] == id && m->entry[0][2] == 1;
}

/* Runs newuidmap/newgidmap PID C H N...; dies with its stderr when it fails. */
static void run_idmap_helper(const char *helper, pid_t pid, const struct idmap *m)
{
	char *argv[2 + 3 * MAX_MAP_LINES + 1];
	static char nums[1 + 3 * MAX_MAP_LINES][12];
	int a = 0, k = 0;
	argv[a++] = (char *)helper;
	snprintf(nums[k], sizeof nums[k], "%d", pid);
	argv[a++] = nums[k++];
	for (int i = 0; i < m->n; i++)
		for (int j = 0; j < 3; j++) {
			snprintf(nums[k], sizeof nums[k], "%lu", m->entry[i][j]);
			argv[a++] = nums[k++];
		}
	argv[a] = NULL;

	int errp[2];
	if (pipe2(errp, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
	pid_t child = fork();
	if (child < 0) die("fork: %s", strerror(errno));
	if (child == 0) {
		dup2(errp[1], STDERR_FILENO);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) { dup2(null, STDIN_FILENO); dup2(null, STDOUT_FILENO); }
		execvp(helper, argv);
		dprintf(STDERR_FILENO, "%s", strerror(errno));
		_exit(127);
	}
	close(errp[1]);
	char out[512];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(errp[0], out + len, sizeof out - 1 - len);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) break;
		len += (size_t)n;
		if (len == sizeof out - 1) break;
	}
	out[len] = '\0';
	close(errp[0]);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' ')) out[--len] = '\0';
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR) die("waitpid %s: %s", helper, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		die("%s not found (%s): install the uidmap package", helper, out);
	if (WIFSIGNALED(status))
		die("%s %d %s: killed by signal %d%s%s", helper, pid, m->text, WTERMSIG(status), len ? ": " : "", out);
	die("%s %d %s failed (exit status %d)%s%s", helper, pid, m->text, WEXITSTATUS(status), len ? ": " : "", out);
}

/* Parent side (host namespace): give the new namespace its id maps. */
static void write_maps(pid_t pid, const struct opts *o)
{
	char path[64], buf[64];
	if (is_own_id(&o->uid, getuid())) {
		snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
		snprintf(buf, sizeof buf, "%lu %u 1\n", o->uid.entry[0][0], getuid());
		write_file(path, buf);
	} else {
		run_idmap_helper("newuidmap", pid, &o->uid);
	}
	if (is_own_id(&o->gid, getgid())) {
		/* An unprivileged process may write gid_map only after denying setgroups. */
		snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
		write_file(path, "deny");
		snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
		snprintf(buf, sizeof buf, "%lu %u 1\n", o->gid.entry[0][0], getgid());
		write_file(path, buf);
	} else {
		run_idmap_helper("newgidmap", pid, &o->gid);
	}
}

static void report(int fd, int pid, const char *fmt, ...)
{
	struct report r = { .pid = pid };
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r.err, sizeof r.err, fmt, ap);
		va_end(ap);
	}
	while (write(fd, &r, sizeof r) < 0 && errno == EINTR) {}
}

static int read_report(int fd, struct report *r)
{
	ssize_t n;
	while ((n = read(fd, r, sizeof *r)) < 0 && errno == EINTR) {}
	return n == (ssize_t)sizeof *r ? 0 : -1;
}

/* write(2) to DIR/.NAME.tmp then rename(2): readers never see a partial file. */
static int write_atomic(const char *dir, const char *name, const char *data)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= sizeof tmp) return -1;
	path_in(dst, sizeof dst, dir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) return -1;
	size_t len = strlen(data);
	if (write(fd, data, len) != (ssize_t)len) { close(fd); return -1; }
	if (close(fd) < 0) return -1;
	return rename(tmp, dst);
}

static void close_fds_except(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	unsigned int ranges[3][2] = { { 3, (unsigned)lo - 1 }, { (unsigned)lo + 1, (unsigned)hi - 1 }, { (unsigned)hi + 1, ~0U } };
	for (int i = 0; i < 3; i++) {
		if (ranges[i][0] > ranges[i][1]) continue;
		if (syscall(SYS_close_range, ranges[i][0], ranges[i][1], 0) == 0) continue;
		/* close_range(2) needs Linux 5.9. */
		unsigned int end = ranges[i][1] > 65535 ? 65535 : ranges[i][1];
		for (unsigned int fd = ranges[i][0]; fd <= end; fd++) close((int)fd);
	}
}

/* The pause process: holds the namespaces open, does nothing else. */
static void __attribute__((noreturn)) pause_main(const struct opts *o, int up, int down, char **argv)
{
	/* Detach first: it must not keep the caller's pipes (execa would wait
	 * for their EOF forever), terminal, directory or signal state. */
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	close_fds_except(up, down);
	setsid();

	/* A recognisable name in ps/top (comm and command line), set before
	 * anyone can see pause.pid. The map text lives in argv: copy it first. */
	char *map;
	if (asprintf(&map, "uid:%s\ngid:%s\n", o->uid.text, o->gid.text) < 0) _exit(1);
	prctl(PR_SET_NAME, PAUSE_NAME, 0, 0, 0);
	char *start = argv[0], *end = argv[0];
	for (char **a = argv; *a; a++) end = *a + strlen(*a);
	if ((size_t)(end - start) >= sizeof PAUSE_NAME) {
		memset(start, 0, (size_t)(end - start));
		memcpy(start, PAUSE_NAME, sizeof PAUSE_NAME);
	}
	if (chdir("/") < 0) { report(up, -1, "chdir /: %s", strerror(errno)); _exit(1); }
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		report(up, -1, "unshare(CLONE_NEWUSER|CLONE_NEWNS): %s", strerror(errno));
		_exit(1);
	}
	report(up, getpid(), NULL);
	char go;
	ssize_t n;
	while ((n = read(down, &go, 1)) < 0 && errno == EINTR) {}
	if (n != 1) _exit(1); /* the creator failed and has reported why */

	char path[PATH_MAX];
	path_in(path, sizeof path, o->dir, "pause.alive");
	int alive = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (alive < 0) { report(up, -1, "open %s: %s", path, strerror(errno)); _exit(1); }
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	if (fcntl(alive, F_SETLK, &fl) < 0) { report(up, -1, "lock %s: %s", path, strerror(errno)); _exit(1); }

	if (write_atomic(o->dir, "pause.map", map) < 0) {
		report(up, -1, "write %s/pause.map: %s", o->dir, strerror(errno));
		_exit(1);
	}
	free(map);
	char buf[32];
	snprintf(buf, sizeof buf, "%d\n", getpid());
	if (write_atomic(o->dir, "pause.pid", buf) < 0) { report(up, -1, "write %s/pause.pid: %s", o->dir, strerror(errno)); _exit(1); }

	report(up, getpid(), NULL);
	close(up);
	close(down);

	for (;;) pause();
}

/* Creates the pause process (caller holds pause.lock). */
static void create_pause(const struct opts *o, char **argv)
{
	if (!o->have_uid || !o->have_gid)
		die("no pause process in %s and no --uid-map/--gid-map to create one", o->dir);
	/* With stdin/stdout/stderr closed by the caller, the pipes below would
	 * become fds 0-2, which the pause process replaces with /dev/null. */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0) die("open /dev/null: %s", strerror(errno));
	int up[2], down[2];
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));

	/* Fork twice so the pause process is nobody's child here: CMD (a shell,
	 * Node) must not inherit it and see it as a stray child. */
	pid_t mid = fork();
	if (mid < 0) die("fork: %s", strerror(errno));
	if (mid == 0) {
		pid_t p = fork();
		if (p < 0) { report(up[1], -1, "fork: %s", strerror(errno)); _exit(1); }
		if (p > 0) _exit(0);
		close(up[0]);
		close(down[1]);
		pause_main(o, up[1], down[0], argv);
	}
	close(up[1]);
	close(down[0]);
	int status;
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR) {}

	struct report r;
	if (read_report(up[0], &r) < 0) die("the pause process exited before creating the namespace");
	if (r.pid <= 0) die("creating the pause process: %s", r.err);
	write_maps(r.pid, o); /* dies on failure; the pause process then sees EOF and exits */
	if (write(down[1], "g", 1) != 1) die("signalling the pause process: %s", strerror(errno));
	if (read_report(up[0], &r) < 0) die("the pause process exited while starting");
	if (r.pid <= 0) die("starting the pause process: %s", r.err);
	close(up[0]);
	close(down[1]);
}

int main(int argc, char **argv)
{
	struct opts o;
	parse_args(argc, argv, &o);

	/* Real root (or already inside the namespace): nothing to enter. */
	if (getuid() == 0) exec_cmd(o.cmd);

	char dir[PATH_MAX];
	mkdir_p(o.dir);
	if (!realpath(o.dir, dir)) die("%s: %s", o.dir, strerror(errno));
	o.dir = dir;

	/* Fast path: the pause process exists; no lock, a handful of syscalls. */
	pid_t pid;
	int pidfd = find_pause(dir, &pid);
	if (pidfd >= 0 && join(pidfd, pid) == 0) exec_cmd(o.cmd);
	if (o.no_create) die("no pause process running in %s", dir);

	char lockpath[PATH_MAX];
	path_in(lockpath, sizeof lockpath, dir, "pause.lock");
	int lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0) die("open %s: %s", lockpath, strerror(errno));
	while (flock(lock, LOCK_EX) < 0)
		if (errno != EINTR) die("flock %s: %s", lockpath, strerror(errno));

	/* Another first call may have created it while we waited for the lock. */
	pidfd = find_pause(dir, &pid);
	if (pidfd < 0) {
		create_pause(&o, argv);
		pidfd = find_pause(dir, &pid);
		if (pidfd < 0) die("the new pause process is not running");
	}
	if (join(pidfd, pid) < 0) die("the pause process %d exited before it could be joined", pid);
	close(lock);
	exec_cmd(o.cmd);
}
