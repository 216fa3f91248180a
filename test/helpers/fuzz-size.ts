/**
 * How many cases a fuzzer generates: a quick sample in `npm test`, its full
 * size in `npm run test:slow`. vitest.config.ts provides which.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSize: 'quick' | 'full';
  }
}

/** The run count for the current suite. */
export function fuzzRuns(sizes: { quick: number; full: number }): number {
  return sizes[inject('fuzzSize')];
}
