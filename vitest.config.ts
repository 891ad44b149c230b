import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The CLI tests run the compiled CLI (bin/ → dist/): rebuild it when a source changed.
    globalSetup: ['tests/helpers/build-dist.ts'],
    // Browser and PDF tests launch real Chromium; generous per-test time, no timing assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
