import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test runs with the check that no secret reaches a log line or the terminal.
    setupFiles: ['test/helpers/no-secret-leaks.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
