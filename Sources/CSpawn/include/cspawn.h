#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/*
 * Starts `path` with `argv` and `envp` in a new session (so a new process group led by it), in `directory` (or the
 * current one when NULL), with standard input from `stdin_fd` (or /dev/null when negative) and standard output and
 * error on `stdout_fd` and `stderr_fd`; every other descriptor is closed in the child, every signal has its default
 * action and none is blocked.
 *
 * Returns 0 and sets *pid, or an errno value.
 */
int cspawn_session(const char *path, char *const argv[], char *const envp[], const char *directory, int stdin_fd,
                   int stdout_fd, int stderr_fd, pid_t *pid);

/* pipe2(fds, O_CLOEXEC): a pipe whose ends are not inherited by other children. Returns 0, or -1 with errno set. */
int cspawn_pipe(int fds[2]);

#endif
