import { defineConfig } from 'vitest/config';

/** Fuzzers that run a quick sample in `npm test` and their full size in `npm run test:slow`. */
const FUZZERS = [
  'test/search/question-properties.test.ts',
  'test/knowledge/article-fuzz.test.ts',
  'test/slack/payload-fuzz.test.ts',
];

export default defineConfig({
  test: {
    // Every test runs with the check that no secret reaches a log line or the terminal.
    setupFiles: ['test/helpers/no-secret-leaks.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          // `npm test`: everything but child processes, soaks and full-size fuzzing.
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.slow.test.ts'],
          provide: { fuzzSize: 'quick' },
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:slow`: the program and CLIs as child processes, the bench smoke, full-size fuzzing.
          name: 'slow',
          include: ['test/**/*.slow.test.ts', ...FUZZERS],
          provide: { fuzzSize: 'full' },
        },
      },
    ],
  },
});
