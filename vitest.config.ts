import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'native/**/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start servers and Chromium; two cores: keep files in few workers.
    maxWorkers: 2,
    reporters: ['default'],
    // QAB_TEST_CPU_LOG=<file>: each test file appends its CPU seconds (test/support/cpu-per-file.ts).
    setupFiles: ['test/support/cpu-per-file.ts'],
  },
});
