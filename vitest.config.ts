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
  },
});
