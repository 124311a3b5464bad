/* Holds the write of a result file open for a test: preloaded (LD_PRELOAD) into `cjsim` by
 * tests/cli/output_race.py, it makes each fsync of a temporary output (a file whose name holds
 * ".tmp-") first create the file $CJSIM_SLOW_SYNC_MARK and then wait $CJSIM_SLOW_SYNC_SECONDS
 * seconds, signals or not, before syncing. The test's Ctrl-C then arrive while the results are
 * being written, every time, rather than when a race happens to let them. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int fsync(int fd) {
  static int (*real_fsync)(int) = NULL;
  if (real_fsync == NULL) *(void**)&real_fsync = dlsym(RTLD_NEXT, "fsync");
  const char* mark = getenv("CJSIM_SLOW_SYNC_MARK");
  const char* seconds = getenv("CJSIM_SLOW_SYNC_SECONDS");
  char link[64];
  char target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t length = readlink(link, target, sizeof target - 1);
  if (mark != NULL && seconds != NULL && length > 0) {
    target[length] = '\0';
    if (strstr(target, ".tmp-") != NULL) {
      const int marked = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (marked >= 0) close(marked);
      struct timespec until;
      clock_gettime(CLOCK_MONOTONIC, &until);
      until.tv_sec += atoi(seconds);
      /* Interrupted by a signal's handler: wait on to the end. */
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0) {
      }
    }
  }
  return real_fsync(fd);
}
