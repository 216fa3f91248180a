/** The Slack load test at a smoke size: it drives the real bot, one process or replicas, and counts every answer. */
import { describe, expect, it } from 'vitest';
import {
  describeSlackLoad,
  failedExactlyOnce,
  runSlackLoad,
  slackLoadTable,
} from '../../bench/slack-load.js';
import { createTestDatabase } from '../helpers/postgres.js';

describe('runSlackLoad', () => {
  it('sends signed commands and retried mentions over several connections and finds each answered once', async () => {
    const result = await runSlackLoad({ knowledgeDir: 'knowledge', connections: 4, durationSeconds: 1 });
    // At least one request a connection; how many a second is the benchmark's figure.
    expect(result.requests).toBeGreaterThanOrEqual(4);
    expect(result).toMatchObject({ errors: 0, lost: 0, doubled: 0, wrongToken: 0 });
    expect(result.commands).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThan(0);
    expect(failedExactlyOnce(result)).toBe(false);
    expect(describeSlackLoad(result)[0]).toMatch(
      /^1 process, SQLite, one bot token: \d+ signed requests over 4 connections/,
    );
  }, 60_000);

  it('drives replicas on one database through the proxy, spreading requests over all of them', async () => {
    const database = await createTestDatabase();
    try {
      const result = await runSlackLoad({
        knowledgeDir: 'knowledge',
        connections: 4,
        durationSeconds: 2,
        replicas: 2,
        databaseUrl: database.url,
      });
      expect(result.setup).toBe('2 replicas, Postgres, 2 workspaces (OAuth), round-robin proxy');
      expect(result).toMatchObject({ errors: 0, lost: 0, doubled: 0, wrongToken: 0 });
      // Enough requests for mentions and their retries to be among them.
      expect(result.mentions).toBeGreaterThan(0);
      expect(result.perReplica).toHaveLength(2);
      for (const count of result.perReplica ?? []) expect(count).toBeGreaterThan(0);
      expect(slackLoadTable([result])).toContain(
        '| 2 replicas, Postgres, 2 workspaces (OAuth), round-robin proxy |',
      );
    } finally {
      await database.drop();
    }
  }, 120_000);
});
