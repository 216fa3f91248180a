import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Fuzzers that run a quick sample in `npm test` and their full size in `npm run test:slow`. */
const FUZZERS = [
  'test/search/question-properties.test.ts',
  'test/knowledge/article-fuzz.test.ts',
  'test/knowledge/front-matter.test.ts',
  'test/slack/payload-fuzz.test.ts',
];

/**
 * Files that mock a Node built-in with `vi.mock`: a worker that has run
 * another file already holds the real module, so these run isolated.
 */
const ISOLATED = ['test/knowledge/knowledge-base.test.ts'];

const SLOW = 'test/**/*.slow.test.ts';

const WORKERS = availableParallelism();

export default defineConfig({
  test: {
    // Every test runs with the check that no secret reaches a log line or the terminal.
    setupFiles: ['test/helpers/no-secret-leaks.ts'],
    // Guards against a hang, not bounds on speed: on a busy machine the longest tests (the digest
    // schedule over simulated days) can pass 30 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share worker processes (each file still loads the project's own modules afresh):
    // a process started and Bolt loaded for every file would cost more than the tests themselves.
    poolOptions: { forks: { isolate: false } },
    // A worker per core (vitest's default leaves one to itself, which on two cores halves the
    // suite's pace): vitest's own process mostly waits, and so do many tests, on timers and sockets.
    // As many from start to end: a worker stopped for being idle can take a message in flight with it.
    maxWorkers: WORKERS,
    minWorkers: WORKERS,
    projects: [
      {
        extends: true,
        test: {
          // `npm test`: everything but child processes, soaks and full-size fuzzing.
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [SLOW, ...ISOLATED],
          // One Postgres server for the run (in each project that has one): the store's tests make a
          // database of their own on it.
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
          provide: { fuzzSize: 'quick' },
        },
      },
      {
        extends: true,
        test: {
          // A fresh V8 context for each file, in processes of their own.
          name: 'unit-isolated',
          include: ISOLATED,
          pool: 'vmForks',
          provide: { fuzzSize: 'quick' },
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:slow`: the program and CLIs as child processes, the Postgres store against real
          // servers, the bench smoke, full-size fuzzing.
          name: 'slow',
          include: [SLOW, ...FUZZERS],
          // The program built once for the files that run it from dist/ as child processes.
          globalSetup: ['test/helpers/postgres-global-setup.ts', 'test/helpers/build-global-setup.ts'],
          provide: { fuzzSize: 'full' },
          // Full-size fuzzing next to child processes: minutes, not seconds, on a busy machine.
          testTimeout: 300_000,
        },
      },
    ],
  },
});
