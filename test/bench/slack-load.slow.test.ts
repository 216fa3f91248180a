/** The Slack load test at a smoke size: it drives the real bot and counts every answer. */
import { describe, expect, it } from 'vitest';
import { describeSlackLoad, runSlackLoad } from '../../bench/slack-load.js';

describe('runSlackLoad', () => {
  it('sends signed commands over several connections and finds every one acknowledged and answered', async () => {
    const result = await runSlackLoad({ knowledgeDir: 'knowledge', connections: 4, durationSeconds: 1 });
    // At least one request a connection; how many a second is the benchmark's figure.
    expect(result.requests).toBeGreaterThanOrEqual(4);
    expect(result.errors).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.p99).toBeGreaterThan(0);
    expect(describeSlackLoad(result)[0]).toMatch(/^\d+ signed \/ceasefire requests over 4 connections/);
  }, 60_000);
});
