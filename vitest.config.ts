import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: keep parallelism modest; end-to-end suites build projects.
    maxWorkers: 2,
    // Concurrent tests inside one file (the spec corpus) spawn processes: two at a time.
    maxConcurrency: 2,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
