/* Intervista sandbox init: the C twin of reaper.py (same arguments, same report).
 * PID 1 of the run's PID namespace: runs the program, waits for it, kills what is left
 * (with --kill-rest), reaps everything, and writes "<cpu seconds> <peak rss kB> <status>"
 * to the status fd, which the program does not inherit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        dprintf(2, "usage: reaper STATUS_FD --kill-rest|--keep PROGRAM [ARGS...]\n");
        return 127;
    }
    int status_fd = atoi(argv[1]);
    int kill_rest = strcmp(argv[2], "--kill-rest") == 0;
    fcntl(status_fd, F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        dprintf(2, "cannot fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execv(argv[3], argv + 3);
        dprintf(2, "cannot execute %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (kill_rest) {
        kill(-1, SIGKILL);
    }
    for (;;) {
        if (wait(NULL) < 0 && errno != EINTR) {
            break;
        }
    }
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
               + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    dprintf(status_fd, "%.6f %ld %d", cpu, usage.ru_maxrss, status);
    close(status_fd);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}
