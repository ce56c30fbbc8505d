/**
 * The deferred-cancellation preload (src/deferred-cancel.c): a thread that asks for asynchronous
 * cancellation, as SANE's sanei_thread does for every backend's reader, gets deferred
 * cancellation with the library preloaded, and is still cancelled (at its next cancellation
 * point). Checked with a small C program compiled here, run with and without LD_PRELOAD.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deferredCancelPreload } from 'node-sane';

const PROGRAM = String.raw`
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static int granted = -1;
static void* reader(void* arg) {
  int old;
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old);
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &granted);
  for (;;) usleep(1000); /* a cancellation point, like the reader's write() to its pipe */
  return arg;
}
int main(void) {
  pthread_t t;
  void* result;
  pthread_create(&t, NULL, reader, NULL);
  usleep(50000);
  pthread_cancel(t);
  pthread_join(t, &result);
  printf("%s %s\n", granted == PTHREAD_CANCEL_ASYNCHRONOUS ? "asynchronous" : "deferred", result == PTHREAD_CANCELED ? "cancelled" : "not-cancelled");
  return 0;
}
`;

let dir: string;
let program: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qab-cancel-'));
  writeFileSync(join(dir, 'cancel.c'), PROGRAM);
  program = join(dir, 'cancel');
  execFileSync('cc', ['-o', program, join(dir, 'cancel.c'), '-pthread']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (env: NodeJS.ProcessEnv) => spawnSync(program, { env, encoding: 'utf8' }).stdout.trim();

it('is built on Linux', () => {
  expect(process.platform).toBe('linux');
  expect(deferredCancelPreload()).toMatch(/sane_deferred_cancel\.node$/);
});

it('turns a request for asynchronous cancellation into deferred cancellation; the thread is still cancelled', () => {
  expect(run({})).toBe('asynchronous cancelled');
  expect(run({ LD_PRELOAD: deferredCancelPreload()! })).toBe('deferred cancelled');
});
