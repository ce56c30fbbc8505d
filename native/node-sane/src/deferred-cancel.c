/*
 * sane_deferred_cancel.so: preloaded (LD_PRELOAD) into the scanner worker process on Linux.
 *
 * SANE backends run their reader in a thread from sanei_thread, which switches the thread to
 * asynchronous cancellation (pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS)) and ends it with
 * pthread_cancel when a frame is finished or cancelled. A thread cancelled asynchronously inside
 * malloc() or free() dies holding the allocator's arena lock, and the next allocation from that
 * arena (the exiting thread's own clean-up, V8's garbage collector, libvips) waits for ever: the
 * whole worker deadlocks. Seen with the SANE `test` backend under load (a backtrace showed the
 * reader thread blocked in tcache_thread_shutdown on the lock its interrupted free() held, and
 * the JavaScript thread waiting for V8's markers blocked on the same lock).
 *
 * This library turns every request for asynchronous cancellation into deferred cancellation:
 * the reader is still cancelled, at its next cancellation point (its write() to the pipe, its
 * usleep(), a poll() in libusb), never in the middle of the allocator.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef int (*setcanceltype_fn)(int, int*);

int pthread_setcanceltype(int type, int* oldtype) {
  static setcanceltype_fn real = NULL;
  if (real == NULL) real = (setcanceltype_fn)dlsym(RTLD_NEXT, "pthread_setcanceltype");
  (void)type;
  return real(PTHREAD_CANCEL_DEFERRED, oldtype);
}
