/**
 * Vitest global setup of the slow tests: builds the program once
 * (`npm run build`) before any test file runs it from dist/, so that no two
 * files build at once and none reads a file another is writing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Builds the program. */
export async function setup(): Promise<void> {
  await promisify(execFile)('npm', ['run', 'build']);
}
