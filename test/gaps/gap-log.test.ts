/**
 * Keeping questions for editors, on a real SQLite store: what is kept (and
 * what never is), retention and its purges, and failures that stay out of
 * the reader's way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, GapLog, isUnanswered, keptQuestion } from '../../src/gaps/gap-log.js';
import type { Answer } from '../../src/search/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

let dir: string;
let store: SqliteStore;
let clock: number;
const now = () => clock;
let errors: string[];
const logger = { error: (message: string) => errors.push(message) };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-gaps-'));
  clock = 1_700_000_000_000;
  store = SqliteStore.open(dir, { now });
  errors = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const log = (retentionDays: number) => new GapLog({ store, retentionDays, logger, now });
const question = (text: string) =>
  ({ kind: 'unanswered', question: text, surface: 'dm', teamId: 'T1' }) as const;

describe('what is kept', () => {
  it('keeps the question, its kind, surface, workspace and time', async () => {
    await log(30).record(question('What is the capital of France?'));
    expect(await store.gaps(0)).toEqual([
      {
        kind: 'unanswered',
        question: 'What is the capital of France?',
        surface: 'dm',
        teamId: 'T1',
        enterpriseId: null,
        at: clock,
      },
    ]);
  });

  it('blanks out user ids written into a question, and keeps at most what the search reads', async () => {
    expect(keptQuestion('  Did @U0BADBAD1 and @W012ABCDEF say so? ')).toBe(
      'Did @someone and @someone say so?',
    );
    expect(keptQuestion('@channel @here @Umerov')).toBe('@channel @here @Umerov');
    expect(keptQuestion('x'.repeat(5000))).toHaveLength(2000);
  });

  it('keeps nothing when retention is 0', async () => {
    const gaps = log(0);
    await gaps.record(question('What is the capital of France?'));
    expect(await store.gaps(0)).toEqual([]);
  });

  it('counts as unanswered only an answer without facts or overview whose question was not the reason', () => {
    const answer = (extra: Partial<Answer>): Answer => ({
      question: 'q',
      kind: 'facts',
      facts: [],
      hasMore: false,
      ...extra,
    });
    const fact = { text: 'A fact.', score: 1, context: null, sources: [] };
    expect(isUnanswered(answer({}))).toBe(true);
    expect(isUnanswered(answer({ facts: [fact] }))).toBe(false);
    expect(isUnanswered(answer({ kind: 'overview', facts: [fact] }))).toBe(false);
    expect(isUnanswered(answer({ notice: 'The question is empty: ask about the articles.' }))).toBe(false);
  });
});

describe('retention', () => {
  it('deletes questions past their days when a later one is written', async () => {
    const gaps = log(30);
    await gaps.record(question('first'));
    clock += 29 * DAY_MS;
    await gaps.record(question('second'));
    clock += 2 * DAY_MS;
    await gaps.record(question('third'));
    expect((await store.gaps(0)).map((g) => g.question)).toEqual(['second', 'third']);
  });

  it('purges on demand: past the retention, or everything when retention is 0', async () => {
    await log(30).record(question('old'));
    clock += 10 * DAY_MS;
    await log(30).record(question('recent'));
    expect(await log(7).purge()).toBe(1);
    expect((await store.gaps(0)).map((g) => g.question)).toEqual(['recent']);
    expect(await log(0).purge()).toBe(1);
    expect(await store.gaps(0)).toEqual([]);
  });

  it('purges daily, when nothing is written, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const gaps = log(2);
    await gaps.record(question('kept for two days'));
    const stop = gaps.purgeDaily();
    clock += 2 * DAY_MS + 1;
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(await store.gaps(0)).toEqual([]);
    await gaps.record(question('asked after the purge'));
    await stop();
    clock += 3 * DAY_MS;
    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    // Stopped: nothing deletes it any more (the write-time purge ran within the hour, so it is not due).
    expect((await store.gaps(0)).map((g) => g.question)).toEqual(['asked after the purge']);
  });
});

describe('failures', () => {
  it('logs a question it could not keep and resolves, so the reader still gets the answer', async () => {
    const gaps = log(30);
    await store.close();
    await expect(gaps.record(question('Who is Umerov?'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^A question \(unanswered\) was not kept for npm run gaps: /);
    store = SqliteStore.open(dir, { now });
  });

  it('logs a daily purge that failed and carries on', async () => {
    const gaps = log(30);
    await store.close();
    const stop = gaps.purgeDaily();
    await stop();
    expect(errors).toEqual([expect.stringMatching(/^Expired questions were not deleted: /)]);
    store = SqliteStore.open(dir, { now });
  });
});
