/**
 * Vitest global setup: one Postgres server for the whole test run, started
 * before the first test file and stopped after the last. Test files reach it
 * through `createTestDatabase` in `postgres.ts`.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres-server.js';

/** Starts the server and returns its teardown. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  project.provide('postgresAdminUrl', server.url());
  return () => server.destroy();
}
