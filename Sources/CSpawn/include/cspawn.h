#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/*
 * Starts `path` with `argv` and `envp` in a new session (so a new process group led by it), in `directory` (or the
 * current one when NULL), with standard input from `stdin_fd` (or /dev/null when negative), standard output and
 * error on `stdout_fd` and `stderr_fd`, and `gate_fd` (the child's end from cspawn_gate) as descriptor 3 unless it
 * is negative; every other descriptor is closed in the child, every signal has its default action and none is
 * blocked.
 *
 * Returns 0 and sets *pid, or an errno value.
 */
int cspawn_session(const char *path, char *const argv[], char *const envp[], const char *directory, int stdin_fd,
                   int stdout_fd, int stderr_fd, int gate_fd, pid_t *pid);

/* pipe2(fds, O_CLOEXEC): a pipe whose ends are not inherited by other children. Returns 0, or -1 with errno set. */
int cspawn_pipe(int fds[2]);

/*
 * A gate for a child that waits before running its command: fds[0] stays with runbook, fds[1] goes to the child as
 * descriptor 3. Both close on exec; the spawn's dup2 clears that flag even when fds[1] is 3 already (glibc >= 2.29,
 * older than the closefrom action cspawn_session needs). Returns 0, or -1 with errno set.
 */
int cspawn_gate(int fds[2]);

/* Tells the child on the other end of the gate `fd` to go on (a newline) when `go` is non-zero, then closes `fd`,
 * so a child still waiting reads end-of-file. Never raises SIGPIPE. */
void cspawn_open_gate(int fd, int go);

#endif
