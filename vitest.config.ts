import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'native/**/test/**/*.test.ts'],
    environment: 'node',
    // A time limit is a hang guard, not an assertion: walks that take 25 s alone took 30 s+ beside
    // other files at load 20+, so the limit leaves room for a loaded machine (CI included).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration and e2e tests start servers and Chromium; two cores: keep files in few workers.
    maxWorkers: 2,
    reporters: ['default'],
    // QAB_TEST_CPU_LOG=<file>: each test file appends its CPU seconds (test/support/cpu-per-file.ts).
    setupFiles: ['test/support/cpu-per-file.ts'],
  },
});
