/* Intervista sandbox init: the C twin of reaper.py (same arguments, same report).
 * PID 1 of the run's PID namespace: reads the run's nonce from NONCE_FD and closes it, makes
 * itself non-dumpable (the program, same uid, can then neither ptrace it nor open its
 * /proc/1/fd or /proc/1/mem), runs the program, waits for it, kills what is left (with
 * --kill-rest), reaps everything, and writes "<nonce> <cpu seconds> <peak rss kB> <status>\n"
 * to the status fd, which the program does not inherit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_nonce(int fd, char *nonce, size_t size) {
    size_t used = 0;
    while (used < size - 1) {
        ssize_t got = read(fd, nonce + used, size - 1 - used);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        used += (size_t)got;
    }
    nonce[used] = '\0';
    close(fd);
    if (used < 16) {
        return -1;
    }
    for (size_t i = 0; i < used; i++) {
        if (!((nonce[i] >= '0' && nonce[i] <= '9') || (nonce[i] >= 'a' && nonce[i] <= 'f'))) {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        dprintf(2, "usage: reaper STATUS_FD NONCE_FD --kill-rest|--keep PROGRAM [ARGS...]\n");
        return 127;
    }
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int status_fd = atoi(argv[1]);
    int kill_rest = strcmp(argv[3], "--kill-rest") == 0;
    char nonce[65];
    fcntl(status_fd, F_SETFD, FD_CLOEXEC);
    if (read_nonce(atoi(argv[2]), nonce, sizeof nonce) != 0) {
        dprintf(2, "reaper: no valid nonce\n");
        return 127;
    }
    pid_t pid = fork();
    if (pid < 0) {
        dprintf(2, "cannot fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execv(argv[4], argv + 4);
        dprintf(2, "cannot execute %s: %s\n", argv[4], strerror(errno));
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
    dprintf(status_fd, "%s %.6f %ld %d\n", nonce, cpu, usage.ru_maxrss, status);
    close(status_fd);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}
