/* Which GoogleTest tests start a thread: preloaded (LD_PRELOAD) into the release build's unit
 * tests by CI, it appends the name of each test whose process, or a process that test started,
 * calls pthread_create to the file $CJSIM_THREAD_PROBE_OUT, one name a line. ThreadSanitizer
 * reports races between threads, so CI's ThreadSanitizer stage runs these tests and the
 * command-line tests labelled `threads` (tests/README.md, "Continuous integration"). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char kFilter[] = "--gtest_filter=";
static const char kInherited[] = "CJSIM_THREAD_PROBE_TEST";
static char test_name[1024];

/* The test this process runs: its own --gtest_filter=NAME (ctest runs one test a process), or
 * the one its parent ran, handed down in the environment to the processes a test starts. */
__attribute__((constructor)) static void find_test_name(void) {
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char buffer[8192];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n > 0) {
      buffer[n] = '\0';
      for (char* arg = buffer; arg < buffer + n; arg += strlen(arg) + 1) {
        if (strncmp(arg, kFilter, sizeof kFilter - 1) == 0 &&
            strlen(arg + sizeof kFilter - 1) < sizeof test_name) {
          strcpy(test_name, arg + sizeof kFilter - 1);
          setenv(kInherited, test_name, 1);
          return;
        }
      }
    }
  }
  const char* inherited = getenv(kInherited);
  if (inherited != NULL && strlen(inherited) < sizeof test_name) strcpy(test_name, inherited);
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attributes, void* (*start)(void*),
                   void* argument) {
  static int (*real)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static int recorded;
  if (real == NULL) {
    *(void**)&real = dlsym(RTLD_NEXT, "pthread_create");
    if (real == NULL) abort();
  }
  const char* out = getenv("CJSIM_THREAD_PROBE_OUT");
  if (!__atomic_exchange_n(&recorded, 1, __ATOMIC_SEQ_CST) && test_name[0] != '\0' && out != NULL) {
    int fd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      char line[sizeof test_name + 1];
      size_t length = strlen(test_name);
      memcpy(line, test_name, length);
      line[length] = '\n';
      /* One write with O_APPEND: lines of tests run side by side do not interleave. A failed
       * write loses the name, which tests/threaded_tests.py's lower bound would notice. */
      ssize_t written = write(fd, line, length + 1);
      (void)written;
      close(fd);
    }
  }
  return real(thread, attributes, start, argument);
}
