/**
 * `npm run gaps` as an editor runs it, on questions kept in SQLite and in
 * Postgres: near-identical questions counted together, the disliked answers,
 * the period and workspace chosen, JSON, and questions past their retention
 * deleted by the run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/gaps/gap-log.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Gap, Store } from '../../src/store/store.js';
import { createTestDatabase } from '../helpers/postgres.js';

/** What `tsx` runs a script with, in one process rather than tsx's two. */
const WITH_TSX = ['--import', 'tsx'];

/** Where the questions are kept: the environment that points the command there, and a store on it. */
interface Backend {
  env: Record<string, string>;
  open(now: () => number): Promise<Store>;
  dispose(): Promise<void>;
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  SQLite: async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-gaps-cli-'));
    return {
      env: { DATA_DIR: dataDir },
      open: async (now) => SqliteStore.open(dataDir, { now }),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
  Postgres: async () => {
    const database = await createTestDatabase();
    return {
      env: { DATABASE_URL: database.url, DATA_DIR: '/nonexistent/not-used' },
      open: (now) => PostgresStore.open(database.url, { now }),
      dispose: () => database.drop(),
    };
  },
};

function gaps(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...WITH_TSX, 'src/cli/gaps.ts', ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(Object.keys(BACKENDS))('npm run gaps on %s', (name) => {
  let backend: Backend;

  /** Keeps questions as the bot would have, `daysAgo` days ago. */
  async function keep(daysAgo: number, ...list: [string, Partial<Omit<Gap, 'at' | 'question'>>?][]) {
    const store = await backend.open(() => Date.now() - daysAgo * DAY_MS);
    try {
      for (const [question, extra] of list) {
        await store.recordGap({
          kind: 'unanswered',
          question,
          surface: 'command',
          teamId: 'T0AAAA',
          ...extra,
        });
      }
    } finally {
      await store.close();
    }
  }

  beforeEach(async () => {
    backend = await (BACKENDS[name] as () => Promise<Backend>)();
    await keep(40, ['Asked before the retention began?']);
    await keep(10, ['What is the capital of France?']);
    await keep(
      2,
      ['What is the capital of France?', { surface: 'dm' }],
      ['capital of france', { surface: 'mention' }],
      ['France capital??'],
      ['Who won the 2022 World Cup?', { teamId: 'T0BBBB' }],
      ["who leads russia's delegation", { kind: 'disliked' }],
    );
    await keep(3, ["Who leads Russia's delegation?", { kind: 'disliked', surface: 'mention' }]);
  });
  afterEach(() => backend.dispose());

  /** The questions kept now. */
  async function kept(): Promise<string[]> {
    const store = await backend.open(Date.now);
    try {
      return (await store.gaps(0)).map((g) => g.question);
    } finally {
      await store.close();
    }
  }

  it('prints the most frequent unanswered questions, grouped, and the disliked answers', async () => {
    const { code, stdout, stderr } = await gaps(['--days', '7'], backend.env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Questions the articles did not answer in the last 7 days, most frequent first:');
    expect(lines[1]).toMatch(/^ {2}3× {2}(capital of france|France capital\?\?) {2}\(last \d{4}-\d\d-\d\d; /);
    expect(lines[1]).toMatch(/\/ceasefire 1/);
    expect(lines[1]).toMatch(/DM 1/);
    expect(lines[1]).toMatch(/mention 1/);
    expect(lines[2]).toMatch(/^ {2}1× {2}Who won the 2022 World Cup\? {2}\(/);
    expect(lines[4]).toBe('Answers readers marked not helpful (👎) in the last 7 days, most frequent first:');
    expect(lines[5]).toMatch(/^ {2}2× {2}who leads russia's delegation {2}\(/);
    // The question asked 10 days ago is outside the period but still kept; the one from 40 days ago is gone.
    expect(stdout).not.toContain('Asked before the retention began');
    const questions = await kept();
    expect(questions).not.toContain('Asked before the retention began?');
    expect(questions).toHaveLength(7);
  });

  it('counts a longer period, one workspace, and at most --limit questions of each kind', async () => {
    const month = await gaps(['--days', '30', '--team', 'T0AAAA', '--limit', '1'], backend.env);
    expect(month.code).toBe(0);
    expect(month.stdout).toMatch(/in the last 30 days in workspace T0AAAA, most frequent first:\n {2}4× /);
    expect(month.stdout).not.toContain('World Cup');
    expect(month.stdout.match(/×/g)).toHaveLength(2);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await gaps(['--json', '--days', '4'], backend.env);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ days: 4, team: null, retentionDays: 30 });
    expect(report.unanswered.map((g: { count: number }) => g.count)).toEqual([3, 1]);
    expect(report.unanswered[0].surfaces).toEqual({ command: 1, dm: 1, mention: 1 });
    expect(report.unanswered[0].lastAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.disliked).toEqual([
      expect.objectContaining({ count: 2, example: "who leads russia's delegation" }),
    ]);
  });

  it('with GAPS_RETENTION_DAYS=0 deletes every kept question and says none are kept', async () => {
    const { code, stdout } = await gaps([], { ...backend.env, GAPS_RETENTION_DAYS: '0' });
    expect(code).toBe(0);
    expect(stdout).toContain('No unanswered questions in the last 7 days.');
    expect(stdout).toContain('GAPS_RETENTION_DAYS is 0: no questions are kept');
    expect(await kept()).toEqual([]);
  });
});

describe('npm run gaps arguments', () => {
  it.each([
    [['--days', 'week'], '--days must be a whole number from 1 to 36500'],
    [['--team', 'general'], '--team must be a workspace id like T0123ABCD'],
    [['--limit', '0'], '--limit must be a whole number from 1 to 1000'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit code 2 and the usage', async (args, problem) => {
    const { code, stdout, stderr } = await gaps(args, { DATA_DIR: '/nonexistent/not-used' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(problem);
    expect(stderr).toContain('usage: npm run gaps --');
  });
});
