#define _GNU_SOURCE
#include "cspawn.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef POSIX_SPAWN_SETSID
#error "runbook needs posix_spawn with POSIX_SPAWN_SETSID (glibc 2.26 or later) to give each step its own session"
#endif

int cspawn_session(const char *path, char *const argv[], char *const envp[], const char *directory, int stdin_fd,
                   int stdout_fd, int stderr_fd, int gate_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int error = posix_spawn_file_actions_init(&actions);
    if (error != 0) return error;
    error = posix_spawnattr_init(&attributes);
    if (error != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return error;
    }
    sigset_t none, all, child_exit;
    sigemptyset(&none);
    sigfillset(&all);
    // A child's exit sends SIGCHLD, which runbook leaves at SIG_DFL (ignored). The kernel drops an ignored signal at
    // once only when the thread that started the child does not block it; Swift's and libdispatch's worker threads
    // block every signal, so each step's exit woke runbook's otherwise idle main thread (in dispatch_main's
    // sigsuspend) for nothing: two context switches and a cross-CPU interrupt a step. Unblocking SIGCHLD in the
    // spawning thread is safe: with no handler it is discarded, and a library that does install one (swift-subprocess
    // on kernels without pidfd) is served as by any thread that does not block it.
    sigemptyset(&child_exit);
    sigaddset(&child_exit, SIGCHLD);
    pthread_sigmask(SIG_UNBLOCK, &child_exit, NULL);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID;
    if ((error = posix_spawnattr_setflags(&attributes, flags)) == 0
        && (error = posix_spawnattr_setsigmask(&attributes, &none)) == 0
        && (error = posix_spawnattr_setsigdefault(&attributes, &all)) == 0
        && (error = stdin_fd < 0 ? posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                                 : posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0)) == 0
        && (error = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1)) == 0
        && (error = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2)) == 0
        && (gate_fd < 0 || (error = posix_spawn_file_actions_adddup2(&actions, gate_fd, 3)) == 0)
        && (error = posix_spawn_file_actions_addclosefrom_np(&actions, gate_fd < 0 ? 3 : 4)) == 0
        && (directory == NULL || (error = posix_spawn_file_actions_addchdir_np(&actions, directory)) == 0)) {
        error = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return error;
}

int cspawn_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cspawn_gate(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

void cspawn_open_gate(int fd, int go) {
    if (go) (void)send(fd, "\n", 1, MSG_NOSIGNAL);
    close(fd);
}
