import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test runs with the check that no secret reaches a log line or the terminal.
    setupFiles: ['test/helpers/no-secret-leaks.ts'],
    // One Postgres server for the run; the store's tests make a database of their own on it.
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
