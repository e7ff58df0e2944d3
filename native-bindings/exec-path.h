/*
 * exec_path(): execvp(), except that a PATH entry the caller may not search
 * (EACCES on the directory, e.g. root's ~/bin in PATH after su/runuser) does
 * not turn "command not found" into "permission denied" as glibc's execvp
 * does. Returns errno for the caller's 127 (ENOENT) / 126 (other) decision.
 * Shared by tspod-nsexec and tspod-init (included, not linked).
 */
#ifndef TSPOD_EXEC_PATH_H
#define TSPOD_EXEC_PATH_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exec_path(char **argv)
{
	const char *path = getenv("PATH");
	if (strchr(argv[0], '/') || !path) {
		execvp(argv[0], argv);
		return errno;
	}
	int err = ENOENT;
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		int len = (int)(end - p);
		char file[PATH_MAX];
		struct stat st;
		/* An empty entry means the current directory. */
		if (snprintf(file, sizeof file, "%.*s%s%s", len, p, len ? "/" : "", argv[0]) < (int)sizeof file) {
			execv(file, argv);
			if (errno != ENOENT && errno != ENOTDIR && stat(file, &st) == 0) err = errno;
		}
		if (!*end) break;
		p = end;
	}
	return err;
}

#endif
